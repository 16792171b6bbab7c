/**
 * Which ends of an attempt are retried, and how long to wait: pure functions, so the policy
 * is tested without sockets or time. The connection that uses them is ws-connection.ts.
 */
import type { AttemptOutcome } from '../../shared/attempts';
import type { NetError } from '../../shared/errors';
import { RECONNECT_DEFAULTS, type ReconnectOptions } from '../../shared/model';

/** Why an end is not retried, in words; undefined when it is. */
export function retryRefusal(outcome: AttemptOutcome, options: Pick<ReconnectOptions, 'retryNormalClose'>): string | undefined {
  if (outcome.initiatedBy === 'client') return 'closed by the user';
  const unchanging = unchangingFailure(outcome.error);
  if (unchanging !== undefined) return `not retried: ${unchanging}`;
  // 1000 from the server means "done": retrying it is the loop issue 11 names.
  if (outcome.kind === 'closed' && outcome.initiatedBy === 'server' && outcome.code === 1000 && !options.retryNormalClose) {
    return 'the server closed normally (1000); not retried unless asked for';
  }
  return undefined;
}

/**
 * 4xx answers to CONNECT that time can change: the target not found (yet), the proxy's request
 * timeout, too early, too many requests. Every other 4xx is the proxy's rule for this CONNECT.
 */
const PASSING_REFUSALS = new Set([404, 408, 425, 429]);

/**
 * Why another attempt would fail the same way, or undefined when it may fare otherwise. Only the
 * proxy's own refusals count: its policy (a 4xx to CONNECT, such as Squid's "deny CONNECT" to a
 * port or tinyproxy's ConnectPort 403) and its sign-in (credentials rejected, none given for
 * it, a scheme it does not offer); retrying a rejected password can also lock the account.
 * Refused, reset or timed-out connections, 5xx and a 502/503 from the proxy are retried.
 */
export function unchangingFailure(error: NetError | undefined): string | undefined {
  switch (error?.code) {
    case 'PROXY_AUTH_FAILED':
      return 'the proxy rejected the credentials, and sending them again would be rejected again (and may lock the account)';
    case 'PROXY_AUTH_REQUIRED':
      return 'the proxy asks for a sign-in that this connection has no credentials for';
    case 'PROXY_AUTH_UNSUPPORTED':
      return "the proxy's sign-in cannot be given with these settings";
    case 'PROXY_REFUSED': {
      const answer = /^HTTP\/\d(?:\.\d)?\s+((\d{3})\b.*)$/.exec(error.details.proxyResponse?.startLine ?? '');
      const status = Number(answer?.[2]);
      if (!answer || status < 400 || status > 499 || PASSING_REFUSALS.has(status)) return undefined;
      return `the proxy refuses this CONNECT by its rules (${answer[1]?.trim() ?? status}), and another attempt would get the same answer`;
    }
    default:
      return undefined;
  }
}

/**
 * The wait before reconnect `retry` (1-based since the connection last opened): the first
 * wait times factor^(retry-1), capped at the longest wait, then spread by ±jitter.
 * `random` is in [0, 1) (Math.random; tests inject their own).
 */
export function backoffDelay(options: Pick<ReconnectOptions, 'initialDelayMs' | 'maxDelayMs'>, retry: number, random: () => number): number {
  const exponent = Math.min(Math.max(retry - 1, 0), 40);
  const base = Math.min(options.initialDelayMs * RECONNECT_DEFAULTS.factor ** exponent, options.maxDelayMs);
  const spread = (random() * 2 - 1) * RECONNECT_DEFAULTS.jitter;
  return Math.max(0, Math.round(base * (1 + spread)));
}

/** Whether another reconnect is allowed after `retriesDone` since the last open (0 = no limit). */
export function withinLimit(options: Pick<ReconnectOptions, 'maxAttempts'>, retriesDone: number): boolean {
  return options.maxAttempts === 0 || retriesDone < options.maxAttempts;
}
