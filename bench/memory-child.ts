/**
 * Run by memory-per-frame.ts in its own process with --expose-gc: stores a million frames of
 * 100-byte payloads and prints what the store costs beyond the payload bytes, as JSON.
 */
import { FrameStore } from '../src-main/core/session/frame-store';

const FRAMES = Number(process.argv[2] ?? 1_000_000);
const SIZE = 100;

function collect(): number {
  const gc: unknown = Reflect.get(globalThis, 'gc');
  if (typeof gc === 'function') for (let i = 0; i < 3; i++) gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

const before = collect();
const store = new FrameStore();
const payload = Buffer.alloc(SIZE, 0x61);
for (let i = 0; i < FRAMES; i++) {
  payload.writeUInt32BE(i, 0);
  store.push(i % 2 ? 'in' : 'out', 'text', payload);
}
const after = collect();
const payloadBytes = store.bytes;
process.stdout.write(
  `${JSON.stringify({ frames: store.count, payloadBytes, grownBytes: after - before, overheadPerFrame: (after - before - payloadBytes) / store.count })}\n`,
);
