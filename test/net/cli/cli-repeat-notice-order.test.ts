/**
 * `connect --send a --repeat 3`: "repeat: done: 3 sends" comes after the line of the third sent
 * frame, on one interleaved record of stdout and stderr (the frames come in batches after the
 * repeat's own event). The repeat's timer is a ManualClock; nothing asserts how long it took.
 */
import { describe, expect, it } from 'vitest';
import { useConnectFixture } from './connect-fixture';

const cli = useConnectFixture();

/** Every line written, stdout and stderr, in the order written. */
async function runInterleaved(args: string[]): Promise<{ code: number; lines: string[] }> {
  const { code, written } = await cli.runOnClock(args);
  return { code, lines: written.split('\n') };
}

describe('connect --repeat: the notice of its end', () => {
  it('comes after the last sent frame of the repeat (human output)', async () => {
    const { code, lines } = await runInterleaved(['--send', 'a', '--send', 'b', '--repeat', '3', '--interval', '250']);
    expect(code).toBe(0);
    const sent = lines.flatMap((line, i) => (/→ .*text .*\b(a|b)\s*$/.test(line) ? [i] : []));
    const done = lines.flatMap((line, i) => (line.includes('repeat: done: 3 sends') ? [i] : []));
    expect(sent).toHaveLength(6);
    expect(done).toHaveLength(2);
    const [a3, b3] = [sent[2] ?? -1, sent[5] ?? -1];
    const [doneA, doneB] = [done[0] ?? -1, done[1] ?? -1];
    expect(doneA).toBeGreaterThan(a3);
    expect(doneA).toBeLessThan(sent[3] ?? -1);
    expect(doneB).toBeGreaterThan(b3);
  });

  it('--json: the repeat line of its end comes after its last sent frame', async () => {
    const { code, lines } = await runInterleaved(['--json', '--send', 'x', '--repeat', '3', '--interval', '250']);
    expect(code).toBe(0);
    const parsed = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; dir?: string; opcode?: string; status?: string });
    const lastSent = parsed.findLastIndex((l) => l.type === 'frame' && l.dir === 'out' && l.opcode === 'text');
    const done = parsed.findIndex((l) => l.type === 'repeat' && l.status === 'done');
    expect(done).toBeGreaterThan(lastSent);
  });
});
