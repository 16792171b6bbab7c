import { describe, expect, it } from 'vitest';
import { SessionStatsRecorder } from '../../../src-main/core/session/session-stats';

const T0 = 1_700_000_000_000; // a whole second

describe('SessionStatsRecorder', () => {
  it('counts totals per direction, data and control frames alike', () => {
    const stats = new SessionStatsRecorder();
    stats.record('in', 100, T0);
    stats.record('in', 50, T0 + 10);
    stats.record('out', 7, T0 + 20);
    const snap = stats.snapshot(T0 + 30);
    expect(snap.totals).toEqual({ in: { messages: 2, bytes: 150 }, out: { messages: 1, bytes: 7 } });
    expect(snap.at).toBe(T0 + 30);
  });

  it('keeps per-second buckets for the window, oldest first, ending with the current second', () => {
    const stats = new SessionStatsRecorder({ windowSeconds: 5 });
    stats.record('in', 10, T0 + 100); // second 0
    stats.record('in', 10, T0 + 900); // second 0
    stats.record('in', 30, T0 + 2500); // second 2
    stats.record('out', 4, T0 + 4999); // second 4
    const snap = stats.snapshot(T0 + 4999);
    expect(snap.window.seconds).toBe(5);
    expect(snap.window.startAt).toBe(T0);
    expect(snap.window.in.messages).toEqual([2, 0, 1, 0, 0]);
    expect(snap.window.in.bytes).toEqual([20, 0, 30, 0, 0]);
    expect(snap.window.out.messages).toEqual([0, 0, 0, 0, 1]);
    // The rate is the last complete second (second 3 here: nothing).
    expect(snap.rate.in).toEqual({ messagesPerSecond: 0, bytesPerSecond: 0 });
    const later = stats.snapshot(T0 + 3000);
    expect(later.rate.in).toEqual({ messagesPerSecond: 1, bytesPerSecond: 30 });
  });

  it('slides: seconds that left the window read as zero, and a reused bucket starts from zero', () => {
    const stats = new SessionStatsRecorder({ windowSeconds: 3 });
    stats.record('in', 5, T0); // second 0 (bucket 0)
    stats.record('in', 5, T0 + 1000); // second 1
    const snap = stats.snapshot(T0 + 5000); // window: seconds 3, 4, 5
    expect(snap.window.in.messages).toEqual([0, 0, 0]);
    stats.record('in', 8, T0 + 6000); // second 6 reuses bucket 0
    expect(stats.snapshot(T0 + 6000).window.in.messages).toEqual([0, 0, 1]);
    expect(stats.snapshot(T0 + 6000).window.in.bytes).toEqual([0, 0, 8]);
    expect(stats.snapshot(T0 + 6000).totals.in).toEqual({ messages: 3, bytes: 18 });
  });

  it('puts a frame stamped with an earlier second in that second, then goes on with the current one', () => {
    const stats = new SessionStatsRecorder({ windowSeconds: 4 });
    stats.record('in', 1, T0 + 1500); // second 1
    stats.record('in', 2, T0 + 500); // second 0: out of order (an imported log, a clock step)
    stats.record('out', 3, T0 + 1600); // second 1 again
    stats.record('in', 4, T0 + 3999); // second 3
    const snap = stats.snapshot(T0 + 3999);
    expect(snap.window.in.messages).toEqual([1, 1, 0, 1]);
    expect(snap.window.in.bytes).toEqual([2, 1, 0, 4]);
    expect(snap.window.out.messages).toEqual([0, 1, 0, 0]);
    expect(snap.totals).toEqual({ in: { messages: 3, bytes: 7 }, out: { messages: 1, bytes: 3 } });
  });

  it('matches pongs to our pings by payload and measures the round trip', () => {
    const stats = new SessionStatsRecorder();
    stats.pingSent(Buffer.from('a'), T0);
    stats.pingSent(Buffer.from('b'), T0 + 10);
    expect(stats.pongReceived(Buffer.from('b'), T0 + 15)).toBe(5);
    expect(stats.pongReceived(Buffer.from('a'), T0 + 40)).toBe(40);
    const rtt = stats.snapshot(T0 + 50).rtt;
    expect(rtt).toMatchObject({ lastMs: 40, minMs: 5, maxMs: 40, avgMs: 22.5, pending: 0, unmatchedPongs: 0 });
    expect(rtt.samples).toEqual([
      { at: T0 + 15, ms: 5 },
      { at: T0 + 40, ms: 40 },
    ]);
  });

  it('answers pings with the same payload in order (empty payloads too)', () => {
    const stats = new SessionStatsRecorder();
    stats.pingSent(Buffer.alloc(0), T0);
    stats.pingSent(Buffer.alloc(0), T0 + 100);
    expect(stats.pongReceived(Buffer.alloc(0), T0 + 120)).toBe(120);
    expect(stats.pongReceived(Buffer.alloc(0), T0 + 130)).toBe(30);
  });

  it('counts a pong that answers nothing of ours, and one that comes after its ping expired', () => {
    const stats = new SessionStatsRecorder({ pingExpiryMs: 1000 });
    expect(stats.pongReceived(Buffer.from('unsolicited'), T0)).toBeUndefined();
    stats.pingSent(Buffer.from('late'), T0);
    expect(stats.snapshot(T0 + 10).rtt.pending).toBe(1);
    expect(stats.pongReceived(Buffer.from('late'), T0 + 5000)).toBeUndefined();
    const rtt = stats.snapshot(T0 + 5000).rtt;
    expect(rtt).toMatchObject({ unmatchedPongs: 2, pending: 0, lastMs: null, minMs: null, avgMs: null, maxMs: null });
  });

  it('matches binary ping payloads byte for byte', () => {
    const stats = new SessionStatsRecorder();
    stats.pingSent(Buffer.from([0xff, 0x00, 0x80]), T0);
    expect(stats.pongReceived(Buffer.from([0xff, 0x00, 0x81]), T0 + 1)).toBeUndefined();
    expect(stats.pongReceived(Buffer.from([0xff, 0x00, 0x80]), T0 + 2)).toBe(2);
  });

  it('keeps the last 60 round trips', () => {
    const stats = new SessionStatsRecorder();
    for (let i = 0; i < 100; i++) {
      stats.pingSent(Buffer.from(String(i)), T0 + i * 10);
      stats.pongReceived(Buffer.from(String(i)), T0 + i * 10 + i);
    }
    const rtt = stats.snapshot(T0 + 2000).rtt;
    expect(rtt.samples).toHaveLength(60);
    expect(rtt.samples[0]?.ms).toBe(40);
    expect(rtt).toMatchObject({ minMs: 0, maxMs: 99, lastMs: 99 });
  });
});

describe('SessionStatsRecorder send queue', () => {
  it('counts a sent message once written, and says what is still queued', () => {
    const stats = new SessionStatsRecorder({ sendHighWaterMark: 1000 });
    stats.queue(300);
    stats.queue(200);
    expect(stats.snapshot(T0).totals.out).toEqual({ messages: 0, bytes: 0 });
    expect(stats.snapshot(T0).queued).toEqual({ messages: 2, bytes: 500, highWaterMark: 1000 });
    stats.written(300, T0 + 10);
    // A message the socket never wrote (the connection ended) is not traffic.
    stats.dropped(200);
    const snap = stats.snapshot(T0 + 20);
    expect(snap.totals.out).toEqual({ messages: 1, bytes: 300 });
    expect(snap.queued).toEqual({ messages: 0, bytes: 0, highWaterMark: 1000 });
    expect(stats.queuedBytes).toBe(0);
  });

  it('has no queue where nothing is sent (an imported log)', () => {
    expect(new SessionStatsRecorder().snapshot(T0).queued).toBeUndefined();
  });
});
