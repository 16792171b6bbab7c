/**
 * Counts a session's traffic: totals, per-second buckets over a sliding window, and ping
 * round trips. O(1) per frame and no allocation on the frame path: the window is a ring of
 * typed arrays indexed by the epoch second. A live session's incoming frames are not
 * recorded one by one: its frame store tallies them per second as it stores them and hands
 * over each second's count (`countIncomingFrom`), so capture makes no statistics call per frame.
 *
 * Round trips: a ping we send is remembered by its payload; the first pong that carries the
 * same payload answers it (RFC 6455 §5.5.3: a pong echoes the ping's application data).
 * Several pings with the same payload are answered in order. Pings not answered within
 * `pingExpiryMs` are forgotten, so a pong that comes later counts as unmatched.
 *
 * Sent messages: a message handed to the socket is *queued* until the socket has written it
 * (ws's send callback); only then does it count in the totals, so a server that stops
 * reading shows as a growing queue, not as traffic that never left.
 */
import type { SessionStats } from '../../shared/stats';
import type { FrameStore, IncomingCounter } from './frame-store';

const STATS_WINDOW_SECONDS = 60;
const RTT_SAMPLES_KEPT = 60;
const DEFAULT_PING_EXPIRY_MS = 60_000;
const MAX_PENDING_PINGS = 1000;

const IN = 0;
const OUT = 1;

interface PendingPing {
  key: string;
  at: number;
}

export interface SessionStatsOptions {
  windowSeconds?: number;
  pingExpiryMs?: number;
  /** Queued bytes at which sends are refused; set by a live session (the snapshot then has `queued`). */
  sendHighWaterMark?: number;
}

export class SessionStatsRecorder implements IncomingCounter {
  readonly windowSeconds: number;
  private readonly pingExpiryMs: number;
  // Indexed by IN/OUT: everything up to the current second (see `current*` below).
  private readonly totalMessages = [0, 0];
  private readonly totalBytes = [0, 0];
  // Ring of per-second buckets: index = second % windowSeconds; `bucketSecond` says which
  // second a bucket currently holds, so stale buckets read as zero without a sweep.
  private readonly bucketSecond: Float64Array;
  private readonly bucketMessages: [Float64Array, Float64Array];
  private readonly bucketBytes: [Float64Array, Float64Array];
  private pending: PendingPing[] = [];
  private readonly samples: { at: number; ms: number }[] = [];
  private rttMin = Infinity;
  private rttMax = 0;
  private rttSum = 0;
  private rttCount = 0;
  private unmatchedPongs = 0;
  private readonly sendHighWaterMark: number | undefined;
  private queuedMessages = 0;
  private queuedByteCount = 0;
  // The latest second recorded (its bucket is currentIndex) is counted in plain fields and
  // added to the bucket and the totals when another second comes or on a snapshot: a frame
  // costs a range check and two additions (at a million frames a second this shows).
  private currentStart = 0;
  private currentEnd = 0;
  private currentIndex = 0;
  private currentInMessages = 0;
  private currentInBytes = 0;
  private currentOutMessages = 0;
  private currentOutBytes = 0;
  /** The store that counts the incoming frames for this recorder (see countIncomingFrom). */
  private ring: FrameStore | undefined;

  constructor(options: SessionStatsOptions = {}) {
    this.windowSeconds = Math.max(1, Math.floor(options.windowSeconds ?? STATS_WINDOW_SECONDS));
    this.pingExpiryMs = options.pingExpiryMs ?? DEFAULT_PING_EXPIRY_MS;
    this.sendHighWaterMark = options.sendHighWaterMark;
    this.bucketSecond = new Float64Array(this.windowSeconds).fill(-1);
    this.bucketMessages = [new Float64Array(this.windowSeconds), new Float64Array(this.windowSeconds)];
    this.bucketBytes = [new Float64Array(this.windowSeconds), new Float64Array(this.windowSeconds)];
  }

  /**
   * Incoming frames are counted by this store as it stores them (FrameStore.countWith), not
   * by `record`: the capture path makes no call per frame for them. The store hands over a
   * second's count when the next second starts and before each snapshot. Frames stored
   * before this call are not counted.
   */
  countIncomingFrom(store: FrameStore): void {
    this.ring = store;
    store.countWith(this);
  }

  /** IncomingCounter: a second's worth (or part) of incoming frames, from the store's tally. */
  countIncoming(at: number, messages: number, bytes: number): void {
    if (!(at >= this.currentStart && at < this.currentEnd)) this.selectBucket(at);
    this.currentInMessages += messages;
    this.currentInBytes += bytes;
  }

  /** One frame, data or control, in either direction. */
  record(dir: 'in' | 'out', bytes: number, at: number): void {
    if (!(at >= this.currentStart && at < this.currentEnd)) this.selectBucket(at);
    if (dir === 'in') {
      this.currentInMessages += 1;
      this.currentInBytes += bytes;
    } else {
      this.currentOutMessages += 1;
      this.currentOutBytes += bytes;
    }
  }

  /** A message handed to the socket: queued until `written` (or `dropped`). */
  queue(bytes: number): void {
    this.queuedMessages += 1;
    this.queuedByteCount += bytes;
  }

  /** A queued message reached the socket: it leaves the queue and counts as sent. */
  written(bytes: number, at: number): void {
    this.unqueue(bytes);
    this.record('out', bytes, at);
  }

  /** A queued message that will never be written (the connection ended first). */
  dropped(bytes: number): void {
    this.unqueue(bytes);
  }

  /** Payload bytes handed to the socket and not yet written. */
  get queuedBytes(): number {
    return this.queuedByteCount;
  }

  private unqueue(bytes: number): void {
    this.queuedMessages = Math.max(0, this.queuedMessages - 1);
    this.queuedByteCount = Math.max(0, this.queuedByteCount - bytes);
  }

  /** Adds the current second's counts to its bucket and to the totals. */
  private commitCurrent(): void {
    const index = this.currentIndex;
    this.bucketMessages[IN][index] = (this.bucketMessages[IN][index] ?? 0) + this.currentInMessages;
    this.bucketBytes[IN][index] = (this.bucketBytes[IN][index] ?? 0) + this.currentInBytes;
    this.bucketMessages[OUT][index] = (this.bucketMessages[OUT][index] ?? 0) + this.currentOutMessages;
    this.bucketBytes[OUT][index] = (this.bucketBytes[OUT][index] ?? 0) + this.currentOutBytes;
    this.totalMessages[IN] = (this.totalMessages[IN] ?? 0) + this.currentInMessages;
    this.totalBytes[IN] = (this.totalBytes[IN] ?? 0) + this.currentInBytes;
    this.totalMessages[OUT] = (this.totalMessages[OUT] ?? 0) + this.currentOutMessages;
    this.totalBytes[OUT] = (this.totalBytes[OUT] ?? 0) + this.currentOutBytes;
    this.currentInMessages = 0;
    this.currentInBytes = 0;
    this.currentOutMessages = 0;
    this.currentOutBytes = 0;
  }

  /** Makes the bucket of `at`'s second current, emptying it if it held an older second. */
  private selectBucket(at: number): void {
    this.commitCurrent();
    const second = Math.floor(at / 1000);
    const index = ((second % this.windowSeconds) + this.windowSeconds) % this.windowSeconds;
    if (this.bucketSecond[index] !== second) {
      this.bucketSecond[index] = second;
      this.bucketMessages[IN][index] = 0;
      this.bucketMessages[OUT][index] = 0;
      this.bucketBytes[IN][index] = 0;
      this.bucketBytes[OUT][index] = 0;
    }
    this.currentStart = second * 1000;
    this.currentEnd = this.currentStart + 1000;
    this.currentIndex = index;
  }

  pingSent(payload: Buffer, at: number): void {
    this.expire(at);
    if (this.pending.length >= MAX_PENDING_PINGS) this.pending.shift();
    this.pending.push({ key: payload.toString('latin1'), at });
  }

  /** Returns the round trip in ms when the pong answers a ping of ours. */
  pongReceived(payload: Buffer, at: number): number | undefined {
    this.expire(at);
    const key = payload.toString('latin1');
    const index = this.pending.findIndex((ping) => ping.key === key);
    if (index < 0) {
      this.unmatchedPongs += 1;
      return undefined;
    }
    const [ping] = this.pending.splice(index, 1);
    const ms = Math.max(0, at - (ping?.at ?? at));
    this.samples.push({ at, ms });
    if (this.samples.length > RTT_SAMPLES_KEPT) this.samples.shift();
    this.rttMin = Math.min(this.rttMin, ms);
    this.rttMax = Math.max(this.rttMax, ms);
    this.rttSum += ms;
    this.rttCount += 1;
    return ms;
  }

  /** The figures as of `now` (the window ends with the second that holds `now`). */
  snapshot(now: number): SessionStats {
    this.ring?.settleCounts();
    this.commitCurrent();
    const w = this.windowSeconds;
    const nowSecond = Math.floor(now / 1000);
    const firstSecond = nowSecond - w + 1;
    const window = {
      startAt: firstSecond * 1000,
      seconds: w,
      in: { messages: new Array<number>(w), bytes: new Array<number>(w) },
      out: { messages: new Array<number>(w), bytes: new Array<number>(w) },
    };
    for (let i = 0; i < w; i++) {
      const second = firstSecond + i;
      const index = ((second % w) + w) % w;
      const live = this.bucketSecond[index] === second;
      window.in.messages[i] = live ? (this.bucketMessages[IN][index] ?? 0) : 0;
      window.in.bytes[i] = live ? (this.bucketBytes[IN][index] ?? 0) : 0;
      window.out.messages[i] = live ? (this.bucketMessages[OUT][index] ?? 0) : 0;
      window.out.bytes[i] = live ? (this.bucketBytes[OUT][index] ?? 0) : 0;
    }
    const previous = w >= 2 ? w - 2 : w - 1;
    const last = this.samples[this.samples.length - 1];
    return {
      at: now,
      totals: {
        in: { messages: this.totalMessages[IN] ?? 0, bytes: this.totalBytes[IN] ?? 0 },
        out: { messages: this.totalMessages[OUT] ?? 0, bytes: this.totalBytes[OUT] ?? 0 },
      },
      window,
      rate: {
        in: { messagesPerSecond: window.in.messages[previous] ?? 0, bytesPerSecond: window.in.bytes[previous] ?? 0 },
        out: { messagesPerSecond: window.out.messages[previous] ?? 0, bytesPerSecond: window.out.bytes[previous] ?? 0 },
      },
      rtt: {
        lastMs: last ? last.ms : null,
        minMs: this.rttCount > 0 ? this.rttMin : null,
        avgMs: this.rttCount > 0 ? this.rttSum / this.rttCount : null,
        maxMs: this.rttCount > 0 ? this.rttMax : null,
        samples: this.samples.map((sample) => ({ ...sample })),
        pending: this.pending.length,
        unmatchedPongs: this.unmatchedPongs,
      },
      ...(this.sendHighWaterMark !== undefined
        ? { queued: { messages: this.queuedMessages, bytes: this.queuedByteCount, highWaterMark: this.sendHighWaterMark } }
        : {}),
    };
  }

  private expire(now: number): void {
    while (this.pending.length > 0 && now - (this.pending[0]?.at ?? now) > this.pingExpiryMs) this.pending.shift();
  }
}
