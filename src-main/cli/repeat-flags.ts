/**
 * `--repeat <n>` and `--interval <ms>`: each --send / --send-binary / --send-file message is sent n times,
 * ms apart, before the next (the engine's repeat: it waits while the server is not reading).
 * Also checks each --send text's built-ins (`{{$counter}}` …), so a typo is a usage error
 * before anything connects.
 */
import { parseBuiltins } from '../shared/builtin-variables';
import { REPEAT_MAX_COUNT, REPEAT_MAX_INTERVAL_MS } from '../shared/send-repeat';
import type { OutgoingMessage } from './parse-args';
import { UsageError } from './usage-error';
import { wholeNumberFlag } from './whole-number-flag';

export interface RepeatFlag {
  /** Sends of each message, ≥ 1. */
  count: number;
  intervalMs: number;
}

export function parseRepeatFlags(repeat: string | undefined, interval: string | undefined, outgoing: readonly OutgoingMessage[]): RepeatFlag | undefined {
  for (const message of outgoing) {
    if (message.kind !== 'text' || message.verbatim) continue;
    const parsed = parseBuiltins(message.data);
    const shown = message.data.length > 60 ? `${message.data.slice(0, 60)}…` : message.data;
    if (!parsed.ok) throw new UsageError(`--send "${shown}": ${parsed.error}`, 'connect');
  }
  if (repeat === undefined && interval === undefined) return undefined;
  if (repeat === undefined) throw new UsageError('--interval needs --repeat <n> (how many times to send each message)', 'connect');
  if (outgoing.length === 0) throw new UsageError('--repeat repeats the --send / --send-binary / --send-file messages: give at least one', 'connect');
  return {
    count: wholeNumberFlag(repeat, 'repeat', 1, REPEAT_MAX_COUNT, 'sends'),
    intervalMs: interval === undefined ? 0 : wholeNumberFlag(interval, 'interval', 0, REPEAT_MAX_INTERVAL_MS, 'milliseconds'),
  };
}
