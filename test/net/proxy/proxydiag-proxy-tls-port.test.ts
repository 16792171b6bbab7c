/**
 * http:// given for a port that speaks TLS (a wss:// server): Node's TLS server closes on the
 * plain-text CONNECT without a byte, and the failure says that a TLS port does so and to try
 * https:// for the proxy; its target is the server, its proxy the port given.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { TLS_SCENARIOS } from '../../support/certs';
import { newEngine, openSession } from '../real-proxies/session-driver';

let tlsServer: EchoServer;
beforeAll(async () => {
  const scenario = Object.values(TLS_SCENARIOS)[0];
  if (!scenario) throw new Error('no TLS scenario');
  const material = scenario();
  tlsServer = await startEchoServer({ tls: { cert: material.cert, key: material.key, hostname: 'localhost' } });
});
afterAll(async () => {
  await tlsServer.close();
});

it('http:// proxy on a TLS port: PROXY_CLOSED with the hint to try https://', async () => {
  const engine = newEngine();
  try {
    const tlsPort = tlsServer.port;
    const session = await openSession(engine, { url: 'ws://127.0.0.1:9/x', proxy: { mode: 'manual', url: `http://127.0.0.1:${tlsPort}` }, proxyTimeoutMs: 5000 });
    expect(session.opened).toBe(false);
    expect(session.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_CLOSED' });
    expect(session.error?.message).toBe('The proxy closed the connection without answering the CONNECT request.');
    expect(session.error?.hint).toContain('try the proxy URL with https:// instead of http://');
    expect(session.error?.details).toMatchObject({ target: '127.0.0.1:9', proxy: `http://127.0.0.1:${tlsPort}` });
  } finally {
    await engine.dispose();
  }
});
