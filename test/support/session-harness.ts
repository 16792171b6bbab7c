/**
 * Runs a WsSession in a test: options go through the contract's schema (so defaults apply
 * as in production), every event is collected, and `closed()` waits for the session's end.
 */
import type { Clock } from '../../src-main/core/net/clock';
import { WsSession, type SessionDeps } from '../../src-main/core/session/ws-session';
import type { EngineEvent, EngineEventOf, EngineEventType } from '../../src-main/shared/events';
import { connectionOptionsSchema, type ConnectionOptionsInput, type FrameSummary } from '../../src-main/shared/model';

export interface Harness {
  session: WsSession;
  events: EngineEvent[];
  of<T extends EngineEventType>(type: T): EngineEventOf<T>[];
  /** States in order, starting with the first transition's target. */
  states(): string[];
  /** Every frame summary delivered in `frames` events, in order. */
  frames(): FrameSummary[];
  /** Resolves with the closed event (rejects after `ms`). */
  closed(ms?: number): Promise<EngineEventOf<'closed'>>;
  /** Resolves once the session is open (rejects if it ends first or after `ms`). */
  opened(ms?: number): Promise<void>;
}

export function startSession(
  options: ConnectionOptionsInput,
  extra: {
    deps?: Partial<SessionDeps>;
    closeTimeoutMs?: number;
    batch?: { intervalMs?: number; maxFrames?: number; maxUnacked?: number };
    statsIntervalMs?: number;
    start?: boolean;
    /** Time for the keep-alive and the close deadline (a ManualClock in tests). */
    clock?: Clock;
    sendHighWaterMark?: number;
  } = {},
): Harness {
  const events: EngineEvent[] = [];
  const waiters: (() => void)[] = [];
  const session = new WsSession({
    id: 'test-session',
    options: connectionOptionsSchema.parse({ proxy: { mode: 'none' }, ...options }),
    environment: { env: {} },
    emit: (event) => {
      events.push(event);
      for (const wake of waiters.splice(0)) wake();
    },
    batch: extra.batch ?? { intervalMs: 5 },
    ...(extra.deps ? { deps: extra.deps } : {}),
    ...(extra.closeTimeoutMs !== undefined ? { closeTimeoutMs: extra.closeTimeoutMs } : {}),
    ...(extra.statsIntervalMs !== undefined ? { statsIntervalMs: extra.statsIntervalMs } : {}),
    ...(extra.clock ? { clock: extra.clock } : {}),
    ...(extra.sendHighWaterMark !== undefined ? { sendHighWaterMark: extra.sendHighWaterMark } : {}),
  });
  const of = <T extends EngineEventType>(type: T): EngineEventOf<T>[] =>
    events.filter((e): e is EngineEventOf<T> => e.type === type);
  const waitFor = <T>(pick: () => T | undefined, ms: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; events: ${events.map((e) => e.type).join(', ')}`)), ms);
      const check = (): void => {
        const value = pick();
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else {
          waiters.push(check);
        }
      };
      check();
    });
  if (extra.start !== false) session.start();
  return {
    session,
    events,
    of,
    states: () => of('state').map((e) => e.state),
    frames: () => of('frames').flatMap((e) => e.frames),
    closed: (ms = 5000) => waitFor(() => of('closed')[0], ms, 'closed'),
    opened: async (ms = 5000) => {
      await waitFor(() => (session.state === 'open' || of('closed').length > 0 ? true : undefined), ms, 'open');
      if (session.state !== 'open') throw new Error(`the session ended before open: ${JSON.stringify(of('error')[0]?.error)}`);
    },
  };
}
