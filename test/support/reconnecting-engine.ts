/**
 * An Engine for reconnect tests: its reconnect waits are on a ManualClock moved on at once when
 * an attempt announces its wait, so a test waits on events, never on time. `until` resolves once
 * `ready()` holds, looked at again after every event.
 */
import { Engine } from '../../src-main/core/engine';
import type { EngineEvent } from '../../src-main/shared/events';
import { ManualClock } from './manual-clock';

export interface ReconnectingEngine {
  engine: Engine;
  /** The engine's clock, for a test that moves time on itself (an attempt kept open 11 s). */
  clock: ManualClock;
  /** Every event, in order. */
  events: EngineEvent[];
  until(ready: () => boolean): Promise<void>;
}

export function reconnectingEngine(): ReconnectingEngine {
  const clock = new ManualClock();
  const engine = new Engine({ host: 'cli', version: 't', env: {}, batch: { intervalMs: 1 }, clock });
  const events: EngineEvent[] = [];
  const wakers = new Set<() => void>();
  engine.onEvent((event) => {
    events.push(event);
    if (event.type === 'attempt' && event.record.next) {
      const wait = event.record.next.waitMs;
      setImmediate(() => clock.advance(wait));
    }
    for (const wake of [...wakers]) wake();
  });
  const until = async (ready: () => boolean): Promise<void> => {
    while (!ready()) await new Promise<void>((resolve) => wakers.add(() => (wakers.clear(), resolve())));
  };
  return { engine, clock, events, until };
}
