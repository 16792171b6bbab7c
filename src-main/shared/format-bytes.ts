/**
 * A size as the inspector shows it, in the Size column and in decoded summaries alike: `0 B`,
 * `212 B`, `1.5 KB`, `88 KB`, `3.4 MB` (binary multiples). Shared so an MQTT summary reads
 * "PUBLISH big/1 QoS 0 20 MB" beside a Size of 20 MB, not "20971520 B".
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // One decimal while it still says something; whole numbers once they are large.
  const text = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${text} ${units[unit] ?? 'TB'}`;
}
