/**
 * How many levels of a JSON tree start open (JsonTree.vue): at least the first two, and each
 * next level while every node shown so far stays within OPEN_BUDGET lines. A decoded message's
 * values sit three or four levels down (a SignalR frame of two messages showed only "0: {4
 * keys}"), while a large message must not render thousands of nodes at once. A level is counted
 * before it is listed, so a huge array is never walked past the budget.
 */
import type { JsonNode } from './json-text';

export const OPEN_BUDGET = 60;
const MIN_OPEN_DEPTH = 2;
const MAX_OPEN_DEPTH = 8;

function childrenOf(node: JsonNode): JsonNode[] {
  if (node.kind === 'object') return node.entries.map((entry) => entry[1]);
  return node.kind === 'array' ? node.items : [];
}

function childCount(node: JsonNode): number {
  if (node.kind === 'object') return node.entries.length;
  return node.kind === 'array' ? node.items.length : 0;
}

/** Containers at a depth below the answer start open (the root is depth 0). */
export function openDepthOf(root: JsonNode): number {
  let level: JsonNode[] = [root];
  let shown = 1;
  for (let depth = 0; depth < MAX_OPEN_DEPTH; depth++) {
    let count = 0;
    for (const node of level) {
      count += childCount(node);
      if (shown + count > OPEN_BUDGET) return Math.max(depth, MIN_OPEN_DEPTH);
    }
    if (count === 0) return Math.max(depth, MIN_OPEN_DEPTH);
    shown += count;
    level = level.flatMap(childrenOf);
  }
  return MAX_OPEN_DEPTH;
}
