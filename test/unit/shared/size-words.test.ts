/**
 * Sizes said in binary units where binary units are meant (format-bytes.ts: KiB, MiB): the
 * send queue's notice (the CLI's stderr and the status bar), a saved message's limit, and the
 * CLI's help texts and --keep-mb, which never say "MB" for 1,048,576 bytes.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONNECT_HELP, MAIN_HELP, PROFILES_HELP, RESOLVE_HELP } from '../../../src-main/cli/help-text';
import { INTERCEPT_HELP } from '../../../src-main/cli/help-text-intercept';
import { parseCommandLine, UsageError } from '../../../src-main/cli/parse-args';
import { MIB } from '../../../src-main/shared/model';
import { MAX_SAVED_MESSAGE_CHARS, savedMessageWith } from '../../../src-main/shared/profiles';
import { sendQueueNotice } from '../../../src-main/shared/send-queue';
import type { SessionStats } from '../../../src-main/shared/stats';

function queued(bytes: number): SessionStats {
  const dir = { messages: 0, bytes: 0 };
  const rate = { messagesPerSecond: 0, bytesPerSecond: 0 };
  return {
    at: 10,
    totals: { in: dir, out: dir },
    window: { startAt: 0, seconds: 1, in: { messages: [0], bytes: [0] }, out: { messages: [0], bytes: [0] } },
    rate: { in: rate, out: rate },
    rtt: { lastMs: null, minMs: null, avgMs: null, maxMs: null, samples: [], pending: 0, unmatchedPongs: 0 },
    queued: { messages: 3, bytes, highWaterMark: 16 * MIB },
  };
}

describe('the send queue notice', () => {
  it('says MiB, one decimal, from the one formatter', () => {
    expect(sendQueueNotice(queued(16 * MIB))).toBe('the server is not reading (16.0 MiB queued)');
    expect(sendQueueNotice(queued(16 * MIB + 300 * 1024))).toBe('the server is not reading (16.3 MiB queued)');
    expect(sendQueueNotice(queued(MIB))).toBeUndefined();
  });
});

describe('a saved message over its limit', () => {
  it('names the limit in characters and MiB', () => {
    const checked = savedMessageWith(z.string()).safeParse({ id: 'm', name: 'big', kind: 'text', body: 'x'.repeat(MAX_SAVED_MESSAGE_CHARS + 1) });
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]?.message).toBe('a saved message is at most 2,097,152 characters (2.0 MiB)');
  });
});

describe('the CLI', () => {
  it('help texts say MiB, never MB', () => {
    for (const text of [MAIN_HELP, CONNECT_HELP, RESOLVE_HELP, PROFILES_HELP, INTERCEPT_HELP]) expect(text).not.toMatch(/\bMB\b/);
    expect(CONNECT_HELP).toContain('While 16 MiB wait to be written (the server is not reading), "the server is not reading\n  (N MiB queued)"');
    expect(CONNECT_HELP).toContain('--keep-mb <n>            keep at most n MiB (1,048,576 bytes) of payload');
  });

  it('--keep-mb errors say MiB', () => {
    const usage = (value: string): string => {
      try {
        parseCommandLine(['connect', 'ws://h/', '--keep-mb', value]);
      } catch (error) {
        if (error instanceof UsageError) return error.message;
      }
      return '';
    };
    expect(usage('0')).toBe('--keep-mb must be between 1 and 4,096 MiB, got 0');
    expect(usage('x')).toBe('--keep-mb must be a whole number of MiB, got "x"');
  });
});
