/**
 * `connect --reconnect` sends the --send… messages again on every attempt that opens: a
 * protocol's session starts afresh on a new connection (STOMP and MQTT need their CONNECT
 * again). A `ws` server on 127.0.0.1 (port 0) drops the first connection (no close frame) once
 * its first message came; the second connection gets every message again, in order, echoes
 * them, and the run closes on the replies (exit 0).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type RawData } from 'ws';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import { fakeIo } from '../../unit/cli/fake-engine';

let engine: Engine | undefined;
let server: http.Server | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Each connection's messages, as `kind:text-or-hex`; the first connection is cut after its first message. */
async function startDroppingServer(): Promise<{ url: string; received: string[][] }> {
  const received: string[][] = [];
  const http1 = http.createServer();
  server = http1;
  const wss = new WebSocketServer({ server: http1 });
  wss.on('connection', (ws) => {
    const mine: string[] = [];
    const index = received.push(mine) - 1;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
      mine.push(isBinary ? `binary:${bytes.toString('hex')}` : `text:${bytes.toString('utf8')}`);
      if (index === 0) ws.terminate();
      else ws.send(bytes, { binary: isBinary });
    });
  });
  await new Promise<void>((resolve) => http1.listen(0, '127.0.0.1', resolve));
  return { url: `ws://127.0.0.1:${(http1.address() as AddressInfo).port}/`, received };
}

describe('connect --reconnect resends the --send… messages', () => {
  it('the second attempt gets every message again, in order, and the run ends on its replies', async () => {
    const { url, received } = await startDroppingServer();
    engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 } });
    const command = parseCommandLine(['connect', url, '--no-proxy', '--reconnect', '--reconnect-delay', '100', '--send', 'CONNECT', '--send-binary', '10ff', '--json']);
    if (command.kind !== 'connect') throw new Error('expected connect');
    const io = fakeIo();
    const code = await runConnect(command, engine, io);
    expect(received.length).toBe(2);
    expect(received[0]?.[0]).toBe('text:CONNECT');
    expect(received[1]).toEqual(['text:CONNECT', 'binary:10ff']);
    expect(code).toBe(0);
    const lines = io.stdoutText().trim().split('\n').map((line) => JSON.parse(line) as { type: string; dir?: string; next?: unknown });
    // One attempt retried (the dropped one); the second ended by our close, with no next.
    expect(lines.filter((l) => l.type === 'attempt' && l.next !== null && l.next !== undefined)).toHaveLength(1);
    // Sent three times in all: once before the drop, twice after.
    expect(lines.filter((l) => l.type === 'frame' && l.dir === 'out').length).toBeGreaterThanOrEqual(3);
  });

  it('is said in the help', async () => {
    const { CONNECT_HELP } = await import('../../../src-main/cli/help-text');
    expect(CONNECT_HELP).toMatch(/--send… messages are sent again on each attempt/);
  });
});
