import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { searchFrames } from '../../../src-main/core/search/frame-search';
import { compileJsonPath } from '../../../src-main/core/search/json-path';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { JSON_PATH_EXAMPLES, JSON_PATH_PLACEHOLDER } from '../../../src-main/shared/json-path-examples';

/** For every example the UI shows: messages it finds and messages it does not. */
const CASES: Record<string, { finds: unknown[]; skips: unknown[] }> = {
  '$.op': { finds: [{ op: 'subscribe' }, { op: null }], skips: [{ type: 'op' }, [{ op: 1 }], 'op'] },
  '$[?(@.price > 10)]': {
    finds: [{ price: 12 }, { price: 10.5, name: 'x' }, [{ price: 3 }, { price: 11 }]],
    skips: [{ price: 10 }, { price: 9 }, { cost: 12 }, { item: { price: 12 } }, [{ price: 1 }], 12],
  },
  '$[?(@.type == "trade" && @.qty >= 5)]': {
    finds: [{ type: 'trade', qty: 5 }, { type: 'trade', qty: 9, px: 1 }],
    skips: [{ type: 'trade', qty: 4 }, { type: 'quote', qty: 9 }, { qty: 9 }],
  },
  '$[?(@.level == "error" || @.level == "warn")]': {
    finds: [{ level: 'error' }, { level: 'warn', msg: 'disk' }],
    skips: [{ level: 'info' }, { msg: 'error' }],
  },
  '$[?(@.user.name.match(/^adm/i))]': {
    finds: [{ user: { name: 'admin' } }, { user: { name: 'Adminstrator' } }],
    skips: [{ user: { name: 'guest' } }, { user: {} }, { name: 'admin' }, { user: { name: 42 } }],
  },
  '$.items[?(@.qty > 2)]': {
    finds: [{ items: [{ qty: 1 }, { qty: 3 }] }],
    skips: [{ items: [{ qty: 1 }, { qty: 2 }] }, { items: [] }, { qty: 3 }],
  },
  '$..price': {
    finds: [{ price: 1 }, { order: { lines: [{ price: 2 }] } }],
    skips: [{ cost: 1 }, { order: { lines: [] } }],
  },
};

describe('the JSONPath examples the search shows', () => {
  it('every example has messages it finds and ones it does not; the placeholder shows two of them', () => {
    expect(Object.keys(CASES).sort()).toEqual(JSON_PATH_EXAMPLES.map((e) => e.path).sort());
    expect(JSON_PATH_PLACEHOLDER).toBe('JSONPath, e.g. $.op or $[?(@.price > 10)]');
  });

  describe.each(JSON_PATH_EXAMPLES.map((e) => [e.path]))('%s', (path) => {
    const cases = CASES[path] ?? { finds: [], skips: [] };

    it.each(cases.finds.map((m) => [JSON.stringify(m), m]))('finds %s', (_label, message) => {
      const compiled = compileJsonPath(path);
      expect(compiled.ok).toBe(true);
      if (compiled.ok) expect(compiled.matches(message)).toBe(true);
    });

    it.each(cases.skips.map((m) => [JSON.stringify(m), m]))('does not find %s', (_label, message) => {
      const compiled = compileJsonPath(path);
      expect(compiled.ok).toBe(true);
      if (compiled.ok) expect(compiled.matches(message)).toBe(false);
    });

    it('finds exactly the matching text frames of a session', async () => {
      const store = new FrameStore();
      const all = [...cases.finds, ...cases.skips];
      for (const message of all) store.push('in', 'text', Buffer.from(JSON.stringify(message), 'utf8'));
      const filter = compileFilter({ jsonPath: path });
      expect(filter.ok).toBe(true);
      if (!filter.ok) return;
      const result = await searchFrames(store, filter.filter, { searchId: 'x', limit: 100 }, { cancelled: () => false });
      expect(result.matches.map((m) => m.seq)).toEqual(cases.finds.map((_, i) => i + 1));
    });
  });
});
