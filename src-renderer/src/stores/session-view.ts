/**
 * The renderer's picture of one engine session, built only from the event stream. Frame
 * summaries live in a bounded, non-reactive cache (see frame-feed.ts); the view carries only
 * the range of seqs the engine holds and a version counter that tells the UI when to look
 * again, published at most once per animation frame however fast frames arrive.
 */
import type { AttemptNext, AttemptRecord, ResentReport } from '../../../src-main/shared/attempts';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { SessionInfo } from '../../../src-main/shared/session-info';
import type { NetError } from '../../../src-main/shared/errors';
import type { SessionStats } from '../../../src-main/shared/stats';
import type {
  HandshakeStep,
  ProxyDecision,
  SessionState,
} from '../../../src-main/shared/model';

export interface TrafficCounters {
  inMessages: number;
  inBytes: number;
  outMessages: number;
  outBytes: number;
}

export interface ClosedInfo {
  code: number | null;
  reason: string;
  wasClean: boolean;
  initiatedBy: 'client' | 'server' | 'none';
  at: number;
  /** Why the server closed, where the engine knows (an Engine.IO ping left unanswered). */
  diagnosis?: string;
}

export interface SessionView {
  id: string;
  url: string;
  createdAt: number;
  state: SessionState;
  stateSince: number;
  openedAt: number | null;
  decision: ProxyDecision | null;
  steps: HandshakeStep[];
  error: NetError | null;
  closed: ClosedInfo | null;
  /** Frames the engine evicted from its bounded store. */
  dropped: number;
  /** Oldest and newest seq the engine's store holds (0 while it holds none). */
  firstSeq: number;
  lastSeq: number;
  /**
   * Frames the engine stored but did not send as summaries because the renderer fell behind
   * (its latest "frames skipped" notice); 0 once batches flow again. They are paged on demand.
   */
  behind: number;
  /** Data frames (text, binary) whose summaries reached the renderer, each way. */
  counters: TrafficCounters;
  /** An imported log: read-only, nothing can be sent. */
  readOnly: boolean;
  /** The import's name (its file name), when there is one. */
  name: string | null;
  /** A WebSocket the intercepting proxy captured: its client (address, process where known); else null. */
  captured: NonNullable<SessionInfo['captured']> | null;
  /** A captured WebSocket's client side of the handshake, as `session:list` said it (the Intercept list's row says it live); else null. */
  clientHandshake: NonNullable<SessionInfo['clientHandshake']> | null;
  /** The engine's latest traffic statistics (rates, ping round trips), about once a second. */
  stats: SessionStats | null;
  /** Bumped whenever `frames` changed. */
  framesVersion: number;
  /** A reconnecting connection (options.reconnect): its ended attempts, the log's separators. */
  attempts: AttemptRecord[];
  /** The wait for the next attempt, while the engine waits (null otherwise). */
  retry: AttemptNext | null;
  /** What a reconnect last sent again (its `resent` events, or session:list after a reload); null: none. */
  resent: ResentReport | null;
}

/** Separators kept in the view (the engine keeps its own, bounded too). */
const MAX_ATTEMPTS_SHOWN = 500;

/** An ended attempt: a record for the same attempt replaces it (a cancelled wait), a new one is added. */
export function withAttempt(list: readonly AttemptRecord[], record: AttemptRecord): AttemptRecord[] {
  const last = list.at(-1);
  const next = last !== undefined && last.attempt === record.attempt ? [...list.slice(0, -1), record] : [...list, record];
  return next.length > MAX_ATTEMPTS_SHOWN ? next.slice(next.length - MAX_ATTEMPTS_SHOWN) : next;
}

export function createSessionView(id: string, url: string, at: number): SessionView {
  return {
    id,
    url,
    createdAt: at,
    state: 'idle',
    stateSince: at,
    openedAt: null,
    decision: null,
    steps: [],
    error: null,
    closed: null,
    dropped: 0,
    firstSeq: 0,
    lastSeq: 0,
    behind: 0,
    counters: { inMessages: 0, inBytes: 0, outMessages: 0, outBytes: 0 },
    readOnly: false,
    name: null,
    captured: null,
    clientHandshake: null,
    stats: null,
    framesVersion: 0,
    attempts: [],
    retry: null,
    resent: null,
  };
}

/** Applies any non-frame event to the view. */
export function applyEvent(view: SessionView, event: EngineEvent): void {
  switch (event.type) {
    case 'proxy-decision':
      view.decision = event.decision;
      break;
    case 'state':
      view.state = event.state;
      view.stateSince = event.at;
      if (event.state === 'open') view.openedAt = event.at;
      break;
    case 'handshake':
      view.steps = [...view.steps, event.step];
      break;
    case 'error':
      view.error = event.error;
      break;
    case 'stats':
      view.stats = event.stats;
      break;
    case 'attempt':
      view.attempts = withAttempt(view.attempts, event.record);
      view.retry = event.record.next;
      break;
    case 'resent': {
      const { type: _type, sessionId: _sessionId, ...report } = event;
      view.resent = report;
      break;
    }
    case 'attempt-started':
      // A new attempt: its handshake and failure replace the last one's (the separator keeps that).
      view.retry = null;
      view.steps = [];
      view.error = null;
      break;
    case 'closed':
      view.retry = null;
      view.closed = {
        code: event.code,
        reason: event.reason,
        wasClean: event.wasClean,
        initiatedBy: event.initiatedBy,
        at: event.at,
        ...(event.diagnosis !== undefined ? { diagnosis: event.diagnosis } : {}),
      };
      break;
    default:
      break;
  }
}
