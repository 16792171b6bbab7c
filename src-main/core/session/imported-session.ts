/**
 * A log opened from a file (NDJSON or HAR) for offline inspection: a session that is already
 * closed, read-only (nothing can be sent), with its frames in a store so paging, search,
 * statistics and export work exactly as for a live session.
 */
import type { AttemptRecord } from '../../shared/attempts';
import type { NetError } from '../../shared/errors';
import type { LogFormat } from '../../shared/log-file';
import type { HandshakeStep, ProxyDecision, SessionState } from '../../shared/model';
import type { SessionInfo } from '../../shared/session-info';
import type { ClientHandshake } from '../../shared/captured-from';
import type { SessionStats } from '../../shared/stats';
import type { FrameStore } from './frame-store';
import type { FrameNumbers } from '../../shared/frame-numbers';
import { sessionInfoOf, type SessionEnding, type SessionLog } from './session-log';
import { BusiestSecond } from './busiest-second';
import { SessionStatsRecorder } from './session-stats';

export interface ImportedSessionInit {
  id: string;
  name: string;
  format: LogFormat;
  url: string;
  createdAt: number;
  frames: FrameStore;
  decision?: ProxyDecision;
  steps: HandshakeStep[];
  error?: NetError;
  closed?: SessionEnding;
  /** A reconnecting connection's attempts, as the log recorded them. */
  attempts?: AttemptRecord[];
  /** An intercepted connection's client side of the handshake, as the log recorded it. */
  clientHandshake?: ClientHandshake;
  /** The file's own frame numbers, when they are not 1..n (a filtered export's): shown and exported instead of the store's seqs. */
  numbers?: FrameNumbers;
}

export class ImportedSession implements SessionLog {
  readonly readOnly = true;
  readonly id: string;
  readonly name: string;
  readonly format: LogFormat;
  readonly url: string;
  readonly createdAt: number;
  readonly frames: FrameStore;
  readonly state: SessionState = 'closed';
  private readonly decision: ProxyDecision | undefined;
  private readonly steps: HandshakeStep[];
  private readonly error: NetError | undefined;
  private readonly ending: SessionEnding | undefined;
  private readonly records: AttemptRecord[];
  private readonly clientSide: ClientHandshake | undefined;
  private readonly numbers: FrameNumbers | undefined;
  private readonly stats = new SessionStatsRecorder();
  /** Each direction's busiest second over the whole log. */
  private readonly logPeak: NonNullable<SessionStats['logPeak']>;
  private readonly lastFrameAt: number;

  constructor(init: ImportedSessionInit) {
    this.id = init.id;
    this.name = init.name;
    this.format = init.format;
    this.url = init.url;
    this.createdAt = init.createdAt;
    this.frames = init.frames;
    this.decision = init.decision;
    this.steps = init.steps;
    this.error = init.error;
    this.ending = init.closed;
    this.clientSide = init.clientHandshake;
    this.numbers = init.numbers;
    // A log exported while waiting to reconnect: nothing follows in a read-only log.
    this.records = (init.attempts ?? []).map((record) => (record.next === null ? record : { ...record, next: null, stopReason: 'the log ends while waiting to reconnect' }));
    // The figures as they stood when the log ended: totals, rates and round trips replayed.
    let last = init.createdAt;
    const busiest = new BusiestSecond();
    for (let seq = this.frames.firstSeq; seq > 0 && seq <= this.frames.lastSeq; seq++) {
      const frame = this.frames.entry(seq);
      if (!frame) continue;
      this.stats.record(frame.dir, frame.payload.length, frame.at);
      busiest.add(frame.dir, frame.payload.length, frame.at);
      if (frame.opcode === 'ping' && frame.dir === 'out') this.stats.pingSent(frame.payload, frame.at);
      if (frame.opcode === 'pong' && frame.dir === 'in') this.stats.pongReceived(frame.payload, frame.at);
      last = frame.at;
    }
    this.lastFrameAt = last;
    this.logPeak = busiest.rates();
  }

  info(): SessionInfo {
    return { ...sessionInfoOf(this, true), ...(this.records.length > 0 ? { attempts: [...this.records] } : {}) };
  }

  frameNumbers(): FrameNumbers | undefined {
    return this.numbers;
  }

  clientHandshake(): ClientHandshake | undefined {
    return this.clientSide;
  }

  attempts(): readonly AttemptRecord[] {
    return this.records;
  }

  handshakeSteps(): readonly HandshakeStep[] {
    return this.steps;
  }

  proxyDecision(): ProxyDecision | undefined {
    return this.decision;
  }

  closedInfo(): SessionEnding | undefined {
    return this.ending;
  }

  failure(): NetError | undefined {
    return this.error;
  }

  secretHeaderNames(): string[] {
    return [];
  }

  statsNow(): SessionStats {
    return { ...this.stats.snapshot(this.lastFrameAt), logPeak: this.logPeak };
  }

  /** Nothing to acknowledge: an import sends no batches. */
  ack(): void {}

  /** Read-only: nothing is ever sent. */
  send(): undefined {
    return undefined;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
