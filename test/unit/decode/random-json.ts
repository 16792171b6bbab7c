/**
 * Random JSON texts for the JSON probes' tests (json-path-follow, socketio-probe, graphql-probe):
 * written by hand, not by JSON.stringify, so they hold what a sender may write and JSON.parse
 * takes: duplicate keys, whitespace between any tokens, strings holding brackets, braces, commas
 * and colons, non-ASCII text, numbers in every form (exponents, -0, past 15 digits, 1e400), and
 * empty objects and arrays, strings holding JSON text (valid and not). No backslash: the probes'
 * callers decode any message holding one.
 */
import type { QueryStep } from '../../../src-main/shared/decoded-query';
import { pick } from './prefilter-harness';

export type Random = (n: number) => number;

/** Keys few enough that paths often meet them, and duplicates happen. */
export const KEYS = ['at', 'room', 'list', 'a', 'b', 'price', '__proto__', 'caf\u00e9'];

/**
 * Strings, some holding JSON text a query path goes on into (shared/json-text-value.ts): without a
 * backslash it holds no string, but arrays, numbers, literals and empty objects, with whitespace.
 */
const STRINGS = ['', 'r1', 'x y', ']', '[', '{', '}', ',', ':', '],[', '{at:1}', 'caf\u00e9', '\u{1f600}', 'at', 'room'];
export const JSON_TEXT_STRINGS = ['[1,2]', '{}', ' [ 0 , [3] ]', '[]', '[1e400]', '{  }', '[[0],[1,[2]]]', '[true,null,{}]', '[-0, 1E2 ,{ }]', '[1,2', '[1,]', '{}x', ' 7', '[0]'];
const NUMBERS = ['0', '-0', '1', '-7', '999', '1700000000000', '1700000970001', '12345678901234567890', '3.5', '-2.25e3', '1E2', '1e400', '-1e400', '0.1', '5e-324'];
const SPACES = ['', '', '', ' ', '\n', '\t ', '\r\n'];

/** A random JSON text of a value nested at most `depth` more levels. */
export function randomJson(random: Random, depth: number): string {
  const space = (): string => pick(random, SPACES);
  const kind = depth <= 0 ? random(3) : random(6);
  switch (kind) {
    case 0:
      return `"${random(3) === 0 ? pick(random, JSON_TEXT_STRINGS) : pick(random, STRINGS)}"`;
    case 1:
      return pick(random, NUMBERS);
    case 2:
      return pick(random, ['true', 'false', 'null']);
    case 3:
    case 4: {
      const members = Array.from({ length: random(5) }, () => `${space()}"${pick(random, KEYS)}"${space()}:${space()}${randomJson(random, depth - 1)}${space()}`);
      return `{${members.join(',') || space()}}`;
    }
    default: {
      const items = Array.from({ length: random(5) }, () => `${space()}${randomJson(random, depth - 1)}${space()}`);
      return `[${items.join(',') || space()}]`;
    }
  }
}

/** A random path of 0 to `most` names (of KEYS) and indexes (0 to 3). */
export function randomSteps(random: Random, most: number): QueryStep[] {
  return Array.from({ length: random(most + 1) }, (): QueryStep => (random(2) === 0 ? { kind: 'key', name: pick(random, KEYS) } : { kind: 'index', index: random(4) }));
}

/** A path as a query writes it (`$.args` then these steps). */
export function pathText(steps: readonly QueryStep[]): string {
  return steps.map((step) => (step.kind === 'index' ? `[${step.index}]` : step.kind === 'key' ? `['${step.name}']` : '[*]')).join('');
}
