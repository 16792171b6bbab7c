/**
 * One repeated send: the same message N times, or every T ms until stopped, each send with its
 * built-ins rendered anew. Never faster than the socket drains: while the session's send queue
 * is at its high-water mark the repeat waits (status `waiting`) instead of being refused, and
 * goes on when a `stats` event says the queue is below the mark. It ends at N, on stop, or
 * when the session leaves `open`. Time comes from a Clock, so tests run it on fake time.
 */
import type { EngineEvent, EngineEventOf } from '../../shared/events';
import type { SessionState } from '../../shared/model';
import { renderBuiltins, type BuiltinSources, type BuiltinTemplate } from '../../shared/builtin-variables';
import type { RepeatStatus } from '../../shared/send-repeat';
import { NetFailure, errorMessage } from '../errors/net-failure';
import type { Clock, TimerHandle } from '../net/clock';

/** At most one progress event per this long while the repeat runs (a 0 ms repeat sends thousands a second). */
export const REPEAT_PROGRESS_EVERY_MS = 100;
/** Sends per timer turn at a 0 ms interval. */
export const ZERO_INTERVAL_BURST = 64;

/** What a repeat needs of a session (WsSession and WsConnection both give it). */
export interface RepeatTarget {
  readonly state: SessionState;
  /** The frame's seq; undefined when not open; throws NetFailure SEND_QUEUE_FULL at the mark. */
  send(kind: 'text' | 'binary', payload: Buffer): number | undefined;
  /** Bytes handed to the socket and not yet written. */
  queuedBytes(): number;
}

export interface SendRepeatConfig {
  id: string;
  sessionId: string;
  target: RepeatTarget;
  kind: 'text' | 'binary';
  /** A text template with built-ins (rendered per send) or fixed bytes. */
  body: { template: BuiltinTemplate } | { bytes: Buffer };
  /** null: until stopped. */
  count: number | null;
  intervalMs: number;
  highWaterMark: number;
  clock: Clock;
  sources: BuiltinSources;
  emit(event: EngineEventOf<'repeat'>): void;
  /** Called once, after the final event. */
  onEnd(): void;
}

const ENDED_BY_STATE: Partial<Record<SessionState, string>> = {
  closing: 'the connection is closing',
  closed: 'the connection closed',
  failed: 'the connection failed',
};

export class SendRepeat {
  readonly id: string;
  private readonly config: SendRepeatConfig;
  private sent = 0;
  private status: RepeatStatus = 'running';
  private timer: TimerHandle | undefined;
  private lastProgressAt = Number.NEGATIVE_INFINITY;
  private lastStatusSaid: RepeatStatus | undefined;

  constructor(config: SendRepeatConfig) {
    this.config = config;
    this.id = config.id;
  }

  get finished(): boolean {
    return this.status !== 'running' && this.status !== 'waiting';
  }

  /** Makes the first send now; its seq, or 0 when it waits for the queue to drain (or the repeat ended at once). */
  start(): number {
    return this.sendNext() ?? 0;
  }

  /** Stop: no further send. False when it had already ended. */
  stop(): boolean {
    if (this.finished) return false;
    this.finish('stopped');
    return true;
  }

  /** The session's own events: a drained queue resumes a waiting repeat; leaving `open` ends it. */
  sessionEvent(event: EngineEvent): void {
    if (this.finished) return;
    if (event.type === 'stats') {
      if (this.status === 'waiting' && this.config.target.queuedBytes() < this.config.highWaterMark) {
        this.status = 'running';
        this.sendNext();
      }
    } else if (event.type === 'state') {
      const reason = ENDED_BY_STATE[event.state];
      if (reason !== undefined) this.finish('ended', reason);
    } else if (event.type === 'closed') {
      this.finish('ended', 'the connection closed');
    }
  }

  private sendNext(): number | undefined {
    this.timer = undefined;
    // At 0 ms a burst per timer turn: a timer alone (≥ 1 ms in Node) would cap a repeat near
    // 1,000 sends a second. The queue is still checked before each send.
    const burst = this.config.intervalMs === 0 ? ZERO_INTERVAL_BURST : 1;
    let first: number | undefined;
    for (let i = 0; i < burst; i++) {
      const seq = this.sendOne();
      if (seq === undefined || this.finished) return first ?? seq;
      first ??= seq;
    }
    this.timer = this.config.clock.setTimeout(() => this.sendNext(), this.config.intervalMs);
    return first;
  }

  /** One send; its seq, or undefined when it waits or the repeat ended. */
  private sendOne(): number | undefined {
    if (this.finished) return undefined;
    const { target, highWaterMark } = this.config;
    if (target.state !== 'open') {
      this.finish('ended', ENDED_BY_STATE[target.state] ?? `the connection is ${target.state}`);
      return undefined;
    }
    if (target.queuedBytes() >= highWaterMark) return this.wait();
    let seq: number | undefined;
    try {
      seq = target.send(this.config.kind, this.payload(this.sent + 1));
    } catch (error) {
      if (error instanceof NetFailure && error.netError.code === 'SEND_QUEUE_FULL') return this.wait();
      this.finish('failed', errorMessage(error));
      return undefined;
    }
    if (seq === undefined) {
      this.finish('ended', ENDED_BY_STATE[target.state] ?? 'the connection is not open');
      return undefined;
    }
    this.sent += 1;
    if (this.config.count !== null && this.sent >= this.config.count) this.finish('done');
    else this.progress();
    return seq;
  }

  private payload(counter: number): Buffer {
    const body = this.config.body;
    // ws copies a Buffer before masking it, so the same bytes can go out again.
    return 'bytes' in body ? body.bytes : Buffer.from(renderBuiltins(body.template, counter, this.config.sources), 'utf8');
  }

  /** The queue is at its mark: the next `stats` event below it resumes. */
  private wait(): undefined {
    this.status = 'waiting';
    this.progress();
    return undefined;
  }

  /** A progress event when the status changed, else at most every REPEAT_PROGRESS_EVERY_MS. */
  private progress(): void {
    const now = this.config.clock.now();
    if (this.status === this.lastStatusSaid && now - this.lastProgressAt < REPEAT_PROGRESS_EVERY_MS) return;
    this.say(now);
  }

  private finish(status: RepeatStatus, reason?: string): void {
    if (this.finished) return;
    this.config.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.status = status;
    this.say(this.config.clock.now(), reason);
    this.config.onEnd();
  }

  private say(now: number, reason?: string): void {
    this.lastProgressAt = now;
    this.lastStatusSaid = this.status;
    this.config.emit({
      type: 'repeat',
      sessionId: this.config.sessionId,
      repeatId: this.id,
      sent: this.sent,
      count: this.config.count,
      intervalMs: this.config.intervalMs,
      status: this.status,
      ...(reason !== undefined ? { reason } : {}),
      at: now,
    });
  }
}
