/**
 * The reconnect policy on its own: which ends are retried, the waits with their jitter (an
 * injected random at its extremes), and the limit.
 */
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../../src-main/shared/attempts';
import { reconnectOptionsSchema } from '../../../src-main/shared/model';
import { backoffDelay, retryRefusal, withinLimit } from '../../../src-main/core/session/reconnect-policy';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import type { ErrorCode, ErrorStage } from '../../../src-main/shared/errors';

const defaults = reconnectOptionsSchema.parse({});

function outcome(partial: Partial<AttemptOutcome>): AttemptOutcome {
  return { kind: 'failed', opened: false, code: null, reason: '', initiatedBy: 'none', ...partial };
}

describe('which ends are retried', () => {
  it('retries failures and abnormal closes, not the user closing, not a normal close by the server', () => {
    expect(retryRefusal(outcome({}), defaults)).toBeUndefined();
    expect(retryRefusal(outcome({ opened: true, code: null }), defaults)).toBeUndefined();
    expect(retryRefusal(outcome({ kind: 'closed', opened: true, code: 1001, initiatedBy: 'server' }), defaults)).toBeUndefined();
    expect(retryRefusal(outcome({ kind: 'closed', opened: true, code: 1011, initiatedBy: 'server' }), defaults)).toBeUndefined();
    expect(retryRefusal(outcome({ kind: 'closed', opened: true, code: 1000, initiatedBy: 'server' }), defaults)).toMatch(/normally \(1000\)/);
    expect(retryRefusal(outcome({ kind: 'closed', opened: true, code: 1000, initiatedBy: 'client' }), defaults)).toBe('closed by the user');
    // A close deadline the user's close ran into is still the user's close.
    expect(retryRefusal(outcome({ kind: 'failed', opened: true, initiatedBy: 'client' }), defaults)).toBe('closed by the user');
  });

  it('retries a normal close by the server when asked to', () => {
    const options = reconnectOptionsSchema.parse({ retryNormalClose: true });
    expect(retryRefusal(outcome({ kind: 'closed', opened: true, code: 1000, initiatedBy: 'server' }), options)).toBeUndefined();
  });
});

/** A failed attempt with this error; `status` as the proxy's answer to CONNECT. */
function failedWith(stage: ErrorStage, code: ErrorCode, status?: string): AttemptOutcome {
  const details = status === undefined ? {} : { proxyResponse: { startLine: `HTTP/1.1 ${status}`, headers: [] } };
  return outcome({ error: NetFailure.of(stage, code, details).netError });
}

describe("the proxy's refusals that another attempt cannot change", () => {
  it('a 4xx to CONNECT (its policy) and its sign-in refusals are not retried, saying why', () => {
    expect(retryRefusal(failedWith('tunnel', 'PROXY_REFUSED', '403 Access violation'), defaults)).toBe(
      'not retried: the proxy refuses this CONNECT by its rules (403 Access violation), and another attempt would get the same answer',
    );
    expect(retryRefusal(failedWith('tunnel', 'PROXY_REFUSED', '403 Forbidden'), defaults)).toMatch(/^not retried: .*\(403 Forbidden\)/);
    expect(retryRefusal(failedWith('tunnel', 'PROXY_REFUSED', '405 Method Not Allowed'), defaults)).toMatch(/^not retried: /);
    expect(retryRefusal(failedWith('tunnel', 'PROXY_AUTH_FAILED', '407 Proxy Authentication Required'), defaults)).toMatch(/^not retried: the proxy rejected the credentials/);
    expect(retryRefusal(failedWith('tunnel', 'PROXY_AUTH_REQUIRED', '407 Proxy Authentication Required'), defaults)).toMatch(/^not retried: the proxy asks for a sign-in/);
    expect(retryRefusal(failedWith('tunnel', 'PROXY_AUTH_UNSUPPORTED', '407 Proxy Authentication Required'), defaults)).toMatch(/^not retried: /);
  });

  it('what can change is retried: 5xx and 502/503 from the proxy, 404/408/429, refused, reset and timed-out connections', () => {
    for (const status of ['500 Internal Server Error', '502 Bad Gateway', '503 Service Unavailable', '504 Gateway Timeout', '404 Not Found', '408 Request Timeout', '429 Too Many Requests']) {
      expect(retryRefusal(failedWith('tunnel', 'PROXY_REFUSED', status), defaults), status).toBeUndefined();
    }
    expect(retryRefusal(failedWith('tunnel', 'PROXY_REFUSED'), defaults)).toBeUndefined();
    expect(retryRefusal(failedWith('proxy-connect', 'PROXY_CONNECTION_REFUSED'), defaults)).toBeUndefined();
    expect(retryRefusal(failedWith('connect', 'CONNECTION_REFUSED'), defaults)).toBeUndefined();
    expect(retryRefusal(failedWith('tunnel', 'PROXY_CLOSED'), defaults)).toBeUndefined();
    expect(retryRefusal(failedWith('tunnel', 'PROXY_TIMEOUT'), defaults)).toBeUndefined();
    expect(retryRefusal(failedWith('transport', 'CONNECTION_LOST'), defaults)).toBeUndefined();
  });
});

describe('the wait', () => {
  const middle = (): number => 0.5; // no jitter

  it('doubles from the first wait up to the longest', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((retry) => backoffDelay(defaults, retry, middle))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('spreads each wait by at most ±20 %', () => {
    expect(backoffDelay(defaults, 1, () => 0)).toBe(800);
    expect(backoffDelay(defaults, 1, () => 0.999_999)).toBe(1200);
    expect(backoffDelay(defaults, 10, () => 0)).toBe(24_000);
    expect(backoffDelay(defaults, 10, () => 0.999_999)).toBe(36_000);
    for (let i = 0; i < 200; i += 1) {
      const wait = backoffDelay(defaults, 3, Math.random);
      expect(wait).toBeGreaterThanOrEqual(3200);
      expect(wait).toBeLessThanOrEqual(4800);
    }
  });

  it('does not overflow after very many reconnects', () => {
    expect(backoffDelay(defaults, 10_000, middle)).toBe(30_000);
  });
});

describe('the limit', () => {
  it('counts reconnects; 0 is no limit', () => {
    const three = reconnectOptionsSchema.parse({ maxAttempts: 3 });
    expect([0, 1, 2, 3].map((done) => withinLimit(three, done))).toEqual([true, true, true, false]);
    expect(withinLimit(defaults, 1_000_000)).toBe(true);
  });

  it('refuses a longest wait shorter than the first, naming the field', () => {
    const parsed = reconnectOptionsSchema.safeParse({ initialDelayMs: 5000, maxDelayMs: 1000 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['maxDelayMs']);
  });
});
