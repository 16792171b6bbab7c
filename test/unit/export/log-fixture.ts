/**
 * A finished session as exports see it: every kind of frame, a proxy leg, a TLS leg and an
 * upgrade carrying secrets in every place a secret can be (so tests can check none leaks).
 */
import { FrameStore, encodeClosePayload } from '../../../src-main/core/session/frame-store';
import { SessionStatsRecorder } from '../../../src-main/core/session/session-stats';
import type { SessionEnding, SessionLog } from '../../../src-main/core/session/session-log';
import type { HandshakeStep, ProxyDecision } from '../../../src-main/shared/model';

export const T0 = Date.parse('2024-05-01T10:20:30.000Z');

/** Strings that must never appear in an export. */
export const SECRETS = ['dXNlcjpodW50ZXIy', 'hunter2', 'tok-123', 'session=abc', 's3cret-value', 'urlpass'];

export const DECISION: ProxyDecision = {
  source: 'manual',
  candidates: [{ url: 'http://proxy.corp:3128', protocol: 'http', host: 'proxy.corp', port: 3128, hasCredentials: true }],
  reason: 'the profile names a proxy',
};

export const STEPS: HandshakeStep[] = [
  { leg: 'resolve', startedAt: T0, ms: 2, ok: true },
  { leg: 'tcp', startedAt: T0 + 2, ms: 5, ok: true, peer: 'proxy.corp:3128' },
  {
    leg: 'proxy',
    startedAt: T0 + 7,
    ms: 20,
    ok: true,
    peer: 'proxy.corp:3128',
    request: { startLine: 'CONNECT echo.example:443 HTTP/1.1', headers: [['Host', 'echo.example:443'], ['Proxy-Authorization', 'Basic dXNlcjpodW50ZXIy']] },
    response: { startLine: 'HTTP/1.1 200 Connection established', headers: [['Via', '1.1 squid']] },
  },
  { leg: 'tls', startedAt: T0 + 27, ms: 30, ok: true, peer: 'echo.example:443' },
  {
    leg: 'upgrade',
    startedAt: T0 + 57,
    ms: 13,
    ok: true,
    peer: 'echo.example:443',
    request: {
      startLine: 'GET /socket?room=1 HTTP/1.1',
      headers: [
        ['Host', 'echo.example'],
        ['Authorization', 'Bearer tok-123'],
        ['Cookie', 'session=abc'],
        ['X-Api-Token', 's3cret-value'],
        ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ],
    },
    response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: [['Upgrade', 'websocket'], ['Set-Cookie', 'session=abc']] },
  },
];

export function fixtureFrames(): FrameStore {
  const frames = new FrameStore();
  frames.push('out', 'text', Buffer.from('hello ✓'), undefined, T0 + 100);
  frames.push('in', 'text', Buffer.from('{"type":"tick","price":5}'), undefined, T0 + 150);
  frames.push('in', 'binary', Buffer.from([0, 1, 2, 0xff]), undefined, T0 + 200);
  frames.push('out', 'ping', Buffer.from('p1'), undefined, T0 + 250);
  frames.push('in', 'pong', Buffer.from('p1'), undefined, T0 + 262);
  frames.push('out', 'close', encodeClosePayload(1000, 'bye'), undefined, T0 + 300);
  frames.push('in', 'close', encodeClosePayload(1000, 'bye'), undefined, T0 + 310);
  return frames;
}

export function fixtureSession(overrides: Partial<{ frames: FrameStore; steps: HandshakeStep[]; url: string }> = {}): SessionLog {
  const frames = overrides.frames ?? fixtureFrames();
  const ending: SessionEnding = { code: 1000, reason: 'bye', wasClean: true, initiatedBy: 'client', at: T0 + 310 };
  const stats = new SessionStatsRecorder();
  return {
    id: 'fixture',
    url: overrides.url ?? 'wss://user:urlpass@echo.example/socket?room=1',
    createdAt: T0,
    frames,
    state: 'closed',
    handshakeSteps: () => overrides.steps ?? STEPS,
    proxyDecision: () => DECISION,
    closedInfo: () => ending,
    failure: () => undefined,
    secretHeaderNames: () => ['x-api-token'],
    statsNow: () => stats.snapshot(T0 + 400),
  };
}
