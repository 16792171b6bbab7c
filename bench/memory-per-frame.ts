/**
 * (3) Memory per frame with one million frames stored, beyond the payload: measured in a
 * fresh process (so nothing else on the heap) with forced garbage collection before and after.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatNumber, type BenchRow } from './stats';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'memory-child.ts');
const FRAMES = 1_000_000;
const TARGET = 200;

export async function benchMemory(): Promise<BenchRow[]> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, String(FRAMES)], { timeout: 120_000, maxBuffer: 1024 * 1024 }, (error, out) =>
      error ? reject(error) : resolve(out),
    );
  });
  const parsed: unknown = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  const overhead = typeof parsed === 'object' && parsed !== null && 'overheadPerFrame' in parsed && typeof parsed.overheadPerFrame === 'number' ? parsed.overheadPerFrame : Number.NaN;
  const frames = typeof parsed === 'object' && parsed !== null && 'frames' in parsed && typeof parsed.frames === 'number' ? parsed.frames : 0;
  return [
    {
      name: `(3) memory per frame, ${formatNumber(frames)} frames of 100 B`,
      value: `${formatNumber(overhead, 1)} B beyond the payload`,
      ratio: overhead,
      target: `≤ ${TARGET} B`,
      met: frames === FRAMES && overhead <= TARGET,
    },
  ];
}
