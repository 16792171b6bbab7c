/**
 * The byte-level rule-outs for SignalR JSON hub messages (signalr-text-rule-outs.ts) against the
 * decoder itself. Generated streams are walked as the query walk walks them with a rule as its
 * prefilter: a message passed over, decoded by a copy of the walk's decoder, must not match and
 * must leave the copy's snapshot as it was, and must not match in order; every message the walk
 * decodes must give its in-order outcome. The streams are adversarial for these rules: numbers
 * around the thresholds written as 999001, 1e6, 1E6, 9.99001e5, 999000.5, -0, 1.0, in strings,
 * in JSON text inside strings (plain and with `\u` escapes), duplicate keys, escaped keys,
 * whitespace, records split over messages and several to a message, handshakes late or never,
 * pings and closes, JSON records in binary frames, MessagePack hub messages, invalid JSON.
 * Each rule's check broken in turn is caught. Then the whole query prefilter in the query walk
 * over a FrameStore, equal to decoding every frame in order, with and without the match proof.
 */
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { DECODED_STREAMS } from '../../../bench/decoded-streams';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import { signalrMatchProof } from '../../../src-main/core/decode/signalr-match-proof';
import { mayWriteNumberAbove, SIGNALR_TEXT_RULE_OUT_RULES, signalrNumberRuleOut, signalrWrittenKeyRuleOut, type SignalrTextRuleOutRules } from '../../../src-main/core/decode/signalr-text-rule-outs';
import type { StatefulPrefilter } from '../../../src-main/core/decode/stateful-prefilter';
import type { DecodedQuery } from '../../../src-main/shared/decoded-query';
import { damaged, pick, seeded } from './prefilter-harness';
import { decodeWith, matched, queryOf, walkRoundsOverStore, type ProofMessage } from './stateful-proof-harness';

const RS = '\u001e';
type Random = (n: number) => number;

const NUMBER_QUERIES = [
  '$.arguments[1].n > 999000',
  '$.arguments[1].n >= 999000',
  '$.arguments[1].n > 998999.5',
  '$.arguments[1].s.n > 999000',
  '$.arguments[1].s[0] > 999000',
  '$.arguments[1] > 99',
  '$.item.n >= 10',
  '$.result > 12345',
  '$.messages[1].result > 12345',
  '$.type == 1 && $.arguments[1].n > 999000',
  '$.n >= 100000',
];
const KEY_QUERIES = [
  "$.invocationId == '33'",
  '$.invocationId',
  '$.invocationId =~ /3/',
  '$.result',
  '$.error == 7',
  '$.item.n >= 0',
  "$.headers.a == 1",
  "$.streamIds[0] == 's1'",
  '$.sequenceId >= 0',
  '$.allowReconnect == true',
  "$.messageType == 'Invocation'",
  "$.conversation.role == 'answer'",
  '$.messages[0].type == 1',
  "$.invocationId != '1'",
  "$.type == 3 && $.invocationId == '33'",
];

const NUMBERS = ['5', '999000', '999001', '998999', '999000.5', '999000.0', '1000000', '1e6', '1E6', '1e+6', '9.99001e5', '9.99e5', '-1e7', '-9999999', '0', '-0', '1.0', '1e0', '99', '100', '12345', '12346', '12345.6', '0.0000001', '1e400', '00999001'];
const STRINGS = ['"999001"', '"[999001]"', '"{\\"n\\":999001}"', '"{\\"n\\":\\u0039\\u0039\\u0039\\u0030\\u0030\\u0031}"', '"[\\u0031\\u0030\\u0030\\u0030\\u0030\\u0030\\u0030]"', '"[1e6]"', '"hello 999001"', '"x"'];
const IDS = ['"33"', '"3"', '"1"', '33', 'null', '"\\u0033\\u0033"'];
const SPACES = ['', '', '', ' ', '\n', '\t\r\n '];

function number(random: Random): string {
  return pick(random, NUMBERS);
}

/** One record's members (wrong kinds, escapes, duplicates, numbers near the thresholds). */
function members(random: Random): string[] {
  const type = pick(random, ['1', '1', '1', '2', '3', '3', '4', '5', '6', '7', '8', '9', '1.0', '1e0', '10', '"1"']);
  const list = [`"type":${type}`];
  const maybe = (odds: number, member: () => string): void => {
    if (random(odds) === 0) list.push(member());
  };
  maybe(2, () => `"invocationId":${pick(random, IDS)}`);
  maybe(3, () => `"invocation\\u0049d":${pick(random, IDS)}`);
  maybe(1, () => `"target":${pick(random, ['"T7"', '"Send"', '"999001"'])}`);
  maybe(1, () => `"arguments":["room${random(10)}",{"text":"hello number ${pick(random, ['7', '999001', '123'])}","n":${number(random)}${random(4) === 0 ? `,"n":${number(random)}` : ''},"s":${pick(random, STRINGS)}}]`);
  maybe(4, () => `"arguments":[${random(3) === 0 ? pick(random, STRINGS) : '"room1"'},${number(random)}]`);
  maybe(4, () => `"item":{"n":${number(random)}}`);
  maybe(3, () => `"result":${pick(random, [...NUMBERS, ...STRINGS])}`);
  maybe(5, () => `"error":${pick(random, ['7', '"boom"'])}`);
  maybe(6, () => `"headers":{"a":${pick(random, ['1', '2'])}}`);
  maybe(6, () => `"streamIds":["s${random(2)}"]`);
  maybe(6, () => `"sequenceId":${number(random)}`);
  maybe(6, () => `"allowReconnect":${pick(random, ['true', 'false'])}`);
  maybe(8, () => `"messageType":${pick(random, ['"Invocation"', '"Mine"', '999001'])}`);
  maybe(8, () => `"conversation":{"role":"answer"}`);
  maybe(8, () => `"n":${number(random)}`);
  maybe(10, () => `"messages":[{"type":1},{"result":999999}]`);
  maybe(10, () => `"\\u0072esult":${number(random)}`);
  for (let k = list.length - 1; k > 0; k--) {
    const j = random(k + 1);
    [list[k], list[j]] = [list[j] ?? '', list[k] ?? ''];
  }
  return list;
}

function recordText(random: Random): string {
  const space = (): string => pick(random, SPACES);
  const object = `${space()}{${space()}${members(random).map((member) => member.replace(':', `${space()}:${space()}`)).join(`${space()},${space()}`)}${space()}}${space()}`;
  switch (random(30)) {
    case 0:
      return `[${object}]`;
    case 1:
      return `${object}x`;
    case 2:
      return object.slice(0, random(object.length));
    case 3:
      return `\ufeff${object}`;
    default:
      return object;
  }
}

function lengthPrefixed(body: Buffer): Buffer {
  const prefix: number[] = [];
  let length = body.length;
  do {
    prefix.push((length & 0x7f) | (length >= 0x80 ? 0x80 : 0));
    length >>>= 7;
  } while (length > 0);
  return Buffer.concat([Buffer.from(prefix), body]);
}

function msgpackMessage(random: Random): Buffer {
  const n = pick(random, [5, 999001, 1e6, 12346]);
  const items = pick(random, [
    [1, {}, null, 'T7', ['room1', { n }]],
    [1, {}, '33', 'Send', ['room2', n]],
    [2, {}, '33', { n }],
    [3, {}, '33', 3, n],
    [7, 'bye', true],
  ]);
  return lengthPrefixed(Buffer.from(pack(items)));
}

/** A connection's messages in every framing the decoder meets (see the file comment). */
function streamOf(random: Random, count: number): ProofMessage[] {
  const messages: ProofMessage[] = [];
  const push = (dir: WireFrame['dir'], opcode: WireFrame['opcode'], bytes: Buffer | string): void => {
    messages.push({ dir, opcode, bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8') });
  };
  const record = (): string => `${recordText(random)}${RS}`;
  if (random(6) !== 0) push('out', 'text', `{"protocol":"json","version":1}${RS}${random(4) === 0 ? record() : ''}`);
  if (random(6) !== 0) push('in', 'text', `${pick(random, ['{}', '{}', '{"error":"no"}'])}${RS}`);
  while (messages.length < count) {
    const dir: WireFrame['dir'] = random(3) === 0 ? 'out' : 'in';
    switch (random(20)) {
      case 0:
        push(dir, 'text', record() + record());
        break;
      case 1:
      case 2: {
        const whole = record();
        const at = random(whole.length + 1);
        push(dir, 'text', whole.slice(0, at));
        push(dir, 'text', whole.slice(at));
        break;
      }
      case 3:
        push(dir, 'text', recordText(random));
        break;
      case 4:
        push(dir, 'binary', record());
        break;
      case 5:
        push(dir, 'binary', random(2) === 0 ? ` ${record()}` : msgpackMessage(random));
        break;
      case 6:
        push(dir, pick(random, ['ping', 'close'] as const), record());
        break;
      case 7:
        push(dir, 'text', damaged(random, Buffer.from(record(), 'utf8'), [0x5c, 0x22, 0x30, 0x39, 0x65, 0x2e, 0x1e, 0x7b, 0xff]));
        break;
      case 8:
        push(dir, 'text', RS);
        break;
      default:
        push(dir, 'text', record());
    }
  }
  return messages;
}

function copyOf(decoder: SignalRDecoder): SignalRDecoder {
  const copy = new SignalRDecoder();
  const snapshot = decoder.snapshot();
  if (!snapshot) throw new Error('no snapshot');
  copy.restore(snapshot);
  return copy;
}

/** Whether a needle of the rule lies inside the message (the scan then decodes it without asking). */
function holdsNeedle(rule: StatefulPrefilter, bytes: Buffer): boolean {
  return rule.needles.some((needle) => bytes.includes(needle));
}

/** The rule's answer for a message inside a larger slab, as the store's slabs hold it. */
function passedIn(rule: StatefulPrefilter, message: ProofMessage, decoder: SignalRDecoder): boolean {
  if (holdsNeedle(rule, message.bytes)) return false;
  const slab = Buffer.concat([Buffer.from(`{"n":9999999}${RS}`), message.bytes, Buffer.from(`9999999"}]}${RS}`)]);
  return rule.passable(decoder, slab, 14, 14 + message.bytes.length, message.opcode, message.dir);
}

interface Tally {
  passed: number;
  failures: string[];
  /** A sabotage check needs one failure: the walk stops at the first (same seed, same verdict, less time). */
  firstFailureEnds?: boolean;
}

/** Walks the stream for each query with the rule as the walk's prefilter (see the file comment). */
function checkRule(stream: readonly ProofMessage[], queries: readonly string[], ruleOf: (query: DecodedQuery) => StatefulPrefilter | undefined, tally: Tally): void {
  const all = new SignalRDecoder();
  const outcomes = stream.map((message, seq) => decodeWith(all, message, seq));
  for (const text of queries) {
    if (tally.firstFailureEnds && tally.failures.length > 0) return;
    const query = queryOf(text);
    const rule = ruleOf(query);
    if (!rule) continue;
    const walker = new SignalRDecoder();
    stream.forEach((message, seq) => {
      if (tally.firstFailureEnds && tally.failures.length > 0) return;
      const inOrder = outcomes[seq];
      const label = (): string => `${text} on ${JSON.stringify(message.bytes.toString('latin1'))} (${message.opcode} ${message.dir}, #${seq})`;
      if (passedIn(rule, message, walker)) {
        tally.passed++;
        const copy = copyOf(walker);
        const before = JSON.stringify(copy.snapshot());
        if (matched(query, decodeWith(copy, message, seq))) tally.failures.push(`matched in the walk's state: ${label()}`);
        else if (JSON.stringify(copy.snapshot()) !== before) tally.failures.push(`decoder changed: ${label()}`);
        else if (matched(query, inOrder)) tally.failures.push(`matched in order: ${label()}`);
        return;
      }
      const again = decodeWith(walker, message, seq);
      if (JSON.stringify(again) !== JSON.stringify(inOrder)) tally.failures.push(`after passing over: ${label()}`);
    });
  }
}

function benchMessages(count: number): ProofMessage[] {
  const messages: ProofMessage[] = [];
  DECODED_STREAMS.signalr.fill(count, (frame) => messages.push({ dir: frame.dir, opcode: frame.opcode, bytes: frame.bytes }));
  return messages;
}

function rounds(seed: number, count: number, ruleOf: (query: DecodedQuery) => StatefulPrefilter | undefined, queries: readonly string[], firstFailureEnds = false): Tally {
  const random = seeded(seed);
  const tally: Tally = { passed: 0, failures: [], firstFailureEnds };
  for (let round = 0; round < count && !(firstFailureEnds && tally.failures.length > 0); round++) checkRule([...benchMessages(60), ...streamOf(random, 300)], queries, ruleOf, tally);
  return tally;
}

describe('SignalR number rule-out', () => {
  it('keeps every valid JSON number above the threshold (JSON.parse read), on 60,000 generated numbers', () => {
    const random = seeded(41);
    const digits = (most: number): string => Array.from({ length: 1 + random(most) }, () => String(random(10))).join('');
    for (let k = 0; k < 60_000; k++) {
      const integer = random(4) === 0 ? '0' : `${1 + random(9)}${digits(8).slice(random(8))}`;
      const text = `${random(5) === 0 ? '-' : ''}${integer}${random(3) === 0 ? `.${digits(6)}` : ''}${random(4) === 0 ? `${pick(random, ['e', 'E'])}${pick(random, ['', '+', '-'])}${digits(2)}` : ''}`;
      const value = JSON.parse(text) as number;
      const floor = pick(random, [10, 99, 100, 999, 12345, 999000, 1_000_000, 123_456_789]);
      const bytes = Buffer.from(`{"n":${text}}`, 'latin1');
      if (value > floor) expect(mayWriteNumberAbove(bytes, 0, bytes.length, floor, String(floor).length), `${text} > ${floor}`).toBe(true);
    }
  });

  it('answers as the file comment says on crafted texts', () => {
    const may = (text: string, floor = 999000): boolean => mayWriteNumberAbove(Buffer.from(text, 'latin1'), 0, text.length, floor, String(floor).length);
    expect(may('{"n":998999,"m":12345}')).toBe(false);
    expect(may('{"n":999000}')).toBe(true);
    expect(may('{"n":1000000}')).toBe(true);
    expect(may('{"n":1e6}')).toBe(true);
    expect(may('{"n":9.99001E5}')).toBe(true);
    expect(may('{"n":5,"s":"\\u0039"}')).toBe(true);
    expect(may('999001')).toBe(true);
    expect(may('{"n":-99}')).toBe(false);
    expect(may('{"e":1,"E":2}')).toBe(false);
    expect(may('{"n":0.5}', 10)).toBe(false);
    expect(may('{"n":10}', 10)).toBe(true);
  });

  it('gives no rule below 10, for `<`, or for text', () => {
    expect(signalrNumberRuleOut(queryOf('$.n > 9.5'))).toBeUndefined();
    expect(signalrNumberRuleOut(queryOf('$.n < 999000'))).toBeUndefined();
    expect(signalrNumberRuleOut(queryOf("$.n > 'abc'"))).toBeUndefined();
    expect(signalrNumberRuleOut(queryOf('$.n > 1e300'))).toBeUndefined();
    expect(signalrNumberRuleOut(queryOf('$.type == 1 && $.n >= 10'))).toBeDefined();
  });

  it('passes over only what the decoder in the walk’s state does not match, and leaves it as it was', () => {
    const tally = rounds(2031, 12, (query) => signalrNumberRuleOut(query), NUMBER_QUERIES);
    expect(tally.failures.slice(0, 5)).toEqual([]);
    expect(tally.passed).toBeGreaterThan(2_000);
  });

  it.each<[string, Partial<SignalrTextRuleOutRules>]>([
    ['the decoder’s state not checked', { checkState: false }],
    ['a backslash not keeping a message', { checkBackslash: false }],
    ['an exponent not keeping a message', { checkExponent: false }],
    ['a run as long as the threshold’s not keeping a message', { checkEqualLength: false }],
  ])('sabotage: with %s, the check fails', (_, broken) => {
    const rules = { ...SIGNALR_TEXT_RULE_OUT_RULES, ...broken };
    const tally = rounds(17, 12, (query) => signalrNumberRuleOut(query, rules), NUMBER_QUERIES, true);
    expect(tally.failures.length).toBeGreaterThan(0);
  });
});

describe('SignalR written-key rule-out', () => {
  it('is given for names the MessagePack decoder writes but type, target and arguments, not for the JSON decoder’s own names, nor for `!=`', () => {
    expect(signalrWrittenKeyRuleOut(queryOf("$.invocationId == '33'"))?.needles.map(String)).toEqual(['"invocationId"', '\\']);
    for (const text of ['$.type == 1', "$.target == 'x'", '$.arguments[0] == 1', "$.messageType == 'x'", '$.conversation.role == 1', '$.messages[0] == 1', "$.invocationId != '1'", '$.price > 1']) {
      expect(signalrWrittenKeyRuleOut(queryOf(text)), text).toBeUndefined();
    }
  });

  it('passes over only what the decoder in the walk’s state does not match, and leaves it as it was', () => {
    const tally = rounds(2032, 12, (query) => signalrWrittenKeyRuleOut(query), KEY_QUERIES);
    expect(tally.failures.slice(0, 5)).toEqual([]);
    expect(tally.passed).toBeGreaterThan(5_000);
  });

  it.each<[string, Partial<SignalrTextRuleOutRules>]>([
    ['the decoder’s state not checked', { checkState: false }],
    ['a backslash not keeping a message', { checkBackslash: false }],
    ['the decoder’s own names given the rule', { skipDecoderNames: false }],
  ])('sabotage: with %s, the check fails', (_, broken) => {
    const rules = { ...SIGNALR_TEXT_RULE_OUT_RULES, ...broken };
    const tally = rounds(19, 12, (query) => signalrWrittenKeyRuleOut(query, rules), KEY_QUERIES, true);
    expect(tally.failures.length).toBeGreaterThan(0);
  });
});

describe('SignalR query prefilter with the rule-outs', () => {
  it('as the query prefilter, passes over only what is not matched', () => {
    const asPrefilter = (query: DecodedQuery): StatefulPrefilter | undefined => {
      const prefilter = queryPrefilter('signalr', query, { protobuf: 'none' });
      return prefilter?.kind === 'stateful' ? prefilter : undefined;
    };
    const tally = rounds(2033, 8, asPrefilter, [...NUMBER_QUERIES, ...KEY_QUERIES]);
    expect(tally.failures.slice(0, 5)).toEqual([]);
    expect(tally.passed).toBeGreaterThan(10_000);
  });

  it('in the query walk over a store, with and without the match proof, finds what decoding every frame in order finds', () => {
    const random = seeded(9);
    const bench = benchMessages(300);
    const messagesOf = (): ProofMessage[] => [...bench.slice(0, 100), ...streamOf(random, 400), ...bench.slice(100)];
    const texts = [...NUMBER_QUERIES, ...KEY_QUERIES];
    const withProof = walkRoundsOverStore(3, messagesOf, () => new SignalRDecoder(), 'signalr', texts, (query) => signalrMatchProof(query) ?? (() => false));
    expect(withProof.differences).toEqual([]);
    const without = walkRoundsOverStore(3, messagesOf, () => new SignalRDecoder(), 'signalr', texts, () => () => false);
    expect(without.differences).toEqual([]);
    // Not vacuous: most frames passed over undecoded.
    expect(without.decoded / without.frames).toBeLessThan(0.6);
  });
});
