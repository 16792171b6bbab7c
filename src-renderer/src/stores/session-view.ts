/**
 * The renderer's picture of one engine session, built only from the event stream. Frame
 * summaries live in a plain (non-reactive) array and a version counter tells the UI when to
 * look again, so a fast stream costs one re-render per batch, not one per frame.
 */
import type { EngineEvent, EngineEventOf } from '../../../src-main/shared/events';
import type { NetError } from '../../../src-main/shared/errors';
import type { SessionStats } from '../../../src-main/shared/stats';
import type {
  FrameSummary,
  HandshakeStep,
  ProxyDecision,
  SessionState,
} from '../../../src-main/shared/model';

/** How many frame summaries the renderer keeps per session; older ones stay in the engine. */
export const RENDERER_FRAME_LIMIT = 200_000;

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
  /** Frames the renderer let go of (still in the engine unless also dropped there). */
  trimmed: number;
  counters: TrafficCounters;
  /** The engine's latest traffic statistics (rates, ping round trips), about once a second. */
  stats: SessionStats | null;
  /** Bumped whenever `frames` changed. */
  framesVersion: number;
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
    trimmed: 0,
    counters: { inMessages: 0, inBytes: 0, outMessages: 0, outBytes: 0 },
    stats: null,
    framesVersion: 0,
  };
}

const DATA_OPCODES = new Set(['text', 'binary']);

/** Applies a `frames` batch to the frame array and counters. Returns the new array. */
export function appendFrames(
  view: SessionView,
  frames: FrameSummary[],
  batch: EngineEventOf<'frames'>,
  limit: number = RENDERER_FRAME_LIMIT,
): FrameSummary[] {
  for (const frame of batch.frames) {
    frames.push(frame);
    if (DATA_OPCODES.has(frame.opcode)) {
      if (frame.dir === 'in') {
        view.counters.inMessages += 1;
        view.counters.inBytes += frame.size;
      } else {
        view.counters.outMessages += 1;
        view.counters.outBytes += frame.size;
      }
    }
  }
  view.dropped = batch.dropped;
  if (frames.length > limit) {
    const excess = frames.length - limit;
    frames.splice(0, excess);
    view.trimmed += excess;
  }
  view.framesVersion += 1;
  return frames;
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
    case 'closed':
      view.closed = {
        code: event.code,
        reason: event.reason,
        wasClean: event.wasClean,
        initiatedBy: event.initiatedBy,
        at: event.at,
      };
      break;
    default:
      break;
  }
}
