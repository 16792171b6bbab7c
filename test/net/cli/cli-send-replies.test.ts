/**
 * `connect --send …` closes once each sent message has a reply. A server that speaks first
 * (Socket.IO's open packet, a banner) must not have its greeting taken for the reply: before,
 * the greeting was counted and the CLI closed right after sending, before the real answer.
 * The server here answers a little later than at once, and cannot answer once the client has
 * started closing, so a close made too early shows as a missing reply.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { envWithoutProxies, runCli, stopCliProcesses } from '../../support/cli-process';

let http: Server;
let url: string;
const sockets = new WebSocketServer({ noServer: true });

beforeAll(async () => {
  http = createServer();
  http.on('upgrade', (request, socket, head) => {
    // The greeting leaves in the same write as the 101: it is there before the client can send.
    socket.cork();
    sockets.handleUpgrade(request, socket, head, (ws) => {
      ws.send('welcome');
      process.nextTick(() => socket.uncork());
      let received = 0;
      ws.on('message', (data) => {
        // Answered on a later turn, each later than the one before: a client that already
        // sent its close gets nothing.
        received += 1;
        setTimeout(() => {
          if (ws.readyState === WebSocket.OPEN) ws.send(`reply to ${String(data)}`);
        }, 150 * received);
      });
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/`;
});

afterEach(stopCliProcesses);

/** The text messages received, in order, from the --json lines. */
function textsReceived(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { type: string; dir?: string; opcode?: string; text?: string })
    .filter((line) => line.type === 'frame' && line.dir === 'in' && line.opcode === 'text')
    .map((line) => line.text ?? '');
}

afterAll(async () => {
  for (const client of sockets.clients) client.terminate();
  sockets.close();
  http.closeAllConnections();
  await new Promise<void>((done) => http.close(() => done()));
});

describe('connect --send with a server that greets first', () => {
  it('waits for the reply to what it sent, not the greeting', async () => {
    const result = await runCli(['connect', url, '--send', 'hello', '--json'], { env: { ...envWithoutProxies(), NO_COLOR: '1' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(textsReceived(result.stdout)).toEqual(['welcome', 'reply to hello']);
  });

  it('with --count, the greeting is not one of the counted replies either', async () => {
    const result = await runCli(['connect', url, '--send', 'a', '--send', 'b', '--count', '2', '--json'], { env: { ...envWithoutProxies(), NO_COLOR: '1' } });
    expect(result.code).toBe(0);
    const texts = textsReceived(result.stdout);
    expect(texts).toEqual(['welcome', 'reply to a', 'reply to b']);
  });
});
