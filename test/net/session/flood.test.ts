/**
 * A server floods the session with small messages as fast as TCP carries them. Capture never
 * waits for the consumer: every frame ends in the store, the socket keeps being read while the
 * consumer is behind (the server's writes complete), and a consumer that falls behind gets
 * coalesced `frames-skipped` notices covering exactly what it was not sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeFrame, serverFrame, startRawServer, switchingProtocols, type RawServer } from '../../support/raw-ws-server';
import { startSession, type Harness } from '../../support/session-harness';

let server: RawServer | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.session.dispose();
  harness = undefined;
  await server?.close();
  server = undefined;
});

const N = 20_000;

function flood(count: number, from = 0): Buffer {
  const frames: Buffer[] = [];
  for (let i = from; i < from + count; i++) frames.push(serverFrame(0x1, `{"n":${i}}`.padEnd(100, '.')));
  return Buffer.concat(frames);
}

/** A server that answers the upgrade, writes the flood, and reports when TCP took all of it. */
async function floodServer(options: { close: boolean; written: () => void; later?: (write: (data: Buffer) => void) => void }): Promise<RawServer> {
  return startRawServer(({ socket, key }) => {
    socket.on('error', () => undefined);
    socket.write(switchingProtocols(key));
    socket.write(flood(N), () => options.written());
    if (options.close) socket.write(closeFrame(1000, 'done'));
    options.later?.((data) => socket.write(data));
  });
}

/** The seqs each batch and notice covered, in the order they were emitted. */
function coverage(h: Harness): { batched: number[]; skipped: [number, number][]; order: ('frames' | 'frames-skipped')[] } {
  const batched: number[] = [];
  const skipped: [number, number][] = [];
  const order: ('frames' | 'frames-skipped')[] = [];
  for (const event of h.events) {
    if (event.type === 'frames') {
      batched.push(...event.frames.map((f) => f.seq));
      order.push('frames');
    } else if (event.type === 'frames-skipped') {
      skipped.push([event.fromSeq, event.toSeq]);
      order.push('frames-skipped');
    }
  }
  return { batched, skipped, order };
}

describe('a fast flood', () => {
  it('ends with every frame in the store, and every summary delivered in order to a consumer that never acknowledges', async () => {
    let written = false;
    server = await floodServer({ close: true, written: () => (written = true) });
    harness = startSession({ url: server.url }, { batch: { intervalMs: 5 } });
    const closed = await harness.closed(15_000);
    expect(closed).toMatchObject({ code: 1000, reason: 'done', initiatedBy: 'server' });
    expect(written).toBe(true);
    const store = harness.session.frames;
    // N messages, the server's close and our echo of it.
    expect(store.count).toBe(N + 2);
    expect(store.dropped).toBe(0);
    expect(store.get(1)?.text?.startsWith('{"n":0}')).toBe(true);
    expect(store.get(N)?.text?.startsWith(`{"n":${N - 1}}`)).toBe(true);
    const { batched, skipped } = coverage(harness);
    expect(skipped).toEqual([]);
    expect(batched).toEqual(Array.from({ length: N + 2 }, (_, i) => i + 1));
    expect(harness.of('error')).toEqual([]);
  });

  it('keeps reading the socket when the consumer falls behind: coalesced notices, nothing lost from the store', async () => {
    let written = false;
    let writeMore: ((data: Buffer) => void) | undefined;
    server = await floodServer({ close: false, written: () => (written = true), later: (write) => (writeMore = write) });
    harness = startSession({ url: server.url }, { batch: { intervalMs: 5, maxFrames: 500, maxUnacked: 1000 } });
    const session = harness.session;
    session.ack(0); // the consumer acknowledges once, then stalls: flow control is on

    await harness.opened(3000);
    await expect.poll(() => session.frames.lastSeq, { timeout: 10_000 }).toBe(N);
    await expect.poll(() => written, { timeout: 5000 }).toBe(true);
    await expect.poll(() => harness?.session['ownBatcher']?.size ?? -1, { timeout: 2000 }).toBe(0);

    const store = session.frames;
    expect(store.count).toBe(N);
    expect(store.dropped).toBe(0);
    const { batched, skipped, order } = coverage(harness);
    // Only about maxUnacked summaries went out; the rest became a few small notices.
    expect(batched.length).toBeLessThanOrEqual(1500);
    expect(skipped.length).toBeGreaterThan(0);
    expect(order.indexOf('frames-skipped')).toBeGreaterThan(0);
    // Batches and notices together cover 1..N exactly once, in order.
    const covered: number[] = [...batched];
    for (const [from, to] of skipped) for (let seq = from; seq <= to; seq++) covered.push(seq);
    covered.sort((a, b) => a - b);
    expect(covered).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const lastNotice = harness.of('frames-skipped').at(-1);
    expect(lastNotice?.behind).toBe(N);
    // Every skipped frame can be paged.
    const [firstSkipped] = skipped[0] ?? [0];
    expect(store.page(firstSkipped, 3).frames.map((f) => f.seq)).toEqual([firstSkipped, firstSkipped + 1, firstSkipped + 2]);

    // The consumer catches up: the next frames arrive as ordinary batches again.
    session.ack(N);
    const before = harness.events.length;
    writeMore?.(flood(5, N));
    await expect.poll(() => coverage(harness as Harness).batched.includes(N + 5), { timeout: 3000 }).toBe(true);
    const after = harness.events.slice(before).filter((e) => e.type === 'frames' || e.type === 'frames-skipped');
    expect(after.every((e) => e.type === 'frames')).toBe(true);
    expect(harness.of('error')).toEqual([]);
  });
});
