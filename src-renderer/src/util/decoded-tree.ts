/**
 * A decoded value (frames:decode) as the JSON tree's nodes, with the places the engine cut it
 * (`valueCuts`, shared/value-cuts.ts) attached to their nodes, so the tree can say "… N more
 * bytes" there. Built directly from the value: before, the value was written out as JSON text
 * and parsed back.
 */
import type { DecodedJson } from '../../../src-main/shared/decoding';
import type { ValueCut } from '../../../src-main/shared/value-cuts';
import type { JsonNode } from './json-text';

export type CutMarks = ReadonlyMap<JsonNode, ValueCut>;

export function decodedTree(value: DecodedJson, cuts: readonly ValueCut[] = []): { tree: JsonNode; marks: CutMarks } {
  const byPath = new Map(cuts.map((cut) => [pathKey(cut.path), cut]));
  const marks = new Map<JsonNode, ValueCut>();
  const path: (string | number)[] = [];
  function node(v: DecodedJson): JsonNode {
    const made = nodeOf(v);
    if (byPath.size > 0) {
      const cut = byPath.get(pathKey(path));
      if (cut) marks.set(made, cut);
    }
    return made;
  }
  function nodeOf(v: DecodedJson): JsonNode {
    if (v === null) return { kind: 'null' };
    if (typeof v === 'string') return { kind: 'string', value: v };
    if (typeof v === 'number') return { kind: 'number', text: JSON.stringify(v) };
    if (typeof v === 'boolean') return { kind: 'boolean', value: v };
    if (Array.isArray(v)) {
      return {
        kind: 'array',
        items: v.map((item, i) => {
          path.push(i);
          const child = node(item);
          path.pop();
          return child;
        }),
      };
    }
    return {
      kind: 'object',
      entries: Object.keys(v).map((key) => {
        path.push(key);
        const child = node(v[key] ?? null);
        path.pop();
        return [key, child];
      }),
    };
  }
  return { tree: node(value), marks };
}

function pathKey(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}
