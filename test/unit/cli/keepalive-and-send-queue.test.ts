/**
 * The CLI's side of the session transport limits: `--keepalive [seconds]` (off unless given),
 * and "the server is not reading (N MiB queued)" in human output and a `send-queue` line and a
 * `queued` field in --json, each said when the queue fills and when it drains.
 */
import { describe, expect, it } from 'vitest';
import { HumanPrinter, PLAIN } from '../../../src-main/cli/human-output';
import { keepaliveText } from '../../../src-main/cli/keepalive-text';
import { closedLine, JsonPrinter } from '../../../src-main/cli/json-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import type { EngineEventOf } from '../../../src-main/shared/events';
import { MIB } from '../../../src-main/shared/model';
import type { SessionStats } from '../../../src-main/shared/stats';
import { connect, usageError } from './connect-args';

describe('--keepalive [seconds]', () => {
  it('is off unless given', () => {
    expect(connect('ws://127.0.0.1:1/').options?.keepalive).toBeUndefined();
  });

  it('alone pings every 30 s with a 10 s pong deadline, wherever it stands', () => {
    const expected = { intervalMs: 30_000, pongTimeoutMs: 10_000 };
    expect(connect('ws://127.0.0.1:1/', '--keepalive').options?.keepalive).toEqual(expected);
    // The URL after a bare --keepalive stays the URL.
    expect(connect('--keepalive', 'ws://127.0.0.1:1/').options).toMatchObject({ url: 'ws://127.0.0.1:1/', keepalive: expected });
    expect(connect('--keepalive', '--json', 'ws://127.0.0.1:1/')).toMatchObject({ json: true, options: { keepalive: expected } });
  });

  it('takes the interval in seconds', () => {
    expect(connect('ws://127.0.0.1:1/', '--keepalive', '5').options?.keepalive).toEqual({ intervalMs: 5_000, pongTimeoutMs: 10_000 });
    expect(connect('ws://127.0.0.1:1/', '--keepalive=3600').options?.keepalive?.intervalMs).toBe(3_600_000);
  });

  it('says what is wrong with a bad value', () => {
    expect(usageError('ws://127.0.0.1:1/', '--keepalive', '0')).toBe('--keepalive must be between 1 and 3,600 seconds, got 0');
    expect(usageError('ws://127.0.0.1:1/', '--keepalive', '3601')).toBe('--keepalive must be between 1 and 3,600 seconds, got 3601');
    expect(usageError('ws://127.0.0.1:1/', '--keepalive', '1.5')).toBe('--keepalive must be a whole number of seconds, got "1.5"');
    expect(usageError('ws://127.0.0.1:1/', '--keepalive', '-5')).toBe('--keepalive must be a whole number of seconds, got "-5"');
    expect(usageError('ws://127.0.0.1:1/', '--keepalive=soon')).toBe('--keepalive must be a whole number of seconds, got "soon"');
    expect(usageError('ws://127.0.0.1:1/', '--keepalive', '--keepalive')).toBe('--keepalive was given 2 times; give it once');
  });

  it('cannot be combined with --profile (the profile has its own keep-alive)', () => {
    expect(usageError('--profile', 'prod', '--keepalive')).toMatch(/^--keepalive cannot be combined with --profile/);
  });
});

function stats(queuedBytes: number, written = 0): SessionStats {
  const window = { messages: [0], bytes: [0] };
  return {
    at: 0,
    totals: { in: { messages: 0, bytes: 0 }, out: { messages: written, bytes: written * MIB } },
    window: { startAt: 0, seconds: 1, in: window, out: window },
    rate: { in: { messagesPerSecond: 0, bytesPerSecond: 0 }, out: { messagesPerSecond: 0, bytesPerSecond: 0 } },
    rtt: { lastMs: null, minMs: null, avgMs: null, maxMs: null, samples: [], pending: 0, unmatchedPongs: 0 },
    queued: { messages: queuedBytes / MIB, bytes: queuedBytes, highWaterMark: 16 * MIB },
  };
}

const statsEvent = (s: SessionStats): EngineEventOf<'stats'> => ({ type: 'stats', sessionId: 's', stats: s });

describe('the send queue in the output', () => {
  it('human: says once that the server is not reading, and once that it reads again', () => {
    const out: string[] = [];
    const err: string[] = [];
    const printer = new HumanPrinter({ out: (l) => out.push(l), err: (l) => err.push(l) }, PLAIN, new Scrubber([]));
    printer.stats(statsEvent(stats(MIB)));
    printer.stats(statsEvent(stats(17 * MIB)));
    printer.stats(statsEvent(stats(18 * MIB)));
    printer.stats(statsEvent(stats(0, 18)));
    expect(out).toEqual([]);
    expect(err).toEqual([
      'Warning: the server is not reading (17.0 MiB queued); sending waits until it drains.',
      'The server is reading again: the send queue drained.',
    ]);
  });

  it('json: a send-queue line at each change, and what was still queued in the closed line', () => {
    const lines: string[] = [];
    const printer = new JsonPrinter((l) => lines.push(l), new Scrubber([]), () => Promise.resolve(undefined));
    printer.stats(statsEvent(stats(MIB)));
    printer.stats(statsEvent(stats(16 * MIB)));
    printer.stats(statsEvent(stats(17 * MIB)));
    printer.stats(statsEvent(stats(0, 17)));
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { type: 'send-queue', full: true, messages: 16, bytes: 16 * MIB, highWaterMark: 16 * MIB },
      { type: 'send-queue', full: false, messages: 0, bytes: 0, highWaterMark: 16 * MIB },
    ]);
    const closed: EngineEventOf<'closed'> = { type: 'closed', sessionId: 's', code: null, reason: '', wasClean: false, initiatedBy: 'none', at: 0 };
    expect(closedLine(closed, stats(3 * MIB, 2))).toMatchObject({ queued: { messages: 3, bytes: 3 * MIB }, totals: { out: { messages: 2 } } });
  });
});

describe('profiles show: Keep-alive', () => {
  it('says off, or the interval and the pong deadline', () => {
    expect(keepaliveText(undefined)).toBe('off');
    expect(keepaliveText({ intervalMs: 30_000, pongTimeoutMs: 10_000 })).toBe('ping every 30 s, pong within 10 s (else the session ends: PEER_UNRESPONSIVE)');
    expect(keepaliveText({ intervalMs: 1_500, pongTimeoutMs: 2_000 })).toBe('ping every 1.5 s, pong within 2 s (else the session ends: PEER_UNRESPONSIVE)');
  });
});
