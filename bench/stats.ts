/** Small helpers for the benchmark: medians, formatting, a yield. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function formatNumber(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
}

export function mbPerSecond(bytes: number, ms: number): number {
  return bytes / (1024 * 1024) / (ms / 1000);
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One line of the results table. */
export interface BenchRow {
  name: string;
  /** The figure measured, with its unit. */
  value: string;
  /** The baseline measured in the same run (when the target is a ratio). */
  baseline?: string;
  /** value / baseline, or the figure the target is checked on. */
  ratio?: number;
  target: string;
  /** 'reference': a figure shown to explain another row, with no target of its own. */
  met: boolean | 'skipped' | 'reference';
  /** What limits a missed target, or why a part was skipped. */
  note?: string;
}
