/**
 * The session state machine of ARCHITECTURE.md:
 *
 *   idle → resolving-proxy → connecting → proxy-tls? → tunneling → tls? → upgrading → open
 *        → closing → closed                       any step → failed
 *
 * `connecting` may be re-entered from the proxy steps: a PAC answer such as
 * `PROXY a; PROXY b; DIRECT` falls back to the next route when a proxy cannot be reached.
 * Before open, a user's close goes straight to `closed` (there is no close handshake yet).
 * An illegal transition is a bug in the engine and throws: it must surface, not be ignored.
 */
import type { SessionState } from '../../shared/model';

const TRANSITIONS: Record<SessionState, readonly SessionState[]> = {
  idle: ['resolving-proxy', 'closed', 'failed'],
  'resolving-proxy': ['connecting', 'closed', 'failed'],
  connecting: ['connecting', 'proxy-tls', 'tunneling', 'tls', 'upgrading', 'closed', 'failed'],
  'proxy-tls': ['connecting', 'tunneling', 'closed', 'failed'],
  tunneling: ['connecting', 'tls', 'upgrading', 'closed', 'failed'],
  tls: ['upgrading', 'closed', 'failed'],
  upgrading: ['open', 'closed', 'failed'],
  open: ['closing', 'closed', 'failed'],
  closing: ['closed', 'failed'],
  closed: [],
  failed: [],
};

export class IllegalTransitionError extends Error {
  readonly from: SessionState;
  readonly to: SessionState;

  constructor(from: SessionState, to: SessionState) {
    super(`illegal session state transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
    this.from = from;
    this.to = to;
  }
}

export function canTransition(from: SessionState, to: SessionState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Terminal states: nothing follows them. */
export function isFinalState(state: SessionState): boolean {
  return state === 'closed' || state === 'failed';
}

/** States before the WebSocket is open, in which a close aborts the connection attempt. */
export function isConnectingState(state: SessionState): boolean {
  return (
    state === 'idle' ||
    state === 'resolving-proxy' ||
    state === 'connecting' ||
    state === 'proxy-tls' ||
    state === 'tunneling' ||
    state === 'tls' ||
    state === 'upgrading'
  );
}

export interface StateChange {
  previous: SessionState;
  state: SessionState;
}

export class SessionStateMachine {
  private current: SessionState = 'idle';

  get state(): SessionState {
    return this.current;
  }

  /** Moves to `to`; throws IllegalTransitionError when the table does not allow it. */
  transition(to: SessionState): StateChange {
    const previous = this.current;
    if (!canTransition(previous, to)) throw new IllegalTransitionError(previous, to);
    this.current = to;
    return { previous, state: to };
  }
}
