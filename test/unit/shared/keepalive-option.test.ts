import { describe, expect, it } from 'vitest';
import { connectionOptionsSchema } from '../../../src-main/shared/model';

const parse = (keepalive: unknown) => connectionOptionsSchema.safeParse({ url: 'ws://127.0.0.1:1/', keepalive });
const firstIssue = (keepalive: unknown): string => {
  const result = parse(keepalive);
  if (result.success) return 'accepted';
  const issue = result.error.issues[0];
  return `${issue?.path.join('.')}: ${issue?.message}`;
};

describe('the keepalive connection option', () => {
  it('is off when left out, and the pong deadline defaults to 10 s', () => {
    expect(connectionOptionsSchema.parse({ url: 'ws://127.0.0.1:1/' }).keepalive).toBeUndefined();
    expect(parse({ intervalMs: 30_000 }).data?.keepalive).toEqual({ intervalMs: 30_000, pongTimeoutMs: 10_000 });
  });

  it('names the field and the bound that a bad value breaks', () => {
    expect(firstIssue({ intervalMs: 999 })).toBe('keepalive.intervalMs: ping at most once a second (keep-alive interval at least 1 s)');
    expect(firstIssue({ intervalMs: 3_600_001 })).toBe('keepalive.intervalMs: the keep-alive interval is at most one hour');
    expect(firstIssue({ intervalMs: 1500.5 })).toBe('keepalive.intervalMs: the keep-alive interval must be a whole number of milliseconds');
    expect(firstIssue({ intervalMs: 30_000, pongTimeoutMs: 0 })).toBe('keepalive.pongTimeoutMs: the pong deadline is at least 1 s');
    expect(firstIssue({ intervalMs: 30_000, pongTimeoutMs: 600_001 })).toBe('keepalive.pongTimeoutMs: the pong deadline is at most 10 minutes');
    expect(firstIssue({})).toMatch(/^keepalive\.intervalMs: /);
    expect(firstIssue('30s')).toMatch(/^keepalive: /);
  });
});
