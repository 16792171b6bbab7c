/**
 * `--reconnect`, `--reconnect-max <n>`, `--reconnect-delay <ms>` and
 * `--reconnect-normal-close` → the connection's reconnect option. Any of the last three
 * implies `--reconnect`. Unset: the contract's defaults (no limit, 1 s first wait, 30 s
 * longest, ±20 % jitter, a normal close by the server ends the connection).
 */
import { RECONNECT_DEFAULTS, type ReconnectOptionsInput } from '../shared/model';
import { UsageError } from './usage-error';

export interface ReconnectFlags {
  reconnect: boolean;
  max: string | undefined;
  delay: string | undefined;
  normalClose: boolean;
}

const MAX_ATTEMPTS = 10_000;
const MIN_DELAY_MS = 100;
const MAX_DELAY_MS = 600_000;

function wholeNumber(value: string, flagName: string, min: number, max: number, unit: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--${flagName} must be a whole number of ${unit}, got "${value}"`, 'connect');
  const n = Number(value.trim());
  if (n < min || n > max) {
    throw new UsageError(`--${flagName} must be between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')} ${unit}, got ${value}`, 'connect');
  }
  return n;
}

export function parseReconnectFlags(flags: ReconnectFlags): ReconnectOptionsInput | undefined {
  if (!flags.reconnect && flags.max === undefined && flags.delay === undefined && !flags.normalClose) return undefined;
  const maxAttempts = flags.max === undefined ? undefined : wholeNumber(flags.max, 'reconnect-max', 0, MAX_ATTEMPTS, 'reconnects (0: no limit)');
  const initialDelayMs = flags.delay === undefined ? undefined : wholeNumber(flags.delay, 'reconnect-delay', MIN_DELAY_MS, MAX_DELAY_MS, 'milliseconds');
  return {
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    // A first wait past the default longest wait raises the longest wait with it.
    ...(initialDelayMs !== undefined ? { initialDelayMs, maxDelayMs: Math.max(initialDelayMs, RECONNECT_DEFAULTS.maxDelayMs) } : {}),
    ...(flags.normalClose ? { retryNormalClose: true } : {}),
  };
}
