/**
 * Rule-outs for SignalR JSON hub messages that read no JSON: a query whose matches are rare
 * (`$.arguments[1].n > 999000`, `$.invocationId == '33'`) passes most messages over from their
 * bytes alone, before signalr-match-proof.ts's rule-out checks and follows the whole record
 * (about 0.3 µs for the bench's 90-byte record, most of such a search's cost).
 *
 * Both are stateful prefilters (stateful-prefilter.ts) for a message the decoder reads as text (a
 * text frame, or a binary one starting with `{`, which decode() reads as text when it holds a
 * 0x1E and nothing binary is pending) in a direction it is `between` records (handshake read,
 * nothing kept) that ends with 0x1E: decoding it keeps nothing and changes nothing, and its
 * value is one record's `{messageType, ...record, conversation?}` or several records'
 * `{messages: [...]}`, or it is not valid (JSON.parse or hubMessage() refuses a record), which
 * matches nothing. So they need not know the text is valid JSON: only that a valid one cannot
 * match. The decoder reads the bytes as lenient UTF-8, where an ASCII byte is always its own
 * character, so digits, quotes and backslashes in the text are those bytes.
 * - Numbers (`numberRuleOut`): a clause `path > X` or `path >= X` with X ≥ 10 holds only for a
 *   number (order compares numbers with numbers, decoded-query.ts), which comes from a number
 *   token of a record (or of JSON text in one of its strings, where without a backslash it is
 *   written as it is; the decoder writes no number itself). A JSON number above X ≥ 1 without an
 *   exponent has an integer part of at least floor(X): a run of digits longer than floor(X)'s, or
 *   as long and not smaller. A message without a backslash, without such a run and without a
 *   digit followed by `e` or `E` (an exponent) cannot match. Below 10 every digit would be such a
 *   run: no rule.
 * - A top-level name (`keyRuleOut`): a clause that fails where its path selects nothing (not
 *   `!=`) whose first step is a name N holds only where the value has the key N. One record's
 *   value has the record's own keys, `messageType` and `conversation`; several records' has
 *   `messages` alone. So for N other than those three, a message without a backslash and without
 *   `"N"` (a key is a JSON string, its bytes between quotes) cannot match. Only for the names
 *   the MessagePack hub protocol's decoder writes (signalr-keys.ts SIGNALR_WRITTEN_KEYS), whose
 *   key rule signalr-keys.ts cannot give, and of those not `type`, `target` and `arguments`,
 *   which nearly every record has: the needle's hit would be looked for at every message for
 *   nothing.
 * Tests: signalr-text-rule-outs.test.ts.
 */
import type { DecodedQuery } from '../../shared/decoded-query';
import { holdsWhenAbsent } from '../../shared/decoded-query';
import type { WireFrame, StreamDecoder } from './decoded-frame';
import { exactInUtf8 } from './raw-prefilter';
import { SignalRDecoder } from './signalr-decoder';
import { SIGNALR_WRITTEN_KEYS } from './signalr-keys';
import type { StatefulPrefilter } from './stateful-prefilter';

const RECORD_SEPARATOR = 0x1e;
const OPEN_BRACE = 0x7b;
const BACKSLASH = 0x5c;
const BACKSLASH_BYTES = Buffer.from('\\', 'latin1');
/** Digits of an integer part beyond which a threshold is not read (Number is exact up to 2^53). */
const MAX_THRESHOLD_DIGITS = 15;

/** What the rule-outs may assume (a parameter only so that the test can break it and see it caught). */
export interface SignalrTextRuleOutRules {
  /** Whether the decoder must be between records for the direction (false only to see the test fail). */
  readonly checkState: boolean;
  /** Whether a backslash keeps a message (false only to see the test fail). */
  readonly checkBackslash: boolean;
  /** Whether a digit followed by `e`/`E` keeps a message (false only to see the test fail). */
  readonly checkExponent: boolean;
  /** Whether a run as long as the threshold's integer part keeps a message when not smaller (false only to see the test fail: then only longer runs keep it). */
  readonly checkEqualLength: boolean;
  /** Whether `messageType`, `conversation` and `messages` get no key rule (false only to see the test fail). */
  readonly skipDecoderNames: boolean;
}

export const SIGNALR_TEXT_RULE_OUT_RULES: SignalrTextRuleOutRules = { checkState: true, checkBackslash: true, checkExponent: true, checkEqualLength: true, skipDecoderNames: true };

/** Names whose key the decoder sets itself on a JSON message's value. */
const DECODER_NAMES: ReadonlySet<string> = new Set(['messageType', 'conversation', 'messages']);
/** Written keys nearly every record has: no rule (see the file comment). */
const COMMON_NAMES: ReadonlySet<string> = new Set(['type', 'target', 'arguments']);

/** Whether the message is whole records read as text in a direction between records (see the file comment). */
function wholeTextRecords(decoder: StreamDecoder, slab: Buffer, start: number, end: number, opcode: string, dir: WireFrame['dir'], checkState: boolean): boolean {
  if (end <= start || slab[end - 1] !== RECORD_SEPARATOR) return false;
  if (opcode !== 'text' && !(opcode === 'binary' && slab[start] === OPEN_BRACE)) return false;
  return !checkState || (decoder instanceof SignalRDecoder && decoder.between(dir));
}

/**
 * Whether bytes[start, end) may write a number above a threshold whose integer part is `floor`
 * (`digits` digits long): a run of more digits, one as long and not smaller, a digit before an
 * exponent, or a backslash (see the file comment).
 */
export function mayWriteNumberAbove(bytes: Buffer, start: number, end: number, floor: number, digits: number, rules: SignalrTextRuleOutRules = SIGNALR_TEXT_RULE_OUT_RULES): boolean {
  const { checkBackslash, checkExponent, checkEqualLength } = rules;
  let k = start;
  // One comparison for most bytes (letters, punctuation); a run of digits read in a loop of its own.
  while (k < end) {
    const byte = bytes[k] ?? 0;
    k++;
    if (byte > 0x39) {
      if (byte === BACKSLASH && checkBackslash) return true;
      continue;
    }
    if (byte < 0x30) continue;
    const runStart = k - 1;
    // Past `digits` digits the value is not needed (the run is longer), nor exact.
    let value = byte - 0x30;
    let next = 0;
    while (k < end) {
      next = bytes[k] ?? 0;
      if (next < 0x30 || next > 0x39) break;
      value = value * 10 + (next - 0x30);
      k++;
    }
    const run = k - runStart;
    if (run > digits || (checkEqualLength && run === digits && value >= floor)) return true;
    if (checkExponent && k < end && (next === 0x65 || next === 0x45)) return true;
  }
  return false;
}

/** The number rule for the query's first `>`/`>=` clause with a threshold of at least 10, or undefined. */
export function signalrNumberRuleOut(query: DecodedQuery, rules: SignalrTextRuleOutRules = SIGNALR_TEXT_RULE_OUT_RULES): StatefulPrefilter | undefined {
  for (const clause of query.clauses) {
    const test = clause.test;
    if (test === undefined || (test.op !== '>' && test.op !== '>=') || typeof test.value !== 'number') continue;
    const floor = Math.floor(test.value);
    const digits = String(floor).length;
    if (!Number.isSafeInteger(floor) || floor < 10 || digits > MAX_THRESHOLD_DIGITS) continue;
    const { checkState } = rules;
    return {
      kind: 'stateful',
      key: `signalr number\u0000${floor}`,
      needles: [],
      passable: (decoder, slab, start, end, opcode, dir) => wholeTextRecords(decoder, slab, start, end, opcode, dir, checkState) && !mayWriteNumberAbove(slab, start, end, floor, digits, rules),
    };
  }
  return undefined;
}

/** The key rule for the first name the query needs that the file comment allows, or undefined. */
export function signalrWrittenKeyRuleOut(query: DecodedQuery, rules: SignalrTextRuleOutRules = SIGNALR_TEXT_RULE_OUT_RULES): StatefulPrefilter | undefined {
  for (const clause of query.clauses) {
    const first = clause.path[0];
    if (first?.kind !== 'key' || holdsWhenAbsent(clause.test)) continue;
    const name = first.name;
    if (rules.skipDecoderNames && DECODER_NAMES.has(name)) continue;
    if (!SIGNALR_WRITTEN_KEYS.has(name) || COMMON_NAMES.has(name)) continue;
    if (!exactInUtf8(name) || JSON.stringify(name) !== `"${name}"`) continue;
    const { checkState } = rules;
    return {
      kind: 'stateful',
      key: `signalr text key\u0000${name}`,
      // The scan decodes a message holding either; `passable` then only checks the framing and state.
      needles: rules.checkBackslash ? [Buffer.from(`"${name}"`, 'utf8'), BACKSLASH_BYTES] : [Buffer.from(`"${name}"`, 'utf8')],
      passable: (decoder, slab, start, end, opcode, dir) => wholeTextRecords(decoder, slab, start, end, opcode, dir, checkState),
    };
  }
  return undefined;
}
