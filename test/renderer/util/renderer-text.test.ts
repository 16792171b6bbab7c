import { describe, expect, it } from 'vitest';
import { SESSION_STATES } from '../../../src-main/shared/model';
import type { NetError } from '../../../src-main/shared/errors';
import { emptyDraft } from '../../../src-renderer/src/connection-form/connection-draft';
import { decisionRoute } from '../../../src-renderer/src/util/decision-text';
import { draftSummary } from '../../../src-renderer/src/util/draft-summary';
import { errorTitle, messageAfterTitle } from '../../../src-renderer/src/util/error-title';
import { formatDuration } from '../../../src-renderer/src/util/format-duration';
import { parseStatusLine, statusSummary } from '../../../src-renderer/src/util/http-start-line';
import { problemField } from '../../../src-renderer/src/util/problem-field';
import { reasonSegments } from '../../../src-renderer/src/util/reason-segments';
import { stateLabel } from '../../../src-renderer/src/util/state-label';
import { tabLabel } from '../../../src-renderer/src/util/tab-label';

describe('renderer text helpers', () => {
  it('formats durations', () => {
    expect([2, 999.6, 1240, 12_400, 252_000, 3_780_000, -5].map(formatDuration)).toEqual(['2 ms', '1000 ms', '1.24 s', '12 s', '4 m 12 s', '1 h 3 m', '0 ms']);
  });

  it('reads status lines', () => {
    expect(parseStatusLine('HTTP/1.0 500 handshakefailed')).toEqual({ version: 'HTTP/1.0', status: 500, reason: 'handshakefailed' });
    expect(parseStatusLine('HTTP/2 200')).toEqual({ version: 'HTTP/2', status: 200, reason: '' });
    expect(parseStatusLine('garbage')).toBeNull();
    expect(statusSummary('garbage ')).toBe('garbage');
  });

  it('titles errors by stage, with the exchange that failed', () => {
    const base: NetError = { kind: 'net', stage: 'upgrade', code: 'UPGRADE_REJECTED', message: 'm', hint: 'h', details: {} };
    expect(errorTitle(base)).toBe('The server refused the WebSocket upgrade');
    expect(errorTitle({ ...base, details: { upgradeResponse: { startLine: 'HTTP/1.1 403 Forbidden', headers: [] } } })).toBe(
      'The server refused the WebSocket upgrade (upgrade → 403 Forbidden)',
    );
    expect(errorTitle({ ...base, stage: 'resolve', code: 'PAC_INVALID' })).toBe('Choosing the proxy failed');
    expect(errorTitle({ ...base, stage: 'proxy-connect', code: 'PROXY_CONNECTION_REFUSED' })).toBe('Could not reach the proxy');
    expect(errorTitle({ ...base, stage: 'tunnel', code: 'PROXY_TIMEOUT' })).toBe('The proxy did not open the tunnel in time');
  });

  it('says the route of a decision', () => {
    const proxy = { url: 'http://p:3128', protocol: 'http' as const, host: 'p', port: 3128, hasCredentials: true };
    const direct = { url: 'direct', protocol: 'direct' as const, host: '', port: 0, hasCredentials: false };
    expect(decisionRoute({ source: 'env', candidates: [direct], reason: 'r' })).toBe('direct');
    expect(decisionRoute({ source: 'pac', candidates: [proxy, direct], reason: 'r' })).toBe('via http://p:3128 (with credentials), then direct');
  });

  it('splits backticked code out of reasons, and leaves an odd backtick alone', () => {
    expect(reasonSegments('NO_PROXY entry `.corp` matched')).toEqual([
      { text: 'NO_PROXY entry ', code: false },
      { text: '.corp', code: true },
      { text: ' matched', code: false },
    ]);
    expect(reasonSegments('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
  });

  it('summarises a draft, flagging verification off', () => {
    const draft = emptyDraft();
    draft.insecure = true;
    draft.certFile = '/keys/client.pem';
    // The deadlines show only when one differs from its default, each by its field's name.
    expect(draftSummary(draft).map((p) => p.text)).toEqual(['Headers (0)', 'Subprotocols (0)', 'TLS (client cert: client.pem)', 'verification OFF']);
    draft.timeouts = { ...draft.timeouts, proxyAnswerMs: 30_000, upgradeMs: 2500, openMs: 60_000 };
    expect(draftSummary(draft).map((p) => p.text)).toEqual([
      'Headers (0)',
      'Subprotocols (0)',
      'TLS (client cert: client.pem)',
      'verification OFF',
      'Timeouts: Proxy answer 30 s, Upgrade 2.5 s, Open 60 s',
    ]);
    expect(draftSummary(draft).find((p) => p.warn)?.text).toBe('verification OFF');
    // The history shows only when it is not the default.
    draft.historyFrames = 250_000;
    draft.historyMegabytes = 64;
    expect(draftSummary(draft).at(-1)?.text).toBe('Keeps 250k frames / 64 MiB');
    draft.historyFrames = 2_000_000;
    draft.historyMegabytes = 1.5;
    expect(draftSummary(draft).at(-1)?.text).toBe('Keeps 2M frames / 1.5 MiB');
  });

  it('maps argument paths to form fields', () => {
    const p = (path: string | null, command: 'session:open' | 'session:send' = 'session:open') => problemField({ command, message: 'm', path });
    expect(p('options.url')).toBe('url');
    expect(p('options.proxy.url')).toBe('proxy');
    expect(p('options.proxyCaFiles.0')).toBe('tls');
    expect(p('options.tls.caFiles.1')).toBe('tls');
    expect(p('options.handshakeTimeoutMs')).toBe('timeout');
    expect(p('options.history.maxFrames')).toBe('history');
    expect(p(null)).toBe('general');
    expect(p('data', 'session:send')).toBeNull();
    expect(problemField(null)).toBeNull();
  });

  it('labels every state with an icon and a word, and only "open" says open', () => {
    for (const state of SESSION_STATES) {
      const label = stateLabel(state);
      expect(label.icon).not.toBe('');
      expect(label.word).not.toBe('');
      if (state !== 'open') expect(label.word).not.toContain('open');
    }
  });

  it('names tabs after the URL', () => {
    expect(tabLabel('')).toBe('New tab');
    expect(tabLabel('wss://echo.test:8443/socket')).toBe('echo.test:8443/socket');
    expect(tabLabel('wss://echo.test/')).toBe('echo.test');
    expect(tabLabel('not a url')).toBe('not a url');
  });
});

describe('messageAfterTitle', () => {
  it('drops what the title already says and keeps the rest', () => {
    const title = 'The proxy refused the tunnel (CONNECT → 500 handshakefailed)';
    expect(messageAfterTitle(title, `${title}; the answer came from 10.0.0.1 (Via header).`)).toBe('The answer came from 10.0.0.1 (Via header).');
    expect(messageAfterTitle(title, title)).toBe('');
    expect(messageAfterTitle(title, 'The proxy requires authentication: Basic realm "corp".')).toBe('The proxy requires authentication: Basic realm "corp".');
  });
});
