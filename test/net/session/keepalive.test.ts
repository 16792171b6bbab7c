/**
 * Keep-alive and the close deadline, under fake time (a ManualClock drives the session's
 * timers; the sockets are real, on 127.0.0.1). A tunnel that stalls after open — a TCP relay
 * that stops forwarding — ends with transport/PEER_UNRESPONSIVE; a close the server never
 * answers ends with transport/CLOSE_TIMEOUT instead of an ordinary close.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { ManualClock } from '../../support/manual-clock';
import { closeFrame, readClientFrames, startRawServer, switchingProtocols, type RawServer } from '../../support/raw-ws-server';
import { startSession, type Harness } from '../../support/session-harness';

/** A TCP relay on 127.0.0.1 to `targetPort` that can stop forwarding (both ways) without closing. */
interface Relay {
  port: number;
  stall(): void;
  close(): Promise<void>;
}

async function startRelay(targetPort: number): Promise<Relay> {
  let stalled = false;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const server = net.createServer((client) => {
    track(client);
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    track(upstream);
    // Forward until stalled; after that bytes are swallowed, as by a dead NAT entry.
    client.on('data', (chunk: Buffer) => {
      if (!stalled) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!stalled) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    stall: () => {
      stalled = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let echo: EchoServer | undefined;
let relay: Relay | undefined;
let raw: RawServer | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.session.dispose();
  harness = undefined;
  await relay?.close();
  relay = undefined;
  await echo?.close();
  echo = undefined;
  await raw?.close();
  raw = undefined;
});

const outPings = (h: Harness): number => h.frames().filter((f) => f.dir === 'out' && f.opcode === 'ping').length;

describe('keep-alive', () => {
  it('ends a session whose tunnel stalls after open with transport/PEER_UNRESPONSIVE', async () => {
    echo = await startEchoServer();
    relay = await startRelay(echo.port);
    const clock = new ManualClock();
    harness = startSession({ url: `ws://127.0.0.1:${relay.port}/`, keepalive: { intervalMs: 30_000, pongTimeoutMs: 10_000 } }, { clock });
    await harness.opened();
    const session = harness.session;

    // A healthy tunnel: the ping is answered, the deadline passes without harm.
    clock.advance(30_000);
    await expect.poll(() => session.statsNow().rtt.samples.length).toBe(1);
    clock.advance(10_000);
    expect(session.state).toBe('open');

    // The relay stops forwarding: the next ping gets no pong.
    relay.stall();
    clock.advance(20_000); // 60 s: the second ping
    await expect.poll(() => outPings(harness as Harness)).toBe(2);
    clock.advance(9_999);
    expect(session.state).toBe('open');
    clock.advance(1);
    const closed = await harness.closed();
    const [error] = harness.of('error');
    expect(error?.error).toMatchObject({ stage: 'transport', code: 'PEER_UNRESPONSIVE', details: { timeoutMs: 10_000 } });
    expect(error?.error.message).toBe('No pong came within 10 s of a keep-alive ping; the connection was cut.');
    expect(error?.error.hint).toMatch(/tunnel stalled/);
    expect(closed).toMatchObject({ code: null, wasClean: false, initiatedBy: 'none' });
    expect(harness.states().slice(-2)).toEqual(['open', 'failed']);
    // Its timers went with it.
    expect(clock.pending).toBe(0);
  });

  it('sends no ping without a keepalive setting', async () => {
    echo = await startEchoServer();
    const clock = new ManualClock();
    harness = startSession({ url: echo.url }, { clock });
    await harness.opened();
    clock.advance(3_600_000);
    expect(clock.pending).toBe(0);
    expect(outPings(harness)).toBe(0);
    expect(harness.session.state).toBe('open');
  });

  it('counts any pong after the ping as an answer (a server may answer only the latest ping)', async () => {
    echo = await startEchoServer();
    const clock = new ManualClock();
    harness = startSession({ url: echo.url, keepalive: { intervalMs: 1_000, pongTimeoutMs: 5_000 } }, { clock });
    await harness.opened();
    for (let i = 1; i <= 5; i++) {
      clock.advance(1_000);
      await expect.poll(() => harness?.session.statsNow().rtt.samples.length).toBe(i);
    }
    expect(harness.session.state).toBe('open');
    const first = harness.session.frames.get(1);
    expect(first && Buffer.from(first.base64, 'base64').toString()).toBe('tunnelscope-keepalive-1');
  });

  it('sends one ping at a time: while one waits for its pong, its deadline decides', async () => {
    // A server that never answers a ping (nor anything else).
    raw = await startRawServer(({ socket, key }) => socket.write(switchingProtocols(key)));
    const clock = new ManualClock();
    harness = startSession({ url: raw.url, keepalive: { intervalMs: 1_000, pongTimeoutMs: 5_000 } }, { clock });
    await harness.opened();
    clock.advance(1_000);
    await expect.poll(() => outPings(harness as Harness)).toBe(1);
    clock.advance(4_999);
    expect(harness.session.state).toBe('open');
    expect(harness.session.frames.lastAssignedSeq).toBe(1);
    clock.advance(1);
    await harness.closed();
    expect(harness.of('error')[0]?.error.code).toBe('PEER_UNRESPONSIVE');
  });
});

describe('keep-alive and a server that does not read', () => {
  it('says in the PEER_UNRESPONSIVE ending how much was still queued', async () => {
    raw = await startRawServer(({ socket, key }) => {
      socket.pause();
      socket.write(switchingProtocols(key));
    });
    const clock = new ManualClock();
    const mark = 64 * 1024;
    harness = startSession({ url: raw.url, keepalive: { intervalMs: 30_000, pongTimeoutMs: 10_000 } }, { clock, sendHighWaterMark: mark });
    await harness.opened();
    const session = harness.session;
    // Fill the kernel's buffers and then the queue, letting the socket write between sends.
    for (let i = 0; i < 2000 && session.queuedBytes() < mark; i++) {
      session.send('binary', Buffer.alloc(256 * 1024));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(session.queuedBytes()).toBeGreaterThanOrEqual(mark);
    clock.advance(40_000);
    await harness.closed();
    const error = harness.of('error')[0]?.error;
    expect(error?.code).toBe('PEER_UNRESPONSIVE');
    expect(error?.details.queuedBytes).toBeGreaterThanOrEqual(mark);
    expect(error?.message).toMatch(/ \d+\.\d (?:MiB|KiB) were still queued: the server was not reading\.$/);
  });
});

describe('the close deadline', () => {
  it('says the server did not answer the close, instead of an ordinary close', async () => {
    raw = await startRawServer(({ socket, key }) => socket.write(switchingProtocols(key)));
    const clock = new ManualClock();
    harness = startSession({ url: raw.url }, { clock, closeTimeoutMs: 5_000 });
    await harness.opened();
    const closing = harness.session.close(1000, 'bye');
    expect(harness.session.state).toBe('closing');
    clock.advance(4_999);
    expect(harness.session.state).toBe('closing');
    clock.advance(1);
    await closing;
    const [error] = harness.of('error');
    expect(error?.error).toMatchObject({ stage: 'transport', code: 'CLOSE_TIMEOUT', details: { timeoutMs: 5_000 } });
    expect(error?.error.message).toBe('The server did not answer the close within 5 s; the connection was cut.');
    expect(harness.of('closed')[0]).toMatchObject({ code: null, wasClean: false, initiatedBy: 'client' });
    expect(harness.session.state).toBe('failed');
  });

  it('ends an answered close normally and leaves no deadline behind', async () => {
    raw = await startRawServer(({ socket, key }) => {
      socket.write(switchingProtocols(key));
      readClientFrames(socket, (frame) => {
        if (frame.opcode === 0x8) socket.end(closeFrame(1000, 'ok'));
      });
    });
    const clock = new ManualClock();
    harness = startSession({ url: raw.url, keepalive: { intervalMs: 30_000, pongTimeoutMs: 10_000 } }, { clock });
    await harness.opened();
    await harness.session.close(1000, 'bye');
    expect(harness.of('closed')[0]).toMatchObject({ code: 1000, wasClean: true, initiatedBy: 'client' });
    expect(harness.of('error')).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});
