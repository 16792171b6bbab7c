/**
 * A size as the app and the CLI both say it, in the Size column, decoded summaries and the CLI's
 * frame lines alike: `0 B`, `212 B`, `1.5 KiB`, `88.0 KiB`, `23.1 MiB`. Binary multiples named
 * as such (a 24,177,791-byte frame is 23.1 MiB, not "23 MB"); one decimal throughout, so a
 * size reads the same in the app, in a summary ("PUBLISH big/1 QoS 0 20.0 MiB") and in a terminal.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'TiB'}`;
}
