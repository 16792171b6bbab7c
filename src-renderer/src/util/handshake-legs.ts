/**
 * The handshake timeline's rows, built from a session's steps, its state and its error:
 * finished legs, the leg running now, and the leg that failed (from the error's stage when
 * the engine gave no step for it). Pure, so the component only draws.
 */
import type { NetError } from '../../../src-main/shared/errors';
import type { HandshakeLegName, HandshakeStep, SessionState } from '../../../src-main/shared/model';
import { legLabel as tableLabel, legOfStage, legOfState, legRow } from '../../../src-main/shared/pipeline-legs';

// Which leg a state or an error's stage points at is the pipeline table's (shared/pipeline-legs.ts).
export { legOfStage, legOfState };

/**
 * `retried`: a leg that failed but the connection went on (a proxy that asked for credentials
 * and got them on a new connection, or a PAC list's next proxy).
 */
export type RowStatus = 'ok' | 'failed' | 'retried' | 'running';

export interface TimelineRow {
  key: string;
  leg: HandshakeLegName;
  label: string;
  status: RowStatus;
  startedAt: number;
  ms: number;
  peer: string | null;
  /** The engine's step; null for the running leg and for a failed leg known only from the error. */
  step: HandshakeStep | null;
}

export interface TimelineInput {
  state: SessionState;
  stateSince: number;
  steps: readonly HandshakeStep[];
  error: NetError | null;
}

function legLabel(leg: HandshakeLegName, step: HandshakeStep | null): string {
  if (leg === 'proxy' && step?.request?.startLine.startsWith('SOCKS')) return 'SOCKS';
  return tableLabel(leg);
}

/** The proxy for the legs that talk to it, the target for the others. */
function failedPeer(leg: HandshakeLegName, error: NetError): string | null {
  return (legRow(leg).toProxy ? error.details.proxy : undefined) ?? error.details.target ?? null;
}

export function timelineRows(input: TimelineInput, now: number): TimelineRow[] {
  const rows: TimelineRow[] = input.steps.map((step, i) => ({
    key: `${i}-${step.leg}`,
    leg: step.leg,
    label: legLabel(step.leg, step),
    status: step.ok ? 'ok' : i < input.steps.length - 1 ? 'retried' : 'failed',
    startedAt: step.startedAt,
    ms: step.ms,
    peer: step.peer ?? null,
    step,
  }));
  const last = input.steps[input.steps.length - 1];
  const lastEnd = last ? last.startedAt + last.ms : input.stateSince;

  const running = legOfState(input.state);
  // The running leg's own step may already be in (the state changes a moment later).
  if (running && !(last && last.leg === running && last.startedAt >= input.stateSince)) {
    rows.push({
      key: `running-${running}`,
      leg: running,
      label: legLabel(running, null),
      status: 'running',
      startedAt: input.stateSince,
      ms: Math.max(0, now - input.stateSince),
      peer: null,
      step: null,
    });
  }

  if (input.state === 'failed' && input.error) {
    const failedLeg = legOfStage(input.error.stage);
    if (failedLeg) {
      const marked = rows.find((r) => r.leg === failedLeg && r.status === 'failed');
      if (!marked) {
        rows.push({
          key: `failed-${failedLeg}`,
          leg: failedLeg,
          label: legLabel(failedLeg, null),
          status: 'failed',
          startedAt: Math.max(lastEnd, input.stateSince),
          ms: 0,
          peer: failedPeer(failedLeg, input.error),
          step: null,
        });
      }
    }
  }
  return rows;
}

/** Where a row's bar starts and how wide it is, as fractions of the whole handshake. */
export function barGeometry(rows: readonly TimelineRow[], row: TimelineRow): { left: number; width: number } {
  if (rows.length === 0) return { left: 0, width: 0 };
  const start = Math.min(...rows.map((r) => r.startedAt));
  const end = Math.max(...rows.map((r) => r.startedAt + r.ms));
  const span = Math.max(1, end - start);
  return { left: (row.startedAt - start) / span, width: row.ms / span };
}
