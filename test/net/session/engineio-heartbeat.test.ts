/**
 * Engine.IO's heartbeat against a real socket.io v4 server on 127.0.0.1 (pingInterval 50 ms,
 * pingTimeout 1 s: a missed pong shows within a test, and a loaded machine's pauses do not cut a
 * session that answers): with the answer on (the default) the session answers each `2` with `3`
 * (Engine.IO 4), or pings `2` itself (EIO=3, the server allowing it), and stays open across
 * several pings; with it off the server closes the connection, and the close says why (v4: the
 * ping left unanswered; v3: no ping sent). Asserted on what happened (the frames, the close),
 * never on time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { startSession, type Harness } from '../../support/session-harness';
import { waitUntil } from '../../support/wait-until';

let io: SocketIoServer | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.session.dispose();
  harness = undefined;
  await io?.close();
  io = undefined;
});

async function startServer(allowEIO3 = false): Promise<number> {
  const server = http.createServer();
  io = new SocketIoServer(server, { transports: ['websocket'], pingInterval: 50, pingTimeout: 1000, allowEIO3 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const count = (h: Harness, dir: 'in' | 'out', text: string): number =>
  h.frames().filter((f) => f.dir === dir && f.opcode === 'text' && f.preview === text).length;

describe('Engine.IO heartbeat (socket.io v4)', () => {
  it('answers each ping with 3 and the session stays open across several pings', async () => {
    const port = await startServer();
    harness = startSession({ url: `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket` });
    const h = harness;
    await h.opened();
    // Five pings: each would have closed the session after pingTimeout without its pong.
    await waitUntil('five pings answered', () => count(h, 'in', '2') >= 5 && count(h, 'out', '3') >= 5);
    expect(h.session.state).toBe('open');
    expect(h.of('closed')).toEqual([]);
    expect(io?.engine.clientsCount).toBe(1);
    await h.session.close();
    expect((await h.closed()).diagnosis).toBeUndefined();
    // Each answer follows its ping in the log.
    const texts = h.frames().filter((f) => f.opcode === 'text').map((f) => `${f.dir}:${f.preview}`);
    const firstPing = texts.indexOf('in:2');
    expect(texts[firstPing + 1]).toBe('out:3');
  });

  it('with the answer off, the server closes the session once a ping goes unanswered', async () => {
    const port = await startServer();
    harness = startSession({ url: `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, engineioHeartbeat: false });
    const h = harness;
    const closed = await h.closed(30_000);
    expect(closed.initiatedBy).toBe('server');
    expect(closed.code).toBe(1005);
    expect(count(h, 'in', '2')).toBeGreaterThanOrEqual(1);
    expect(count(h, 'out', '3')).toBe(0);
    expect(closed.diagnosis).toBe(
      "The server's last Engine.IO ping (2) got no pong (3) (answering Engine.IO pings is off for this session): an Engine.IO server closes the connection when no pong comes within its pingTimeout (1000 ms).",
    );
  });

  it('Engine.IO 3 (EIO=3, the server allowing it): the session pings 2 every pingInterval, the server answers 3', async () => {
    const port = await startServer(true);
    harness = startSession({ url: `ws://127.0.0.1:${port}/socket.io/?EIO=3&transport=websocket` });
    const h = harness;
    await h.opened();
    await waitUntil('five pings answered', () => count(h, 'out', '2') >= 5 && count(h, 'in', '3') >= 5);
    expect(h.session.state).toBe('open');
    expect(count(h, 'out', '3')).toBe(0);
    expect(io?.engine.clientsCount).toBe(1);
    // The server goes away: its close is not put down to the pings, which went out on time.
    const server = io;
    io = undefined;
    await server?.close();
    const closed = await h.closed(30_000);
    // 1005, as for a ping timeout: the diagnosis is looked for, and finds the pings on time.
    expect(closed).toMatchObject({ code: 1005, initiatedBy: 'server' });
    expect(closed.diagnosis).toBeUndefined();
  });

  it('Engine.IO 3 with the pings off: the server closes the session', async () => {
    const port = await startServer(true);
    harness = startSession({ url: `ws://127.0.0.1:${port}/socket.io/?EIO=3&transport=websocket`, engineioHeartbeat: false });
    const h = harness;
    const closed = await h.closed(30_000);
    expect(closed.initiatedBy).toBe('server');
    expect(count(h, 'out', '2')).toBe(0);
    // The server's deadline is pingInterval + pingTimeout (1050 ms) after the open packet; the silence is measured, not asserted.
    expect(closed.code).toBe(1005);
    expect(closed.diagnosis).toMatch(
      /^The session sent no Engine\.IO ping \(2\) for \d+ ms before the close \(sending Engine\.IO pings is off for this session\): an Engine\.IO 3 server closes the connection when no ping comes within pingInterval \+ pingTimeout \(50 \+ 1000 ms\)\.$/,
    );
  });
});
