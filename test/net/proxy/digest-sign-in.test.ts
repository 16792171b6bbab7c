/**
 * Digest sign-in against scripted proxies on 127.0.0.1 that check the answer themselves
 * (RFC 7616, computed here independently of the engine): the right password, a wrong one, a
 * stale nonce, a malformed challenge, a proxy that closes between rounds, and the setting.
 */
import { createHash } from 'node:crypto';
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { NetError } from '../../../src-main/shared/errors';
import type { HandshakeStep, ProxyAuthScheme } from '../../../src-main/shared/model';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { Deadline } from '../../../src-main/core/net/deadline';
import { parseChallenges } from '../../../src-main/core/proxy/proxy-auth';
import type { ProxyEndpoint } from '../../../src-main/core/proxy/proxy-endpoint';
import { openTunnel, type TunnelRequest } from '../../../src-main/core/proxy/tunnel';
import { trustedServer } from '../../support/certs';
import { readBytes, type FakeProxy, type FakeProxyContext } from '../../support/fake-proxy';
import { useTunnelFixtures } from '../../support/tunnel-fixtures';

const USER = 'alice';
const PASSWORD = 's3cret-Pa55';
const REALM = 'corp proxy';
const DEADLINE_MS = 5000;

const { cleanups, proxyServer, tcpTarget } = useTunnelFixtures();

interface Run {
  steps: HandshakeStep[];
  request: TunnelRequest;
}

function run(port: number, extra: Partial<ProxyEndpoint> = {}, authScheme?: ProxyAuthScheme, proxyCa: Buffer[] = []): Run {
  const steps: HandshakeStep[] = [];
  const proxy: ProxyEndpoint = {
    protocol: 'http',
    host: '127.0.0.1',
    port,
    displayUrl: `http://127.0.0.1:${port}`,
    username: USER,
    password: PASSWORD,
    credentialsOnChallenge: true,
    ...extra,
  };
  return {
    steps,
    request: {
      proxy,
      target: { host: 'echo.test', port: 443 },
      proxyCa,
      deadline: new Deadline(DEADLINE_MS),
      onStep: (step) => steps.push(step),
      ...(authScheme ? { authScheme } : {}),
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

function expectNoSecrets(...values: unknown[]): void {
  expect(JSON.stringify(values)).not.toContain(PASSWORD);
}

const hash = (algorithm: string, text: string): string =>
  createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5').update(text).digest('hex');

/** Whether a Proxy-Authorization is a right Digest answer to `nonce` (the proxy's own check). */
function digestIsRight(header: string | undefined, nonce: string, password = PASSWORD): boolean {
  const answer = parseChallenges([header ?? '']).find((c) => c.scheme === 'Digest');
  if (!answer) return false;
  const p = (name: string): string => answer.params.get(name) ?? '';
  const algorithm = p('algorithm') || 'MD5';
  if (p('nonce') !== nonce || p('username') !== USER || p('realm') !== REALM || p('uri') !== 'echo.test:443') return false;
  let ha1 = hash(algorithm, `${USER}:${REALM}:${password}`);
  if (algorithm.endsWith('-sess')) ha1 = hash(algorithm, `${ha1}:${nonce}:${p('cnonce')}`);
  const ha2 = hash(algorithm, `CONNECT:${p('uri')}`);
  return p('response') === hash(algorithm, `${ha1}:${nonce}:${p('nc')}:${p('cnonce')}:${p('qop')}:${ha2}`);
}

const challenge = (nonce: string, extra = ''): string =>
  `Proxy-Authenticate: Digest realm="${REALM}", qop="auth", algorithm=SHA-256, nonce="${nonce}", opaque="op"${extra}\r\nProxy-Authenticate: Digest realm="${REALM}", qop="auth", algorithm=MD5, nonce="${nonce}", opaque="op"${extra}\r\n`;

/** A 407 that keeps the connection open (HTTP/1.1, empty body of known length). */
function keep407(context: FakeProxyContext, headers: string): void {
  context.socket.write(`HTTP/1.1 407 Proxy Authentication Required\r\n${headers}Content-Length: 0\r\n\r\n`);
  context.next();
}

const sentHeaders = (proxy: FakeProxy): (string | undefined)[] =>
  proxy.requests.map((r) => r.headers.find(([name]) => name.toLowerCase() === 'proxy-authorization')?.[1]);

describe('Digest proxy sign-in', () => {
  it('the right password: SHA-256 (the first offered) on the same connection, each round a step', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer((context) => {
      if (digestIsRight(context.header('proxy-authorization'), 'n1')) context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
      else keep407(context, challenge('n1'));
    });
    const r = run(proxy.port);
    const socket = await open(r);
    socket.write('ping');
    expect((await readBytes(socket, 4)).toString()).toBe('ping');
    expect(proxy.accepted).toBe(1);
    expect(sentHeaders(proxy)[0]).toBeUndefined();
    expect(sentHeaders(proxy)[1]).toMatch(/^Digest username="alice", realm="corp proxy", uri="echo.test:443", algorithm=SHA-256, nonce="n1", nc=00000001, cnonce="[0-9a-f]{32}", qop=auth, response="[0-9a-f]{64}", opaque="op"$/);
    expect(r.steps.map((s) => `${s.leg}:${s.ok}`)).toEqual(['tcp:true', 'proxy:false', 'proxy:true']);
    expect(r.steps[1]?.auth).toEqual({
      round: 1,
      offered: [
        { scheme: 'Digest', realm: REALM, algorithm: 'SHA-256', qop: 'auth' },
        { scheme: 'Digest', realm: REALM, algorithm: 'MD5', qop: 'auth' },
      ],
    });
    expect(r.steps[2]?.auth).toEqual({ round: 2, sent: { scheme: 'Digest', realm: REALM, algorithm: 'SHA-256', qop: 'auth' } });
    expect(r.steps[2]?.request?.headers).toContainEqual(['Proxy-Authorization', 'Digest ••••••']);
    expectNoSecrets(r.steps);
  });

  it('Digest is preferred to Basic when both are offered (Auto)', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer((context) => {
      if (digestIsRight(context.header('proxy-authorization'), 'n2')) context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
      else keep407(context, `Proxy-Authenticate: Basic realm="${REALM}"\r\n${challenge('n2')}`);
    });
    await open(run(proxy.port));
    expect(sentHeaders(proxy)[1]).toMatch(/^Digest /);
  });

  it('a wrong password: PROXY_AUTH_FAILED naming Digest after exactly two CONNECTs, no loop', async () => {
    const proxy = await proxyServer((context) => keep407(context, challenge('n3')));
    const r = run(proxy.port, { password: 'wrong' });
    const error = await expectFailure(r);
    expect(error.code).toBe('PROXY_AUTH_FAILED');
    expect(error.details.authScheme).toBe('Digest');
    expect(error.message).toContain('rejected the Digest credentials for user "alice"');
    expect(proxy.requests).toHaveLength(2);
    expect(r.steps.map((s) => s.auth?.round)).toEqual([undefined, 1, 2]);
    expect(JSON.stringify([error, r.steps])).not.toContain('wrong');
  });

  it('stale=true: one retry with the new nonce, and it opens', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer((context) => {
      const sent = context.header('proxy-authorization');
      if (digestIsRight(sent, 'fresh')) context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
      else if (digestIsRight(sent, 'old')) keep407(context, challenge('fresh', ', stale=true'));
      else keep407(context, challenge('old'));
    });
    const r = run(proxy.port);
    await open(r);
    expect(proxy.requests).toHaveLength(3);
    expect(r.steps.at(-2)?.auth?.offered?.[0]?.stale).toBe(true);
    expect(r.steps.at(-1)?.auth?.sent).toMatchObject({ scheme: 'Digest', staleRetry: true });
  });

  it('stale=true again after the retry: PROXY_AUTH_FAILED saying so, three CONNECTs', async () => {
    let count = 0;
    const proxy = await proxyServer((context) => {
      count += 1;
      keep407(context, challenge(`n${count}`, count > 1 ? ', stale=true' : ''));
    });
    const error = await expectFailure(run(proxy.port));
    expect(error.code).toBe('PROXY_AUTH_FAILED');
    expect(error.message).toContain('stale again');
    expect(proxy.requests).toHaveLength(3);
  });

  it.each([
    ['no nonce', `Proxy-Authenticate: Digest realm="${REALM}", qop="auth"\r\n`, /Digest challenge \(realm "corp proxy"\) has no nonce/],
    ['an unknown algorithm', `Proxy-Authenticate: Digest realm="${REALM}", nonce="n", algorithm=SHA-512-256\r\n`, /algorithm "SHA-512-256"/],
    ['an unterminated quote', `Proxy-Authenticate: Digest realm="${REALM}, nonce="n\r\n`, /has no nonce/],
  ])('a malformed challenge (%s): PROXY_AUTH_UNSUPPORTED naming what is wrong, nothing sent', async (_name, headers, reason) => {
    const proxy = await proxyServer((context) => keep407(context, headers));
    const error = await expectFailure(run(proxy.port));
    expect(error.code).toBe('PROXY_AUTH_UNSUPPORTED');
    expect(error.message).toMatch(reason);
    expect(proxy.requests).toHaveLength(1);
  });

  it('a proxy that closes after its 407: the Digest answer goes on a new connection', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer((context) => {
      if (digestIsRight(context.header('proxy-authorization'), 'n4')) context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
      else context.socket.end(`HTTP/1.1 407 Proxy Authentication Required\r\n${challenge('n4')}Connection: close\r\n\r\n`);
    });
    const r = run(proxy.port);
    await open(r);
    expect(proxy.accepted).toBe(2);
    expect(r.steps.map((s) => `${s.leg}:${s.ok}`)).toEqual(['tcp:true', 'proxy:false', 'tcp:true', 'proxy:true']);
  });

  it('credentials set for the proxy itself under Auto: nothing before the 407 (never Basic), then Digest', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer((context) => {
      if (digestIsRight(context.header('proxy-authorization'), 'n5')) context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
      else keep407(context, challenge('n5'));
    });
    await open(run(proxy.port, { credentialsOnChallenge: false }));
    expect(sentHeaders(proxy).map((h) => h?.split(' ')[0])).toEqual([undefined, 'Digest']);
  });

  it('set to Digest: nothing before the 407 even for the proxy itself, and never Basic', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer((context) => {
      if (digestIsRight(context.header('proxy-authorization'), 'n6')) context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
      else keep407(context, challenge('n6'));
    });
    await open(run(proxy.port, { credentialsOnChallenge: false }, 'digest'));
    expect(sentHeaders(proxy).map((h) => h?.split(' ')[0])).toEqual([undefined, 'Digest']);

    const basicOnly = await proxyServer((context) => keep407(context, `Proxy-Authenticate: Basic realm="${REALM}"\r\n`));
    const error = await expectFailure(run(basicOnly.port, {}, 'digest'));
    expect(error.code).toBe('PROXY_AUTH_UNSUPPORTED');
    expect(error.message).toBe(`Proxy sign-in is set to Digest, but the proxy offers Basic realm "${REALM}".`);
    expect(basicOnly.requests).toHaveLength(1);
  });

  it('set to Basic: Basic even when Digest is offered; a Digest-only proxy is PROXY_AUTH_UNSUPPORTED', async () => {
    const both = await proxyServer((context) => keep407(context, `${challenge('n7')}Proxy-Authenticate: Basic realm="${REALM}"\r\n`));
    const error = await expectFailure(run(both.port, {}, 'basic'));
    expect(error.code).toBe('PROXY_AUTH_FAILED');
    expect(sentHeaders(both).map((h) => h?.split(' ')[0])).toEqual([undefined, 'Basic']);

    const digestOnly = await proxyServer((context) => keep407(context, challenge('n8')));
    const unsupported = await expectFailure(run(digestOnly.port, {}, 'basic'));
    expect(unsupported.code).toBe('PROXY_AUTH_UNSUPPORTED');
    expect(unsupported.message).toContain('set to Basic, but the proxy offers only Digest');
  });

  it('over an https:// proxy: the Digest answer goes inside the same TLS connection', async () => {
    const server = trustedServer();
    const target = await tcpTarget();
    const proxy = await proxyServer(
      (context) => {
        if (digestIsRight(context.header('proxy-authorization'), 'n9')) context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
        else keep407(context, challenge('n9'));
      },
      { tls: { cert: server.cert, key: server.key } },
    );
    const r = run(proxy.port, { protocol: 'https', displayUrl: `https://127.0.0.1:${proxy.port}` }, undefined, [Buffer.from(server.ca)]);
    const socket = await open(r);
    socket.write('ping');
    expect((await readBytes(socket, 4)).toString()).toBe('ping');
    expect(proxy.accepted).toBe(1);
    expect(r.steps.map((s) => `${s.leg}:${s.ok}`)).toEqual(['tcp:true', 'proxy-tls:true', 'proxy:false', 'proxy:true']);
    expect(r.steps.at(-1)?.auth?.sent?.scheme).toBe('Digest');
  });
});
