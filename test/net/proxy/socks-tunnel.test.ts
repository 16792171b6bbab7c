/**
 * SOCKS5 tunnels through a minimal SOCKS5 server on 127.0.0.1: success with and without
 * credentials (host name resolved by the proxy), wrong password, a refusal, a closed port,
 * no answer, and bytes that arrive right after the reply.
 */
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetError } from '../../../src-main/shared/errors';
import type { HandshakeStep } from '../../../src-main/shared/model';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { Deadline } from '../../../src-main/core/net/deadline';
import type { ProxyEndpoint } from '../../../src-main/core/proxy/proxy-endpoint';
import { openTunnel, type TunnelRequest } from '../../../src-main/core/proxy/tunnel';
import { closedPort, readBytes, startTcpTarget, type TcpTarget } from '../../support/fake-proxy';
import { startSocks5Server, type Socks5Server, type Socks5ServerOptions } from '../../support/socks5-server';

const USER = 'sockuser';
const PASSWORD = 'sock-Pa55word';
/**
 * The deadline of a case that fails for another reason: one such failure that waited for it
 * would end the test at Vitest's timeout, with a timeout code instead of the expected one.
 */
const FAR_DEADLINE_MS = 60_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function socksServer(options: Socks5ServerOptions): Promise<Socks5Server> {
  const server = await startSocks5Server(options);
  cleanups.push(() => server.close());
  return server;
}

async function tcpTarget(): Promise<TcpTarget> {
  const target = await startTcpTarget();
  cleanups.push(() => target.close());
  return target;
}

function endpoint(port: number, extra: Partial<ProxyEndpoint> = {}): ProxyEndpoint {
  return { protocol: 'socks5', host: '127.0.0.1', port, displayUrl: `socks5://127.0.0.1:${port}`, ...extra };
}

function request(proxy: ProxyEndpoint, deadlineMs: number, steps: HandshakeStep[], extra: Partial<TunnelRequest> = {}): TunnelRequest {
  return {
    proxy,
    target: { host: 'echo.test', port: 8080 },
    proxyCa: [],
    deadline: new Deadline(deadlineMs),
    onStep: (step) => steps.push(step),
    ...extra,
  };
}

async function open(tunnel: TunnelRequest): Promise<net.Socket> {
  const socket = await openTunnel(tunnel);
  cleanups.push(() => {
    socket.destroy();
  });
  return socket;
}

async function expectFailure(tunnel: TunnelRequest): Promise<NetError> {
  const outcome = await openTunnel(tunnel).then(
    (socket) => {
      socket.destroy();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(NetFailure);
  if (!(outcome instanceof NetFailure)) throw new Error('expected a NetFailure');
  return outcome.netError;
}

async function echoThrough(socket: net.Socket, text: string): Promise<string> {
  socket.write(text);
  return (await readBytes(socket, Buffer.byteLength(text))).toString();
}

describe('openTunnel over a socks5:// proxy', () => {
  it('success without credentials; the host name goes to the proxy (remote DNS)', async () => {
    const target = await tcpTarget();
    const socks = await socksServer({ forwardTo: target.port });
    const steps: HandshakeStep[] = [];
    const socket = await open(request(endpoint(socks.port), FAR_DEADLINE_MS, steps));
    expect(await echoThrough(socket, 'hello-socks')).toBe('hello-socks');
    expect(socks.requests[0]).toMatchObject({ methods: [0x00], addressType: 0x03, host: 'echo.test', port: 8080 });
    const step = steps.find((s) => s.leg === 'proxy');
    expect(step).toMatchObject({ ok: true, request: { startLine: 'SOCKS5 CONNECT echo.test:8080' } });
    expect(step?.response?.startLine).toBe('SOCKS5 00 succeeded');
    expect(steps.map((s) => s.leg)).toEqual(['tcp', 'proxy']);
  });

  it('success with user/password; the password never appears in a capture', async () => {
    const target = await tcpTarget();
    const socks = await socksServer({ forwardTo: target.port, auth: { username: USER, password: PASSWORD } });
    const steps: HandshakeStep[] = [];
    const socket = await open(request(endpoint(socks.port, { username: USER, password: PASSWORD }), FAR_DEADLINE_MS, steps));
    expect(await echoThrough(socket, 'hello-auth')).toBe('hello-auth');
    expect(socks.requests[0]).toMatchObject({ methods: [0x00, 0x02], username: USER, password: PASSWORD });
    expect(steps.find((s) => s.leg === 'proxy')?.response?.headers).toContainEqual(['Authentication', 'accepted']);
    expect(JSON.stringify(steps)).not.toContain(PASSWORD);
  });

  it('bytes sent right after the reply are delivered on the tunnel socket', async () => {
    const target = await tcpTarget();
    const socks = await socksServer({ forwardTo: target.port, earlyBytes: Buffer.from('EARLY') });
    const socket = await open(request(endpoint(socks.port), FAR_DEADLINE_MS, []));
    expect((await readBytes(socket, 5)).toString()).toBe('EARLY');
  });

  it('wrong password: tunnel / SOCKS_AUTH_FAILED', async () => {
    const socks = await socksServer({ forwardTo: 1, auth: { username: USER, password: PASSWORD } });
    const steps: HandshakeStep[] = [];
    const error = await expectFailure(request(endpoint(socks.port, { username: USER, password: 'wrong' }), FAR_DEADLINE_MS, steps));
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('SOCKS_AUTH_FAILED');
    expect(error.message).toContain(`"${USER}"`);
    expect(error.details.proxy).toBe(`socks5://127.0.0.1:${socks.port}`);
    expect(error.details.proxyResponse?.headers).toContainEqual(['Authentication', 'rejected (status 1)']);
    expect(JSON.stringify([error, steps])).not.toContain('wrong');
    expect(socks.requests).toHaveLength(1);
  });

  it('credentials required but none given: tunnel / SOCKS_AUTH_FAILED saying so', async () => {
    const socks = await socksServer({ auth: { username: USER, password: PASSWORD } });
    const error = await expectFailure(request(endpoint(socks.port), FAR_DEADLINE_MS, []));
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('SOCKS_AUTH_FAILED');
    expect(error.message).toContain('requires authentication');
  });

  it('connection not allowed by ruleset: tunnel / SOCKS_REFUSED with the reply', async () => {
    const socks = await socksServer({ reply: 0x02 });
    const steps: HandshakeStep[] = [];
    const error = await expectFailure(request(endpoint(socks.port), FAR_DEADLINE_MS, steps));
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('SOCKS_REFUSED');
    expect(error.message).toContain('connection not allowed by ruleset');
    expect(error.details.target).toBe('echo.test:8080');
    expect(error.details.proxyRequest?.startLine).toBe('SOCKS5 CONNECT echo.test:8080');
    expect(error.details.proxyResponse?.startLine).toBe('SOCKS5 02 connection not allowed by ruleset');
    expect(steps.at(-1)).toMatchObject({ leg: 'proxy', ok: false });
  });

  it('closed port: proxy-connect / PROXY_CONNECTION_REFUSED', async () => {
    const port = await closedPort();
    const error = await expectFailure(request(endpoint(port), FAR_DEADLINE_MS, []));
    expect(error.stage).toBe('proxy-connect');
    expect(error.code).toBe('PROXY_CONNECTION_REFUSED');
    expect(error.details.cause).toBe('ECONNREFUSED');
  });

  it('no answer to the greeting: tunnel / PROXY_TIMEOUT', async () => {
    const socks = await socksServer({ silent: true });
    const error = await expectFailure(request(endpoint(socks.port), 700, []));
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('PROXY_TIMEOUT');
    expect(error.details.timeoutMs).toBe(700);
  });

  it('abort during negotiation: rejects with the abort reason and closes the connection', async () => {
    const socks = await socksServer({ silent: true });
    const controller = new AbortController();
    const reason = new Error('user closed');
    setTimeout(() => controller.abort(reason), 100);
    const outcome = await openTunnel(request(endpoint(socks.port), 5000, [], { signal: controller.signal })).then(
      () => 'opened',
      (error: unknown) => error,
    );
    expect(outcome).toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(socks.openSockets()).toBe(0);
  });
});
