/**
 * Every code's hint in every place it can be shown: the app or the CLI, a ws:// or a wss://
 * URL, with the other side's answer shown above it or not. Each place gets its own words and
 * none of another's.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../../../src-main/core/errors/catalog';
import { createNetError } from '../../../src-main/core/errors/net-failure';
import { ERROR_CODES, netErrorSchema, type ErrorCode, type NetErrorDetails } from '../../../src-main/shared/errors';
import { forScheme, hintFor, schemeOf, type HintContext } from '../../../src-main/shared/hint-text';
import { answer, onScheme, setting, text } from '../../../src-main/shared/hint-parts';
import { DEADLINE_NAMES, DEADLINE_TEXT } from '../../../src-main/shared/timeouts';

const ANSWER = { startLine: 'HTTP/1.1 403 Forbidden', headers: [] };

/** What a real failure of the code carries: the answer for the codes that quote one, a deadline for the timeouts. */
function detailsFor(code: ErrorCode): NetErrorDetails {
  if (code === 'PROXY_REFUSED' || code === 'PROXY_AUTH_REQUIRED') return { proxyResponse: ANSWER };
  if (code === 'UPGRADE_REJECTED' || code === 'UPGRADE_INVALID_RESPONSE') return { upgradeResponse: ANSWER };
  if (code === 'PROXY_TIMEOUT') return { timeoutMs: 15_000, deadline: 'proxy-answer' };
  if (code === 'CONNECT_TIMEOUT') return { timeoutMs: 10_000, deadline: 'proxy-connect' };
  if (code === 'HANDSHAKE_TIMEOUT') return { timeoutMs: 10_000, deadline: 'upgrade' };
  if (code === 'OPEN_TIMEOUT') return { timeoutMs: 5000, deadline: 'open' };
  return {};
}

const CONTEXTS: (HintContext & { host: 'app' | 'cli'; scheme: 'ws:' | 'wss:'; answerShown: boolean })[] = [];
for (const host of ['app', 'cli'] as const) {
  for (const scheme of ['ws:', 'wss:'] as const) {
    for (const answerShown of [true, false]) CONTEXTS.push({ host, scheme, answerShown });
  }
}

const TABLE = ERROR_CODES.flatMap((code) => CONTEXTS.map((context) => ({ code, ...context })));

describe('hints in the words of where they are shown (every code × app/cli × ws/wss × answer shown or not)', () => {
  it.each(TABLE)('$code on $host, $scheme, answer shown: $answerShown', ({ code, ...context }) => {
    const error = forScheme(createNetError(ERROR_CATALOG[code].stage, code, detailsFor(code)), context.scheme);
    expect(netErrorSchema.safeParse(error).success).toBe(true);
    const hint = hintFor(error, context);
    expect(hint.length).toBeGreaterThan(10);
    expect(hint).not.toMatch(/\s{2}|\s[.,;]/);
    // Never where the hint has no idea what the page shows.
    expect(hint).not.toMatch(/\bbelow\b/);
    if (!context.answerShown) expect(hint).not.toMatch(/\babove\b/);
    if (context.host === 'app') {
      expect(hint).not.toMatch(/(^|[\s(])--[a-z]/);
      expect(hint).not.toContain('command line');
    } else {
      expect(hint).not.toContain('connection options');
      expect(hint).not.toContain('→');
    }
    expect(hint).not.toContain(context.scheme === 'wss:' ? 'try wss://' : 'try ws://');
  });

  it('names the answer as above only where it is shown above', () => {
    const refused = createNetError('tunnel', 'PROXY_REFUSED', { proxyResponse: ANSWER });
    expect(hintFor(refused, { host: 'app', answerShown: true })).toMatch(/^Read the answer above\. /);
    expect(hintFor(refused, { host: 'app', answerShown: false })).toMatch(/^Read the proxy's answer\. /);
    const rejected = createNetError('upgrade', 'UPGRADE_REJECTED', { upgradeResponse: ANSWER });
    expect(hintFor(rejected, { host: 'cli', answerShown: true })).toMatch(/^Read the answer above: a 401/);
    // Logs and exports: no place, so no "above".
    expect(rejected.hint).toMatch(/^Read the server's answer: a 401/);
  });

  it.each(DEADLINE_NAMES.map((name) => [name]))('the %s deadline: the app names its field, the CLI its flag with a longer value, a log its name', (name) => {
    const error = createNetError('upgrade', name === 'open' ? 'OPEN_TIMEOUT' : 'HANDSHAKE_TIMEOUT', { timeoutMs: 8000, deadline: name });
    const { field, flag, words } = DEADLINE_TEXT[name];
    expect(hintFor(error, { host: 'app' })).toContain(`To wait longer, raise Timeouts → ${field} in the connection options (now 8 s).`);
    expect(hintFor(error, { host: 'cli' })).toContain(`To wait longer: ${flag} 16000 (now 8000 ms).`);
    expect(error.hint).toContain(`To wait longer, raise the ${words} deadline (now 8 s).`);
  });

  it('a setting: its field in the app, its flag on the command line, nothing in a log', () => {
    const error = createNetError('tls', 'TLS_UNTRUSTED_CERT');
    expect(hintFor(error, { host: 'app' })).toBe(
      'If the server uses a private or self-signed certificate, add its CA certificate (PEM) as an extra CA file (TLS → Extra CA files in the connection options).',
    );
    expect(hintFor(error, { host: 'cli' })).toBe('If the server uses a private or self-signed certificate, add its CA certificate (PEM) as an extra CA file (--ca <file.pem>).');
    expect(error.hint).toBe('If the server uses a private or self-signed certificate, add its CA certificate (PEM) as an extra CA file.');
  });

  it('a suggestion for another scheme is kept only on a URL it fits', () => {
    const parts = [text('Ask the gateway to exempt this host'), onScheme('ws:', ', or try wss:// if the server supports it'), text('.')];
    const error = createNetError('tunnel', 'PROXY_REFUSED', {}, { hint: parts });
    expect(forScheme(error, 'ws:').hint).toBe('Ask the gateway to exempt this host, or try wss:// if the server supports it.');
    expect(forScheme(error, 'wss:').hint).toBe('Ask the gateway to exempt this host.');
    expect(hintFor(forScheme(error, 'wss:'), { host: 'app' })).toBe('Ask the gateway to exempt this host.');
  });

  it('a hint of plain text keeps its words, and an error from before hint parts keeps its hint', () => {
    const plain = createNetError('transport', 'CONNECTION_RESET', {}, { hint: 'Exactly  as written.' });
    expect(plain.hintParts).toBeUndefined();
    expect(hintFor(plain, { host: 'app' })).toBe('Exactly  as written.');
    const parts = createNetError('tunnel', 'PROXY_REFUSED', {}, { hint: [text('See '), answer('proxy'), setting('proxyCaFiles'), text('.')] });
    expect(hintFor(parts, { host: 'cli', answerShown: false })).toBe("See the proxy's answer (--proxy-ca <file.pem>).");
  });

  it.each([
    ['wss://h/', 'wss:'],
    ['WS://h/', 'ws:'],
    ['http://h/', undefined],
    [undefined, undefined],
  ] as const)('schemeOf(%s) is %s', (url, scheme) => {
    expect(schemeOf(url)).toBe(scheme);
  });
});
