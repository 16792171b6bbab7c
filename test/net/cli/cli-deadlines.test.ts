/**
 * The deadlines on the command line, as a user runs it: a peer on 127.0.0.1 that goes silent,
 * a tiny deadline given by its flag; the failure names that deadline and the hint gives the
 * same flag with a longer value. Asserts which deadline fired, never how long it took.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { envWithoutProxies, runCli as runCliProcess, stopCliProcesses, type CliResult } from '../../support/cli-process';

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();

afterEach(async () => {
  await stopCliProcesses();
  for (const socket of sockets) socket.destroy();
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Accepts, reads, never answers: a proxy that never answers CONNECT, a server that never answers the upgrade. */
async function silentPort(): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.resume();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function runCli(args: string[]): Promise<CliResult> {
  return runCliProcess(args, { env: { ...envWithoutProxies(), NO_COLOR: '1' } });
}

describe('tunnelscope connect: the deadline that fired, and its flag', () => {
  it('--upgrade-timeout: a server that never answers the upgrade', async () => {
    const port = await silentPort();
    const run = await runCli(['connect', `ws://127.0.0.1:${port}/`, '--no-proxy', '--listen', '--upgrade-timeout', '300']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('HANDSHAKE_TIMEOUT');
    expect(run.stderr).toContain('upgrade deadline 300 ms');
    expect(run.stderr).toContain('To wait longer: --upgrade-timeout 600 (now 300 ms).');
    expect(run.stderr).not.toContain('connection options');
  });

  it('--proxy-answer-timeout: a proxy that never answers CONNECT', async () => {
    const port = await silentPort();
    const run = await runCli(['connect', 'ws://echo.test/', '--proxy', `http://127.0.0.1:${port}`, '--listen', '--proxy-answer-timeout', '300']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PROXY_TIMEOUT');
    expect(run.stderr).toContain('proxy answer deadline 300 ms');
    expect(run.stderr).toContain('To wait longer: --proxy-answer-timeout 600 (now 300 ms).');
  });

  it('a bad deadline is a usage error naming the flag', async () => {
    const run = await runCli(['connect', 'ws://127.0.0.1:9/', '--tls-timeout', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--tls-timeout must be a whole number of milliseconds, got "soon"');
  });
});
