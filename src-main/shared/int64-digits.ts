/**
 * 64-bit integers a decoded value shows as digits (QA D8): Protocol Buffers' int64, uint64,
 * sint64, fixed64 and sfixed64 with a schema (protobufjs's toObject, longs as text), and without
 * one a varint past 2^53 (protobuf-wire.ts). The value keeps the digits (the
 * detail pane, exports and the CLI print them as they are: JSON has no exact 64-bit number), and
 * the container holding them is marked here; a query (shared/decoded-query.ts selectPath) selects
 * a marked slot as a bigint, which its comparisons take as that integer, exactly: `$.id < 5`,
 * `$.id >= 9007199254740993`, `$.id == 5` against a number, `$.id == '5'` still as text. A digit
 * string anywhere else (JSON text, MessagePack, a schema's string field) stays a string: `'123' < 5`
 * does not hold there.
 *
 * The mark is a property keyed by a symbol, not enumerable: JSON.stringify, Object.keys and
 * entries, spreading, structured clone (IPC to the renderer) and test equality never see it.
 */

const INT64_SLOTS = Symbol('int64 slots');

/** The marked keys of a container, or every key (a repeated field's list, a map's values). */
export type Int64Slots = ReadonlySet<string | number> | 'all';

/** Sets markInt64 made for one container (added to in place; a shared set is copied first). */
const ownSets = new WeakSet<Set<string | number>>();

/** Marks `container[key]` (an object's key, an array's index) as a 64-bit integer's digits. */
export function markInt64(container: object, key: string | number): void {
  const slots: unknown = Reflect.get(container, INT64_SLOTS);
  if (slots === 'all') return;
  if (slots instanceof Set && ownSets.has(slots)) {
    slots.add(key);
    return;
  }
  const own = new Set<string | number>(slots instanceof Set ? [...slots, key] : [key]);
  ownSets.add(own);
  setSlots(container, own);
}

/**
 * Marks the keys in `slots` of a container not marked yet (a message type's 64-bit field names,
 * one set shared by every message of the type: one property a message, nothing copied).
 */
export function markInt64Slots(container: object, slots: Int64Slots): void {
  if (slotsOf(container) === undefined) setSlots(container, slots);
}

function setSlots(container: object, slots: Int64Slots): void {
  Object.defineProperty(container, INT64_SLOTS, { value: slots, enumerable: false, writable: true, configurable: true });
}

/** The keys marked in `container`, if any. */
function slotsOf(container: object): ReadonlySet<unknown> | 'all' | undefined {
  const slots: unknown = Reflect.get(container, INT64_SLOTS);
  return slots === 'all' ? slots : slots instanceof Set ? slots : undefined;
}

const DIGITS = /^-?(?:0|[1-9]\d*)$/;

/**
 * What a query selects at `container[key]`: the integer when the slot is marked and holds
 * canonical digits, else the value itself. A value that is not a string is never looked up.
 */
export function int64Selected(container: object, key: string | number, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const slots = slotsOf(container);
  return slots !== undefined && (slots === 'all' || slots.has(key)) && DIGITS.test(value) ? BigInt(value) : value;
}

/** Whether `container[key]` is marked. */
export function isInt64(container: object, key: string | number): boolean {
  const slots = slotsOf(container);
  return slots === 'all' || slots?.has(key) === true;
}

/** Whether any slot of `container` is marked (so a `[*]` over it looks at each). */
export function hasInt64(container: object): boolean {
  return slotsOf(container) !== undefined;
}

type Literal = string | number | boolean | null;

/**
 * A query clause's test, as shared/decoded-query.ts parses it; `numberText`: a number literal as
 * written (Number() rounds 18446744073709551615 up and 9007199254740993.5 to an integer: the
 * comparison with a 64-bit integer reads the text instead, exactly).
 */
export type Int64Test = { op: '=~'; regex: RegExp } | { op: '==' | '!=' | '<' | '<=' | '>' | '>='; value: Literal; numberText?: string };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/**
 * The sign of `value - want`, exactly (NaN when `want` is NaN). Inside the safe range the
 * integer is a number and doubles compare exactly; past it the number is compared as a bigint:
 * its floor when it has a fraction (a double with a fraction is under 2^52, so its floor is exact).
 */
export function compareInt64(value: bigint, want: number): number {
  if (Number.isNaN(want)) return Number.NaN;
  if (value >= MIN_SAFE && value <= MAX_SAFE) {
    const number = Number(value);
    return number < want ? -1 : number > want ? 1 : 0;
  }
  if (want === Number.POSITIVE_INFINITY) return -1;
  if (want === Number.NEGATIVE_INFINITY) return 1;
  const floor = BigInt(Math.floor(want));
  if (value < floor) return -1;
  if (value > floor) return 1;
  return Number.isInteger(want) ? 0 : -1;
}

/** A decimal literal as the fraction num / den (den a power of ten), or undefined when it is not one. */
interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * The literal's exact value, where only its order against a 64-bit integer matters: past 10^22
 * in size it is taken as ±10^22, and under 1 (not 0) as ±1/2; both compare with every integer
 * under 2^64 as the literal does.
 */
export function decimalFraction(text: string): Fraction | undefined {
  const parts = DECIMAL.exec(text.trim());
  if (!parts) return undefined;
  const sign = parts[1] === '-' ? -1n : 1n;
  const fraction = parts[3] ?? '';
  let digits = `${parts[2] ?? ''}${fraction}`.replace(/^0+/, '');
  if (digits === '') return { num: 0n, den: 1n };
  let exponent = Number(parts[4] ?? '0') - fraction.length;
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  // Digits before the decimal point.
  const order = digits.length + exponent;
  if (order > 22) return { num: sign * 10n ** 22n, den: 1n };
  if (order <= 0) return { num: sign, den: 2n };
  if (exponent >= 0) return { num: sign * BigInt(digits) * 10n ** BigInt(exponent), den: 1n };
  return { num: sign * BigInt(digits), den: 10n ** BigInt(-exponent) };
}

/** Each number literal's fraction, read once per parsed query (a test object lives as long as its query). */
const fractions = new WeakMap<object, Fraction | null>();

function fractionOf(test: object, text: string): Fraction | undefined {
  let known = fractions.get(test);
  if (known === undefined) {
    known = decimalFraction(text) ?? null;
    fractions.set(test, known);
  }
  return known ?? undefined;
}

/** The sign of `value - want`: from the literal's text when the test has it, else from the number. */
function compareWith(value: bigint, want: number, test: Int64Test): number {
  const text = 'numberText' in test ? test.numberText : undefined;
  const fraction = text !== undefined ? fractionOf(test, text) : undefined;
  if (fraction === undefined) return compareInt64(value, want);
  const difference = value * fraction.den - fraction.num;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/**
 * Whether a clause's test holds for a 64-bit integer: against a number exactly (== and != too),
 * against text as its digits (== and != as text, orders compare text with text, as before),
 * `=~` on its digits; true, false and null are never equal to it.
 */
export function holdsForInt64(value: bigint, test: Int64Test): boolean {
  if (test.op === '=~') return test.regex.test(value.toString());
  const want = test.value;
  const sign = typeof want === 'number' ? compareWith(value, want, test) : Number.NaN;
  if (test.op === '==' || test.op === '!=') {
    const equal = typeof want === 'number' ? sign === 0 : typeof want === 'string' ? value.toString() === want : false;
    return test.op === '==' ? equal : !equal;
  }
  if (typeof want === 'string') {
    const digits = value.toString();
    return test.op === '<' ? digits < want : test.op === '<=' ? digits <= want : test.op === '>' ? digits > want : digits >= want;
  }
  // NaN (no number to compare with) holds for no order.
  return test.op === '<' ? sign < 0 : test.op === '<=' ? sign <= 0 : test.op === '>' ? sign > 0 : sign >= 0;
}
