/**
 * NTLM sign-in through a real Squid (ntlm_fake_auth, started per file, stopped in afterAll):
 * the real three-message exchange on one kept connection, through to a local WebSocket echo,
 * by the engine and by the CLI as a user runs it. ntlm_fake_auth accepts any password, so a
 * wrong password, a proxy closing between the rounds and a malformed challenge are covered by
 * the scripted proxies (test/net/proxy/ntlm-sign-in.test.ts); what Squid shows here is that it
 * reads our NEGOTIATE and AUTHENTICATE (its access log names the user we signed in as, its
 * backslash escaped).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConnectionOptionsInput, HandshakeStep } from '../../../src-main/shared/model';
import { squidNtlmMissing, startSquid } from '../../support/squid';
import { useRealProxies } from './real-proxy-fixture';
import { closeSession, echo, newEngine, openSession, type Opened } from './session-driver';

const PROXY_TIMEOUT_MS = 3000;
const OPEN_TIMEOUT_MS = 6000;
const PASSWORD = 'Ntlm secret 9';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const title = `Squid with NTLM (ntlm_fake_auth), through the engine and the CLI${squidNtlmMissing ? ` (skipped: ${squidNtlmMissing})` : ''}`;

function proxySteps(session: Opened): HandshakeStep[] {
  return session.events.flatMap((e) => (e.type === 'handshake' && e.step.leg === 'proxy' ? [e.step] : []));
}

function legCount(session: Opened, leg: string): number {
  return session.events.filter((e) => e.type === 'handshake' && e.step.leg === leg).length;
}

describe.skipIf(squidNtlmMissing !== undefined)(title, () => {
  const fixture = useRealProxies('squid', {
    ntlm: () => startSquid({ connectPorts: 'any', auth: { username: 'unused', password: 'unused', schemes: ['ntlm'] } }),
    all: () => startSquid({ connectPorts: 'any', auth: { username: 'unused', password: 'unused', schemes: ['basic', 'digest', 'ntlm'] } }),
  });

  function options(url: string, proxyUrl: string, extra: Partial<ConnectionOptionsInput> = {}): ConnectionOptionsInput {
    return {
      url,
      proxy: { mode: 'manual', url: proxyUrl },
      proxyAuth: { username: 'CORP\\alice', password: PASSWORD },
      proxyTimeoutMs: PROXY_TIMEOUT_MS,
      openTimeoutMs: OPEN_TIMEOUT_MS,
      ...extra,
    };
  }

  it('CORP\\alice, set to NTLM: NEGOTIATE, CHALLENGE, AUTHENTICATE on one connection, then the echo; Squid logs the user', async () => {
    const { ws } = fixture.servers();
    const squid = fixture.proxy('ntlm');
    const session = await openSession(fixture.engine(), options(ws.url, squid.url, { proxyAuthScheme: 'ntlm' }));
    expect(session.error, `did not open: ${JSON.stringify(session.error)}\n${squid.logs()}`).toBeUndefined();
    const steps = proxySteps(session);
    // The NEGOTIATE went with the first CONNECT (credentials set for the proxy itself), on one TCP connection.
    expect(steps.map((s) => s.auth?.sent?.ntlm?.type)).toEqual(['negotiate', 'authenticate']);
    expect(legCount(session, 'tcp')).toBe(1);
    const challenge = steps[0]?.auth?.offered?.find((o) => o.scheme === 'NTLM')?.ntlm;
    expect(challenge?.type).toBe('challenge');
    expect(challenge?.flags).toContain('NTLM');
    expect(steps[1]?.auth?.sent?.ntlm).toMatchObject({ type: 'authenticate', user: 'alice', domain: 'CORP', response: 'NTLMv2' });
    expect(steps[1]?.response?.startLine).toMatch(/^HTTP\/1\.[01] 200\b/);
    expect(steps[1]?.request?.headers.find(([name]) => name.toLowerCase() === 'proxy-authorization')?.[1]).toMatch(/^NTLM •+$/);
    expect((await echo(session, 'hello through ntlm squid')).dir).toBe('in');
    await closeSession(session);
    expect(JSON.stringify(session.events)).not.toContain(PASSWORD);
    const tunnelLine = /TCP_TUNNEL\/200 .* CORP\\+alice /;
    expect(await squid.logsOnceLogged(tunnelLine)).toMatch(tunnelLine);
  });

  it('credentials for whichever proxy is chosen, a plain user and the domain field: Auto answers Squid\'s Basic, Digest and NTLM offer with NTLM', async () => {
    const { wss, ca } = fixture.servers();
    const squid = fixture.proxy('all');
    const environment = newEngine({ HTTPS_PROXY: squid.url });
    try {
      const session = await openSession(
        environment,
        options(wss.url, squid.url, { proxy: { mode: 'env' }, proxyAuth: { username: 'bob', password: PASSWORD, domain: 'SALES' }, tls: { caFiles: [ca], insecure: false } }),
      );
      expect(session.error, `did not open: ${JSON.stringify(session.error)}\n${squid.logs()}`).toBeUndefined();
      const steps = proxySteps(session);
      expect(steps[0]?.auth?.offered?.map((o) => o.scheme.toLowerCase())).toEqual(['basic', 'digest', 'ntlm']);
      expect(steps.map((s) => s.auth?.sent?.ntlm?.type ?? s.auth?.sent?.scheme)).toEqual([undefined, 'negotiate', 'authenticate']);
      expect(steps.at(-1)?.auth?.sent?.ntlm).toMatchObject({ user: 'bob', domain: 'SALES' });
      expect((await echo(session, 'hello over wss through ntlm squid')).dir).toBe('in');
      await closeSession(session);
      const tunnelLine = /TCP_TUNNEL\/200 .* SALES\\+bob /;
      expect(await squid.logsOnceLogged(tunnelLine)).toMatch(tunnelLine);
    } finally {
      await environment.dispose();
    }
  });

  it("the CLI: --proxy-user 'CORP\\carol:…' --proxy-auth ntlm --json shows each round decoded, never the password", async () => {
    const { ws } = fixture.servers();
    const squid = fixture.proxy('ntlm');
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!/_proxy$/i.test(name)) env[name] = value;
    const args = ['--import', 'tsx', path.join(ROOT, 'src-main/cli/index.ts'), 'connect', ws.url, '--proxy', squid.url, '--proxy-user', `CORP\\carol:${PASSWORD}`, '--proxy-auth', 'ntlm', '--send', 'via cli', '--count', '1', '--json'];
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('close', (exit) => {
        clearTimeout(timer);
        resolve(exit);
      });
    });
    expect(code, `${stdout}\n${stderr}\n${squid.logs()}`).toBe(0);
    const lines = stdout.split('\n').filter((line) => line !== '').map((line): unknown => JSON.parse(line));
    const rounds = lines.flatMap((line) => {
      if (typeof line !== 'object' || line === null || !('type' in line) || line.type !== 'handshake' || !('auth' in line)) return [];
      return [JSON.stringify(line.auth)];
    });
    expect(rounds).toHaveLength(2);
    expect(rounds[0]).toContain('"type":"negotiate"');
    expect(rounds[0]).toContain('"type":"challenge"');
    expect(rounds[1]).toContain('"user":"carol"');
    expect(rounds[1]).toContain('"domain":"CORP"');
    expect(stdout).toContain('via cli');
    expect(stdout + stderr).not.toContain(PASSWORD);
    const tunnelLine = /TCP_TUNNEL\/200 .* CORP\\+carol /;
    expect(await squid.logsOnceLogged(tunnelLine)).toMatch(tunnelLine);
  });
});
