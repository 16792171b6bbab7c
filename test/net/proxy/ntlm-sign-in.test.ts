/**
 * NTLM sign-in against scripted proxies on 127.0.0.1: the three messages on the one connection
 * the proxy keeps, with the AUTHENTICATE checked by the proxy against the MS-NLMP 4.2.4 vectors
 * (the test fixes the client's clock and challenge to the specification's, and the proxy sends
 * the specification's CHALLENGE, so the right answer is the published NTLMv2 response);
 * then each failure: a wrong password, another challenge after the AUTHENTICATE, a proxy that
 * closes between the rounds, a malformed challenge, a silent proxy, and the settings.
 */
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { NetError } from '../../../src-main/shared/errors';
import type { HandshakeStep, ProxyAuthScheme } from '../../../src-main/shared/model';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { Deadline } from '../../../src-main/core/net/deadline';
import type { ProxyEndpoint } from '../../../src-main/core/proxy/proxy-endpoint';
import { openTunnel, type TunnelRequest } from '../../../src-main/core/proxy/tunnel';
import { trustedServer } from '../../support/certs';
import { readBytes, type FakeProxy, type FakeProxyContext } from '../../support/fake-proxy';
import { useTunnelFixtures } from '../../support/tunnel-fixtures';
import { ManualClock } from '../../support/manual-clock';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** MS-NLMP 4.2.4.3: the CHALLENGE (server challenge 0123456789abcdef, AV pairs Domain/Server). */
const SPEC_CHALLENGE = hex(`
  4e544c4d53535000 02000000 0c000c00 38000000 33828ae2 0123456789abcdef 0000000000000000
  24002400 44000000 060070170000000f
  53006500720076006500720002000c0044006f006d00610069006e0001000c0053006500720076006500720000000000`).toString('base64');
/** MS-NLMP 4.2.4.2.2: the NTLMv2 response for User / Domain / Password, time 0, client challenge aa…. */
const SPEC_NT_RESPONSE =
  '68cd0ab851e51c96aabc927bebef6a1c01010000000000000000000000000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c005300650072007600650072000000000000000000';
const PASSWORD = 'Password';
/** The clock and client challenge of the specification's example. */
const SPEC_HOOKS = { now: () => -11_644_473_600_000, randomBytes: () => hex('aaaaaaaaaaaaaaaa') };
const DEADLINE_MS = 5000;

const { cleanups, proxyServer, tcpTarget } = useTunnelFixtures();

interface Run {
  steps: HandshakeStep[];
  request: TunnelRequest;
}

function run(port: number, extra: Partial<ProxyEndpoint> = {}, authScheme?: ProxyAuthScheme, more: Partial<TunnelRequest> = {}): Run {
  const steps: HandshakeStep[] = [];
  const proxy: ProxyEndpoint = {
    protocol: 'http',
    host: '127.0.0.1',
    port,
    displayUrl: `http://127.0.0.1:${port}`,
    username: 'Domain\\User',
    password: PASSWORD,
    credentialsOnChallenge: true,
    ...extra,
  };
  return {
    steps,
    request: {
      proxy,
      target: { host: 'echo.test', port: 443 },
      proxyCa: [],
      deadline: new Deadline(DEADLINE_MS),
      onStep: (step) => steps.push(step),
      signInHooks: SPEC_HOOKS,
      ...(authScheme ? { authScheme } : {}),
      ...more,
    },
  };
}

async function open(r: Run): Promise<net.Socket> {
  const socket = await openTunnel(r.request);
  cleanups.push(() => {
    socket.destroy();
  });
  return socket;
}

async function expectFailure(r: Run): Promise<NetError> {
  const outcome = await openTunnel(r.request).then(
    (socket) => {
      socket.destroy();
      return undefined;
    },
    (error: unknown) => error,
  );
  if (!(outcome instanceof NetFailure)) throw new Error(`expected a NetFailure, got ${String(outcome)}`);
  return outcome.netError;
}

/** The NTLM message type in a `Proxy-Authorization: NTLM <token>` (read here, not by the code under test). */
function ntlmType(header: string | undefined): number | undefined {
  if (header === undefined || !header.startsWith('NTLM ')) return undefined;
  const bytes = Buffer.from(header.slice(5), 'base64');
  return bytes.length >= 12 && bytes.subarray(0, 8).toString('latin1') === 'NTLMSSP\0' ? bytes.readUInt32LE(8) : undefined;
}

/** Whether an AUTHENTICATE carries the specification's NTLMv2 response (its NtChallengeResponse field). */
function authenticateIsRight(header: string | undefined): boolean {
  if (ntlmType(header) !== 3 || header === undefined) return false;
  const bytes = Buffer.from(header.slice(5), 'base64');
  const length = bytes.readUInt16LE(20);
  const offset = bytes.readUInt32LE(24);
  return bytes.subarray(offset, offset + length).toString('hex') === SPEC_NT_RESPONSE;
}

/** A 407 that keeps the connection open (HTTP/1.1, a body of known length). */
function keep407(context: FakeProxyContext, headers: string, body = ''): void {
  context.socket.write(`HTTP/1.1 407 Proxy Authentication Required\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  context.next();
}

/**
 * A proxy doing NTLM as Squid does: a bare `NTLM` offer, the CHALLENGE for a NEGOTIATE, the
 * tunnel for the right AUTHENTICATE on the connection that got the CHALLENGE; else `bad`.
 */
function ntlmProxy(targetPort: number, options: { offer?: string; challenge?: (context: FakeProxyContext) => void; bad?: (context: FakeProxyContext) => void } = {}): (context: FakeProxyContext) => void {
  const challenged = new WeakSet<net.Socket>();
  return (context) => {
    const sent = context.header('proxy-authorization');
    const type = ntlmType(sent);
    if (type === 1) {
      challenged.add(context.socket);
      if (options.challenge) options.challenge(context);
      else keep407(context, `Proxy-Authenticate: NTLM ${SPEC_CHALLENGE}\r\n`);
    } else if (type === 3 && challenged.has(context.socket) && authenticateIsRight(sent)) {
      context.tunnelTo(targetPort, 'HTTP/1.1 200 Connection established\r\n\r\n');
    } else if (type === 3 && options.bad) {
      options.bad(context);
    } else {
      keep407(context, options.offer ?? 'Proxy-Authenticate: NTLM\r\n');
    }
  };
}

/** A CHALLENGE (base64) whose TargetInfo is `targetInfo`, right after a 48-byte header. */
function challengeWithTargetInfo(targetInfo: Buffer): string {
  const head = Buffer.alloc(48);
  head.write('NTLMSSP\0', 0, 'latin1');
  head.writeUInt32LE(2, 8);
  head.writeUInt32LE(48, 16);
  head.writeUInt32LE(0x00818205, 20);
  hex('0123456789abcdef').copy(head, 24);
  head.writeUInt16LE(targetInfo.length, 40);
  head.writeUInt16LE(targetInfo.length, 42);
  head.writeUInt32LE(48, 44);
  return Buffer.concat([head, targetInfo]).toString('base64');
}

const sentHeaders = (proxy: FakeProxy): (string | undefined)[] =>
  proxy.requests.map((r) => r.headers.find(([name]) => name.toLowerCase() === 'proxy-authorization')?.[1]);
const sentTypes = (proxy: FakeProxy): (number | string | undefined)[] => sentHeaders(proxy).map((h) => ntlmType(h) ?? h?.split(' ')[0]);

describe('NTLM proxy sign-in', () => {
  it('the right password: NEGOTIATE, CHALLENGE, AUTHENTICATE on one connection, each round a decoded step', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer(ntlmProxy(target.port));
    const r = run(proxy.port);
    const socket = await open(r);
    socket.write('ping');
    expect((await readBytes(socket, 4)).toString()).toBe('ping');
    expect(proxy.accepted).toBe(1);
    expect(sentTypes(proxy)).toEqual([undefined, 1, 3]);
    expect(r.steps.map((s) => `${s.leg}:${s.ok}`)).toEqual(['tcp:true', 'proxy:false', 'proxy:false', 'proxy:true']);
    expect(r.steps[1]?.auth).toEqual({ round: 1, offered: [{ scheme: 'NTLM' }] });
    expect(r.steps[2]?.auth).toEqual({
      round: 2,
      sent: { scheme: 'NTLM', ntlm: { type: 'negotiate', flags: ['UNICODE', 'OEM', 'REQUEST_TARGET', 'NTLM', 'ALWAYS_SIGN', 'EXTENDED_SESSIONSECURITY', '128', '56'] } },
      offered: [
        {
          scheme: 'NTLM',
          ntlm: {
            type: 'challenge',
            flags: ['UNICODE', 'OEM', 'SIGN', 'SEAL', 'NTLM', 'ALWAYS_SIGN', 'TARGET_TYPE_SERVER', 'EXTENDED_SESSIONSECURITY', 'TARGET_INFO', 'VERSION', '128', 'KEY_EXCH', '56'],
            targetName: 'Server',
            netbiosDomain: 'Domain',
            netbiosServer: 'Server',
            version: '6.0.6000',
          },
        },
      ],
    });
    expect(r.steps[3]?.auth).toEqual({
      round: 3,
      sent: { scheme: 'NTLM', ntlm: { type: 'authenticate', flags: ['UNICODE', 'NTLM', 'ALWAYS_SIGN', 'EXTENDED_SESSIONSECURITY', '128', '56'], domain: 'Domain', user: 'User', workstation: '', response: 'NTLMv2' } },
    });
    // The token itself is never shown.
    expect(r.steps[2]?.request?.headers).toContainEqual(['Proxy-Authorization', 'NTLM ••••••']);
    expect(r.steps[3]?.request?.headers).toContainEqual(['Proxy-Authorization', 'NTLM ••••••']);
    expect(JSON.stringify(r.steps)).not.toContain(PASSWORD);
  });

  it('a plain user name with the domain field, and `user@domain`, sign in as the user and domain given', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer(ntlmProxy(target.port));
    await open(run(proxy.port, { username: 'User', domain: 'Domain' }));
    expect(sentTypes(proxy)).toEqual([undefined, 1, 3]);

    const upn = await proxyServer(ntlmProxy(target.port));
    const error = await expectFailure(run(upn.port, { username: 'User@Domain' }));
    // The NTLMv2 response depends on the user and domain: a UPN goes whole with no domain, so the spec's response is not it.
    expect(error.code).toBe('PROXY_AUTH_FAILED');
    const authenticate = Buffer.from((sentHeaders(upn)[2] ?? '').slice(5), 'base64');
    expect(authenticate.subarray(authenticate.readUInt32LE(40), authenticate.readUInt32LE(40) + authenticate.readUInt16LE(36)).toString('utf16le')).toBe('User@Domain');
    expect(authenticate.readUInt16LE(28)).toBe(0);
  });

  it('Auto prefers NTLM to Digest and Basic', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer(ntlmProxy(target.port, { offer: 'Proxy-Authenticate: Basic realm="corp"\r\nProxy-Authenticate: Digest realm="corp", nonce="n", qop="auth"\r\nProxy-Authenticate: NTLM\r\n' }));
    await open(run(proxy.port));
    expect(sentTypes(proxy)).toEqual([undefined, 1, 3]);
  });

  it('a wrong password: PROXY_AUTH_FAILED naming NTLM after the AUTHENTICATE, three CONNECTs, no loop', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer(ntlmProxy(target.port));
    const r = run(proxy.port, { password: 'wrong' });
    const error = await expectFailure(r);
    expect(error.code).toBe('PROXY_AUTH_FAILED');
    expect(error.details.authScheme).toBe('NTLM');
    expect(error.message).toBe('The proxy rejected the NTLM credentials for user "Domain\\User" (407 after they were sent; it asks for NTLM).');
    expect(proxy.requests).toHaveLength(3);
    expect(r.steps.map((s) => s.auth?.round)).toEqual([undefined, 1, 2, 3]);
    expect(JSON.stringify([error, r.steps])).not.toContain('wrong');
  });

  it('another challenge after the AUTHENTICATE: PROXY_AUTH_FAILED saying so, no fourth CONNECT', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer(ntlmProxy(target.port, { bad: (context) => keep407(context, `Proxy-Authenticate: NTLM ${SPEC_CHALLENGE}\r\n`) }));
    const error = await expectFailure(run(proxy.port, { password: 'wrong' }));
    expect(error.code).toBe('PROXY_AUTH_FAILED');
    expect(error.message).toContain('sent another NTLM challenge after the AUTHENTICATE message');
    expect(proxy.requests).toHaveLength(3);
  });

  it('the proxy closes the connection after its challenge: PROXY_AUTH_CONNECTION_CLOSED, the AUTHENTICATE never sent elsewhere', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer(
      ntlmProxy(target.port, {
        challenge: (context) => context.socket.end(`HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM ${SPEC_CHALLENGE}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`),
      }),
    );
    const r = run(proxy.port);
    const error = await expectFailure(r);
    expect(error.code).toBe('PROXY_AUTH_CONNECTION_CLOSED');
    expect(error.message).toBe('The proxy closed the connection after its NTLM challenge; NTLM needs one kept-alive connection, so the challenge cannot be answered.');
    expect(error.hint).toContain('must keep it open');
    expect(sentTypes(proxy)).toEqual([undefined, 1]);
    expect(proxy.accepted).toBe(1);
  });

  it('a proxy that closes after its first offer: the NEGOTIATE starts on a new connection and the exchange finishes there', async () => {
    const target = await tcpTarget();
    const ntlm = ntlmProxy(target.port);
    const proxy = await proxyServer((context) => {
      if (context.header('proxy-authorization') === undefined) context.socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\nConnection: close\r\n\r\n');
      else ntlm(context);
    });
    const r = run(proxy.port);
    await open(r);
    expect(proxy.accepted).toBe(2);
    expect(r.steps.map((s) => `${s.leg}:${s.ok}`)).toEqual(['tcp:true', 'proxy:false', 'tcp:true', 'proxy:false', 'proxy:true']);
  });

  it.each([
    ['cut short', SPEC_CHALLENGE.slice(0, 80), /TargetInfo: offset 68 \+ length 36 is past the end of the CHALLENGE message \(60 bytes\)/],
    ['not base64', 'not*base64', /token: "not\*base64" is not base64/],
    ['an AV pair past the end', challengeWithTargetInfo(hex('0200ff0044006f00')), /TargetInfo: AV pair 1 \(id 2\) says 255 bytes, past the end of the 8-byte TargetInfo/],
  ])('a malformed challenge (%s): PROXY_AUTH_BAD_CHALLENGE naming the field, nothing more sent', async (_name, token, reason) => {
    const target = await tcpTarget();
    const proxy = await proxyServer(ntlmProxy(target.port, { challenge: (context) => keep407(context, `Proxy-Authenticate: NTLM ${token}\r\n`) }));
    const r = run(proxy.port);
    const error = await expectFailure(r);
    expect(error.code).toBe('PROXY_AUTH_BAD_CHALLENGE');
    expect(error.details.authScheme).toBe('NTLM');
    expect(error.message).toMatch(reason);
    expect(r.steps.at(-1)?.auth?.offered?.[0]?.problem).toMatch(reason);
    expect(proxy.requests).toHaveLength(2);
  });

  it('a 407 body larger than the shown preview is read to its end, and the exchange stays on the connection', async () => {
    const target = await tcpTarget();
    const page = `<html>${'x'.repeat(40_000)}</html>`;
    const ntlm = ntlmProxy(target.port, { challenge: (c) => keep407(c, `Proxy-Authenticate: NTLM ${SPEC_CHALLENGE}\r\n`, page) });
    const proxy = await proxyServer((context) => {
      if (context.header('proxy-authorization') === undefined) keep407(context, 'Proxy-Authenticate: NTLM\r\nContent-Type: text/html\r\n', page);
      else ntlm(context);
    });
    const r = run(proxy.port);
    await open(r);
    expect(proxy.accepted).toBe(1);
    expect(r.steps[1]?.response?.bodyBytes).toBe(page.length);
    expect(r.steps[1]?.response?.bodyPreview?.length).toBe(8192);
    expect(r.steps[1]?.response?.bodyTruncated).toBe(true);
  });

  it('a proxy silent after the AUTHENTICATE: PROXY_TIMEOUT when the answer deadline passes', async () => {
    const clock = new ManualClock();
    const target = await tcpTarget();
    let authenticateSeen: () => void = () => {};
    const seen = new Promise<void>((resolve) => {
      authenticateSeen = resolve;
    });
    const proxy = await proxyServer(ntlmProxy(target.port, { bad: () => authenticateSeen() }));
    const r = run(proxy.port, { password: 'wrong' }, undefined, {
      legDeadlines: { connect: () => new Deadline(DEADLINE_MS, undefined, clock), answer: () => new Deadline(DEADLINE_MS, undefined, clock) },
    });
    const failure = expectFailure(r);
    await seen;
    clock.advance(DEADLINE_MS + 1);
    const error = await failure;
    expect(error.code).toBe('PROXY_TIMEOUT');
    expect(proxy.requests).toHaveLength(3);
  });

  it('set to NTLM for the proxy itself: the NEGOTIATE goes with the first CONNECT (two CONNECTs in all)', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer(ntlmProxy(target.port));
    const r = run(proxy.port, { credentialsOnChallenge: false }, 'ntlm');
    await open(r);
    expect(sentTypes(proxy)).toEqual([1, 3]);
    expect(r.steps.map((s) => s.auth?.round)).toEqual([undefined, 1, 2]);
  });

  it('Auto with credentials for the proxy itself: nothing with the first CONNECT (never Basic), then NEGOTIATE and AUTHENTICATE on the kept connection', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer(ntlmProxy(target.port));
    const r = run(proxy.port, { credentialsOnChallenge: false });
    await open(r);
    expect(sentHeaders(proxy).map((h) => h?.split(' ')[0])).toEqual([undefined, 'NTLM', 'NTLM']);
    expect(sentTypes(proxy)).toEqual([undefined, 1, 3]);
    expect(proxy.accepted).toBe(1);
  });

  it('set to NTLM, a proxy without NTLM: PROXY_AUTH_UNSUPPORTED, whether the NEGOTIATE went first or not', async () => {
    const basicOnly = await proxyServer((context) => keep407(context, 'Proxy-Authenticate: Basic realm="corp"\r\n'));
    const error = await expectFailure(run(basicOnly.port, {}, 'ntlm'));
    expect(error.code).toBe('PROXY_AUTH_UNSUPPORTED');
    expect(error.message).toBe('Proxy sign-in is set to NTLM, but the proxy offers Basic realm "corp".');
    expect(sentHeaders(basicOnly)).toEqual([undefined]);

    const preemptive = await expectFailure(run(basicOnly.port, { credentialsOnChallenge: false }, 'ntlm'));
    expect(preemptive.code).toBe('PROXY_AUTH_UNSUPPORTED');
    expect(preemptive.message).toBe('Proxy sign-in is set to NTLM, but the proxy offers Basic realm "corp".');
  });

  it('a bad user name: PROXY_AUTH_UNSUPPORTED saying what is wrong with it, nothing sent', async () => {
    const proxy = await proxyServer((context) => keep407(context, 'Proxy-Authenticate: NTLM\r\n'));
    const error = await expectFailure(run(proxy.port, { username: 'CORP\\' }));
    expect(error.code).toBe('PROXY_AUTH_UNSUPPORTED');
    expect(error.message).toBe('The proxy asks for NTLM, but the user name "CORP\\" has nothing after its backslash (write DOMAIN\\user).');
    expect(proxy.requests).toHaveLength(1);
  });

  it('over an https:// proxy: all three messages inside the same TLS connection', async () => {
    const server = trustedServer();
    const target = await tcpTarget();
    const proxy = await proxyServer(ntlmProxy(target.port), { tls: { cert: server.cert, key: server.key } });
    const r = run(proxy.port, { protocol: 'https', displayUrl: `https://127.0.0.1:${proxy.port}` }, undefined, { proxyCa: [Buffer.from(server.ca)] });
    const socket = await open(r);
    socket.write('ping');
    expect((await readBytes(socket, 4)).toString()).toBe('ping');
    expect(proxy.accepted).toBe(1);
    expect(r.steps.map((s) => `${s.leg}:${s.ok}`)).toEqual(['tcp:true', 'proxy-tls:true', 'proxy:false', 'proxy:false', 'proxy:true']);
  });
});
