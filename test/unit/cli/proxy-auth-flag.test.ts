import { describe, expect, it } from 'vitest';
import { formatStep, PLAIN } from '../../../src-main/cli/human-output';
import { parseCommandLine, UsageError, type ConnectCommand } from '../../../src-main/cli/parse-args';

function connect(...args: string[]): ConnectCommand {
  const command = parseCommandLine(['connect', 'ws://h/', ...args]);
  if (command.kind !== 'connect') throw new Error(`expected connect, got ${command.kind}`);
  return command;
}

function usage(...args: string[]): string {
  try {
    parseCommandLine(['connect', 'ws://h/', ...args]);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('--proxy-auth', () => {
  it.each(['auto', 'negotiate', 'ntlm', 'digest', 'basic', 'DIGEST', 'NTLM'])('%s is the connection\'s proxyAuthScheme', (value) => {
    expect(connect('--proxy', 'http://p:1', '--proxy-user', 'u:p', '--proxy-auth', value).options?.proxyAuthScheme).toBe(value.toLowerCase());
  });

  it('is absent unless given (the engine defaults to auto)', () => {
    expect(connect('--proxy', 'http://p:1').options).not.toHaveProperty('proxyAuthScheme');
  });

  it('anything else names the choices', () => {
    expect(usage('--proxy-auth', 'kerberos')).toBe('--proxy-auth must be one of auto, negotiate, ntlm, digest, basic, got "kerberos"');
  });

  it('makes no sense with --no-proxy, nor with --profile', () => {
    expect(usage('--no-proxy', '--proxy-auth', 'digest')).toBe('--proxy-auth makes no sense with --no-proxy');
    expect(() => parseCommandLine(['connect', '--profile', 'x', '--proxy-auth', 'digest'])).toThrow(/--proxy-auth cannot be combined with --profile/);
  });
});

describe('--proxy-user and --proxy-domain for NTLM', () => {
  it('keeps a DOMAIN\\user name whole (the engine splits it)', () => {
    expect(connect('--proxy', 'http://p:1', '--proxy-user', 'CORP\\alice:secret', '--proxy-auth', 'ntlm').options?.proxyAuth).toEqual({ username: 'CORP\\alice', password: 'secret' });
  });

  it('--proxy-domain is the credentials\' domain', () => {
    expect(connect('--pac', 'http://pac.corp/p.pac', '--proxy-user', 'alice:secret', '--proxy-domain', 'CORP').options?.proxyAuth).toEqual({ username: 'alice', password: 'secret', domain: 'CORP' });
  });

  it('--proxy-domain needs --proxy-user and a name, and is not for --profile', () => {
    expect(usage('--proxy', 'http://p:1', '--proxy-domain', 'CORP')).toBe("--proxy-domain needs --proxy-user (or TUNNELSCOPE_PROXY_USER): the domain is that user's");
    expect(usage('--proxy', 'http://p:1', '--proxy-user', 'a:b', '--proxy-domain', ' ')).toBe('--proxy-domain needs a domain name such as CORP');
    expect(() => parseCommandLine(['connect', '--profile', 'x', '--proxy-domain', 'CORP'])).toThrow(/--proxy-domain cannot be combined with --profile/);
  });
});

describe('a sign-in round in the transcript', () => {
  it('says what was sent and what the 407 offered, decoded, never the credential', () => {
    const lines = formatStep(
      {
        leg: 'proxy',
        startedAt: 0,
        ms: 3,
        ok: false,
        peer: '127.0.0.1:3128',
        request: { startLine: 'CONNECT h:443 HTTP/1.1', headers: [['Proxy-Authorization', 'Digest ••••••']] },
        response: { startLine: 'HTTP/1.1 407 Proxy Authentication Required', headers: [] },
        auth: {
          round: 2,
          sent: { scheme: 'Digest', realm: 'corp', algorithm: 'SHA-256', qop: 'auth', staleRetry: true },
          offered: [{ scheme: 'Digest', realm: 'corp', algorithm: 'SHA-256', qop: 'auth', stale: true }, { scheme: 'Basic', realm: 'corp' }],
        },
      },
      PLAIN,
    );
    expect(lines).toContain('  sign-in round 2: sent Digest realm "corp" algorithm SHA-256 qop auth (again with the new nonce after stale=true)');
    expect(lines).toContain('  sign-in round 2: the 407 offers Digest realm "corp" algorithm SHA-256 qop auth stale=true; Basic realm "corp"');
  });
});
