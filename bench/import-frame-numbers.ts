/**
 * What an import's own frame numbers cost (shared/frame-numbers.ts): imports a 1,000,000-frame
 * NDJSON log numbered 1..n (no mapping) or numbered as a filtered export is (every other number),
 * and prints the memory the imported log holds (heap + external + array buffers, after a GC)
 * and the mapping's own bytes. Run each kind in a fresh process:
 *   node --expose-gc --import tsx bench/import-frame-numbers.ts plain
 *   node --expose-gc --import tsx bench/import-frame-numbers.ts filtered
 */
import { importLog } from '../src-main/core/export/import-log';

const FRAMES = 1_000_000;
const kind = process.argv[2] === 'filtered' ? 'filtered' : 'plain';

function held(): number {
  const gc: unknown = Reflect.get(globalThis, 'gc');
  if (typeof gc === 'function') {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

function text(): string {
  const lines: string[] = [];
  for (let i = 1; i <= FRAMES; i++) {
    const seq = kind === 'filtered' ? i * 2 : i;
    lines.push(`{"seq":${seq},"dir":"in","opcode":"text","at":"2026-01-01T00:00:00.000Z","size":5,"text":"hello"}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const before = held();
  let file: string | undefined = text();
  const outcome = await importLog(file, {});
  file = undefined;
  if (!outcome.ok) throw new Error('import failed');
  const after = held();
  const numbers = outcome.log.numbers;
  console.log(
    JSON.stringify({
      kind,
      frames: outcome.log.frames.count,
      heldBytesPerFrame: Number(((after - before) / FRAMES).toFixed(2)),
      mappingBytesPerFrame: numbers ? numbers.bytes / numbers.count : 0,
    }),
  );
}

void main();
