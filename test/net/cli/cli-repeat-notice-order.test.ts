/**
 * `connect --send a --repeat 3`: "repeat: done: 3 sends" comes after the line of the third sent
 * frame, on one interleaved record of stdout and stderr (the frames come in batches after the
 * repeat's own event). The repeat's timer is a ManualClock; nothing asserts how long it took.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { ManualClock } from '../../support/manual-clock';
import { fakeIo } from '../../unit/cli/fake-engine';

let engine: Engine | undefined;
let echo: EchoServer | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await echo?.close();
  echo = undefined;
});

/** Every line written, stdout and stderr, in the order written. */
async function runInterleaved(args: string[]): Promise<{ code: number; lines: string[] }> {
  echo = await startEchoServer();
  const clock = new ManualClock();
  engine = new Engine({ host: 'cli', version: '1', env: {}, clock, batch: { intervalMs: 5 } });
  const command = parseCommandLine(['connect', echo.url, '--no-proxy', ...args]);
  if (command.kind !== 'connect') throw new Error('expected connect');
  const io = fakeIo();
  let written = '';
  io.stdout.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  io.stderr.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  let code: number | undefined;
  void runConnect(command, engine, io).then((exit) => (code = exit));
  for (let i = 0; i < 5000 && code === undefined; i++) {
    clock.advance(250);
    await nextTurn();
  }
  if (code === undefined) throw new Error(`the run did not end; stderr: ${io.stderrText()}`);
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
