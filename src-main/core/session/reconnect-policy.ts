/**
 * Which ends of an attempt are retried, and how long to wait: pure functions, so the policy
 * is tested without sockets or time. The connection that uses them is ws-connection.ts.
 */
import type { AttemptOutcome } from '../../shared/attempts';
import { RECONNECT_DEFAULTS, type ReconnectOptions } from '../../shared/model';
import { unchangingFailure } from './reconnect-unchanging';

/**
 * Why an end is not retried, in words; undefined when it is. `protocolRefusal`: the server
 * refused the protocol session for a reason another attempt cannot change (an MQTT CONNACK for
 * bad credentials, reconnect-protocol-refusal.ts), in words.
 */
export function retryRefusal(outcome: AttemptOutcome, options: Pick<ReconnectOptions, 'retryNormalClose'>, protocolRefusal?: string): string | undefined {
  if (outcome.initiatedBy === 'client') return 'closed by the user';
  const unchanging = unchangingFailure(outcome.error) ?? protocolRefusal;
  if (unchanging !== undefined) return `not retried: ${unchanging}`;
  // 1000 from the server means "done": retrying it is the loop issue 11 names.
  if (outcome.kind === 'closed' && outcome.initiatedBy === 'server' && outcome.code === 1000 && !options.retryNormalClose) {
    return 'the server closed normally (1000); not retried unless asked for';
  }
  return undefined;
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
