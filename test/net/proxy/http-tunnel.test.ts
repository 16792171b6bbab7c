/**
 * The proxy phase against scripted proxies on 127.0.0.1: one case per way a proxy can
 * answer (or not answer) CONNECT. Every bad case checks the stage, the code, what the proxy
 * said (status line, headers, capped body), that credentials never appear unredacted, and
 * that it ended within its deadline.
 */
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { NetError } from '../../../src-main/shared/errors';
import type { HandshakeStep } from '../../../src-main/shared/model';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { Deadline } from '../../../src-main/core/net/deadline';
import type { ProxyEndpoint } from '../../../src-main/core/proxy/proxy-endpoint';
import { openTunnel, type TunnelRequest } from '../../../src-main/core/proxy/tunnel';
import { selfSignedServer, trustedServer } from '../../support/certs';
import { closedPort, readBytes, type FakeProxyContext } from '../../support/fake-proxy';
import { useTunnelFixtures } from '../../support/tunnel-fixtures';

const USER = 'alice';
const PASSWORD = 's3cret-Pa55';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
/**
 * The deadline of a case that fails for another reason: one such failure that waited for it
 * would end the test at Vitest's timeout, with a timeout code instead of the expected one.
 */
const FAR_DEADLINE_MS = 60_000;

const { cleanups, proxyServer, tcpTarget } = useTunnelFixtures();

function endpoint(port: number, extra: Partial<ProxyEndpoint> = {}): ProxyEndpoint {
  const protocol = extra.protocol ?? 'http';
  return { protocol, host: '127.0.0.1', port, displayUrl: `${protocol}://127.0.0.1:${port}`, ...extra };
}

interface Run {
  steps: HandshakeStep[];
  legs: string[];
  request: TunnelRequest;
}

function tunnelRequest(proxy: ProxyEndpoint, deadlineMs: number, extra: Partial<TunnelRequest> = {}): Run {
  const steps: HandshakeStep[] = [];
  const legs: string[] = [];
  return {
    steps,
    legs,
    request: {
      proxy,
      target: { host: 'echo.test', port: 443 },
      proxyCa: [],
      deadline: new Deadline(deadlineMs),
      onStep: (step) => steps.push(step),
      onLegStart: (leg) => legs.push(leg),
      ...extra,
    },
  };
}

async function open(run: Run): Promise<net.Socket> {
  const socket = await openTunnel(run.request);
  cleanups.push(() => {
    socket.destroy();
  });
  return socket;
}

/** Runs the tunnel expecting a NetFailure (its code says whether the deadline ended it). */
async function expectFailure(run: Run): Promise<NetError> {
  const outcome = await openTunnel(run.request).then(
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

/** Nothing the engine reports may carry the password or the Basic credential. */
function expectNoSecrets(...values: unknown[]): void {
  const text = JSON.stringify(values);
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(BASIC.slice('Basic '.length));
}

const html = (title: string, filler = ''): string =>
  `<html><head><title>${title}</title></head><body><h1>${title}</h1>${filler}</body></html>`;

function answer(statusLine: string, headers: [string, string][], body = ''): string {
  const all = body === '' ? headers : [...headers, ['Content-Length', String(Buffer.byteLength(body))] as [string, string]];
  return `${statusLine}\r\n${all.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${body}`;
}

describe('openTunnel over an http:// proxy', () => {
  it('proxy refuses TCP (closed port): proxy-connect / PROXY_CONNECTION_REFUSED', async () => {
    const port = await closedPort();
    const run = tunnelRequest(endpoint(port), FAR_DEADLINE_MS);
    const error = await expectFailure(run);
    expect(error.stage).toBe('proxy-connect');
    expect(error.code).toBe('PROXY_CONNECTION_REFUSED');
    expect(error.details.cause).toBe('ECONNREFUSED');
    expect(error.details.proxy).toBe(`http://127.0.0.1:${port}`);
    expect(error.details.target).toBe('echo.test:443');
    expect(run.steps.map((s) => [s.leg, s.ok])).toEqual([['tcp', false]]);
  });

  it('proxy host does not resolve: proxy-connect / PROXY_DNS_FAILED', async () => {
    const run = tunnelRequest(
      { protocol: 'http', host: 'proxy.invalid', port: 3128, displayUrl: 'http://proxy.invalid:3128' },
      5000,
    );
    const error = await expectFailure(run);
    expect(error.stage).toBe('proxy-connect');
    expect(error.code).toBe('PROXY_DNS_FAILED');
    expect(error.details.proxy).toBe('http://proxy.invalid:3128');
  });

  it('407 without credentials: tunnel / PROXY_AUTH_REQUIRED with the schemes and realm offered', async () => {
    const proxy = await proxyServer(({ socket }) => {
      socket.end(
        answer(
          'HTTP/1.1 407 Proxy Authentication Required',
          [
            ['Server', 'squid/6.6'],
            ['Proxy-Authenticate', 'Basic realm="corp"'],
            ['Content-Type', 'text/html'],
          ],
          html('Cache Access Denied'),
        ),
      );
    });
    const run = tunnelRequest(endpoint(proxy.port), FAR_DEADLINE_MS);
    const error = await expectFailure(run);
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('PROXY_AUTH_REQUIRED');
    expect(error.message).toBe('The proxy requires authentication: Basic realm "corp".');
    expect(error.actions).toContain('enter-proxy-credentials');
    expect(error.details.authSchemes).toEqual(['Basic']);
    expect(error.details.authRealm).toBe('corp');
    expect(error.details.proxyRequest?.startLine).toBe('CONNECT echo.test:443 HTTP/1.1');
    expect(error.details.proxyRequest?.headers.map(([n]) => n)).not.toContain('Proxy-Authorization');
    expect(error.details.proxyResponse?.startLine).toBe('HTTP/1.1 407 Proxy Authentication Required');
    expect(error.details.proxyResponse?.headers).toContainEqual(['Proxy-Authenticate', 'Basic realm="corp"']);
    expect(error.details.proxyResponse?.bodyPreview).toContain('Cache Access Denied');
    expect(error.details.proxyResponse?.bodyTruncated).toBe(false);
    expect(proxy.requests).toHaveLength(1);
  });

  it('407 with credentials sent (set to Basic: they go with the first CONNECT): PROXY_AUTH_FAILED, exactly one CONNECT, never a retry', async () => {
    const proxy = await proxyServer(({ socket }) => {
      // Keep-alive: a client that retried on the same connection would send a second CONNECT.
      socket.write(
        answer(
          'HTTP/1.1 407 Proxy Authentication Required',
          [
            ['Proxy-Authenticate', 'Basic realm="corp"'],
            ['Connection', 'keep-alive'],
          ],
          html('Wrong password'),
        ),
      );
    });
    const run = tunnelRequest(endpoint(proxy.port, { username: USER, password: PASSWORD }), FAR_DEADLINE_MS, { authScheme: 'basic' });
    const error = await expectFailure(run);
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('PROXY_AUTH_FAILED');
    expect(error.message).toContain(`"${USER}"`);
    expect(error.details.authSchemes).toEqual(['Basic']);
    expect(error.details.proxyRequest?.headers).toContainEqual(['Proxy-Authorization', 'Basic ••••••']);
    expect(proxy.requests[0]?.headers).toContainEqual(['Proxy-Authorization', BASIC]);
    expect(await proxy.allClosed()).toBe(true);
    expect(proxy.accepted).toBe(1);
    expect(proxy.requests).toHaveLength(1);
    expectNoSecrets(error, run.steps);
  });

  it('correct credentials set to Basic: the proxy sees the Basic header, the target never sees Proxy-Authorization', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer((context) => {
      if (context.header('proxy-authorization') === BASIC) {
        context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
      } else {
        context.socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
      }
    });
    const run = tunnelRequest(endpoint(proxy.port, { username: USER, password: PASSWORD }), FAR_DEADLINE_MS, { authScheme: 'basic' });
    const socket = await open(run);
    const upgrade = 'GET / HTTP/1.1\r\nHost: echo.test\r\nUpgrade: websocket\r\n\r\n';
    socket.write(upgrade);
    const echoed = await readBytes(socket, Buffer.byteLength(upgrade));
    expect(echoed.toString()).toBe(upgrade);
    expect(target.received().toString()).toBe(upgrade);
    expect(target.received().toString().toLowerCase()).not.toContain('proxy-authorization');
    expect(proxy.requests[0]?.requestLine).toBe('CONNECT echo.test:443 HTTP/1.1');
    expect(proxy.requests[0]?.headers).toContainEqual(['Host', 'echo.test:443']);
    expect(run.legs).toEqual(['tcp', 'proxy']);
    const proxyStep = run.steps.find((s) => s.leg === 'proxy');
    expect(proxyStep?.ok).toBe(true);
    expect(proxyStep?.request?.headers).toContainEqual(['Proxy-Authorization', 'Basic ••••••']);
    expect(proxyStep?.response?.startLine).toBe('HTTP/1.1 200 Connection established');
    expect(run.steps.map((s) => s.leg)).toEqual(['tcp', 'proxy']);
    expectNoSecrets(run.steps);
  });

  it('credentials set for the proxy itself under Auto: no Proxy-Authorization until the 407 names Basic, then Basic (two CONNECTs)', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer((context) => {
      if (context.header('proxy-authorization') === BASIC) context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
      else context.socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
    });
    const run = tunnelRequest(endpoint(proxy.port, { username: USER, password: PASSWORD }), FAR_DEADLINE_MS);
    await open(run);
    expect(proxy.requests.map((r) => r.headers.find(([name]) => name.toLowerCase() === 'proxy-authorization')?.[1])).toEqual([undefined, BASIC]);
    expect(run.steps.filter((s) => s.leg === 'proxy').map((s) => s.auth?.sent?.scheme)).toEqual([undefined, 'Basic']);
    expectNoSecrets(run.steps);
  });

  it('a proxy that seemed to keep the connection after its 407 but drops the next CONNECT unanswered: the credentials go again on a new connection', async () => {
    const target = await tcpTarget();
    const challenged = new WeakSet<net.Socket>();
    const proxy = await proxyServer((context) => {
      if (challenged.has(context.socket)) {
        // The connection looked kept (HTTP/1.1, a body of known length); it closes without a byte.
        context.socket.destroy();
      } else if (context.header('proxy-authorization') === BASIC) {
        context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
      } else {
        challenged.add(context.socket);
        context.socket.write('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
        context.next();
      }
    });
    const run = tunnelRequest(endpoint(proxy.port, { username: USER, password: PASSWORD }), FAR_DEADLINE_MS);
    await open(run);
    expect(proxy.accepted).toBe(2);
    expect(proxy.requests.map((r) => r.headers.find(([name]) => name.toLowerCase() === 'proxy-authorization')?.[1])).toEqual([undefined, BASIC, BASIC]);
    expect(run.steps.map((s) => `${s.leg}:${s.ok}`)).toEqual(['tcp:true', 'proxy:false', 'proxy:false', 'tcp:true', 'proxy:true']);
  });

  describe('credentials for whichever proxy is chosen (Auto, PAC, system, environment)', () => {
    const onChallenge = (port: number): ProxyEndpoint => endpoint(port, { username: USER, password: PASSWORD, credentialsOnChallenge: true });
    const asksBasic = (context: FakeProxyContext, targetPort: number): void => {
      if (context.header('proxy-authorization') === BASIC) context.tunnelTo(targetPort, 'HTTP/1.1 200 Connection established\r\n\r\n');
      else context.socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nConnection: close\r\n\r\n');
    };

    it('go to a proxy only after it answers 407, on a new connection, and the tunnel works', async () => {
      const target = await tcpTarget();
      const proxy = await proxyServer((context) => asksBasic(context, target.port));
      const run = tunnelRequest(onChallenge(proxy.port), 3000);
      const socket = await open(run);
      socket.write('ping');
      expect((await readBytes(socket, 4)).toString()).toBe('ping');
      expect(proxy.accepted).toBe(2);
      expect(proxy.requests.map((r) => r.headers.some(([name]) => name === 'Proxy-Authorization'))).toEqual([false, true]);
      expect(proxy.requests[1]?.headers).toContainEqual(['Proxy-Authorization', BASIC]);
      expect(run.steps.map((s) => `${s.leg}:${s.ok}`)).toEqual(['tcp:true', 'proxy:false', 'tcp:true', 'proxy:true']);
      expect(run.steps[1]?.response?.startLine).toBe('HTTP/1.1 407 Proxy Authentication Required');
      expect(run.legs).toEqual(['tcp', 'proxy', 'tcp', 'proxy']);
      expect(target.received().toString()).toBe('ping');
      expectNoSecrets(run.steps);
    });

    it('go on the same connection when the proxy keeps it open after its 407 (HTTP/1.1, a body of known length)', async () => {
      const target = await tcpTarget();
      const proxy = await proxyServer((context) => {
        if (context.header('proxy-authorization') === BASIC) {
          context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
          return;
        }
        context.socket.write('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 12\r\n\r\nsign in, pls');
        context.next();
      });
      const run = tunnelRequest(onChallenge(proxy.port), 3000);
      const socket = await open(run);
      socket.write('ping');
      expect((await readBytes(socket, 4)).toString()).toBe('ping');
      expect(proxy.accepted).toBe(1);
      expect(proxy.requests.map((r) => r.headers.some(([name]) => name === 'Proxy-Authorization'))).toEqual([false, true]);
      expect(run.steps.map((s) => `${s.leg}:${s.ok}`)).toEqual(['tcp:true', 'proxy:false', 'proxy:true']);
      expect(run.steps[1]?.response?.bodyPreview).toBe('sign in, pls');
      expect(target.received().toString()).toBe('ping');
      expectNoSecrets(run.steps);
    });

    it.each([
      ['it says Connection: close', 'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', false],
      ['it answers HTTP/1.0 without keep-alive', 'HTTP/1.0 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n', false],
      // A 407 body is read to its end up to 256 KiB (so NTLM can go on), and shown up to 8 KiB.
      ['its body is longer than what is read of it', `HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 300000\r\n\r\n${'x'.repeat(300_000)}`, false],
      ['its body has no length and it closes', 'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\nsign in', true],
    ])('go on a new connection when %s', async (_when, refusal, closes) => {
      const target = await tcpTarget();
      const proxy = await proxyServer((context) => {
        if (context.header('proxy-authorization') === BASIC) context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
        else if (closes) context.socket.end(refusal);
        else {
          // Left open: only the answer may tell the client not to reuse the connection.
          context.socket.write(refusal);
          context.next();
        }
      });
      const run = tunnelRequest(onChallenge(proxy.port), 3000);
      const socket = await open(run);
      socket.write('ping');
      expect((await readBytes(socket, 4)).toString()).toBe('ping');
      expect(proxy.accepted).toBe(2);
      expect(run.steps.map((s) => `${s.leg}:${s.ok}`)).toEqual(['tcp:true', 'proxy:false', 'tcp:true', 'proxy:true']);
    });

    it('never reach a proxy that does not ask', async () => {
      const target = await tcpTarget();
      const proxy = await proxyServer((context) => context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n'));
      const run = tunnelRequest(onChallenge(proxy.port), 3000);
      await open(run);
      expect(proxy.requests).toHaveLength(1);
      expect(proxy.requests[0]?.headers.map(([name]) => name)).not.toContain('Proxy-Authorization');
    });

    it('rejected after the 407: PROXY_AUTH_FAILED after exactly two CONNECTs, no loop', async () => {
      const proxy = await proxyServer(({ socket }) => {
        socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
      });
      const run = tunnelRequest(onChallenge(proxy.port), 3000);
      const error = await expectFailure(run);
      expect(error.code).toBe('PROXY_AUTH_FAILED');
      expect(error.message).toContain(`"${USER}"`);
      expect(proxy.requests).toHaveLength(2);
      expectNoSecrets(error, run.steps);
    });

    it('not sent when the proxy offers only schemes Tunnelscope does not speak: PROXY_AUTH_REQUIRED naming them, one CONNECT', async () => {
      const proxy = await proxyServer(({ socket }) => {
        socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Bearer realm="corp"\r\nProxy-Authenticate: Mutual\r\n\r\n');
      });
      const run = tunnelRequest(onChallenge(proxy.port), 3000);
      const error = await expectFailure(run);
      expect(error.code).toBe('PROXY_AUTH_REQUIRED');
      expect(error.details.authSchemes).toEqual(['Bearer', 'Mutual']);
      expect(proxy.requests).toHaveLength(1);
    });

    it('a refusal other than 407 is not retried', async () => {
      const proxy = await proxyServer(({ socket }) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
      const run = tunnelRequest(onChallenge(proxy.port), 3000);
      expect((await expectFailure(run)).code).toBe('PROXY_REFUSED');
      expect(proxy.requests).toHaveLength(1);
    });
  });

  it('Squid 403 with an HTML body for port 8080: PROXY_REFUSED, capped body, SSL_ports hint', async () => {
    const filler = '<p>Access control configuration prevents your request from being allowed at this time.</p>'.repeat(300);
    const body = html('ERROR: The requested URL could not be retrieved', filler);
    const proxy = await proxyServer(({ socket }) => {
      socket.end(
        answer(
          'HTTP/1.1 403 Forbidden',
          [
            ['Server', 'squid/6.6'],
            ['Mime-Version', '1.0'],
            ['Content-Type', 'text/html;charset=utf-8'],
            ['X-Squid-Error', 'ERR_ACCESS_DENIED 0'],
            ['Set-Cookie', 'proxy_session=abcdef123456; Path=/'],
          ],
          body,
        ),
      );
    });
    const run = tunnelRequest(endpoint(proxy.port), FAR_DEADLINE_MS, { target: { host: 'echo.test', port: 8080 } });
    const error = await expectFailure(run);
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('PROXY_REFUSED');
    expect(error.message).toBe('The proxy refused the tunnel (CONNECT → 403 Forbidden).');
    expect(error.hint).toContain('SSL_ports');
    expect(error.hint).toContain('acl SSL_ports port 8080');
    const response = error.details.proxyResponse;
    expect(response?.startLine).toBe('HTTP/1.1 403 Forbidden');
    expect(response?.headers.map(([n]) => n)).toEqual([
      'Server',
      'Mime-Version',
      'Content-Type',
      'X-Squid-Error',
      'Set-Cookie',
      'Content-Length',
    ]);
    expect(response?.headers).toContainEqual(['Set-Cookie', '••••••']);
    expect(response?.bodyPreview?.startsWith('<html><head><title>ERROR')).toBe(true);
    expect(Buffer.byteLength(response?.bodyPreview ?? '')).toBeLessThanOrEqual(8192);
    expect(response?.bodyTruncated).toBe(true);
    expect(response?.bodyBytes).toBeGreaterThan(8192);
    expect(run.steps.at(-1)?.response?.startLine).toBe('HTTP/1.1 403 Forbidden');
  });

  it('HTTP/1.0 500 handshakefailed from a gateway named in Via: PROXY_REFUSED naming the gateway', async () => {
    const body = html('Handshake failed', '<p>The SSL handshake could not be performed.</p>');
    const proxy = await proxyServer(({ socket }) => {
      // Written in one piece and left open: the reader must stop at Content-Length.
      socket.write(
        answer(
          'HTTP/1.0 500 handshakefailed',
          [
            ['Via', '1.0 10.0.0.1 (McAfee Web Gateway 7.2.0.1.0.13253)'],
            ['Content-Type', 'text/html'],
            ['Cache-Control', 'no-cache'],
            ['Connection', 'Close'],
            ['Proxy-Connection', 'Close'],
          ],
          body,
        ),
      );
    });
    const run = tunnelRequest(endpoint(proxy.port, { username: USER, password: PASSWORD }), FAR_DEADLINE_MS, {
      target: { host: 'echo.test', port: 80 },
      authScheme: 'basic',
    });
    const error = await expectFailure(run);
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('PROXY_REFUSED');
    expect(error.message).toContain('The proxy refused the tunnel (CONNECT → 500 handshakefailed)');
    expect(error.message).toContain('10.0.0.1 (McAfee Web Gateway 7.2.0.1.0.13253)');
    expect(error.hint).toContain('McAfee Web Gateway');
    const response = error.details.proxyResponse;
    expect(response?.startLine).toBe('HTTP/1.0 500 handshakefailed');
    expect(response?.headers[0]).toEqual(['Via', '1.0 10.0.0.1 (McAfee Web Gateway 7.2.0.1.0.13253)']);
    expect(response?.bodyPreview).toBe(body);
    expect(response?.bodyBytes).toBe(Buffer.byteLength(body));
    expect(response?.bodyTruncated).toBe(false);
    expect(error.details.proxyRequest?.headers).toContainEqual(['Proxy-Authorization', 'Basic ••••••']);
    expect(proxy.requests).toHaveLength(1);
    expectNoSecrets(error, run.steps);
  });

  it('garbage instead of a status line: PROXY_BAD_RESPONSE showing what came back', async () => {
    const proxy = await proxyServer(({ socket }) => {
      socket.write('SSH-2.0-OpenSSH_9.6\r\n');
    });
    const run = tunnelRequest(endpoint(proxy.port), FAR_DEADLINE_MS);
    const error = await expectFailure(run);
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('PROXY_BAD_RESPONSE');
    expect(error.message).toContain('SSH-2.0-OpenSSH_9.6');
    expect(error.details.cause).toMatch(/^HPE_/);
    expect(error.details.proxyRequest?.startLine).toBe('CONNECT echo.test:443 HTTP/1.1');
  });

  it('oversized headers: PROXY_HEADERS_TOO_LARGE', async () => {
    const proxy = await proxyServer(({ socket }) => {
      socket.write(`HTTP/1.1 200 Connection established\r\nX-Filler: ${'a'.repeat(40_000)}\r\n\r\n`);
    });
    const run = tunnelRequest(endpoint(proxy.port), FAR_DEADLINE_MS);
    const error = await expectFailure(run);
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('PROXY_HEADERS_TOO_LARGE');
    expect(error.details.cause).toBe('HPE_HEADER_OVERFLOW');
    expect(await proxy.allClosed()).toBe(true);
  });

  it('close in the middle of the headers: PROXY_CLOSED', async () => {
    const proxy = await proxyServer(({ socket }) => {
      socket.end('HTTP/1.1 200 Connection established\r\nVia: 1.1 sq');
    });
    const run = tunnelRequest(endpoint(proxy.port), FAR_DEADLINE_MS);
    const error = await expectFailure(run);
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('PROXY_CLOSED');
    expect(error.message).toContain('in the middle of its answer');
    expect(error.details.proxyRequest?.startLine).toBe('CONNECT echo.test:443 HTTP/1.1');
  });

  it('close before any answer: PROXY_CLOSED', async () => {
    const proxy = await proxyServer(({ socket }) => {
      socket.end();
    });
    const run = tunnelRequest(endpoint(proxy.port), FAR_DEADLINE_MS);
    const error = await expectFailure(run);
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('PROXY_CLOSED');
    expect(error.message).toContain('without answering');
  });

  it('one byte per second: the deadline wins (PROXY_TIMEOUT), dripping does not extend it', async () => {
    const timers: NodeJS.Timeout[] = [];
    cleanups.push(() => timers.forEach((t) => clearInterval(t)));
    const proxy = await proxyServer(({ socket }) => {
      const text = 'HTTP/1.1 200 Connection established\r\n\r\n';
      let i = 0;
      socket.write(text[i++] ?? '');
      timers.push(
        setInterval(() => {
          if (i < text.length && !socket.destroyed) socket.write(text[i++] ?? '');
        }, 1000),
      );
    });
    const run = tunnelRequest(endpoint(proxy.port), 2500);
    const error = await expectFailure(run);
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('PROXY_TIMEOUT');
    expect(error.details.timeoutMs).toBe(2500);
    expect(error.message).toMatch(/had sent only \d+ bytes?/);
    expect(await proxy.allClosed()).toBe(true);
  });

  it('no answer at all: PROXY_TIMEOUT at the tunnel stage', async () => {
    const proxy = await proxyServer(() => {});
    const run = tunnelRequest(endpoint(proxy.port), 800);
    const error = await expectFailure(run);
    expect(error.stage).toBe('tunnel');
    expect(error.code).toBe('PROXY_TIMEOUT');
    expect(error.details.timeoutMs).toBe(800);
    expect(error.details.proxyRequest?.startLine).toBe('CONNECT echo.test:443 HTTP/1.1');
    expect(run.steps.at(-1)).toMatchObject({ leg: 'proxy', ok: false });
    expect(await proxy.allClosed()).toBe(true);
  });

  it('200 followed at once by tunnel bytes in the same packet: the bytes are delivered', async () => {
    const early = 'EARLY-TUNNEL-BYTES';
    const proxy = await proxyServer(({ socket }) => {
      socket.write(`HTTP/1.1 200 Connection established\r\n\r\n${early}`);
    });
    const run = tunnelRequest(endpoint(proxy.port), FAR_DEADLINE_MS);
    const socket = await open(run);
    const received = await readBytes(socket, early.length);
    expect(received.toString()).toBe(early);
  });

  it('200 with Content-Length: 5 is ignored and the tunnel works', async () => {
    const target = await tcpTarget();
    const proxy = await proxyServer((context) => {
      context.tunnelTo(target.port, 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n');
    });
    const run = tunnelRequest(endpoint(proxy.port), FAR_DEADLINE_MS);
    const socket = await open(run);
    socket.write('ping-through-tunnel');
    const echoed = await readBytes(socket, 'ping-through-tunnel'.length);
    expect(echoed.toString()).toBe('ping-through-tunnel');
    expect(run.steps.find((s) => s.leg === 'proxy')?.response?.headers).toContainEqual(['Content-Length', '5']);
  });

  it('abort during CONNECT: rejects promptly with the abort reason and leaves no socket open', async () => {
    const proxy = await proxyServer(() => {});
    const controller = new AbortController();
    const run = tunnelRequest(endpoint(proxy.port), 5000, { signal: controller.signal });
    const reason = new Error('user closed the session');
    setTimeout(() => controller.abort(reason), 150);
    const outcome = await openTunnel(run.request).then(
      () => 'opened',
      (error: unknown) => error,
    );
    // The abort's reason, not the deadline's PROXY_TIMEOUT.
    expect(outcome).toBe(reason);
    expect(await proxy.allClosed()).toBe(true);
    expect(proxy.requests).toHaveLength(1);
  });
});

describe('openTunnel over an https:// proxy', () => {
  it('trusted CA: TLS to the proxy, then CONNECT inside it', async () => {
    const server = trustedServer();
    const target = await tcpTarget();
    const proxy = await proxyServer(
      (context) => context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n'),
      { tls: { cert: server.cert, key: server.key } },
    );
    const run = tunnelRequest(endpoint(proxy.port, { protocol: 'https', username: USER, password: PASSWORD }), 3000, {
      proxyCa: [Buffer.from(server.ca)],
      authScheme: 'basic',
    });
    const socket = await open(run);
    socket.write('hello-over-tls');
    expect((await readBytes(socket, 'hello-over-tls'.length)).toString()).toBe('hello-over-tls');
    expect(run.legs).toEqual(['tcp', 'proxy-tls', 'proxy']);
    expect(run.steps.map((s) => s.leg)).toEqual(['tcp', 'proxy-tls', 'proxy']);
    expect(proxy.requests[0]?.headers).toContainEqual(['Proxy-Authorization', BASIC]);
    expectNoSecrets(run.steps);
  });

  it('after a 407 it keeps open, the credentials go inside the same TLS connection (no second handshake)', async () => {
    const server = trustedServer();
    const target = await tcpTarget();
    const proxy = await proxyServer(
      (context) => {
        if (context.header('proxy-authorization') === BASIC) {
          context.tunnelTo(target.port, 'HTTP/1.1 200 Connection established\r\n\r\n');
          return;
        }
        context.socket.write('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
        context.next();
      },
      { tls: { cert: server.cert, key: server.key } },
    );
    const run = tunnelRequest(endpoint(proxy.port, { protocol: 'https', username: USER, password: PASSWORD, credentialsOnChallenge: true }), 3000, {
      proxyCa: [Buffer.from(server.ca)],
    });
    const socket = await open(run);
    socket.write('hello-over-tls');
    expect((await readBytes(socket, 'hello-over-tls'.length)).toString()).toBe('hello-over-tls');
    expect(proxy.accepted).toBe(1);
    expect(run.steps.map((s) => `${s.leg}:${s.ok}`)).toEqual(['tcp:true', 'proxy-tls:true', 'proxy:false', 'proxy:true']);
    expectNoSecrets(run.steps);
  });

  it('untrusted certificate: proxy-tls / PROXY_TLS_UNTRUSTED_CERT, no CONNECT sent', async () => {
    const server = selfSignedServer();
    const proxy = await proxyServer(() => {}, { tls: { cert: server.cert, key: server.key } });
    const run = tunnelRequest(endpoint(proxy.port, { protocol: 'https' }), 3000);
    const error = await expectFailure(run);
    expect(error.stage).toBe('proxy-tls');
    expect(error.code).toBe('PROXY_TLS_UNTRUSTED_CERT');
    // As every other leg's error: the target is the server the tunnel is for, the proxy the proxy
    // (QA 6: it said the proxy's address as the target); the message says it is the proxy.
    expect(error.details).toMatchObject({ target: 'echo.test:443', proxy: `https://127.0.0.1:${proxy.port}` });
    expect(proxy.requests).toHaveLength(0);
    expect(await proxy.allClosed()).toBe(true);
  });
});
