/**
 * The web host's flags for how long sessions live and how many there may be: the grace a page
 * that went away has before its sessions are closed, how long a closed session no tab shows is
 * kept, and the session limits per page and in all (core/session/session-owners.ts).
 */
import { DEFAULT_SESSION_LIMITS, type SessionLimits } from '../core';

export const SESSION_FLAG_OPTIONS = {
  'client-grace': { type: 'string' },
  'closed-retention': { type: 'string' },
  'max-sessions': { type: 'string' },
  'max-sessions-per-client': { type: 'string' },
} as const;

export const SESSION_FLAGS_USAGE = `  --client-grace <seconds>
                 how long the sessions of a page that went away (closed, crashed, lost
                 its connection) keep running before they are closed, so a reload can
                 take them back (default ${DEFAULT_SESSION_LIMITS.clientGraceMs / 1000})
  --closed-retention <minutes>
                 how long a closed session that no tab shows is kept (default
                 ${DEFAULT_SESSION_LIMITS.closedRetentionMs / 60_000})
  --max-sessions <n>
                 sessions the engine holds at once, open or closed (default
                 ${DEFAULT_SESSION_LIMITS.maxSessions})
  --max-sessions-per-client <n>
                 sessions one page holds at once (default ${DEFAULT_SESSION_LIMITS.maxSessionsPerClient})`;

/** How the LIMIT_REACHED error tells a web host user to change each limit. */
export const WEB_LIMIT_HINTS = {
  maxSessions: 'start the web host with --max-sessions <n> to change it',
  maxSessionsPerClient: 'start the web host with --max-sessions-per-client <n> to change it',
};

type SessionFlagValues = { [K in keyof typeof SESSION_FLAG_OPTIONS]?: string | undefined };

/** The limits the flags set (only those given; the engine has the defaults). Throws `makeError(message)` for a bad value. */
export function sessionLimitsFrom(values: SessionFlagValues, makeError: (message: string) => Error): Partial<SessionLimits> {
  const limits: Partial<SessionLimits> = {};
  const grace = values['client-grace'];
  if (grace !== undefined) limits.clientGraceMs = wholeNumber('--client-grace', grace, 0, 86_400, 'seconds', makeError) * 1000;
  const retention = values['closed-retention'];
  if (retention !== undefined) limits.closedRetentionMs = wholeNumber('--closed-retention', retention, 1, 10_080, 'minutes', makeError) * 60_000;
  const total = values['max-sessions'];
  if (total !== undefined) limits.maxSessions = wholeNumber('--max-sessions', total, 1, 100_000, 'sessions', makeError);
  const perClient = values['max-sessions-per-client'];
  if (perClient !== undefined) limits.maxSessionsPerClient = wholeNumber('--max-sessions-per-client', perClient, 1, 100_000, 'sessions', makeError);
  return limits;
}

function wholeNumber(flag: string, text: string, min: number, max: number, unit: string, makeError: (message: string) => Error): number {
  const value = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    throw makeError(`${flag} must be a whole number of ${unit} from ${min} to ${max}, not "${text.slice(0, 40)}"`);
  }
  return value;
}
