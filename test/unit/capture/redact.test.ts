import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretHeader, redactCapture, redactHeaders, redactValue } from '../../../src-main/core/capture/redact';

describe('redactValue', () => {
  it.each([
    ['Basic YWxpY2U6czNjcmV0', `Basic ${REDACTED}`],
    ['Bearer eyJhbGciOi.x.y', `Bearer ${REDACTED}`],
    ['NTLM TlRMTVNTUAABAAAA', `NTLM ${REDACTED}`],
    ['Negotiate  abc==', `Negotiate ${REDACTED}`],
    ['  Basic abc', `Basic ${REDACTED}`],
    // No scheme word: the whole value is secret.
    ['sid=abc123; theme=dark', REDACTED],
    ['sid=abc123; Path=/; HttpOnly', REDACTED],
    ['justatoken', REDACTED],
    ['Basic', REDACTED],
    ['', ''],
    ['   ', '   '],
  ])('%j → %j', (input, expected) => {
    expect(redactValue(input)).toBe(expected);
  });
});

describe('redactHeaders', () => {
  it('redacts the well-known credential headers whatever their case, keeping order and other headers', () => {
    const headers: [string, string][] = [
      ['Host', 'echo.test:443'],
      ['proxy-authorization', 'Basic YWxpY2U6czNjcmV0'],
      ['AUTHORIZATION', 'Bearer token-value'],
      ['Cookie', 'sid=1'],
      ['Set-Cookie', 'sid=2; Path=/'],
      ['Proxy-Authenticate', 'Basic realm="corp"'],
      ['X-Api-Key', 'k-123'],
    ];
    expect(redactHeaders(headers)).toEqual([
      ['Host', 'echo.test:443'],
      ['proxy-authorization', `Basic ${REDACTED}`],
      ['AUTHORIZATION', `Bearer ${REDACTED}`],
      ['Cookie', REDACTED],
      ['Set-Cookie', REDACTED],
      // A challenge is not a secret: it says what the proxy wants.
      ['Proxy-Authenticate', 'Basic realm="corp"'],
      ['X-Api-Key', 'k-123'],
    ]);
  });

  it('redacts extra headers marked secret, case-insensitively', () => {
    expect(redactHeaders([['x-api-key', 'k-123'], ['X-Other', 'v']], ['X-API-Key'])).toEqual([
      ['x-api-key', REDACTED],
      ['X-Other', 'v'],
    ]);
  });

  it('does not change its input', () => {
    const headers: [string, string][] = [['Authorization', 'Basic abc']];
    redactHeaders(headers);
    expect(headers).toEqual([['Authorization', 'Basic abc']]);
  });

  it('keeps repeated headers apart', () => {
    expect(redactHeaders([['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']])).toEqual([
      ['Set-Cookie', REDACTED],
      ['Set-Cookie', REDACTED],
    ]);
  });
});

describe('isSecretHeader', () => {
  it.each([
    ['Proxy-Authorization', [], true],
    ['cookie', [], true],
    ['Host', [], false],
    ['X-Token', ['x-token'], true],
    ['X-Token', ['X-Tokens'], false],
  ] as const)('%s with %j → %s', (name, extra, expected) => {
    expect(isSecretHeader(name, extra)).toBe(expected);
  });
});

describe('redactCapture', () => {
  it('copies the capture with its credential headers and the named ones redacted', () => {
    const capture = {
      startLine: 'GET / HTTP/1.1',
      headers: [
        ['Authorization', 'Bearer abc'],
        ['X-Api-Key', 'k'],
        ['Accept', '*/*'],
      ] as [string, string][],
    };
    expect(redactCapture(capture).headers).toEqual([
      ['Authorization', `Bearer ${REDACTED}`],
      ['X-Api-Key', 'k'],
      ['Accept', '*/*'],
    ]);
    expect(redactCapture(capture, ['x-api-key']).headers[1]).toEqual(['X-Api-Key', REDACTED]);
    expect(capture.headers[0]).toEqual(['Authorization', 'Bearer abc']);
  });
});
