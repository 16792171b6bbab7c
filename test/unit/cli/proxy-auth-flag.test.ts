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
  it.each(['auto', 'digest', 'basic', 'DIGEST'])('%s is the connection\'s proxyAuthScheme', (value) => {
    expect(connect('--proxy', 'http://p:1', '--proxy-user', 'u:p', '--proxy-auth', value).options?.proxyAuthScheme).toBe(value.toLowerCase());
  });

  it('is absent unless given (the engine defaults to auto)', () => {
    expect(connect('--proxy', 'http://p:1').options).not.toHaveProperty('proxyAuthScheme');
  });

  it.each(['negotiate', 'NTLM'])('%s: not supported yet', (value) => {
    expect(usage('--proxy-auth', value)).toBe(`--proxy-auth ${value.toLowerCase()}: not supported yet (use one of auto, digest, basic)`);
  });

  it('anything else names the choices', () => {
    expect(usage('--proxy-auth', 'kerberos')).toBe('--proxy-auth must be one of auto, digest, basic, got "kerberos"');
  });

  it('makes no sense with --no-proxy, nor with --profile', () => {
    expect(usage('--no-proxy', '--proxy-auth', 'digest')).toBe('--proxy-auth makes no sense with --no-proxy');
    expect(() => parseCommandLine(['connect', '--profile', 'x', '--proxy-auth', 'digest'])).toThrow(/--proxy-auth cannot be combined with --profile/);
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
