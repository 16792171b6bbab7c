/**
 * `connect --reconnect` as a user runs it (spawned) against servers on 127.0.0.1 that refuse in
 * a way another attempt cannot change: a 401 to the upgrade (the ws package's verifyClient) and a
 * self-signed certificate. One attempt, the ↻ line saying why and what to change, exit 1.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { selfSignedServer } from '../../support/certs';
import { envWithoutProxies, runCli, stopCliProcesses } from '../../support/cli-process';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await stopCliProcesses();
  for (const close of closers.splice(0)) await close();
});

async function serve(server: http.Server, verdict: (done: (ok: boolean, status?: number, message?: string) => void) => void): Promise<{ port: number; upgrades: () => number }> {
  let upgrades = 0;
  const wss = new WebSocketServer({
    server,
    verifyClient: (_info, done) => {
      upgrades += 1;
      verdict(done);
    },
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, upgrades: () => upgrades };
}

const reconnecting = ['--no-proxy', '--listen', '--reconnect', '--reconnect-max', '3', '--reconnect-delay', '100'];
const env = (): NodeJS.ProcessEnv => ({ ...envWithoutProxies(), NO_COLOR: '1' });

describe('tunnelscope connect --reconnect: refusals another attempt cannot change', () => {
  it('a 401 to the upgrade: one attempt, the line names the status and what to change, exit 1', async () => {
    const server = await serve(http.createServer(), (done) => done(false, 401, 'Unauthorized'));
    const result = await runCli(['connect', `ws://127.0.0.1:${server.port}/feed`, ...reconnecting, '--header', 'Authorization: Bearer expired'], { env: env() });
    const output = result.stdout + result.stderr;
    expect(output).toContain(
      '↻ attempt 1 failed: UPGRADE_REJECTED · not retried: the server refused the WebSocket upgrade (401 Unauthorized) and would answer the same request so again: change the credentials, the Authorization header or the token',
    );
    expect(output).not.toContain('attempt 2');
    expect(result.code, output).toBe(1);
    expect(server.upgrades()).toBe(1);
  });

  it("a self-signed certificate: one attempt, the line says retrying will not change it, exit 1", async () => {
    const pair = selfSignedServer();
    const server = await serve(https.createServer({ cert: pair.cert, key: pair.key }), (done) => done(true));
    const result = await runCli(['connect', `wss://127.0.0.1:${server.port}/feed`, ...reconnecting], { env: env() });
    const output = result.stdout + result.stderr;
    expect(output).toContain("↻ attempt 1 failed: TLS_UNTRUSTED_CERT · not retried: the server's certificate is not trusted (self-signed or an unknown CA) and retrying will not change it");
    expect(output).not.toContain('attempt 2');
    expect(result.code, output).toBe(1);
  });
});
