import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { searchFrames } from '../../../src-main/core/search/frame-search';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { frameFilterSchema, type FrameFilter } from '../../../src-main/shared/search';

/** Binary frames whose hex preview reads like digits: the case the search got wrong. */
function store(): FrameStore {
  const s = new FrameStore();
  s.push('in', 'binary', Buffer.from([0x38, 0x38])); // 1: "88" as text, 38 38 in hex
  s.push('in', 'binary', Buffer.from([0x88, 0x88])); // 2: 88 88 in hex
  s.push('in', 'binary', Buffer.from([0x03, 0x83, 0x80])); // 3: hex 03 83 80 holds "38" only across bytes
  s.push('out', 'text', Buffer.from('8888', 'utf8')); // 4: text, bytes 38 38 38 38
  s.push('in', 'binary', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00])); // 5
  return s;
}

async function seqs(filter: FrameFilter): Promise<number[]> {
  const compiled = compileFilter(filter);
  if (!compiled.ok) throw new Error(`${compiled.problem.path}: ${compiled.problem.message}`);
  const result = await searchFrames(store(), compiled.filter, { searchId: 'b', limit: 100 }, { cancelled: () => false });
  return result.matches.map((m) => m.seq);
}

describe('searching payloads as hex or base64 bytes', () => {
  it.each<[string, FrameFilter, number[]]>([
    ['hex with spaces', { text: '38 38', textAs: 'hex' }, [1, 4]],
    ['hex without spaces', { text: '3838', textAs: 'hex' }, [1, 4]],
    ['hex with 0x prefixes', { text: '0x38 0x38', textAs: 'hex' }, [1, 4]],
    ['hex is byte-aligned: 38 never matches the halves of 03 83', { text: '38', textAs: 'hex' }, [1, 4]],
    ['hex 88 is the byte 0x88, not the text "88"', { text: '88', textAs: 'hex' }, [2]],
    ['hex in upper case', { text: 'DE AD be EF', textAs: 'hex' }, [5]],
    ['hex finds bytes in a text frame too (its UTF-8)', { text: '38383838', textAs: 'hex' }, [4]],
    ['base64 is decoded, then matched as bytes', { text: '3q2+7w==', textAs: 'base64' }, [5]],
    ['base64 URL-safe, no padding', { text: '3q2-7w', textAs: 'base64' }, [5]],
    ['text reads the payload as UTF-8: "88" is two 0x38 bytes', { text: '88', textAs: 'text' }, [1, 4]],
    ['text is the default', { text: '88' }, [1, 4]],
    ['hex ignores ignoreCase (bytes are exact)', { text: 'de ad', textAs: 'hex', ignoreCase: true }, [5]],
  ])('%s', async (_name, filter, expected) => {
    expect(await seqs(filter)).toEqual(expected);
  });

  it.each<[FrameFilter, string]>([
    [{ text: '3g', textAs: 'hex' }, '“g” at position 2 is not a hex digit'],
    [{ text: '383', textAs: 'hex' }, 'odd number of hex digits'],
    [{ text: '0x', textAs: 'hex' }, 'The hex search holds no byte.'],
    [{ text: 'ab$d', textAs: 'base64' }, '“$” at position 3 is not a base64 character'],
    [{ text: 'q', textAs: 'base64' }, 'cannot be decoded'],
  ])('refuses %j, naming filter.text: %s', (filter, words) => {
    const result = compileFilter(filter);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.path).toBe('filter.text');
      expect(result.problem.message).toContain(words);
    }
  });

  it('the contract takes only the three modes', () => {
    expect(frameFilterSchema.safeParse({ text: '38', textAs: 'hex' }).success).toBe(true);
    expect(frameFilterSchema.safeParse({ text: '38', textAs: 'binary' }).success).toBe(false);
  });
});
