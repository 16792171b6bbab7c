/**
 * connect and the session's transport limits. The CLI waits for the engine's close deadline:
 * a close the server never answers ends with the engine's transport/CLOSE_TIMEOUT (printed,
 * exit 1), not with the CLI giving up first and calling it a normal end (fake time). A send
 * refused because the server is not reading waits for the queue to drain instead of being lost.
 */
import { describe, expect, it, vi } from 'vitest';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine, type ConnectCommand } from '../../../src-main/cli/parse-args';
import { DEFAULT_CLOSE_TIMEOUT_MS } from '../../../src-main/core/session/ws-session';
import { FakeEngine, fakeIo } from './fake-engine';

function connect(...args: string[]): ConnectCommand {
  const command = parseCommandLine(['connect', 'ws://127.0.0.1:1/', ...args]);
  if (command.kind !== 'connect') throw new Error(`expected connect, got ${command.kind}`);
  return command;
}

describe('connect: a close the server does not answer', () => {
  it('reports CLOSE_TIMEOUT and exits 1', async () => {
    vi.useFakeTimers();
    try {
      const engine = new FakeEngine({ closeUnansweredMs: DEFAULT_CLOSE_TIMEOUT_MS, greet: ['one'] });
      const io = fakeIo();
      let code: number | undefined;
      void runConnect(connect('--count', '1'), engine, io).then((exit) => (code = exit));
      await vi.advanceTimersByTimeAsync(100);
      expect(engine.calls.map((c) => c.name)).toContain('session:close');
      await vi.advanceTimersByTimeAsync(DEFAULT_CLOSE_TIMEOUT_MS);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(code).toBe(1);
      expect(io.stderrText()).toContain('The server did not answer the close');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('connect: a send refused because the server is not reading', () => {
  it('waits for the queue to drain and sends it then, in order, without a "not sent" line', async () => {
    const engine = new FakeEngine({ refuseSends: 2 });
    const io = fakeIo();
    const code = await runConnect(connect('--send', 'first', '--send', 'second'), engine, io);
    expect(code).toBe(0);
    const sends = engine.calls.filter((c) => c.name === 'session:send').map((c) => (c.arg as { data: string }).data);
    // Two refusals of "first", then both go, in order.
    expect(sends).toEqual(['first', 'first', 'first', 'second']);
    expect(io.stderrText()).not.toContain('not sent');
    expect(io.stdoutText()).toContain('second');
  });
});
