/**
 * What exports, search and statistics need from a session, live (WsSession) or imported
 * (ImportedSession): its frames and what happened before and after them.
 */
import type { AttemptRecord } from '../../shared/attempts';
import type { NetError } from '../../shared/errors';
import type { HandshakeStep, ProxyDecision, SessionState } from '../../shared/model';
import type { SessionEnding, SessionInfo } from '../../shared/session-info';
import type { SessionStats } from '../../shared/stats';
import type { FrameStore } from './frame-store';
import { redactUrl } from '../export/redact-log';
import type { CapturedFrom } from './session-relay';
import type { ClientHandshake } from '../../shared/captured-from';
import type { FrameNumbers } from '../../shared/frame-numbers';

export type { SessionEnding };

export interface SessionLog {
  readonly id: string;
  readonly url: string;
  readonly createdAt: number;
  readonly frames: FrameStore;
  readonly state: SessionState;
  /** An import's name (its file name). */
  readonly name?: string;
  handshakeSteps(): readonly HandshakeStep[];
  proxyDecision(): ProxyDecision | undefined;
  closedInfo(): SessionEnding | undefined;
  failure(): NetError | undefined;
  /** Header names the user marked secret, redacted in exports like the built-in ones. */
  secretHeaderNames(): string[];
  statsNow(): SessionStats;
  /** A reconnecting connection's ended attempts (absent: a single attempt). */
  attempts?(): readonly AttemptRecord[];
  /** The text with the session's secret values redacted (a live session knows them; an import has none). */
  redactText?(text: string): string;
  /** An intercepted connection: whose it is. */
  readonly captured?: CapturedFrom | undefined;
  /** An intercepted connection's client side of the handshake (what it asked, what we answered), once done. */
  clientHandshake?(): ClientHandshake | undefined;
  /** An import's own frame numbers when they are not 1..n (shared/frame-numbers.ts): exports write them instead of seqs. */
  frameNumbers?(): FrameNumbers | undefined;
}

/** The URL as events, lists and exports show it: without its password, a secret variable's value redacted. */
export function shownUrlOf(log: SessionLog): string {
  const url = redactUrl(log.url);
  return log.redactText ? log.redactText(url) : url;
}

/**
 * What `session:list` says of a session: its state and frame range, and what its events said
 * (for a host that missed them). An import is read-only and carries its name.
 */
export function sessionInfoOf(log: SessionLog, readOnly: boolean): SessionInfo {
  const decision = log.proxyDecision();
  const steps = log.handshakeSteps();
  const error = log.failure();
  const ending = log.closedInfo();
  const clientHandshake = log.clientHandshake?.();
  return {
    sessionId: log.id,
    url: shownUrlOf(log),
    state: log.state,
    createdAt: log.createdAt,
    framesStored: log.frames.count,
    framesDropped: log.frames.dropped,
    lastSeq: log.frames.lastAssignedSeq,
    ...(readOnly ? { readOnly: true } : {}),
    ...(log.name !== undefined ? { name: log.name } : {}),
    ...(decision ? { decision } : {}),
    ...(steps.length > 0 ? { steps: [...steps] } : {}),
    ...(error ? { error } : {}),
    ...(ending ? { ending } : {}),
    ...(log.captured ? { captured: { ...log.captured } } : {}),
    ...(clientHandshake ? { clientHandshake } : {}),
  };
}
