/**
 * `--timeout`, `--proxy-connect-timeout`, `--proxy-answer-timeout`, `--tls-timeout` and
 * `--upgrade-timeout` (milliseconds) → the connection's `timeouts`. Each flag is the one
 * DEADLINE_TEXT names, so a hint and --help point at the same word.
 */
import { DEADLINE_NAMES, DEADLINE_TEXT, TIMEOUT_KEYS, TIMEOUT_LIMITS, type DeadlineName, type Timeouts } from '../shared/timeouts';
import { UsageError } from './usage-error';

/** The option names (without `--`) for node:util parseArgs, in leg order. */
export const TIMEOUT_FLAG_NAMES: readonly string[] = DEADLINE_NAMES.map((name) => DEADLINE_TEXT[name].flag.slice(2));

function milliseconds(value: string, name: DeadlineName): number {
  const flag = DEADLINE_TEXT[name].flag;
  const max = name === 'open' ? TIMEOUT_LIMITS.maxOpenMs : TIMEOUT_LIMITS.maxLegMs;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag} must be a whole number of milliseconds, got "${value}"`, 'connect');
  const ms = Number(value.trim());
  if (ms < TIMEOUT_LIMITS.minMs || ms > max) {
    throw new UsageError(`${flag} must be between ${TIMEOUT_LIMITS.minMs} and ${max.toLocaleString('en-US')} milliseconds, got ${value}`, 'connect');
  }
  return ms;
}

/**
 * The deadlines given, or undefined when none is (the defaults apply). `read` returns the
 * flag's value by its name without `--`, or undefined when it is absent.
 */
export function parseTimeoutFlags(read: (flagName: string) => string | undefined): Timeouts | undefined {
  const timeouts: Timeouts = {};
  let any = false;
  for (const name of DEADLINE_NAMES) {
    const raw = read(DEADLINE_TEXT[name].flag.slice(2));
    if (raw === undefined) continue;
    timeouts[TIMEOUT_KEYS[name]] = milliseconds(raw, name);
    any = true;
  }
  return any ? timeouts : undefined;
}
