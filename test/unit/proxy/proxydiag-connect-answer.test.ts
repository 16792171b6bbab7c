/**
 * What a non-2xx, non-407 answer to CONNECT means (core/proxy/connect-answer.ts): every status
 * and X-Squid-Error combination the QA pass met against real Squid, and odd headers.
 */
import { describe, expect, it } from 'vitest';
import { connectAnswerMeaning, parseSquidError } from '../../../src-main/core/proxy/connect-answer';
import { renderHintParts } from '../../../src-main/shared/hint-text';
import type { Hint } from '../../../src-main/shared/hint-parts';

const TARGET = { host: 'echo.internal', port: 8080 };
type Headers = [string, string][];

function meaning(status: number, statusMessage: string, headers: Headers = [], target = TARGET) {
  return connectAnswerMeaning({ status, statusMessage, headers }, target);
}

function words(hint: Hint): string {
  return typeof hint === 'string' ? hint : renderHintParts(hint, { answerShown: false, host: 'cli' });
}

const squid = (error: string): Headers => [
  ['Server', 'squid/5.7'],
  ['X-Squid-Error', error],
];

describe('parseSquidError', () => {
  it.each([
    ['ERR_CONNECT_FAIL 111', { name: 'ERR_CONNECT_FAIL', errno: 111 }],
    ['ERR_DNS_FAIL 0', { name: 'ERR_DNS_FAIL', errno: 0 }],
    ['ERR_CANNOT_FORWARD', { name: 'ERR_CANNOT_FORWARD' }],
    ['  err_connect_fail   110 ', { name: 'ERR_CONNECT_FAIL', errno: 110 }],
  ])('%j', (value, expected) => {
    expect(parseSquidError([['x-squid-error', value]])).toEqual(expected);
  });
  it.each([[''], ['garbage'], ['ERR_CONNECT_FAIL abc'], ['ERR_CONNECT_FAIL 111 extra'], ['ERR_X 1234567']])('ignores %j', (value) => {
    expect(parseSquidError([['X-Squid-Error', value]])).toBeUndefined();
  });
  it('takes the first well-formed of several values', () => {
    expect(parseSquidError([['X-Squid-Error', '???'], ['X-Squid-Error', 'ERR_DNS_FAIL 0']])).toEqual({ name: 'ERR_DNS_FAIL', errno: 0 });
  });
});

describe('the proxy could not reach the server: PROXY_UPSTREAM_UNREACHABLE', () => {
  it.each<[number, string, string, RegExp]>([
    [503, 'Service Unavailable', 'ERR_CONNECT_FAIL 111', /echo\.internal:8080 refused the proxy's connection \(nothing listens on that port\)/],
    [503, 'Service Unavailable', 'ERR_CONNECT_FAIL 110', /the proxy's connection to echo\.internal:8080 timed out/],
    [504, 'Gateway Timeout', 'ERR_CONNECT_FAIL 110', /the proxy's connection to echo\.internal:8080 timed out/],
    [503, 'Service Unavailable', 'ERR_CONNECT_FAIL 113', /the proxy has no route to echo\.internal:8080/],
    [503, 'Service Unavailable', 'ERR_CONNECT_FAIL 101', /the proxy has no route to echo\.internal:8080/],
    [503, 'Service Unavailable', 'ERR_CONNECT_FAIL', /the proxy's connection to echo\.internal:8080 failed\.$/],
    [503, 'Service Unavailable', 'ERR_CONNECT_FAIL 99', /the proxy's connection to echo\.internal:8080 failed \(errno 99 on the proxy's host\)\.$/],
    [503, 'Service Unavailable', 'ERR_DNS_FAIL 0', /the proxy could not resolve the host name echo\.internal\.$/],
    [500, 'Internal Server Error', 'ERR_DNS_FAIL 0', /the proxy could not resolve the host name echo\.internal\.$/],
    [503, 'Service Unavailable', 'ERR_CANNOT_FORWARD 0', /no way to forward the tunnel to echo\.internal:8080/],
    [500, 'Internal Server Error', 'ERR_CANNOT_FORWARD', /no way to forward the tunnel to echo\.internal:8080/],
    [504, 'Gateway Timeout', 'ERR_READ_TIMEOUT 0', /timed out/],
  ])('%i %s with X-Squid-Error %s', (status, reason, error, said) => {
    const m = meaning(status, reason, squid(error));
    expect(m.code).toBe('PROXY_UPSTREAM_UNREACHABLE');
    expect(m.message.startsWith(`The proxy could not reach the server (CONNECT → ${status} ${reason}): Squid's ${error}: `)).toBe(true);
    expect(m.message).toMatch(said);
    // The hint is about the server (or its name), never the proxy's CONNECT rules.
    expect(words(m.hint)).not.toMatch(/SSL_ports|allow this host|CONNECT only/);
    expect(words(m.hint)).toMatch(/server|host name/);
  });

  it('a server-down hint points at the server and the proxy-side view of its name', () => {
    const hint = words(meaning(503, 'Service Unavailable', squid('ERR_CONNECT_FAIL 111'), { host: '127.0.0.1', port: 39999 }).hint);
    expect(hint).toContain('Check that the server at 127.0.0.1:39999 is running');
    expect(hint).toContain("127.0.0.1 or localhost is the proxy's own machine");
  });

  it('a name the proxy cannot resolve: the hint says it must resolve on the proxy\'s side', () => {
    expect(words(meaning(503, 'Service Unavailable', squid('ERR_DNS_FAIL 0')).hint)).toMatch(/resolve on the proxy's side/);
  });

  it.each([
    [502, 'Bad Gateway', /\): most likely the proxy could not connect to echo\.internal:8080\.$/],
    [503, 'Service Unavailable', /most likely the proxy could not connect/],
    [504, 'Gateway Timeout', /\): the proxy timed out reaching echo\.internal:8080 \(504 is a gateway's timeout\)\.$/],
    [503, '', /^The proxy could not reach the server \(CONNECT → 503\): /],
  ])('%i %s from another proxy (no X-Squid-Error)', (status, reason, said) => {
    const m = meaning(status, reason, [['Server', 'nginx']]);
    expect(m.code).toBe('PROXY_UPSTREAM_UNREACHABLE');
    expect(m.message).toMatch(said);
  });

  it('IPv6 servers are named with brackets', () => {
    expect(meaning(503, 'Service Unavailable', squid('ERR_CONNECT_FAIL 111'), { host: '::1', port: 9 }).message).toContain('[::1]:9 refused');
  });
});

describe('not a proxy that accepts CONNECT: PROXY_NO_CONNECT', () => {
  it.each<[number, string, Headers]>([
    [501, "Unsupported method ('CONNECT')", [['Server', 'SimpleHTTP/0.6 Python/3.11.2']]],
    [405, 'Method Not Allowed', [['Server', 'Apache']]],
    [400, 'Bad Request', [['Server', 'nginx']]],
    [501, 'Not Implemented', []],
  ])('%i %s', (status, reason, headers) => {
    const m = meaning(status, reason, headers);
    expect(m.code).toBe('PROXY_NO_CONNECT');
    expect(m.message).toMatch(/^The address is not a proxy that accepts CONNECT \(CONNECT → \d{3}/);
    expect(words(m.hint)).toMatch(/^Check the proxy address and port/);
  });
  it('names the Server header, and a 400 only as "most likely"', () => {
    expect(meaning(501, "Unsupported method ('CONNECT')", [['Server', 'SimpleHTTP/0.6 Python/3.11.2']]).message).toContain('(it calls itself "SimpleHTTP/0.6 Python/3.11.2")');
    expect(meaning(400, 'Bad Request').message).toContain('most likely');
    expect(meaning(501, 'Not Implemented').message).not.toContain('most likely');
  });
  it('an odd Server header (control characters, very long) is not quoted', () => {
    expect(meaning(501, 'x', [['Server', 'evil\u001b[31m']]).message).not.toContain('calls itself');
    expect(meaning(501, 'x', [['Server', 'a'.repeat(200)]]).message).not.toContain('calls itself');
  });
  it('a 400 from a proxy (Squid error page, or a Via gateway) stays a refusal', () => {
    expect(meaning(400, 'Bad Request', squid('ERR_INVALID_REQ 0')).code).toBe('PROXY_REFUSED');
    expect(meaning(400, 'Bad Request', [['Via', '1.1 gw']]).code).toBe('PROXY_REFUSED');
  });
});

describe('the proxy refused by its rules: PROXY_REFUSED', () => {
  it('Squid 403 on a port other than 443: the SSL_ports rule as the likeliest, another rule possible, the concrete fix kept', () => {
    const m = meaning(403, 'Forbidden', squid('ERR_ACCESS_DENIED 0'));
    expect(m.code).toBe('PROXY_REFUSED');
    expect(m.message).toBe('The proxy refused the tunnel (CONNECT → 403 Forbidden).');
    const hint = words(m.hint);
    expect(hint).toMatch(/^Most likely stock Squid's rule "http_access deny CONNECT !SSL_ports" refused port 8080/);
    expect(hint).toContain('or another access rule, such as a domain block list');
    expect(hint).toContain('"acl SSL_ports port 8080"');
  });
  it('Squid 403 on 443: the generic hint, no SSL_ports', () => {
    expect(words(meaning(403, 'Forbidden', squid('ERR_ACCESS_DENIED 0'), { host: 'h', port: 443 }).hint)).not.toContain('SSL_ports');
  });
  it('a 403 with Via names the gateway', () => {
    const m = meaning(403, 'Forbidden', [['Via', '1.1 10.0.0.1 (McAfee Web Gateway 7.2)']]);
    expect(m).toMatchObject({ code: 'PROXY_REFUSED', message: 'The proxy refused the tunnel (CONNECT → 403 Forbidden); the answer came from 10.0.0.1 (McAfee Web Gateway 7.2) (Via header).' });
  });
  it('a gateway\'s 500 handshakefailed (Via) stays a refusal about TLS inspection, not an unreachable server', () => {
    const m = meaning(500, 'handshakefailed', [['Via', '1.0 gw']]);
    expect(m.code).toBe('PROXY_REFUSED');
    expect(words(m.hint)).toContain('TLS inspection');
  });
  it.each([[500, 'Internal Server Error'], [404, 'Not Found'], [429, 'Too Many Requests'], [302, 'Found'], [0, '']])('%i %s without Squid error: a refusal', (status, reason) => {
    expect(meaning(status, reason).code).toBe('PROXY_REFUSED');
  });
  it('a Squid error not about the server on a 503 (ERR_SHUTTING_DOWN) is not blamed on the server', () => {
    expect(meaning(503, 'Service Unavailable', squid('ERR_SHUTTING_DOWN')).code).toBe('PROXY_REFUSED');
  });
  it('an unknown Squid error on a 403 is a refusal', () => {
    expect(meaning(403, 'Forbidden', squid('ERR_FOO 1')).code).toBe('PROXY_REFUSED');
  });
});
