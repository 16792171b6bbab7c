import { describe, expect, it } from 'vitest';
import { MAX_CLOSE_REASON_BYTES, parseCommandArg } from '../../../src-main/shared/commands';

describe('parseCommandArg', () => {
  it('applies defaults to a minimal session:open', () => {
    const result = parseCommandArg('session:open', { options: { url: 'ws://127.0.0.1:1/' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.options?.proxy).toEqual({ mode: 'auto' });
    // Deadlines left out are the defaults (shared/timeouts.ts effectiveTimeouts), not written into the options.
    expect(result.value.options?.timeouts).toBeUndefined();
    expect(result.value.options?.tls).toEqual({ caFiles: [], insecure: false });
  });

  it.each([
    [{ options: { url: 'http://x/' } }, 'options.url', 'ws:// or wss://'],
    [{ options: { url: 'not a url' } }, 'options.url', 'is not a URL'],
    [{ options: { url: 'ws://x/', headers: [{ name: 'Bad Name', value: 'v' }] } }, 'options.headers.0.name', 'header name'],
    [{ options: { url: 'ws://x/', headers: [{ name: 'X', value: 'a\r\nb' }] } }, 'options.headers.0.value', 'CR, LF'],
    [{ options: { url: 'ws://x/', proxy: { mode: 'bogus' } } }, 'options.proxy.mode', ''],
    [{ options: { url: 'ws://x/', handshakeTimeoutMs: -5 } }, 'options.handshakeTimeoutMs', ''],
    [null, undefined, 'session:open'],
    ['__proto__', undefined, 'session:open'],
  ])('rejects %j at %s', (raw, path, text) => {
    const result = parseCommandArg('session:open', raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect('path' in result.error ? result.error.path : undefined).toBe(path);
    expect(result.error.message).toContain(text);
  });

  it('checks close codes and reason length', () => {
    expect(parseCommandArg('session:close', { sessionId: 's1', code: 1000, reason: 'bye' }).ok).toBe(true);
    expect(parseCommandArg('session:close', { sessionId: 's1', code: 1006 }).ok).toBe(false);
    expect(parseCommandArg('session:close', { sessionId: 's1', code: 4999 }).ok).toBe(true);
    expect(parseCommandArg('session:close', { sessionId: 's1', reason: 'é'.repeat(62) }).ok).toBe(false);
    // One limit for the contract, the session and the composer: a close frame's 125 bytes less the code.
    expect(MAX_CLOSE_REASON_BYTES).toBe(123);
    expect(parseCommandArg('session:close', { sessionId: 's1', reason: 'a'.repeat(MAX_CLOSE_REASON_BYTES) }).ok).toBe(true);
    expect(parseCommandArg('session:close', { sessionId: 's1', reason: 'a'.repeat(MAX_CLOSE_REASON_BYTES + 1) }).ok).toBe(false);
  });

  it('checks base64 for binary sends', () => {
    expect(parseCommandArg('session:send', { sessionId: 's', kind: 'binary', data: 'AAEC' }).ok).toBe(true);
    const bad = parseCommandArg('session:send', { sessionId: 's', kind: 'binary', data: 'zz!' });
    expect(bad.ok).toBe(false);
  });
});

describe('header values', () => {
  it('refuses characters HTTP cannot carry, in headers and origin', () => {
    const header = parseCommandArg('session:open', { options: { url: 'ws://x/', headers: [{ name: 'X', value: 'price €5' }] } });
    expect(header.ok).toBe(false);
    if (!header.ok) expect(header.error.message).toContain('options.headers.0.value');
    const origin = parseCommandArg('session:open', { options: { url: 'ws://x/', origin: 'https://exämple.test\u2603' } });
    expect(origin.ok).toBe(false);
    const fine = parseCommandArg('session:open', { options: { url: 'ws://x/', headers: [{ name: 'X', value: 'café\tok' }] } });
    expect(fine.ok).toBe(true);
  });
});
