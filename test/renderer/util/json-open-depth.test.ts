// How much of a JSON tree starts open: a small decoded message whole (a SignalR frame of two
// messages showed only "0: {4 keys}" two levels down), a large one its first two levels only.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import JsonTree from '../../../src-renderer/src/components/JsonTree.vue';
import { OPEN_BUDGET, openDepthOf } from '../../../src-renderer/src/util/json-open-depth';
import { parseJson, type JsonNode } from '../../../src-renderer/src/util/json-text';

function node(value: unknown): JsonNode {
  const parsed = parseJson(JSON.stringify(value));
  if (!parsed.ok) throw new Error('fixture is not JSON');
  return parsed.value;
}

const twoMessages = {
  messages: [
    { type: 1, target: 'ReceiveMessage', arguments: ['grace', 'hi there', { room: 'general', at: 1733400000 }] },
    { type: 6 },
  ],
};

describe('how many levels of a JSON tree start open', () => {
  it('a small message: every level (up to eight)', () => {
    expect(openDepthOf(node(twoMessages))).toBe(5);
    expect(openDepthOf(node({ a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } }))).toBe(8);
    expect(openDepthOf(node(42))).toBe(2);
    expect(openDepthOf(node({}))).toBe(2);
  });

  it('a large one: the levels whose nodes, with those above, stay within the budget, and never fewer than two', () => {
    // Root, 3 keys, then 3 × 20 items: the third level would pass the budget.
    const wide = { a: Array.from({ length: 20 }, (_, i) => ({ i })), b: Array.from({ length: 20 }, (_, i) => ({ i })), c: Array.from({ length: 20 }, (_, i) => ({ i })) };
    expect(1 + 3 + 60).toBeGreaterThan(OPEN_BUDGET);
    expect(openDepthOf(node(wide))).toBe(2);
    expect(openDepthOf(node(Array.from({ length: 100_000 }, (_, i) => [i])))).toBe(2);
  });

  it('the tree shows a small decoded message whole, and opens the next value shown in its place by that value\'s size', async () => {
    const w = mount(JsonTree, { props: { node: node(twoMessages) } });
    expect(w.findAll('button.toggle[aria-expanded="false"]')).toHaveLength(0);
    expect(w.text()).toContain('"room": "general"');
    // The next frame selected is large: its first two levels only (not the small one's five).
    const large = { messages: Array.from({ length: 30 }, (_, i) => ({ type: 1, arguments: [{ i }] })) };
    await w.setProps({ node: node(large) });
    expect(w.findAll('button.toggle[aria-expanded="true"]').map((b) => b.attributes('aria-label'))).toEqual(['Collapse root', 'Collapse "messages"']);
    await w.setProps({ node: node(twoMessages) });
    expect(w.findAll('button.toggle[aria-expanded="false"]')).toHaveLength(0);
    w.unmount();
  });
});
