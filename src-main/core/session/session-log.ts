/**
 * What exports, search and statistics need from a session, live (WsSession) or imported
 * (ImportedSession): its frames and what happened before and after them.
 */
import type { NetError } from '../../shared/errors';
import type { HandshakeStep, ProxyDecision, SessionState } from '../../shared/model';
import type { SessionStats } from '../../shared/stats';
import type { FrameStore } from './frame-store';

export interface SessionEnding {
  code: number | null;
  reason: string;
  wasClean: boolean;
  initiatedBy: 'client' | 'server' | 'none';
  at: number;
}

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
}
