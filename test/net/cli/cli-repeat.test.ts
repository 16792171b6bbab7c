/**
 * `connect --send … --repeat N --interval T` run in process against the real Engine and an echo
 * server on 127.0.0.1. The repeat's timer is on a ManualClock (the engine's clock) that the test
 * advances while the run goes on; the sockets are real. Nothing asserts how long it took.
 */
import { describe, expect, it } from 'vitest';
import { useConnectFixture } from './connect-fixture';

const cli = useConnectFixture();

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, io } = await cli.runOnClock(args);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('connect --repeat', () => {
  it('sends each message N times with its own {{$counter}}, waits for the replies, closes, exits 0', async () => {
    const { code, out, err } = await run(['--send', 'a{{$counter}}', '--send', 'b', '--repeat', '3', '--interval', '250']);
    expect(code).toBe(0);
    const received = [...out.matchAll(/← .*text .*?(a\d|b)\s*$/gm)].map((m) => m[1]);
    expect(received).toEqual(['a1', 'a2', 'a3', 'b', 'b', 'b']);
    expect(err).toContain('repeat: done: 3 sends');
    expect(out).toMatch(/Closed .*we closed with 1000/);
  });

  it('--json: a repeat line per change and at its end, and every reply', async () => {
    const { code, out } = await run(['--json', '--send', 'x{{$counter}}', '--repeat', '4']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line) as { type: string; status?: string; sent?: number; text?: string; dir?: string; opcode?: string });
    const repeats = lines.filter((l) => l.type === 'repeat');
    expect(repeats.at(-1)).toMatchObject({ status: 'done', sent: 4, count: 4, intervalMs: 0 });
    const replies = lines.filter((l) => l.type === 'frame' && l.dir === 'in' && l.opcode === 'text').map((l) => l.text);
    expect(replies).toEqual(['x1', 'x2', 'x3', 'x4']);
  });
});
