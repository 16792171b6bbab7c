/**
 * What the engine says when the proxy answers CONNECT with something other than 200 or 407,
 * against real peers on 127.0.0.1: a real Squid whose server is down (503 with
 * `X-Squid-Error: ERR_CONNECT_FAIL 111`), and Python's http.server given as the proxy (a web
 * server: 501 Unsupported method ('CONNECT')).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import { findBinary, freePort, spawnProxy, stopProcess, waitForPort, type ProxyProcess } from '../../support/proxy-process';
import { squidMissing, startSquid } from '../../support/squid';
import { useRealProxies } from './real-proxy-fixture';
import { newEngine, openSession } from './session-driver';

const python = findBinary('python3', ['/usr/bin/python3']);

function options(url: string, proxyUrl: string): ConnectionOptionsInput {
  return { url, proxy: { mode: 'manual', url: proxyUrl }, proxyTimeoutMs: 5000, openTimeoutMs: 8000 };
}

function hintWords(hint: unknown): string {
  return typeof hint === 'string' ? hint : JSON.stringify(hint);
}

describe.skipIf(squidMissing !== undefined)(`Squid's answer when the server is down${squidMissing ? ` (skipped: ${squidMissing})` : ''}`, () => {
  const fixture = useRealProxies('squid', { open: () => startSquid({ connectPorts: 'any' }) });

  it('503 ERR_CONNECT_FAIL 111 → PROXY_UPSTREAM_UNREACHABLE naming the server, the hint about the server', async () => {
    const downPort = await freePort();
    const session = await openSession(fixture.engine(), options(`ws://127.0.0.1:${downPort}/down`, fixture.proxy('open').url));
    expect(session.opened).toBe(false);
    const response = session.error?.details.proxyResponse;
    expect(response?.startLine).toMatch(/^HTTP\/1\.[01] 503 /);
    expect(response?.headers).toContainEqual(['X-Squid-Error', 'ERR_CONNECT_FAIL 111']);
    expect(session.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_UPSTREAM_UNREACHABLE' });
    expect(session.error?.message).toBe(
      `The proxy could not reach the server (CONNECT → 503 Service Unavailable): Squid's ERR_CONNECT_FAIL 111: 127.0.0.1:${downPort} refused the proxy's connection (nothing listens on that port).`,
    );
    const hint = hintWords(session.error?.hint);
    expect(hint).toContain(`Check that the server at 127.0.0.1:${downPort} is running`);
    expect(hint).not.toMatch(/SSL_ports|CONNECT only/);
  });
});

describe.skipIf(python === undefined)('a web server (Python http.server) given as the proxy', () => {
  let server: ProxyProcess | undefined;
  let port = 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'proxydiag-web-'));

  beforeAll(async () => {
    port = await freePort();
    server = spawnProxy(python ?? 'python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], dir);
    await waitForPort(server, port, 10_000, () => server?.output() ?? '');
  });
  afterAll(async () => {
    if (server) await stopProcess(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it("501 Unsupported method ('CONNECT') → PROXY_NO_CONNECT: check the proxy address and port", async () => {
    const engine = newEngine();
    try {
      const session = await openSession(engine, options('ws://127.0.0.1:9/x', `http://127.0.0.1:${port}`));
      expect(session.opened).toBe(false);
      expect(session.error?.details.proxyResponse?.startLine).toMatch(/^HTTP\/1\.[01] 501 /);
      expect(session.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_NO_CONNECT' });
      expect(session.error?.message).toMatch(/^The address is not a proxy that accepts CONNECT \(CONNECT → 501 Unsupported method \('CONNECT'\)\): it answers HTTP \(it calls itself "SimpleHTTP\//);
      expect(hintWords(session.error?.hint)).toMatch(/^Check the proxy address and port/);
    } finally {
      await engine.dispose();
    }
  });
});
