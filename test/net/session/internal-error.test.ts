/**
 * A bug inside the engine (here: a dependency throwing a plain Error instead of a NetFailure)
 * must end the session with INTERNAL_ERROR — never crash the process.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSession } from '../../support/session-harness';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an internal error', () => {
  it('fails the session with INTERNAL_ERROR at the stage that was running', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', onUncaught);
    try {
      const harness = startSession(
        { url: 'ws://127.0.0.1:9/' },
        { deps: { tcpConnect: async () => { throw new TypeError('boom: a bug'); } } },
      );
      const closed = await harness.closed(2000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const [errorEvent] = harness.of('error');
      expect(errorEvent?.error.code).toBe('INTERNAL_ERROR');
      expect(errorEvent?.error.stage).toBe('connect');
      expect(errorEvent?.error.details.causeMessage).toContain('boom: a bug');
      expect(errorEvent?.error.hint).toMatch(/bug in Tunnelscope/);
      expect(harness.states().at(-1)).toBe('failed');
      expect(closed.initiatedBy).toBe('none');
      expect(logged).toHaveBeenCalled();
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
