/**
 * The CLI's words for a deadline and for the other side's answer: the failure names which
 * deadline fired and its value, the hint gives the flag with a longer value, the answer
 * printed above the hint is "the answer above"; `profiles show` lists every deadline.
 */
import { describe, expect, it } from 'vitest';
import { createNetError } from '../../../src-main/core/errors/net-failure';
import { formatError, PLAIN } from '../../../src-main/cli/human-output';
import { timeoutsText } from '../../../src-main/cli/timeouts-text';

describe('a deadline in the CLI output', () => {
  it('names the deadline that fired and the flag that raises it', () => {
    const error = createNetError('tunnel', 'PROXY_TIMEOUT', { target: 'echo.test:443', proxy: 'http://proxy.test:3128', timeoutMs: 15_000, deadline: 'proxy-answer' });
    const text = formatError(error, PLAIN).join('\n');
    expect(text).toContain('proxy answer deadline 15000 ms');
    expect(text).toContain('Hint: The proxy is slow, overloaded or silently dropping the connection; try again, or check the proxy address. To wait longer: --proxy-answer-timeout 30000 (now 15000 ms).');
    expect(text).not.toContain('connection options');
  });

  it('the open deadline is --timeout', () => {
    const error = createNetError('upgrade', 'OPEN_TIMEOUT', { timeoutMs: 5000, deadline: 'open' });
    expect(formatError(error, PLAIN).join('\n')).toContain('To wait longer: --timeout 10000 (now 5000 ms).');
  });

  it('says "the answer above" because it printed the answer above the hint', () => {
    const error = createNetError('upgrade', 'UPGRADE_REJECTED', { upgradeResponse: { startLine: 'HTTP/1.1 403 Forbidden', headers: [] } });
    const lines = formatError(error, PLAIN);
    const said = lines.findIndex((line) => line.includes('The server said:'));
    const hint = lines.findIndex((line) => line.includes('Hint: Read the answer above: a 401/403'));
    expect(said).toBeGreaterThan(-1);
    expect(hint).toBeGreaterThan(said);
  });

  it('profiles show: every deadline, the older handshake timeout read as TLS and upgrade', () => {
    expect(timeoutsText({ handshakeTimeoutMs: 7000 })).toBe('proxy connect 10 s, proxy answer 15 s, TLS 7 s, upgrade 7 s, open none');
    expect(timeoutsText({ timeouts: { proxyAnswerMs: 30_000, openMs: 60_000 } })).toBe('proxy connect 10 s, proxy answer 30 s, TLS 10 s, upgrade 10 s, open 60 s');
  });
});
