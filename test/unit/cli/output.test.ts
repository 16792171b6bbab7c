import { describe, expect, it } from 'vitest';
import {
  actionFlags,
  bodyPreview,
  choosePalette,
  COLOURS,
  failureHeadline,
  formatDecision,
  formatError,
  formatFrame,
  formatStep,
  formatTraffic,
  formatTls,
  htmlToText,
  PLAIN,
} from '../../../src-main/cli/human-output';
import { decisionProxy, errorLine, frameLine, handshakeLine, resolveLine } from '../../../src-main/cli/json-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import { ERROR_STAGES, type NetError } from '../../../src-main/shared/errors';
import type { CertSummary, ProxyDecision, TlsInfo } from '../../../src-main/shared/model';

const cert: CertSummary = {
  subject: 'CN=localhost, O=Tunnelscope Tests',
  issuer: 'CN=Tunnelscope Test CA',
  validFrom: '2025-01-01T00:00:00.000Z',
  validTo: '2026-01-01T00:00:00.000Z',
  fingerprint256: 'AB:CD:EF',
  subjectAltNames: ['DNS:localhost', 'IP Address:127.0.0.1'],
  serialNumber: '01',
  selfSigned: false,
};

const tls: TlsInfo = {
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  alpn: null,
  servername: null,
  authorized: false,
  authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  insecure: true,
  chain: [cert],
};

describe('colours', () => {
  it('only on a terminal and never with NO_COLOR', () => {
    expect(choosePalette(true, {})).toBe(COLOURS);
    expect(choosePalette(true, { NO_COLOR: '1' })).toBe(PLAIN);
    expect(choosePalette(false, {})).toBe(PLAIN);
    expect(choosePalette(undefined, {})).toBe(PLAIN);
  });
});

describe('human output', () => {
  it('shows the TLS summary with the chain and a loud INSECURE marker', () => {
    const text = formatTls('TLS', tls, 12, PLAIN).join('\n');
    expect(text).toContain('INSECURE');
    expect(text).toContain('NOT verified (DEPTH_ZERO_SELF_SIGNED_CERT), accepted because of --insecure');
    for (const part of ['TLSv1.3', 'TLS_AES_256_GCM_SHA384', 'ALPN none', 'SNI none (IP address)', 'CN=localhost', 'issuer   CN=Tunnelscope Test CA', '2025-01-01 00:00:00Z → 2026-01-01 00:00:00Z', 'SHA-256  AB:CD:EF', 'DNS:localhost, IP Address:127.0.0.1']) {
      expect(text).toContain(part);
    }
    expect(formatTls('TLS', { ...tls, insecure: false, authorized: true, authorizationError: null }, 1, PLAIN).join('\n')).not.toContain('INSECURE');
  });

  it('prints each leg as a transcript, redacting credentials', () => {
    const lines = formatStep(
      {
        leg: 'proxy',
        startedAt: 0,
        ms: 4,
        ok: false,
        peer: '127.0.0.1:3128',
        request: { startLine: 'CONNECT h:443 HTTP/1.1', headers: [['Host', 'h:443'], ['Proxy-Authorization', 'Basic YTpi']] },
        response: { startLine: 'HTTP/1.1 407 Proxy Authentication Required', headers: [['Proxy-Authenticate', 'Basic realm="corp"']] },
      },
      PLAIN,
    );
    expect(lines).toContain('client > proxy   CONNECT h:443 HTTP/1.1');
    expect(lines).toContain('client > proxy   Proxy-Authorization: Basic ••••••');
    expect(lines).toContain('proxy > client   HTTP/1.1 407 Proxy Authentication Required');
    expect(lines.join('\n')).not.toContain('YTpi');
    const upgrade = formatStep(
      { leg: 'upgrade', startedAt: 0, ms: 2, ok: true, request: { startLine: 'GET / HTTP/1.1', headers: [] }, response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: [] } },
      PLAIN,
    );
    expect(upgrade).toContain('client > server  GET / HTTP/1.1');
    expect(upgrade).toContain('server > client  HTTP/1.1 101 Switching Protocols');
  });

  it('reduces an HTML error page to its text and caps long bodies', () => {
    expect(htmlToText('<html><head><style>x{}</style><title>T</title></head><body><h1>Denied</h1><p>a &amp; b</p></body></html>')).toBe('Denied\na & b');
    const many = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const preview = bodyPreview({ startLine: 'HTTP/1.1 500 x', headers: [['Content-Type', 'text/plain']], bodyPreview: many, bodyBytes: 5000, bodyTruncated: true }, 5);
    expect(preview).toHaveLength(6);
    expect(preview.at(-1)).toContain('5000 bytes in all');
  });

  it('shows frames with direction, size and a one-line preview', () => {
    const base = { seq: 1, at: Date.UTC(2025, 0, 1), truncated: false };
    expect(formatFrame({ ...base, dir: 'out', opcode: 'text', size: 7, preview: 'a\nb' }, PLAIN)).toMatch(/^→ \d\d:\d\d:\d\d\.\d{3} text +7 B {2}a\\nb$/);
    expect(formatFrame({ ...base, dir: 'in', opcode: 'binary', size: 2048, preview: '00ff', truncated: true }, PLAIN)).toMatch(/^← .* binary +2\.0 KiB {2}hex 00ff…$/);
    expect(formatFrame({ ...base, dir: 'in', opcode: 'close', size: 5, preview: '', closeCode: 1001, closeReason: 'bye' }, PLAIN)).toContain('1001 "bye"');
  });

  it('keeps the code and reason of a close frame, and says after them what the close cut short', () => {
    const close = { seq: 9, at: Date.UTC(2025, 0, 1), truncated: false, dir: 'in' as const, opcode: 'close' as const, size: 2, preview: '', closeCode: 1000 };
    const problem = 'a close frame, which cuts short the PUBLISH under way in this direction: 7 of the 24 B after its fixed header arrived';
    const cutShort = { kind: 'invalid' as const, protocol: 'mqtt' as const, summary: `not valid MQTT: ${problem}`, problem };
    expect(formatFrame(close, PLAIN, cutShort)).toMatch(/^← .* close +2 B {2}1000 {2}not valid MQTT: a close frame, which cuts short the PUBLISH .* arrived$/);
  });

  it('sums up the traffic at the end, with the round trips when there were pings', () => {
    const stats = {
      at: 0,
      totals: { in: { messages: 200_000, bytes: 9_437_184 }, out: { messages: 1, bytes: 2 } },
      window: { startAt: 0, seconds: 1, in: { messages: [0], bytes: [0] }, out: { messages: [0], bytes: [0] } },
      rate: { in: { messagesPerSecond: 0, bytesPerSecond: 0 }, out: { messagesPerSecond: 0, bytesPerSecond: 0 } },
      rtt: { lastMs: null, minMs: null, avgMs: null, maxMs: null, samples: [], pending: 0, unmatchedPongs: 0 },
    };
    expect(formatTraffic(stats, PLAIN)).toBe('Traffic  ← 200,000 frames 9.0 MiB · → 1 frame 2 B');
    const pinged = { ...stats, rtt: { ...stats.rtt, lastMs: 1.25, minMs: 0.5, avgMs: 1, maxMs: 2, samples: [{ at: 1, ms: 0.5 }, { at: 2, ms: 1.25 }] } };
    expect(formatTraffic(pinged, PLAIN)).toBe('Traffic  ← 200,000 frames 9.0 MiB · → 1 frame 2 B · round trip 1.3 ms (min 0.5, avg 1.0, max 2.0; 2 recent)');
  });

  it('has a plain headline for every stage', () => {
    for (const stage of ERROR_STAGES) {
      const error: NetError = { kind: 'net', stage, code: 'PROXY_BAD_RESPONSE', message: 'm', hint: 'h', details: {} };
      expect(failureHeadline(error).length).toBeGreaterThan(10);
    }
    expect(failureHeadline({ kind: 'net', stage: 'tunnel', code: 'PROXY_REFUSED', message: '', hint: '', details: {} })).toBe('The proxy refused the tunnel');
  });

  it('explains a failure: what the other side said, the realm offered, and the hint', () => {
    const error: NetError = {
      kind: 'net',
      stage: 'tunnel',
      code: 'PROXY_AUTH_REQUIRED',
      message: 'The proxy requires authentication.',
      hint: 'Give --proxy-user.',
      details: {
        proxy: 'http://127.0.0.1:3128',
        authSchemes: ['Basic'],
        authRealm: 'corp',
        proxyResponse: { startLine: 'HTTP/1.1 407 Proxy Authentication Required', headers: [['Proxy-Authenticate', 'Basic realm="corp"']] },
      },
    };
    const text = formatError(error, PLAIN).join('\n');
    expect(text).toContain('✗ The proxy asked for credentials  [stage tunnel, PROXY_AUTH_REQUIRED]');
    expect(text).toContain('The proxy offers: Basic (realm "corp")');
    expect(text).toContain('HTTP/1.1 407 Proxy Authentication Required');
    expect(text).toContain('Hint: Give --proxy-user.');
  });

  it('turns the suggested actions into the flags that do them', () => {
    const base = { kind: 'net' as const, message: '', hint: '', details: {} };
    expect(actionFlags({ ...base, stage: 'tunnel', code: 'PROXY_AUTH_REQUIRED', actions: ['enter-proxy-credentials'] })).toEqual(['--proxy-user @<file> (a file holding user:password) or TUNNELSCOPE_PROXY_USER=user:password']);
    expect(actionFlags({ ...base, stage: 'proxy-tls', code: 'PROXY_TLS_UNTRUSTED_CERT', actions: ['trust-ca-file'] })[0]).toContain('--proxy-ca');
    expect(actionFlags({ ...base, stage: 'tls', code: 'TLS_UNTRUSTED_CERT', actions: ['trust-ca-file', 'connect-insecure'] })).toEqual([
      '--ca <CA.pem>',
      '--insecure (skips verification: only if you accept the risk)',
    ]);
    expect(actionFlags({ ...base, stage: 'upgrade', code: 'UPGRADE_REJECTED' })).toEqual([]);
  });

  it('says where a decision came from', () => {
    const decision: ProxyDecision = { source: 'env', reason: 'NO_PROXY entry `.corp` matched', candidates: [{ url: 'direct', protocol: 'direct', host: '', port: 0, hasCredentials: false }] };
    expect(formatDecision(decision, PLAIN).join('\n')).toContain('none (direct connection)  [env]\n         NO_PROXY entry `.corp` matched');
  });
});

describe('json output', () => {
  it('gives the proxy without credentials, or null for direct', () => {
    const viaProxy: ProxyDecision = {
      source: 'manual',
      reason: 'given',
      candidates: [{ url: 'http://u:p@proxy:3128', protocol: 'http', host: 'proxy', port: 3128, hasCredentials: true }],
    };
    expect(decisionProxy(viaProxy)).toBe('http://proxy:3128');
    expect(resolveLine(viaProxy)).toEqual({ type: 'resolve', source: 'manual', proxy: 'http://proxy:3128', reason: 'given', candidates: ['http://proxy:3128'] });
    expect(decisionProxy({ ...viaProxy, candidates: [{ url: 'direct', protocol: 'direct', host: '', port: 0, hasCredentials: false }] })).toBeNull();
  });

  it('keeps only the proxy, tls and upgrade legs and redacts their headers', () => {
    expect(handshakeLine({ leg: 'tcp', startedAt: 0, ms: 1, ok: true })).toBeUndefined();
    expect(handshakeLine({ leg: 'proxy-tls', startedAt: 0, ms: 1, ok: true })).toBeUndefined();
    const line = handshakeLine({ leg: 'proxy', startedAt: 0, ms: 3, ok: true, request: { startLine: 'CONNECT', headers: [['proxy-authorization', 'Basic abc']] } });
    expect(line).toEqual({ type: 'handshake', leg: 'proxy', ok: true, request: { startLine: 'CONNECT', headers: [['proxy-authorization', 'Basic ••••••']] }, response: null, ms: 3 });
    expect(handshakeLine({ leg: 'tls', startedAt: 0, ms: 3, ok: true, tls })).toMatchObject({ leg: 'tls', request: null, response: null, tls });
  });

  it('describes frames: text, base64, close code and reason; an evicted body says so', () => {
    const base = { seq: 4, dir: 'in' as const, at: 1, truncated: false };
    expect(frameLine({ ...base, opcode: 'text', size: 2, preview: 'hi' }, undefined)).toMatchObject({ type: 'frame', seq: 4, dir: 'in', opcode: 'text', size: 2, text: 'hi' });
    const frame = { ...base, opcode: 'binary' as const, size: 2, preview: '0102' };
    expect(frameLine(frame, { frame, base64: 'AQI=' })).toMatchObject({ base64: 'AQI=' });
    expect(frameLine(frame, undefined)).toMatchObject({ base64: null, truncated: true });
    expect(frameLine({ ...base, opcode: 'close', size: 2, preview: '', closeCode: 1000, closeReason: '' }, undefined)).toMatchObject({ code: 1000, reason: '' });
  });

  it('puts the error fields on the line and scrubs secrets from every string', () => {
    const error: NetError = { kind: 'net', stage: 'resolve', code: 'PAC_INVALID', message: 'bad pac with hunter2 in it', hint: 'h', details: { file: '/x.pac' } };
    const scrubber = new Scrubber(['hunter2'], { username: 'bob', password: 'pw' });
    const line = scrubber.deep(errorLine(error));
    expect(line).toEqual({ type: 'error', stage: 'resolve', code: 'PAC_INVALID', message: 'bad pac with •••••• in it', hint: 'h', details: { file: '/x.pac' } });
    // The Basic credential of bob:pw is scrubbed even though the password itself is too short to scrub.
    expect(scrubber.text(`Basic ${Buffer.from('bob:pw').toString('base64')}`)).toBe('Basic ••••••');
  });
});
