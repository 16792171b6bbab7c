/**
 * `--reconnect`, `--reconnect-max <n>`, `--reconnect-delay <ms>` and
 * `--reconnect-normal-close` → the connection's reconnect option. Any of the last three
 * implies `--reconnect`. Unset: the contract's defaults (no limit, 1 s first wait, 30 s
 * longest, ±20 % jitter, a normal close by the server ends the connection).
 */
import { RECONNECT_DEFAULTS, RECONNECT_LIMITS, type ReconnectOptionsInput } from '../shared/model';
import { wholeNumberFlag } from './whole-number-flag';

export interface ReconnectFlags {
  reconnect: boolean;
  max: string | undefined;
  delay: string | undefined;
  normalClose: boolean;
}

export function parseReconnectFlags(flags: ReconnectFlags): ReconnectOptionsInput | undefined {
  if (!flags.reconnect && flags.max === undefined && flags.delay === undefined && !flags.normalClose) return undefined;
  const maxAttempts = flags.max === undefined ? undefined : wholeNumberFlag(flags.max, 'reconnect-max', 0, RECONNECT_LIMITS.maxAttempts, 'reconnects (0: no limit)');
  const initialDelayMs = flags.delay === undefined ? undefined : wholeNumberFlag(flags.delay, 'reconnect-delay', RECONNECT_LIMITS.minDelayMs, RECONNECT_LIMITS.maxInitialDelayMs, 'milliseconds');
  return {
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    // A first wait past the default longest wait raises the longest wait with it.
    ...(initialDelayMs !== undefined ? { initialDelayMs, maxDelayMs: Math.max(initialDelayMs, RECONNECT_DEFAULTS.maxDelayMs) } : {}),
    ...(flags.normalClose ? { retryNormalClose: true } : {}),
  };
}
