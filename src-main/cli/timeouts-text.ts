/** The deadlines of a profile or a connection in one line, as `profiles show` prints them. */
import { DEADLINE_NAMES, DEADLINE_TEXT, TIMEOUT_KEYS, effectiveTimeouts, formatDeadline, type LegacyTimeoutFields } from '../shared/timeouts';

export function timeoutsText(fields: LegacyTimeoutFields): string {
  const timeouts = effectiveTimeouts(fields);
  return DEADLINE_NAMES.map((name) => {
    const ms = timeouts[TIMEOUT_KEYS[name]];
    return `${DEADLINE_TEXT[name].words} ${ms === undefined ? 'none' : formatDeadline(ms)}`;
  }).join(', ');
}
