/**
 * Statistics on a live session: `stats` events about every interval while open and one last
 * time before `closed` (none after), totals per direction, and ping round trips matched to
 * the server's pongs by payload (a pong answering nothing of ours counts as unmatched).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { closeFrame, readClientFrames, serverFrame, startRawServer, switchingProtocols, type RawServer } from '../../support/raw-ws-server';
import { startSession, type Harness } from '../../support/session-harness';

let echo: EchoServer | undefined;
let raw: RawServer | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.session.dispose();
  harness = undefined;
  await echo?.close();
  echo = undefined;
  await raw?.close();
  raw = undefined;
});

describe('session statistics', () => {
  it('emits stats while open, counts both directions and measures ping round trips', async () => {
    echo = await startEchoServer();
    harness = startSession({ url: echo.url }, { statsIntervalMs: 40 });
    await harness.opened(3000);
    const session = harness.session;
    session.send('text', Buffer.from('hello'));
    session.send('binary', Buffer.from([1, 2, 3]));
    session.send('ping', Buffer.from('rtt-1'));
    await expect.poll(() => session.statsNow().rtt.samples.length, { timeout: 3000 }).toBe(1);
    await expect.poll(() => session.statsNow().totals.in.messages, { timeout: 3000 }).toBe(3); // echoes + pong
    await expect.poll(() => harness?.of('stats').length ?? 0, { timeout: 3000 }).toBeGreaterThanOrEqual(2);

    const stats = session.statsNow();
    expect(stats.totals.out).toEqual({ messages: 3, bytes: 5 + 3 + 5 });
    expect(stats.totals.in).toEqual({ messages: 3, bytes: 5 + 3 + 5 });
    expect(stats.rtt).toMatchObject({ pending: 0, unmatchedPongs: 0 });
    expect(stats.rtt.lastMs).toBeGreaterThanOrEqual(0);
    expect(stats.window.in.messages.reduce((a, b) => a + b, 0)).toBe(3);
    expect(stats.window.seconds).toBe(60);

    await session.close(1000, 'bye');
    const closed = await harness.closed(3000);
    expect(closed.code).toBe(1000);
    const types = harness.events.map((e) => e.type);
    // The last figures come right before `closed`, and the timer stops with the session.
    expect(types.slice(-2)).toEqual(['stats', 'closed']);
    const count = harness.of('stats').length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(harness.of('stats')).toHaveLength(count);
    const last = harness.of('stats').at(-1)?.stats;
    expect(last?.totals.out.messages).toBe(4); // the close frame too
  });

  it('counts a pong that answers no ping of ours as unmatched, and keeps a ping without answer pending', async () => {
    raw = await startRawServer(({ socket, key }) => {
      socket.on('error', () => undefined);
      socket.write(switchingProtocols(key));
      readClientFrames(socket, (frame) => {
        // Answer a ping with a pong of a different payload; answer a close with a close.
        if (frame.opcode === 0x9) socket.write(serverFrame(0xa, 'not-yours'));
        if (frame.opcode === 0x8) socket.end(closeFrame(1000));
      });
    });
    harness = startSession({ url: raw.url }, { statsIntervalMs: 1000 });
    await harness.opened(3000);
    const session = harness.session;
    session.send('ping', Buffer.from('mine'));
    await expect.poll(() => session.statsNow().rtt.unmatchedPongs, { timeout: 3000 }).toBe(1);
    expect(session.statsNow().rtt).toMatchObject({ pending: 1, lastMs: null, samples: [] });
    await session.close();
    await harness.closed(3000);
  });
});
