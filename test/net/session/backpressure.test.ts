/**
 * Send backpressure against a 127.0.0.1 server that stops reading: once the bytes handed to
 * the socket but not written reach the high-water mark, a send is refused (SEND_QUEUE_FULL,
 * the session stays open), the stats count only bytes the socket wrote and say what is
 * queued, and the UI's stats event says so at once. When the server reads again, the queue
 * drains and sending works again.
 */
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { MIB, SEND_HIGH_WATER_MARK } from '../../../src-main/shared/model';
import { startRawServer, switchingProtocols, type RawServer } from '../../support/raw-ws-server';
import { startSession, type Harness } from '../../support/session-harness';

let server: RawServer | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.session.dispose();
  harness = undefined;
  await server?.close();
  server = undefined;
});

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A server that answers the upgrade and then reads nothing until the test resumes its socket. */
async function startStalledServer(): Promise<{ server: RawServer; socket: Promise<net.Socket> }> {
  let found: (socket: net.Socket) => void = () => undefined;
  const socket = new Promise<net.Socket>((resolve) => {
    found = resolve;
  });
  const raw = await startRawServer(({ socket: peer, key }) => {
    peer.pause();
    peer.write(switchingProtocols(key));
    found(peer);
  });
  return { server: raw, socket };
}

describe('sending to a server that stops reading', () => {
  it('refuses sends at the high-water mark, counts only written bytes, and recovers when the server reads', async () => {
    const stalled = await startStalledServer();
    server = stalled.server;
    harness = startSession({ url: server.url }, { statsIntervalMs: 3_600_000 });
    await harness.opened();
    const session = harness.session;
    const chunk = Buffer.alloc(MIB, 7);

    // The case: 200 × 1 MiB, letting the socket write between sends.
    let accepted = 0;
    const refusals: NetFailure[] = [];
    for (let i = 0; i < 200; i++) {
      try {
        session.send('binary', chunk);
        accepted += 1;
      } catch (error) {
        if (!(error instanceof NetFailure)) throw error;
        refusals.push(error);
      }
      await nextTurn();
    }
    expect(refusals.length).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(200);
    const refusal = refusals[0]?.netError;
    expect(refusal).toMatchObject({ stage: 'transport', code: 'SEND_QUEUE_FULL' });
    expect(refusal?.message).toMatch(/^The server is not reading \(\d+\.\d MiB queued\)/);
    expect(refusal?.details.queuedBytes).toBeGreaterThanOrEqual(SEND_HIGH_WATER_MARK);
    expect(refusal?.hint).toMatch(/stays open/);
    expect(session.state).toBe('open');

    // Only written bytes are traffic; the rest is reported as queued.
    const stats = session.statsNow();
    expect(stats.queued?.highWaterMark).toBe(SEND_HIGH_WATER_MARK);
    expect(stats.queued?.bytes).toBeGreaterThan(0);
    expect(stats.totals.out.bytes).toBeLessThan(accepted * MIB);
    expect(stats.totals.out.bytes + (stats.queued?.bytes ?? 0)).toBe(accepted * MIB);
    expect(stats.totals.out.messages + (stats.queued?.messages ?? 0)).toBe(accepted);
    // Refused messages are not in the log either.
    expect(session.frames.lastAssignedSeq).toBe(accepted);

    // The UI heard at once, without waiting for the (here hour-long) stats interval.
    const full = harness.of('stats').find((event) => (event.stats.queued?.bytes ?? 0) >= SEND_HIGH_WATER_MARK);
    expect(full).toBeDefined();

    // The server reads again: the queue drains, every accepted byte counts, sending works.
    const peer = await stalled.socket;
    peer.on('data', () => undefined);
    peer.resume();
    await expect.poll(() => session.statsNow().queued?.bytes, { timeout: 10_000 }).toBe(0);
    expect(session.statsNow().totals.out).toEqual({ messages: accepted, bytes: accepted * MIB });
    const drained = harness.of('stats').at(-1)?.stats.queued;
    expect(drained?.bytes).toBeLessThan(SEND_HIGH_WATER_MARK);
    expect(session.send('text', Buffer.from('again'))).toBe(accepted + 1);
  });

  it('always lets a control frame through and lets one message past the mark only from below it', async () => {
    const stalled = await startStalledServer();
    server = stalled.server;
    const mark = 64 * 1024;
    harness = startSession({ url: server.url }, { statsIntervalMs: 3_600_000, sendHighWaterMark: mark });
    await harness.opened();
    const session = harness.session;
    // Below the mark a message goes even when it is larger than the mark.
    expect(session.send('binary', Buffer.alloc(mark * 2))).toBe(1);
    // Synchronously nothing has been written yet: the queue is at or above the mark.
    expect(session.queuedBytes()).toBeGreaterThanOrEqual(mark);
    expect(() => session.send('text', Buffer.from('x'))).toThrow(/not reading/);
    expect(session.send('ping', Buffer.from('still-alive'))).toBe(2);
    expect(session.state).toBe('open');
  });
});
