/** What one soak scenario reports: its figures, and every problem it found (none: it held). */
export interface SoakResult {
  name: string;
  /** Figures measured, one short line each. */
  figures: string[];
  /** Each thing that went wrong, said in a sentence; empty when the scenario held. */
  problems: string[];
}

/** A Node heap figure in MB, after a full collection when the runner exposes `gc`. */
export function heapMb(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

export function rssMb(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
