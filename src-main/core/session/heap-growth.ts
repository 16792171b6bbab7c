/**
 * How far V8 lets the heap grow between full collections, set once per process by the engine.
 *
 * Why: the engine moves and keeps bytes outside V8's heap (every socket read is a fresh
 * ArrayBuffer; the frame store's slabs), and V8 (11.3, Node 20) counts every external byte
 * allocated since the last mark-compact against an old-generation limit it sizes from the JS
 * heap alone: max(live × factor, live + 8 MB) plus the young generation. With the engine's
 * ~22 MB heap and the factor V8 picks for a process that promotes few objects (1.1–1.7), that
 * limit is reached after 8–20 MB of reads, before the 32 MB of young buffers at which a cheap
 * scavenge would free them, so dead read buffers set off full mark-compacts of the whole heap
 * (about 60 ms of CPU each across threads). A fixed factor of 4, V8's own upper bound for a
 * desktop heap, puts that limit above the scavenge's. It is a limit, not a reservation: what is
 * live is unchanged, and V8's memory reducer still compacts an idle process.
 */
import v8 from 'node:v8';

/** V8's heap growing factor as a percentage over 100 (factor 4). */
export const HEAP_GROWING_PERCENT = 300;

let applied = false;

/** Sets the growing factor (once; later calls do nothing). `setFlags` is V8's, injectable for tests. */
export function applyHeapGrowthPolicy(setFlags: (flags: string) => void = (flags) => v8.setFlagsFromString(flags)): boolean {
  if (applied) return false;
  applied = true;
  setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
