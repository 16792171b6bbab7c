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

/** A failed attempt whose upgrade the server answered with `status`. */
function upgradeAnswered(status: string): AttemptOutcome {
  return outcome({ error: NetFailure.of('upgrade', 'UPGRADE_REJECTED', { upgradeResponse: { startLine: `HTTP/1.1 ${status}`, headers: [] } }).netError });
}

/** A failed attempt whose SOCKS proxy replied with this capture (`02 connection not allowed by ruleset`), or none. */
function socksAnswered(code: ErrorCode, reply?: string): AttemptOutcome {
  const details = reply === undefined ? {} : { proxyResponse: { startLine: `SOCKS5 ${reply}`, headers: [] } };
  return outcome({ error: NetFailure.of('tunnel', code, details).netError });
}

describe("the server's refusals of the upgrade that another attempt cannot change", () => {
  it('401 and 403 are not retried, naming the status and what to change', () => {
    expect(retryRefusal(upgradeAnswered('401 Unauthorized'), defaults)).toBe(
      'not retried: the server refused the WebSocket upgrade (401 Unauthorized) and would answer the same request so again: change the credentials, the Authorization header or the token',
    );
    expect(retryRefusal(upgradeAnswered('403 Forbidden'), defaults)).toBe(
      'not retried: the server refused the WebSocket upgrade (403 Forbidden) and would answer the same request so again: change the credentials, token, cookies or Origin it refuses',
    );
  });

  it("400, 405, 410, 426 and 431 answer the request's form: not retried", () => {
    for (const status of ['400 Bad Request', '405 Method Not Allowed', '410 Gone', '426 Upgrade Required', '431 Request Header Fields Too Large']) {
      expect(retryRefusal(upgradeAnswered(status), defaults), status).toBe(
        `not retried: the server refused the WebSocket upgrade (${status}) and would answer the same request so again: change the URL or the headers it refuses`,
      );
    }
  });

  it('what time or the server can change is retried: 404, 408, 409, 425, 429, 5xx (503 too), and an answer without a status', () => {
    for (const status of ['404 Not Found', '408 Request Timeout', '409 Conflict', '425 Too Early', '429 Too Many Requests', '500 Internal Server Error', '502 Bad Gateway', '503 Service Unavailable']) {
      expect(retryRefusal(upgradeAnswered(status), defaults), status).toBeUndefined();
    }
    expect(retryRefusal(outcome({ error: NetFailure.of('upgrade', 'UPGRADE_REJECTED').netError }), defaults)).toBeUndefined();
    expect(retryRefusal(failedWith('upgrade', 'UPGRADE_CONNECTION_CLOSED'), defaults)).toBeUndefined();
    expect(retryRefusal(failedWith('upgrade', 'HANDSHAKE_TIMEOUT'), defaults)).toBeUndefined();
  });
});

describe('certificate failures that another attempt cannot change', () => {
  it("untrusted, another host's and expired certificates (the server's and an https:// proxy's) are not retried, saying so", () => {
    expect(retryRefusal(failedWith('tls', 'TLS_UNTRUSTED_CERT'), defaults)).toBe(
      "not retried: the server's certificate is not trusted (self-signed or an unknown CA) and retrying will not change it: add its CA as a CA file, or connect without verification",
    );
    expect(retryRefusal(failedWith('tls', 'TLS_HOSTNAME_MISMATCH'), defaults)).toBe(
      "not retried: the server's certificate is for another host name and retrying will not change it: connect with a name it lists",
    );
    expect(retryRefusal(failedWith('tls', 'TLS_CERT_EXPIRED'), defaults)).toBe("not retried: the server's certificate has expired and retrying will not change it: its owners must renew it");
    expect(retryRefusal(failedWith('proxy-tls', 'PROXY_TLS_UNTRUSTED_CERT'), defaults)).toMatch(/^not retried: the https:\/\/ proxy's certificate is not trusted/);
    expect(retryRefusal(failedWith('proxy-tls', 'PROXY_TLS_HOSTNAME_MISMATCH'), defaults)).toMatch(/^not retried: the https:\/\/ proxy's certificate is for another host name/);
    expect(retryRefusal(failedWith('proxy-tls', 'PROXY_TLS_CERT_EXPIRED'), defaults)).toMatch(/^not retried: the https:\/\/ proxy's certificate has expired/);
    expect(retryRefusal(failedWith('tls', 'TLS_CLIENT_CERT_INVALID'), defaults)).toMatch(/^not retried: the client certificate cannot be used/);
  });

  it('a certificate not valid yet (time makes it valid) and a handshake failure are retried', () => {
    expect(retryRefusal(failedWith('tls', 'TLS_CERT_NOT_YET_VALID'), defaults)).toBeUndefined();
    expect(retryRefusal(failedWith('proxy-tls', 'PROXY_TLS_CERT_NOT_YET_VALID'), defaults)).toBeUndefined();
    expect(retryRefusal(failedWith('tls', 'TLS_HANDSHAKE_FAILED'), defaults)).toBeUndefined();
    expect(retryRefusal(failedWith('proxy-tls', 'PROXY_TLS_HANDSHAKE_FAILED'), defaults)).toBeUndefined();
  });
});

describe("a SOCKS proxy's refusals", () => {
  it('its rules (ruleset, command, address type), a host name too long for SOCKS5 and its sign-in are not retried', () => {
    expect(retryRefusal(socksAnswered('SOCKS_REFUSED', '02 connection not allowed by ruleset'), defaults)).toBe(
      'not retried: the SOCKS proxy refuses this connection by its rules (reply 2: connection not allowed by ruleset), and another attempt would get the same answer',
    );
    expect(retryRefusal(socksAnswered('SOCKS_REFUSED', '07 command not supported'), defaults)).toMatch(/^not retried: .*\(reply 7: command not supported\)/);
    expect(retryRefusal(socksAnswered('SOCKS_REFUSED', '08 address type not supported'), defaults)).toMatch(/^not retried: .*\(reply 8: /);
    expect(retryRefusal(socksAnswered('SOCKS_REFUSED'), defaults)).toMatch(/^not retried: .*\(the request cannot be made\)/);
    expect(retryRefusal(socksAnswered('SOCKS_AUTH_FAILED'), defaults)).toMatch(/^not retried: the SOCKS proxy refused the sign-in/);
  });

  it('the way to the server (general failure, network or host unreachable, refused, TTL expired, an unknown reply) is retried', () => {
    for (const reply of ['01 general SOCKS server failure', '03 network unreachable', '04 host unreachable', '05 connection refused', '06 TTL expired', '09 unknown reply']) {
      expect(retryRefusal(socksAnswered('SOCKS_REFUSED', reply), defaults), reply).toBeUndefined();
    }
  });
});

describe("the server's refusal of the protocol session", () => {
  it('a refusal the connection found unchanging stops it with its words; a failure of its own wins', () => {
    const why = "the broker refused the CONNECT: CONNACK 5 not authorized (MQTT 3.1.1), and would refuse the same CONNECT again: change the user name, password or client id";
    expect(retryRefusal(outcome({ kind: 'closed', opened: true, code: 1006, initiatedBy: 'server' }), defaults, why)).toBe(`not retried: ${why}`);
    expect(retryRefusal(outcome({ kind: 'closed', opened: true, code: 1000, initiatedBy: 'client' }), defaults, why)).toBe('closed by the user');
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
