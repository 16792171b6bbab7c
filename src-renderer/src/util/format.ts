/**
 * Numbers, sizes and times as the inspector shows them. Fixed formats (not the locale's) so a
 * column of times or sizes lines up and a screenshot reads the same everywhere.
 */

const counts = new Intl.NumberFormat('en-US');

/** `1,204` */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** `1 frame`, `1,204 frames` */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/** `0 B`, `212 B`, `1.5 KiB`, `88.0 KiB`, `23.1 MiB`: shared with the engine's decoded summaries and the CLI. */
export { formatBytes } from '../../../src-main/shared/format-bytes';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `12:03:41.512` in local time. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `2024-05-01 12:03:41.512 (UTC+02:00)`: the full local timestamp with its offset. */
export function formatTimestamp(epochMs: number): string {
  const d = new Date(epochMs);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const zone = `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(epochMs)} (${zone})`;
}

/**
 * A duration as the log's time column shows it: `+0.004`, `+12.345` (seconds), `+1:02.345`
 * (minutes), `+1:02:03.456` (hours). Signed, so an out-of-order row reads as such.
 */
export function formatElapsed(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const total = Math.round(Math.abs(ms));
  const millis = pad(total % 1000, 3);
  const seconds = Math.floor(total / 1000);
  if (seconds < 60) return `${sign}${seconds}.${millis}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${sign}${minutes}:${pad(seconds % 60)}.${millis}`;
  return `${sign}${Math.floor(minutes / 60)}:${pad(minutes % 60)}:${pad(seconds % 60)}.${millis}`;
}

const encoder = new TextEncoder();

/** Bytes the text takes in UTF-8 (what goes over the wire). */
export function utf8ByteLength(text: string): number {
  return encoder.encode(text).length;
}
