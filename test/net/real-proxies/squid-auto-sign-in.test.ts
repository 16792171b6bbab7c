/**
 * Sign-in "Auto" (the default) with credentials set for the proxy itself (a manual proxy with a
 * user and password, as `--proxy … --proxy-user …`, the app's Manual proxy or a saved profile
 * give): nothing goes with the first CONNECT, the 407's offer decides. Through real Squids, each
 * behind a recorder that keeps every byte the client sent, so "Squid never saw Basic" is read
 * off the wire, not off what the engine says it sent: a Digest-only and an NTLM-only Squid never
 * get a Basic header (the readable password), a Basic-only Squid still signs in, in two rounds.
 */
import net from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ConnectionOptionsInput, HandshakeStep } from '../../../src-main/shared/model';
import { authRoundLines } from '../../../src-main/shared/proxy-auth-text';
import { envWithoutProxies, runCli, stopCliProcesses } from '../../support/cli-process';
import { squidDigestMissing, squidNtlmMissing, startSquid } from '../../support/squid';
import { useRealProxies } from './real-proxy-fixture';
import { closeSession, echo, openSession, type Opened } from './session-driver';

const PROXY_TIMEOUT_MS = 3000;
const OPEN_TIMEOUT_MS = 6000;
const USER = 'alice';
const PASSWORD = 'Corp pa55word!';
const BASIC_VALUE = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

const missing = squidDigestMissing ?? squidNtlmMissing;
const title = `Squid, Sign-in Auto with credentials for the proxy itself: never Basic up front${missing ? ` (skipped: ${missing})` : ''}`;

/** A TCP relay to `port` that keeps what clients sent through it. */
interface WireRecorder {
  url: string;
  /** Everything the clients sent, connection by connection, as Latin-1 text. */
  sent(): string[];
  close(): Promise<void>;
}

async function recordTo(port: number): Promise<WireRecorder> {
  const connections: Buffer[][] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const chunks: Buffer[] = [];
    connections.push(chunks);
    const upstream = net.connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk: Buffer) => chunks.push(chunk));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the recorder has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    sent: () => connections.map((chunks) => Buffer.concat(chunks).toString('latin1')),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The `Proxy-Authorization` schemes on the wire, in order (`Basic`, `Digest`, `NTLM`). */
function schemesOnWire(recorder: WireRecorder): string[] {
  return recorder.sent().flatMap((text) => [...text.matchAll(/^proxy-authorization:[ \t]*(\S+)/gim)].map((m) => m[1] ?? ''));
}

function connectCount(recorder: WireRecorder): number {
  return recorder.sent().reduce((n, text) => n + [...text.matchAll(/^CONNECT /gm)].length, 0);
}

function proxySteps(session: Opened): HandshakeStep[] {
  return session.events.flatMap((e) => (e.type === 'handshake' && e.step.leg === 'proxy' ? [e.step] : []));
}

describe.skipIf(missing !== undefined)(title, () => {
  const auth = { username: USER, password: PASSWORD };
  const fixture = useRealProxies('squid', {
    basic: () => startSquid({ connectPorts: 'any', auth: { ...auth, schemes: ['basic'] } }),
    digest: () => startSquid({ connectPorts: 'any', auth: { ...auth, schemes: ['digest'] } }),
    ntlm: () => startSquid({ connectPorts: 'any', auth: { ...auth, schemes: ['ntlm'] } }),
  });
  const recorders: WireRecorder[] = [];
  afterEach(stopCliProcesses);
  afterAll(async () => {
    await Promise.all(recorders.map((r) => r.close()));
  });

  async function recorded(name: 'basic' | 'digest' | 'ntlm'): Promise<WireRecorder> {
    const recorder = await recordTo(fixture.proxy(name).port);
    recorders.push(recorder);
    return recorder;
  }

  function options(url: string, proxyUrl: string): ConnectionOptionsInput {
    // A manual proxy with its own user and password, Sign-in left at Auto.
    return { url, proxy: { mode: 'manual', url: proxyUrl }, proxyAuth: auth, proxyTimeoutMs: PROXY_TIMEOUT_MS, openTimeoutMs: OPEN_TIMEOUT_MS };
  }

  it('a Digest-only Squid: the first CONNECT carries nothing, then Digest; no Basic header ever reaches Squid', async () => {
    const { ws } = fixture.servers();
    const recorder = await recorded('digest');
    const session = await openSession(fixture.engine(), options(ws.url, recorder.url));
    expect(session.error, `did not open: ${JSON.stringify(session.error)}\n${fixture.proxy('digest').logs()}`).toBeUndefined();
    expect(schemesOnWire(recorder)).toEqual(['Digest']);
    expect(connectCount(recorder)).toBe(2);
    expect(recorder.sent().join('')).not.toContain(BASIC_VALUE);
    expect(proxySteps(session).map((s) => s.auth?.sent?.scheme)).toEqual([undefined, 'Digest']);
    expect((await echo(session, 'digest, never basic')).dir).toBe('in');
    await closeSession(session);
  });

  it('an NTLM-only Squid: the first CONNECT carries nothing, then NEGOTIATE and AUTHENTICATE on the kept connection; no Basic header', async () => {
    const { ws } = fixture.servers();
    const recorder = await recorded('ntlm');
    const session = await openSession(fixture.engine(), options(ws.url, recorder.url));
    expect(session.error, `did not open: ${JSON.stringify(session.error)}\n${fixture.proxy('ntlm').logs()}`).toBeUndefined();
    expect(schemesOnWire(recorder)).toEqual(['NTLM', 'NTLM']);
    expect(recorder.sent()).toHaveLength(1);
    // ntlm_fake_auth's CHALLENGE has a stray TargetName offset: said in one short clause, no offsets.
    const lines = proxySteps(session).flatMap((s) => (s.auth ? authRoundLines(s.auth) : []));
    expect(lines.find((line) => line.includes('the 407 offers NTLM CHALLENGE'))).toMatch(/\(the challenge's target name is unreadable; not needed\)$/);
    expect(lines.join('\n')).not.toMatch(/offset \d+|past the end/);
    expect(recorder.sent().join('')).not.toContain(BASIC_VALUE);
    expect((await echo(session, 'ntlm, never basic')).dir).toBe('in');
    await closeSession(session);
    const tunnelLine = new RegExp(`TCP_TUNNEL/200 .* ${USER} `);
    expect(await fixture.proxy('ntlm').logsOnceLogged(tunnelLine)).toMatch(tunnelLine);
  });

  it('a Basic-only Squid: still signs in, in two rounds (nothing, then Basic once the 407 names it)', async () => {
    const { ws } = fixture.servers();
    const recorder = await recorded('basic');
    const session = await openSession(fixture.engine(), options(ws.url, recorder.url));
    expect(session.error, `did not open: ${JSON.stringify(session.error)}\n${fixture.proxy('basic').logs()}`).toBeUndefined();
    expect(schemesOnWire(recorder)).toEqual(['Basic']);
    expect(connectCount(recorder)).toBe(2);
    const steps = proxySteps(session);
    expect(steps.map((s) => s.response?.startLine.split(' ')[1])).toEqual(['407', '200']);
    expect(steps.map((s) => s.auth?.sent?.scheme)).toEqual([undefined, 'Basic']);
    expect((await echo(session, 'basic when asked')).dir).toBe('in');
    await closeSession(session);
  });

  it('the CLI, --proxy <Digest-only Squid> --proxy-user alice:…: no Basic on the wire, the transcript shows round 1 offered and round 2 Digest', async () => {
    const { ws } = fixture.servers();
    const recorder = await recorded('digest');
    const result = await runCli(['connect', ws.url, '--proxy', recorder.url, '--proxy-user', `${USER}:${PASSWORD}`, '--send', 'via cli', '--count', '1'], {
      env: { ...envWithoutProxies(), NO_COLOR: '1' },
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(schemesOnWire(recorder)).toEqual(['Digest']);
    expect(result.stdout + result.stderr).toContain('sign-in round 1: the 407 offers Digest');
    expect(result.stdout + result.stderr).toContain('sign-in round 2: sent Digest');
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });
});
