/**
 * A connect flag that takes a whole number within bounds (`--keep-frames`, `--keepalive`,
 * `--reconnect-max`, `--repeat` …): one wording for every such usage error.
 */
import { UsageError } from './usage-error';

/** `value` as a whole number in min..max, or a usage error naming `--flagName` and the unit. */
export function wholeNumberFlag(value: string, flagName: string, min: number, max: number, unit: string): number {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flagName} must be a whole number of ${unit}, got "${value}"`, 'connect');
  const n = Number(text);
  if (n < min || n > max) {
    throw new UsageError(`--${flagName} must be between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')} ${unit}, got ${value}`, 'connect');
  }
  return n;
}
