/**
 * The session state machine of ARCHITECTURE.md, over the pipeline table (shared/pipeline-legs.ts):
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
import { nextStates } from '../../shared/pipeline-legs';

export { isConnectingState, isFinalState } from '../../shared/pipeline-legs';

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

/** The transitions are the pipeline table's (shared/pipeline-legs.ts): each row's `next`, then closed or failed. */
export function canTransition(from: SessionState, to: SessionState): boolean {
  return nextStates(from).includes(to);
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
