/**
 * The wait after a refusal that asked for one (Retry-After on the server's 429/503 to the
 * upgrade, the proxy's 429/503 to CONNECT): seconds or an HTTP date (measured from the answer's
 * Date when it has one), never shorter than the backoff, at most 10 minutes; other statuses,
 * other failures and unreadable values keep the backoff. And the words the notice gets.
 */
import { describe, expect, it } from 'vitest';
import { createNetError } from '../../../src-main/core/errors/net-failure';
import { RETRY_AFTER_MAX_MS, retryAfterMs, waitHonouringRetryAfter } from '../../../src-main/core/session/reconnect-retry-after';
import { askedText, describeAttempt, type AttemptRecord } from '../../../src-main/shared/attempts';

const NOW = Date.parse('2026-12-07T08:00:00Z');

const upgrade = (status: string, headers: [string, string][]): ReturnType<typeof createNetError> =>
  createNetError('upgrade', 'UPGRADE_REJECTED', { upgradeResponse: { startLine: `HTTP/1.1 ${status}`, headers } });
const proxy = (status: string, headers: [string, string][], code: 'PROXY_REFUSED' | 'PROXY_UPSTREAM_UNREACHABLE' = 'PROXY_UPSTREAM_UNREACHABLE'): ReturnType<typeof createNetError> =>
  createNetError('proxy-connect', code, { proxyResponse: { startLine: `HTTP/1.1 ${status}`, headers } });

describe('Retry-After values', () => {
  it('seconds, an HTTP date from the Date header or from now, and what is neither', () => {
    expect(retryAfterMs('120', undefined, NOW)).toBe(120_000);
    expect(retryAfterMs(' 0 ', undefined, NOW)).toBe(0);
    expect(retryAfterMs('Mon, 07 Dec 2026 08:01:30 GMT', undefined, NOW)).toBe(90_000);
    // The answer's own Date counts, not this side's clock (5 minutes behind here).
    expect(retryAfterMs('Mon, 07 Dec 2026 08:06:30 GMT', 'Mon, 07 Dec 2026 08:05:00 GMT', NOW)).toBe(90_000);
    expect(retryAfterMs('Mon, 07 Dec 2026 07:00:00 GMT', undefined, NOW)).toBe(0);
    for (const bad of ['-5', '1.5', 'soon', '', '2026-12-08']) expect(retryAfterMs(bad, undefined, NOW), bad).toBeUndefined();
  });
});

describe('the next wait', () => {
  it("the server's 503 or 429 to the upgrade: the wait it asked for, longer than the backoff, and who asked", () => {
    expect(waitHonouringRetryAfter(2_000, upgrade('503 Service Unavailable', [['Retry-After', '120']]), NOW)).toEqual({ waitMs: 120_000, asked: { by: 'server', seconds: 120 } });
    expect(waitHonouringRetryAfter(2_000, upgrade('429 Too Many Requests', [['retry-after', 'Mon, 07 Dec 2026 08:00:45 GMT']]), NOW)).toEqual({ waitMs: 45_000, asked: { by: 'server', seconds: 45 } });
  });

  it("the proxy's 503 (read as the server unreachable) or 429 (a refusal) to CONNECT", () => {
    expect(waitHonouringRetryAfter(1_000, proxy('503 Service Unavailable', [['Retry-After', '30']]), NOW)).toEqual({ waitMs: 30_000, asked: { by: 'proxy', seconds: 30 } });
    expect(waitHonouringRetryAfter(1_000, proxy('429 Too Many Requests', [['Retry-After', '30']], 'PROXY_REFUSED'), NOW)).toEqual({ waitMs: 30_000, asked: { by: 'proxy', seconds: 30 } });
    expect(waitHonouringRetryAfter(1_000, proxy('502 Bad Gateway', [['Retry-After', '30']]), NOW)).toEqual({ waitMs: 1_000 });
  });

  it('never shorter than the backoff; at most 10 minutes (the ask kept whole for the words)', () => {
    expect(waitHonouringRetryAfter(8_000, upgrade('503 x', [['Retry-After', '5']]), NOW)).toEqual({ waitMs: 8_000 });
    expect(waitHonouringRetryAfter(8_000, upgrade('503 x', [['Retry-After', '0']]), NOW)).toEqual({ waitMs: 8_000 });
    expect(waitHonouringRetryAfter(2_000, upgrade('503 x', [['Retry-After', '86400']]), NOW)).toEqual({ waitMs: RETRY_AFTER_MAX_MS, asked: { by: 'server', seconds: 86_400 } });
    // A backoff already longer than 10 minutes stays.
    expect(waitHonouringRetryAfter(900_000, upgrade('503 x', [['Retry-After', '86400']]), NOW)).toEqual({ waitMs: 900_000 });
  });

  it('other statuses, other failures, no or unreadable header: the backoff', () => {
    expect(waitHonouringRetryAfter(2_000, upgrade('500 Internal Server Error', [['Retry-After', '120']]), NOW)).toEqual({ waitMs: 2_000 });
    expect(waitHonouringRetryAfter(2_000, upgrade('503 x', []), NOW)).toEqual({ waitMs: 2_000 });
    expect(waitHonouringRetryAfter(2_000, upgrade('503 x', [['Retry-After', 'later']]), NOW)).toEqual({ waitMs: 2_000 });
    expect(waitHonouringRetryAfter(2_000, createNetError('connect', 'CONNECTION_REFUSED', {}), NOW)).toEqual({ waitMs: 2_000 });
    expect(waitHonouringRetryAfter(2_000, undefined, NOW)).toEqual({ waitMs: 2_000 });
  });
});

describe('the words', () => {
  const record = (next: AttemptRecord['next']): AttemptRecord => ({
    attempt: 1,
    startedAt: 0,
    endedAt: 1,
    afterSeq: 0,
    outcome: { kind: 'failed', opened: false, code: null, reason: '', initiatedBy: 'none', error: upgrade('503 Service Unavailable', [['Retry-After', '120']]) },
    next,
  });

  it('the separator line says who asked and how long; a cut one names the longest honoured', () => {
    expect(describeAttempt(record({ attempt: 2, retry: 1, maxRetries: 5, waitMs: 120_000, at: 120_001, asked: { by: 'server', seconds: 120 } }))).toBe(
      'attempt 1 failed: UPGRADE_REJECTED · reconnect 1 of 5 in 120.0 s (the server asked to wait 120 s)',
    );
    expect(askedText({ attempt: 2, retry: 1, maxRetries: 0, waitMs: 600_000, at: 1, asked: { by: 'proxy', seconds: 86_400 } })).toBe('the proxy asked to wait 86400 s; 600 s is the longest honoured');
    expect(describeAttempt(record({ attempt: 2, retry: 1, maxRetries: 0, waitMs: 2_000, at: 1 }))).toBe('attempt 1 failed: UPGRADE_REJECTED · reconnect 1 in 2.0 s');
  });
});
