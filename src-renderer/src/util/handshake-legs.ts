/**
 * The handshake timeline's rows, built from a session's steps, its state and its error:
 * finished legs, the leg running now, and the leg that failed (from the error's stage when
 * the engine gave no step for it). Pure, so the component only draws.
 */
import type { ErrorStage, NetError } from '../../../src-main/shared/errors';
import type { HandshakeLegName, HandshakeStep, SessionState } from '../../../src-main/shared/model';

export const LEG_LABELS: Record<HandshakeLegName, string> = {
  resolve: 'Resolve proxy',
  tcp: 'TCP',
  'proxy-tls': 'Proxy TLS',
  proxy: 'CONNECT',
  tls: 'TLS',
  upgrade: 'Upgrade',
};

const LEG_OF_STATE: Partial<Record<SessionState, HandshakeLegName>> = {
  'resolving-proxy': 'resolve',
  connecting: 'tcp',
  'proxy-tls': 'proxy-tls',
  tunneling: 'proxy',
  tls: 'tls',
  upgrading: 'upgrade',
};

const LEG_OF_STAGE: Partial<Record<ErrorStage, HandshakeLegName>> = {
  resolve: 'resolve',
  'proxy-connect': 'tcp',
  connect: 'tcp',
  'proxy-tls': 'proxy-tls',
  tunnel: 'proxy',
  tls: 'tls',
  upgrade: 'upgrade',
};

/** The leg a connecting state is working on; null once open, closed or failed. */
export function legOfState(state: SessionState): HandshakeLegName | null {
  return LEG_OF_STATE[state] ?? null;
}

/** The leg an error's stage points at; null for failures after open (protocol, transport). */
export function legOfStage(stage: ErrorStage): HandshakeLegName | null {
  return LEG_OF_STAGE[stage] ?? null;
}

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
  return LEG_LABELS[leg];
}

/** The proxy for the legs that talk to it, the target for the others. */
function failedPeer(leg: HandshakeLegName, error: NetError): string | null {
  const toProxy = leg === 'tcp' || leg === 'proxy-tls' || leg === 'proxy';
  return (toProxy ? error.details.proxy : undefined) ?? error.details.target ?? null;
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
