/**
 * zod's own messages ("Too big: expected number to be <=65535") in the app's words: what is
 * wrong, the allowed range or values, and what was given — `must be a whole number from 0 to
 * 65535 (got 70000)`. Passed to safeParse as its error map, so it words only the issues a schema
 * left without a message of its own (a schema's message and a refine's sentence win). The caller
 * says where (`port: …`, `profiles[0].handshakeTimeoutMs`).
 */
import { z } from 'zod';

/** Give to safeParse: `schema.safeParse(raw, PLAIN_ISSUE_WORDS)`. */
export const PLAIN_ISSUE_WORDS = { error: plainIssueWords } as const;

/** Beyond this a bound is zod's own safe-integer limit, not one a schema set: not worth saying. */
const NO_BOUND = Number.MAX_SAFE_INTEGER;

/** One issue in words, or undefined to keep zod's message (kinds said no better here). */
export function plainIssueWords(issue: z.core.$ZodRawIssue): string | undefined {
  const input = issue.input;
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'int') return numberRange(issue.schema, input);
      if (issue.origin === 'string' && typeof input === 'string') return lengthWords(issue, input.length, 'characters');
      if (issue.origin === 'array' && Array.isArray(input)) return lengthWords(issue, input.length, 'items');
      return undefined;
    case 'invalid_type':
      if (input === undefined) return `is missing (expected ${article(typeWord(issue.expected))})`;
      if (issue.expected === 'int') return `must be a whole number (got ${shown(input)})`;
      return `must be ${article(typeWord(issue.expected))} (got ${found(input)})`;
    case 'invalid_value':
      return `must be ${oneOf(issue.values)} (got ${shown(input)})`;
    case 'unrecognized_keys':
      return `has fields it should not have: ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? undefined : `must be a valid ${issue.format} (got ${shown(input)})`;
    default:
      return undefined;
  }
}

/** `must be a whole number from 0 to 65535 (got 70000)`: both bounds when the schema has both. */
function numberRange(schema: z.core.$ZodType | undefined, input: unknown): string {
  const whole = schema instanceof z.ZodNumber && schema.isInt;
  let low: number | undefined;
  let high: number | undefined;
  let lowOpen = false;
  let highOpen = false;
  for (const check of schema?._zod.def.checks ?? []) {
    if (check instanceof z.core.$ZodCheckGreaterThan && typeof check._zod.def.value === 'number' && (low === undefined || check._zod.def.value >= low)) {
      low = check._zod.def.value;
      lowOpen = !check._zod.def.inclusive;
    }
    if (check instanceof z.core.$ZodCheckLessThan && typeof check._zod.def.value === 'number' && (high === undefined || check._zod.def.value <= high)) {
      high = check._zod.def.value;
      highOpen = !check._zod.def.inclusive;
    }
  }
  // An open bound on a whole number is the next whole number in.
  if (whole && low !== undefined && lowOpen) [low, lowOpen] = [low + 1, false];
  if (whole && high !== undefined && highOpen) [high, highOpen] = [high - 1, false];
  low = usable(low);
  high = usable(high);
  const lowText = low === undefined ? undefined : lowOpen ? `greater than ${low}` : `of at least ${low}`;
  const highText = high === undefined ? undefined : highOpen ? `less than ${high}` : `of at most ${high}`;
  const range = low !== undefined && high !== undefined && !lowOpen && !highOpen ? `from ${low} to ${high}` : [lowText, highText].filter((text) => text !== undefined).join(' and ');
  return `must be ${whole ? 'a whole number' : 'a number'}${range === '' ? '' : ` ${range}`} (got ${shown(input)})`;
}

function usable(bound: number | undefined): number | undefined {
  return bound !== undefined && Number.isFinite(bound) && Math.abs(bound) < NO_BOUND ? bound : undefined;
}

function lengthWords(issue: { code: 'too_small' | 'too_big'; minimum?: unknown; maximum?: unknown }, length: number, unit: string): string {
  if (issue.code === 'too_small') {
    if (unit === 'characters' && issue.minimum === 1) return 'must not be empty';
    return `must have at least ${String(issue.minimum)} ${unit} (got ${length})`;
  }
  return `must have at most ${String(issue.maximum)} ${unit} (got ${length})`;
}

function typeWord(expected: string): string {
  if (expected === 'array') return 'list';
  if (expected === 'int') return 'whole number';
  return expected;
}

function article(word: string): string {
  if (word === 'undefined' || word === 'null') return word;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function oneOf(values: readonly unknown[]): string {
  const quoted = values.map((value) => JSON.stringify(value));
  if (quoted.length <= 1) return quoted.join('');
  return `one of ${quoted.join(', ')}`;
}

/** What was there instead: `a string "1"`, `an object`, `null`. */
function found(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
  return `${article(typeof value)} ${shown(value)}`;
}

/** A short rendering of the wrong value. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? `a list of ${value.length}` : 'an object';
  if (typeof value === 'function' || typeof value === 'symbol') return typeof value;
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
