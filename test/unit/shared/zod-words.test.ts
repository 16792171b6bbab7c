/**
 * zod's raw messages ("Too big: expected number to be <=65535") never reach the user: each path
 * that shows a schema's issue says what, where, the allowed range and what was given (QA L1).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCommandArg } from '../../../src-main/shared/commands';
import { parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import { parsePassthroughText } from '../../../src-main/core/intercept/passthrough-file';
import { PLAIN_ISSUE_WORDS } from '../../../src-main/shared/zod-words';

const RAW_ZOD = /Too (big|small)|Invalid (input|option)|expected number to be|>=|<=/;

function words(schema: z.ZodType, value: unknown): string[] {
  const parsed = schema.safeParse(value, PLAIN_ISSUE_WORDS);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('zod issues in words', () => {
  it('the app starting the intercepting proxy on port 70000', () => {
    const result = parseCommandArg('intercept-proxy:start', { port: 70000 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe('intercept-proxy:start: port: must be a whole number from 0 to 65535 (got 70000)');
  });

  it('a profile import with handshakeTimeoutMs -5', () => {
    const file = { format: 'tunnelscope-profiles', version: 2, profiles: [{ name: 'A', url: 'wss://a.example/', handshakeTimeoutMs: -5 }] };
    const parsed = parseImportText(JSON.stringify(file));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const problem = parsed.problems.find((p) => p.path === 'profiles[0].handshakeTimeoutMs');
    expect(problem?.message).toMatch(/^must be a whole number (from 1 to [\d]+|of at least 1) \(got -5\)$/);
    for (const p of parsed.problems) expect(p.message).not.toMatch(RAW_ZOD);
  });

  it('a passthrough list file with a wrong type', () => {
    expect(() => parsePassthroughText('/d/passthrough.json', '{"version": 1, "hosts": [5]}')).toThrow('hosts[0]: must be a string (got a number 5)');
  });

  it('words each kind: ranges, lengths, types, options, unknown fields; a schema’s own words win', () => {
    const schema = z
      .object({
        port: z.number().int().min(0).max(65535),
        count: z.number().int().positive(),
        ratio: z.number().positive(),
        name: z.string().min(1).max(3),
        list: z.array(z.number()).max(1),
        kind: z.enum(['a', 'b']),
        must: z.string(),
        whole: z.number().int(),
        own: z.number().int().min(5, 'needs five or more'),
      })
      .strict();
    expect(words(schema, { port: -1, count: 0, ratio: -1, name: 'abcd', list: [1, 2], kind: 'c', whole: 1.5, own: 1, extra: 1 })).toEqual([
      'port: must be a whole number from 0 to 65535 (got -1)',
      'count: must be a whole number of at least 1 (got 0)',
      'ratio: must be a number greater than 0 (got -1)',
      'name: must have at most 3 characters (got 4)',
      'list: must have at most 1 items (got 2)',
      'kind: must be one of "a", "b" (got "c")',
      'must: is missing (expected a string)',
      'whole: must be a whole number (got 1.5)',
      'own: needs five or more',
      ': has fields it should not have: "extra"',
    ]);
    expect(words(z.object({ name: z.string().min(1) }), { name: '' })).toEqual(['name: must not be empty']);
  });
});
