import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { searchFrames } from '../../../src-main/core/search/frame-search';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { BASE64_EXAMPLES, HEX_EXAMPLES, REGEX_EXAMPLES, SEARCH_HINTS, type SearchExample } from '../../../src-main/shared/search-examples';
import type { FrameFilter } from '../../../src-main/shared/search';

async function found(example: SearchExample, filter: FrameFilter): Promise<number[]> {
  const store = new FrameStore();
  for (const payload of [...example.finds, ...example.skips]) store.push('in', 'binary', Buffer.from(payload));
  const compiled = compileFilter(filter);
  if (!compiled.ok) throw new Error(compiled.problem.message);
  const result = await searchFrames(store, compiled.filter, { searchId: 'e', limit: 100 }, { cancelled: () => false });
  return result.matches.map((m) => m.seq);
}

const expected = (example: SearchExample): number[] => example.finds.map((_, i) => i + 1);

describe('the examples the search field shows', () => {
  it('are the ones listed here', () => {
    expect(SEARCH_HINTS).toEqual({
      regexPlaceholder: 'Regular expression, e.g. error|warn',
      hexPlaceholder: 'Hex bytes, e.g. 38 38 or 0xde 0xad',
      hexTitle: 'Find bytes written in hex: 38 38, 3838 or 0x38 0x38',
      base64Placeholder: 'Base64 bytes, e.g. 3q2+7w==',
    });
  });

  it.each(REGEX_EXAMPLES.map((e) => [e.query, e]))('regular expression %s finds its payloads only', async (_q, example) => {
    expect(await found(example, { regex: example.query })).toEqual(expected(example));
  });

  it.each(HEX_EXAMPLES.map((e) => [e.query, e]))('hex %s finds its payloads only', async (_q, example) => {
    expect(await found(example, { text: example.query, textAs: 'hex' })).toEqual(expected(example));
  });

  it.each(BASE64_EXAMPLES.map((e) => [e.query, e]))('base64 %s finds its payloads only', async (_q, example) => {
    expect(await found(example, { text: example.query, textAs: 'base64' })).toEqual(expected(example));
  });
});
