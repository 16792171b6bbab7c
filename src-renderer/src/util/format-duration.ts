/** Durations for people: "2 ms", "1.24 s", "4 m 12 s", "1 h 3 m". */

/** 2 → "2 ms", 1240 → "1.24 s", 12_400 → "12 s", 252_000 → "4 m 12 s", 3_780_000 → "1 h 3 m". */
export function formatDuration(ms: number): string {
  const value = Math.max(0, ms);
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 10_000) return `${(value / 1000).toFixed(2)} s`;
  const seconds = Math.floor(value / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} m ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} m`;
}
