/**
 * A connection that outlives its attempts (options.reconnect): one session id, one frame
 * store and one statistics recorder, and a WsSession per attempt recording into them. When an
 * attempt ends in a way the policy retries (reconnect-policy.ts), the connection reports the
 * end as an `attempt` event (the log's separator: how it ended, the wait) instead of `closed`,
 * waits on its Clock and starts the next attempt; `closed` comes once, when no attempt follows.
 * `close` during the wait cancels it; `reconnectNow` cuts it short.
 *
 * The attempts' own events pass through under the same session id, so every consumer sees
 * one session whose state runs idle → … → failed, then again idle → … for the next attempt.
 */
import type { AttemptNext, AttemptOutcome, AttemptRecord, ResentReport } from '../../shared/attempts';
import type { NetError } from '../../shared/errors';
import type { EngineEvent, EngineEventOf } from '../../shared/events';
import { RECONNECT_DEFAULTS, SEND_HIGH_WATER_MARK, type HandshakeStep, type ProxyDecision, type ReconnectOptions, type SessionState } from '../../shared/model';
import type { SessionInfo } from '../../shared/session-info';
import type { SessionStats } from '../../shared/stats';
import { systemClock, type Clock, type TimerHandle } from '../net/clock';
import type { FrameSink } from './frame-batcher';
import { FrameStore } from './frame-store';
import { OpeningLedger, type ReplayPlan } from './opening-ledger';
import { OpeningReplay } from './opening-replay';
import type { RelayMark } from './relay-mark';

/** The log's mark on a frame a reconnect sent again (FrameLog shows it as the intercept marks are shown). */
const RESENT_MARK: RelayMark = { mark: { action: 'resent' } };
import { backoffDelay, retryRefusal, withinLimit } from './reconnect-policy';
import { ProtocolRefusalWatch } from './reconnect-protocol-refusal';
import { waitHonouringRetryAfter } from './reconnect-retry-after';
import { sessionInfoOf, type SessionEnding } from './session-log';
import { SessionStatsRecorder } from './session-stats';
import { WsSession, type SendKind, type WsSessionConfig } from './ws-session';

/** Ended attempts kept for session:list (an unlimited reconnect must not grow without bound). */
const MAX_RECORDS_KEPT = 500;

export interface WsConnectionConfig extends WsSessionConfig {
  reconnect: ReconnectOptions;
  /** Times the waits between attempts (tests: fake time). */
  backoffClock?: Clock;
  /** In [0, 1), for the jitter (tests inject their own). */
  random?: () => number;
  /** Makes an attempt (tests stage attempts without sockets). */
  createAttempt?: (config: WsSessionConfig) => WsSession;
}

export class WsConnection {
  readonly id: string;
  readonly url: string;
  readonly createdAt = Date.now();
  readonly frames: FrameStore;
  readonly stats: SessionStatsRecorder;
  /** Settles once no attempt follows (the final `closed` went out). */
  readonly ended: Promise<void>;

  private readonly config: WsConnectionConfig;
  private readonly clock: Clock;
  private readonly random: () => number;
  private current: WsSession;
  private attemptNumber = 1;
  private attemptStartedAt = Date.now();
  private currentOpened = false;
  /** Reconnects since the connection was last open for long (RECONNECT_DEFAULTS.stableMs). */
  private retries = 0;
  /** When the attempt under way opened (backoff clock), undefined before. */
  private openedAt: number | undefined;
  private openedCount = 0;
  private readonly records: AttemptRecord[] = [];
  private waitTimer: TimerHandle | undefined;
  private userClosed = false;
  private ending: SessionEnding | undefined;
  private resolveEnded: () => void = () => undefined;
  /** options.reconnect.resend: what the attempt under way sent that opened its protocol session (undefined: resend off). */
  private ledger: OpeningLedger | undefined;
  /** What the next attempt to open sends again: the last opened attempt's, or an older one's if that one's replay did not finish. */
  private plan: ReplayPlan | undefined;
  /** The replay of the attempt under way, if it had one. */
  private replay: OpeningReplay | undefined;
  /** The last `resent` report (session:list carries it, so a reloaded page can say it again). */
  private lastResent: ResentReport | undefined;
  /** Whether the server refused the protocol session of the attempt under way (an MQTT CONNACK, a STOMP ERROR). */
  private refusalWatch: ProtocolRefusalWatch | undefined;
  /** When (backoff clock) the server refused it: the attempt was healthy only until then. */
  private refusedAt: number | undefined;

  constructor(config: WsConnectionConfig) {
    this.config = config;
    this.id = config.id;
    this.clock = config.backoffClock ?? systemClock;
    this.random = config.random ?? Math.random;
    this.frames = new FrameStore(config.options.history ?? config.frameStore);
    this.stats = new SessionStatsRecorder({ sendHighWaterMark: config.sendHighWaterMark ?? SEND_HIGH_WATER_MARK });
    this.ended = new Promise<void>((resolve) => {
      this.resolveEnded = resolve;
    });
    this.current = this.newAttempt();
    this.url = this.current.url;
  }

  get state(): SessionState {
    return this.current.state;
  }

  /** The wait under way, if any. */
  get pending(): AttemptNext | undefined {
    return this.waitTimer === undefined ? undefined : (this.records.at(-1)?.next ?? undefined);
  }

  start(): void {
    this.attemptStartedAt = Date.now();
    this.current.start();
  }

  send(kind: SendKind, payload: Buffer, mark?: RelayMark): number | undefined {
    const seq = this.current.send(kind, payload, mark);
    if (seq !== undefined && (kind === 'text' || kind === 'binary')) {
      this.ledger?.sent(kind, payload, seq);
      this.refusalWatch?.sent(kind, payload);
    }
    return seq;
  }

  ack(seq: number): void {
    this.current.ack(seq);
  }

  /** Closes the attempt under way (never retried), or cancels the wait for the next one. */
  close(code = 1000, reason = ''): Promise<void> {
    if (this.ending) return this.ended;
    this.userClosed = true;
    if (this.waitTimer !== undefined) {
      this.clock.clearTimeout(this.waitTimer);
      this.waitTimer = undefined;
      const last = this.records.at(-1);
      if (last) {
        // The separator said "next in N s": it now says that none follows, and why.
        const cancelled: AttemptRecord = { ...last, next: null, stopReason: 'reconnect cancelled by the user' };
        this.records[this.records.length - 1] = cancelled;
        this.config.emit({ type: 'attempt', sessionId: this.id, record: cancelled });
      }
      this.finish({ type: 'closed', sessionId: this.id, code: null, reason: '', wasClean: false, initiatedBy: 'client', at: Date.now() });
      return this.ended;
    }
    return this.current.close(code, reason).then(() => this.ended);
  }

  /** Starts the next attempt now instead of at the end of the wait; false when none is waiting. */
  reconnectNow(): boolean {
    if (this.waitTimer === undefined || this.ending) return false;
    this.clock.clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    const last = this.records.at(-1);
    if (last?.next) {
      // The separator said "next in N s": it now says the next attempt started at once.
      const cutShort: AttemptRecord = { ...last, next: { ...last.next, cutShortAt: this.clock.now() } };
      this.records[this.records.length - 1] = cutShort;
      this.config.emit({ type: 'attempt', sessionId: this.id, record: cutShort });
    }
    this.startNext();
    return true;
  }

  async dispose(): Promise<void> {
    if (this.ending) return;
    if (this.waitTimer !== undefined) {
      await this.close();
      return;
    }
    this.userClosed = true;
    await this.current.dispose();
    await this.ended;
  }

  info(): SessionInfo {
    return { ...sessionInfoOf(this, false), ...(this.records.length > 0 ? { attempts: [...this.records] } : {}), ...(this.lastResent ? { resent: this.lastResent } : {}) };
  }

  statsNow(): SessionStats {
    return this.withAttempts(this.stats.snapshot(Date.now()));
  }

  /** The ended attempts (the latest MAX_RECORDS_KEPT). */
  attempts(): readonly AttemptRecord[] {
    return this.records;
  }

  handshakeSteps(): readonly HandshakeStep[] {
    return this.current.handshakeSteps();
  }

  proxyDecision(): ProxyDecision | undefined {
    return this.current.proxyDecision();
  }

  closedInfo(): SessionEnding | undefined {
    return this.ending;
  }

  failure(): NetError | undefined {
    return this.current.failure();
  }

  redactText(text: string): string {
    return this.current.redactText(text);
  }

  secretHeaderNames(): string[] {
    return this.current.secretHeaderNames();
  }

  // -------------------------------------------------------------------------------------

  private newAttempt(): WsSession {
    const create = this.config.createAttempt ?? ((c: WsSessionConfig) => new WsSession(c));
    const { reconnect: _reconnect, backoffClock: _clock, random: _random, createAttempt: _create, ...base } = this.config;
    // The attempt emits nothing while it is being constructed, so `session` is set by then.
    const feed = base.feed;
    const session: WsSession = create({
      ...base,
      // While a replay waits for the server's answer to the opening, it reads the server's messages.
      ...(feed ? { feed: this.watching(feed) } : {}),
      id: this.id,
      shared: { frames: this.frames, stats: this.stats },
      emit: (event) => {
        if (session === this.current) this.onAttemptEvent(session, event);
      },
    });
    this.currentOpened = false;
    this.openedAt = undefined;
    this.refusalWatch = undefined;
    this.refusedAt = undefined;
    return session;
  }

  private onAttemptEvent(session: WsSession, event: EngineEvent): void {
    switch (event.type) {
      case 'closed':
        this.attemptEnded(session, event);
        return;
      case 'stats':
        this.config.emit({ ...event, stats: this.withAttempts(event.stats) });
        return;
      case 'frames':
        // A bare connection (no feed: tests) hears its frames here.
        if (this.config.feed === undefined) this.incomingNoted(event.fromSeq, event.toSeq ?? event.fromSeq);
        this.config.emit(event);
        return;
      case 'state':
        if (event.state === 'open') {
          this.currentOpened = true;
          this.openedAt = this.clock.now();
          this.openedCount += 1;
        }
        this.config.emit(event);
        // The figures across attempts at once, not a second later (the last ones are the previous attempt's).
        if (event.state === 'open') {
          this.config.emit({ type: 'stats', sessionId: this.id, stats: this.statsNow() });
          this.opened(session);
        }
        return;
      default:
        this.config.emit(event);
    }
  }

  private attemptEnded(session: WsSession, closed: EngineEventOf<'closed'>): void {
    this.keepPlan();
    const error = session.failure();
    const outcome: AttemptOutcome = {
      kind: session.state === 'failed' ? 'failed' : 'closed',
      opened: this.currentOpened,
      code: closed.code,
      reason: closed.reason,
      initiatedBy: closed.initiatedBy,
      ...(error ? { error } : {}),
    };
    const options = this.config.reconnect;
    if (closed.initiatedBy === 'server') this.refusalWatch?.serverClosed(closed.code, closed.reason);
    const refused = this.refusalWatch?.refusal;
    // Open for long: a new drop, not the same trouble again, so the count and the waits start afresh. Healthy only
    // until the server refused the session (RabbitMQ holds a connection ~60 s after its ERROR).
    const healthyUntil = this.refusedAt ?? this.clock.now();
    if (this.openedAt !== undefined && healthyUntil - this.openedAt >= RECONNECT_DEFAULTS.stableMs) this.retries = 0;
    let refusal = this.userClosed ? 'closed by the user' : retryRefusal(outcome, options, refused?.unchanging === true ? refused.line : undefined);
    if (refusal === undefined && !withinLimit(options, this.retries)) {
      refusal = `gave up after ${this.retries} reconnect${this.retries === 1 ? '' : 's'} (the limit)`;
    }
    let next: AttemptNext | null = null;
    if (refusal === undefined) {
      this.retries += 1;
      const { waitMs, asked } = waitHonouringRetryAfter(backoffDelay(options, this.retries, this.random), outcome.error, this.clock.now());
      next = { attempt: this.attemptNumber + 1, retry: this.retries, maxRetries: options.maxAttempts, waitMs, at: this.clock.now() + waitMs, ...(asked ? { asked } : {}) };
    }
    const record: AttemptRecord = {
      attempt: this.attemptNumber,
      startedAt: this.attemptStartedAt,
      endedAt: closed.at,
      afterSeq: this.frames.lastAssignedSeq,
      outcome,
      next,
      ...(refusal !== undefined ? { stopReason: refusal } : {}),
    };
    this.records.push(record);
    if (this.records.length > MAX_RECORDS_KEPT) this.records.shift();
    this.config.emit({ type: 'attempt', sessionId: this.id, record });
    if (next === null) {
      this.finish(closed);
      return;
    }
    this.waitTimer = this.clock.setTimeout(() => {
      this.waitTimer = undefined;
      this.startNext();
    }, next.waitMs);
  }

  /** An attempt opened: a new protocol session starts; from the second attempt on, the last one's opening is sent again. */
  private opened(session: WsSession): void {
    this.refusalWatch = new ProtocolRefusalWatch({ url: this.config.options.url, subprotocols: this.config.options.subprotocols });
    const resend = this.config.reconnect.resend;
    if (resend === 'none') return;
    this.ledger = new OpeningLedger({ url: this.config.options.url, subprotocols: this.config.options.subprotocols });
    this.replay = undefined;
    const plan = this.attemptNumber >= 2 ? this.plan : undefined;
    if (plan === undefined) return;
    // After the open event has gone out and the attempt finished opening (its timers, its keep-alive).
    queueMicrotask(() => {
      if (session !== this.current || session.state !== 'open' || this.userClosed) return;
      const replay = new OpeningReplay({
        attempt: this.attemptNumber,
        plan,
        choice: resend,
        target: { send: (kind, payload) => (session === this.current ? this.send(kind, payload, RESENT_MARK) : undefined) },
        report: (report) => {
          this.lastResent = report;
          this.config.emit({ type: 'resent', sessionId: this.id, ...report });
        },
      });
      this.replay = replay;
      replay.start();
    });
  }

  /**
   * The attempt under way ended: what it sent is what the next one sends again, unless its own
   * replay did not finish (then the plan it had stays, so nothing it never got to send is lost).
   * An attempt that never opened sent nothing and changes nothing.
   */
  private keepPlan(): void {
    const replay = this.replay;
    this.replay = undefined;
    if (!this.currentOpened || !this.ledger) return;
    if (replay && !replay.complete) {
      replay.stop(this.userClosed ? 'the connection was closed first' : "the connection ended before the server's answer");
      return;
    }
    this.plan = this.ledger.plan();
  }

  /** The engine's feed, with the server's messages handed to a replay that waits for its answer. */
  private watching(feed: FrameSink): FrameSink {
    return {
      note: (fromSeq, toSeq = fromSeq) => {
        feed.note(fromSeq, toSeq);
        this.incomingNoted(fromSeq, toSeq);
      },
      flush: () => feed.flush(),
    };
  }

  /**
   * Frames fromSeq..toSeq were stored: the ledger reads the server's data messages when they may
   * end something it keeps (at once, in seq order), a waiting replay reads them too (sending, if
   * it does, after this note).
   */
  private incomingNoted(fromSeq: number, toSeq: number): void {
    const replay = this.replay?.waiting ? this.replay : undefined;
    const ledger = this.ledger?.wantsIncoming ? this.ledger : undefined;
    const watch = this.refusalWatch?.wantsIncoming ? this.refusalWatch : undefined;
    if (!replay && !ledger && !watch) return;
    const messages: { kind: 'text' | 'binary'; payload: Buffer }[] = [];
    for (let seq = fromSeq; seq <= toSeq; seq++) {
      const entry = this.frames.entry(seq);
      if (entry?.dir !== 'in' || (entry.opcode !== 'text' && entry.opcode !== 'binary')) continue;
      ledger?.received(entry.opcode, entry.payload, seq);
      if (watch?.wantsIncoming) {
        watch.received(entry.opcode, entry.payload);
        if (watch.refusal !== undefined) this.refusedAt ??= this.clock.now();
      }
      if (replay) messages.push({ kind: entry.opcode, payload: Buffer.from(entry.payload) });
    }
    if (!replay || messages.length === 0) return;
    queueMicrotask(() => {
      for (const message of messages) {
        if (this.replay !== replay || !replay.waiting) return;
        replay.incoming(message.kind, message.payload);
      }
    });
  }

  private startNext(): void {
    this.attemptNumber += 1;
    this.current = this.newAttempt();
    this.attemptStartedAt = Date.now();
    this.config.emit({ type: 'attempt-started', sessionId: this.id, attempt: this.attemptNumber, at: this.attemptStartedAt });
    this.current.start();
  }

  private finish(closed: EngineEventOf<'closed'>): void {
    const { type: _type, sessionId: _id, ...ending } = closed;
    this.ending = ending;
    this.config.emit({ ...closed, type: 'closed', sessionId: this.id });
    this.resolveEnded();
  }

  private withAttempts(stats: SessionStats): SessionStats {
    return { ...stats, attempts: { started: this.attemptNumber, opened: this.openedCount } };
  }
}
