/**
 * The GraphQL over WebSocket match proof (graphql-match-proof.ts) against the decoder itself
 * (graphql-ws-decoder.ts). The walk asks this proof at every frame, whatever operations the
 * decoder remembers, so the stream check (stateful-proof-harness.ts) runs with a decoder that
 * says it is always idle: each message proven is valid and matched decoded alone and in order,
 * and decoding the stream with every proven message skipped gives every other message the outcome
 * it has when all are decoded. Streams are generated: every message type of both protocols, ids
 * that are missing, empty, numbers, escaped; payloads that are objects, arrays, null, text, deep;
 * duplicate and escaped keys (`"typ\u0065"`), a top-level "operation", `__proto__`, escapes in
 * values, 1e400, long numbers, whitespace, byte-order marks, bad UTF-8, trailing bytes, cut and
 * damaged messages, binary and control frames. The same check with the proof's rules broken in
 * each way fails.
 */
import { describe, expect, it } from 'vitest';
import { DECODED_STREAMS } from '../../../bench/decoded-streams';
import type { StreamDecoder, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { GRAPHQL_PROOF_RULES, graphqlMatchProof, type GraphqlProofRules } from '../../../src-main/core/decode/graphql-match-proof';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import type { MatchProof } from '../../../src-main/core/decode/match-proof';
import type { DecodedQuery } from '../../../src-main/shared/decoded-query';
import { damaged, pick, seeded } from './prefilter-harness';
import { pathText, randomJson, randomSteps, type Random } from './random-json';
import { checkStream, decodeWith, emptyTally, matched, queryOf, type ProofMessage, type ProofTally, walkRoundsOverStore } from './stateful-proof-harness';

/** The decoder as the walk meets it here: asked at every frame (the harness asks where `idle` says true). */
function askedAlways(): StreamDecoder {
  const decoder = new GraphqlWsDecoder();
  return Object.assign(decoder, { idle: (): boolean => true });
}

const QUERIES = [
  "$.type == 'next'",
  "$.type != 'x'",
  "$.type != 'next'",
  '$.type =~ /^(next|data)$/',
  "$.type == 'ka'",
  "$.type > 'd'",
  '$.type',
  '$.type.x != 1',
  "$.id != 'x'",
  "$.id == '1'",
  '$.id',
  '$.id =~ /\u00e9/',
  '$.id > 1',
  '$.payload',
  '$.payload != 1',
  '$.payload.data.price.price >= 0',
  '$.payload.data.price.price > 5000',
  '$.payload.data.price.sym =~ /^S/',
  "$.payload.data.price.sym != 'S1'",
  '$.payload.data != null',
  '$.payload.data',
  '$.payload.errors[0].message =~ /bad/',
  '$.payload.data.m[1][0] == 5',
  '$.payload.data.q.price > 5',
  "$.payload.big == 'Infinity'",
  '$.payload.big > 1',
  '$.payload.s != 1',
  '$',
  '$ != 1',
  '$[0] != 1',
  '$.nothing != 1',
  '$.nothing',
  '$.__proto__ == 1',
  '$.extra',
  '$.extra.a != 1',
  "$.type == 'next' && $.payload.data.price.price >= 0",
  "$.type != 'x' && $.id != '2'",
  "$.type == 'data' && $.payload",
  "$.id != 'x' && $.payload.data.price.price >= 0",
  '$.payload && $.extra.a != 1 && $ != 1 && $.payload.big != 2',
].map((text) => ({ text, query: queryOf(text) }));

/** Queries that read the operation the decoder sets from its state: no proof (the sabotage's target). */
const OPERATION_QUERIES = ["$.operation.name != 'OnPrice'", "$.operation.type != 'subscription'", '$.operation != 1', "$['operation'].name != 'OnTrade' && $.type == 'next'"].map((text) => ({ text, query: queryOf(text) }));

const TYPES = ['next', 'data', 'subscribe', 'start', 'complete', 'error', 'stop', 'connection_init', 'connection_ack', 'connection_error', 'connection_terminate', 'ka', 'ping', 'pong'];
const ODD_TYPES = ['"unknown"', '"Next"', '"constructor"', '"toString"', '""', '"n\\u0065xt"', '"next "', '7', 'null', '["next"]'];
const IDS = ['"1"', '"2"', '"3"', '"1"', '"2"', '""', '7', 'null', '"\\u0031"', '"caf\u00e9"', '"1 "'];
const SPACES = ['', '', '', '', ' ', '\n', '\t ', '\r\n'];

function priceData(random: Random): string {
  return `{"price":{"sym":"S${random(4)}","price":${pick(random, ['1', '9995', '4000', '6000', '"9999"', '1e400', '12345678901234567890', '-0', '0.5e1'])}}}`;
}

function payloadFor(random: Random, type: string): string {
  if ((type === 'subscribe' || type === 'start') && random(6) !== 0) {
    const name = pick(random, ['OnPrice', 'OnTrade']);
    return pick(random, [
      `{"query":"subscription ${name} { price { price } }"}`,
      `{"query":"subscription ${name} { p }","operationName":"${name}","variables":{"sym":"S1"}}`,
      `{"query":"{ p }"}`,
      `{"query":7}`,
    ]);
  }
  return pick(random, [
    `{"data":${priceData(random)}}`,
    `{"data":${priceData(random)}}`,
    `{"data":${priceData(random)},"data":${priceData(random)}}`,
    `{"data":${randomJson(random, 3)}}`,
    `{"data":{"m":${pick(random, ['[[1],[5,2]]', '["r",[5]]', '"[[0],[5]]"', '[]'])},"q":${pick(random, ['"{\\"price\\":9}"', '"{}"', '"[1]"', '{"price":9}'])}}}`,
    `{"errors":[{"message":"${pick(random, ['bad', 'fine', 'ba\\u0064'])}"}],"data":null}`,
    `{"big":${pick(random, ['1e400', '-1e400', '2'])},"s":"a\\"b"}`,
    `{"s":"x\\ny"}`,
    '{}',
    ' { } ',
    '[]',
    'null',
    '"x"',
    '7',
    `${'{"a":'.repeat(70)}1${'}'.repeat(70)}`,
    `{"data":${'['.repeat(1100)}${']'.repeat(1100)}}`,
  ]);
}

/** One message's JSON text (written by hand: duplicate and escaped keys, whitespace, odd values). */
function messageText(random: Random): string {
  const type = random(8) === 0 ? pick(random, ODD_TYPES) : `"${pick(random, TYPES)}"`;
  const plainType = type.startsWith('"') ? type.slice(1, -1) : '';
  const members: string[] = [];
  if (random(30) !== 0) members.push(`"type":${type}`);
  if (random(6) !== 0) members.push(`"id":${pick(random, IDS)}`);
  if (random(8) !== 0) members.push(`"payload":${payloadFor(random, plainType)}`);
  const extras = random(4) === 0 ? 1 + random(2) : 0;
  for (let k = 0; k < extras; k++) {
    members.push(
      pick(random, [
        `"operation":{"type":"query","name":"OnPrice"}`,
        `"operation":7`,
        `"__proto__":1`,
        `"__proto__":{"type":"next"}`,
        `"extra":${randomJson(random, 2)}`,
        `"typ\\u0065":"next"`,
        `"\\u0074ype":"subscribe"`,
        `"type":"${pick(random, TYPES)}"`,
        `"id":${pick(random, IDS)}`,
        `"payload":${payloadFor(random, plainType)}`,
        `"caf\u00e9":"\u{1f600}"`,
      ]),
    );
  }
  // Members in any order, whitespace around any token.
  for (let k = members.length - 1; k > 0; k--) {
    const j = random(k + 1);
    [members[k], members[j]] = [members[j] ?? '', members[k] ?? ''];
  }
  const space = (): string => pick(random, SPACES);
  const object = `${space()}{${space()}${members.map((member) => member.replace(':', `${space()}:${space()}`)).join(`${space()},${space()}`)}${space()}}${space()}`;
  switch (random(30)) {
    case 0:
      return `\ufeff${object}`;
    case 1:
      return `[${object}]`;
    case 2:
      return `${object}x`;
    case 3:
      return object.slice(0, random(object.length));
    default:
      return object;
  }
}

function messageOf(random: Random): ProofMessage {
  let bytes: Buffer = Buffer.from(messageText(random), 'utf8');
  if (random(25) === 0 && bytes.length > 0) bytes = damaged(random, bytes, [0xff, 0xc3, 0x5c, 0x22, 0x2c, 0x20, 0x7b, 0x7d, 0x3a, 0x30]);
  const opcode = random(50) === 0 ? pick(random, ['binary', 'ping'] as const) : 'text';
  return { dir: random(3) === 0 ? 'out' : 'in', opcode, bytes };
}

function streamOf(random: Random, count: number): ProofMessage[] {
  return Array.from({ length: count }, () => messageOf(random));
}

/** The proof's answer for a message inside a larger slab (as the store's slabs hold it). */
function provenIn(proof: MatchProof, message: ProofMessage): boolean {
  const slab = Buffer.concat([Buffer.from('{"type":"next",'), message.bytes, Buffer.from('"}]} x{')]);
  return proof(slab, 15, 15 + message.bytes.length, message.opcode);
}

/** Random clauses into the data and the extra member (random-json.ts paths). */
function randomQueries(random: Random): { text: string; query: DecodedQuery }[] {
  return Array.from({ length: 6 }, () => {
    const text = `$.${pick(random, ['payload.data', 'extra', 'payload'])}${pathText(randomSteps(random, 3))}${pick(random, ['', ' != 1', ' > 5', ' =~ /r/', ' == null', " != 'x'"])}`;
    return { text, query: queryOf(text) };
  });
}

/** The stream check over generated streams with these rules; whether it threw an assertion (a changed outcome after skips). */
function runChecks(seed: number, rounds: number, rules: GraphqlProofRules, extra: readonly { text: string; query: DecodedQuery }[] = [], firstFailureEnds = false): { tally: ProofTally; threw: boolean } {
  const random = seeded(seed);
  const tally = emptyTally();
  try {
    // A sabotage check needs one failure: it stops after the round that found one (same seed, same verdict).
    for (let round = 0; round < rounds && !(firstFailureEnds && tally.failures.length > 0); round++) {
      checkStream(
        {
          stream: streamOf(random, 200),
          queries: [...QUERIES, ...extra, ...randomQueries(random)],
          makeDecoder: askedAlways,
          proofOf: (query) => graphqlMatchProof(query, rules),
          provenIn,
          where: `round ${round}`,
        },
        tally,
      );
    }
  } catch (error) {
    // Only the harness's expect on an outcome changed after the skips counts; anything else is a bug.
    if (!(error instanceof Error && error.name === 'AssertionError')) throw error;
    return { tally, threw: true };
  }
  return { tally, threw: false };
}

/**
 * The proof with these rules in the query's own walk (InOrderMatchWalk over a FrameStore, the
 * query's prefilter first, no idle gate as PROOFS_IN_ANY_STATE asks it) against decoding every
 * frame in order: the queries whose matches differ, and how many frames the walk decoded.
 */
function walkOverStore(rules: GraphqlProofRules): { differences: string[]; decoded: number; frames: number } {
  const random = seeded(8);
  const bench: ProofMessage[] = [];
  DECODED_STREAMS.graphql.fill(400, (frame) => bench.push({ dir: frame.dir, opcode: frame.opcode, bytes: frame.bytes }));
  // The generated stream's subscribes and completes between the bench's results (the same ids: operations end and start again).
  const messagesOf = (): ProofMessage[] => [...bench.slice(0, 150), ...streamOf(random, 300), ...bench.slice(150)];
  const texts = ["$.type == 'next'", '$.payload.data.price.price >= 0', "$.type != 'x' && $.id != '2'", "$.type == 'next' && $.payload.data.price.sym =~ /^S/"];
  return walkRoundsOverStore(4, messagesOf, () => new GraphqlWsDecoder(), 'graphql-ws', texts, (query) => graphqlMatchProof(query, rules));
}

describe('GraphQL over WebSocket match proof', () => {
  it('proves only what the decoder matches, and skipping what it proves changes no other outcome', () => {
    const { tally, threw } = runChecks(2026, 24, GRAPHQL_PROOF_RULES);
    expect(threw).toBe(false);
    const { proven, matchedInOrder, provenMatched, failures } = tally;
    expect(failures.slice(0, 5)).toEqual([]);
    // Not vacuous: a good share of what matches is proven.
    expect(proven).toBeGreaterThan(20_000);
    expect(provenMatched / matchedInOrder).toBeGreaterThan(0.3);
  });

  it.each<[string, GraphqlProofRules, readonly string[]]>([
    ['complete proven (it forgets)', { ...GRAPHQL_PROOF_RULES, types: { ...GRAPHQL_PROOF_RULES.types, complete: { id: true, payload: false } } }, []],
    ['subscribe proven (it remembers)', { ...GRAPHQL_PROOF_RULES, types: { ...GRAPHQL_PROOF_RULES.types, subscribe: { id: true, payload: true } } }, []],
    ['next without its id rule', { ...GRAPHQL_PROOF_RULES, types: { ...GRAPHQL_PROOF_RULES.types, next: { id: false, payload: true } } }, []],
    ['next without its payload rule', { ...GRAPHQL_PROOF_RULES, types: { ...GRAPHQL_PROOF_RULES.types, next: { id: true, payload: false } } }, []],
    ['an unknown type proven', { ...GRAPHQL_PROOF_RULES, types: { ...GRAPHQL_PROOF_RULES.types, unknown: { id: false, payload: false } } }, []],
    ['operation clauses proven', { ...GRAPHQL_PROOF_RULES, stateNames: [] }, OPERATION_QUERIES.map(({ text }) => text)],
    ['the JSON text not checked', { ...GRAPHQL_PROOF_RULES, checkText: false }, []],
  ])('sabotage: with %s, the check fails', (_, rules, extra) => {
    const { tally, threw } = runChecks(7, 6, rules, extra.map((text) => ({ text, query: queryOf(text) })), true);
    expect(threw || tally.failures.length > 0).toBe(true);
  });

  it('in the query walk over a store (asked at every frame, after the query’s prefilter), finds what decoding every frame in order finds; with a broken rule it does not', () => {
    const good = walkOverStore(GRAPHQL_PROOF_RULES);
    expect(good.differences).toEqual([]);
    // Not vacuous: most frames were not decoded by the walk.
    expect(good.decoded / good.frames).toBeLessThan(0.5);
    const broken = walkOverStore({ ...GRAPHQL_PROOF_RULES, types: { ...GRAPHQL_PROOF_RULES.types, next: { id: true, payload: false } } });
    expect(broken.differences.length).toBeGreaterThan(0);
  });

  it('its rules are the decoder’s: each proven type’s needs, and decoding one leaves the operations as they were', () => {
    const decode = (decoder: GraphqlWsDecoder, text: string): ReturnType<GraphqlWsDecoder['decode']> => decoder.decode({ seq: 0, dir: 'in', opcode: 'text', bytes: Buffer.from(text) });
    for (const type of TYPES) {
      const proven = Object.hasOwn(GRAPHQL_PROOF_RULES.types, type) ? GRAPHQL_PROOF_RULES.types[type] : undefined;
      const decoder = new GraphqlWsDecoder();
      decode(decoder, '{"type":"subscribe","id":"1","payload":{"query":"subscription OnPrice { p }"}}');
      decode(decoder, '{"type":"subscribe","id":"2","payload":{"query":"subscription OnTrade { p }"}}');
      const before = JSON.stringify(decoder.snapshot());
      const outcome = decode(decoder, `{"type":"${type}","id":"1","payload":{"query":"subscription OnQuote { p }"}}`);
      expect(outcome?.kind, type).toBe('decoded');
      // What the proof vouches for changes nothing; every other type changes the operations.
      expect(JSON.stringify(decoder.snapshot()) === before, type).toBe(proven !== undefined);
      if (!proven) continue;
      expect(decode(new GraphqlWsDecoder(), `{"type":"${type}"}`)?.kind, type).toBe(proven.id || proven.payload ? 'invalid' : 'decoded');
      expect(decode(new GraphqlWsDecoder(), `{"type":"${type}","id":"1"}`)?.kind, type).toBe(proven.payload ? 'invalid' : 'decoded');
      expect(decode(new GraphqlWsDecoder(), `{"type":"${type}","payload":{}}`)?.kind, type).toBe(proven.id ? 'invalid' : 'decoded');
      expect(decode(new GraphqlWsDecoder(), `{"type":"${type}","id":"","payload":{}}`)?.kind, type).toBe(proven.id ? 'invalid' : 'decoded');
      expect(decode(new GraphqlWsDecoder(), `{"type":"${type}","id":"1","payload":[]}`)?.kind, type).toBe(proven.payload ? 'invalid' : 'decoded');
    }
  });

  it('answers as the decoder on crafted messages', () => {
    const proof = graphqlMatchProof(queryOf("$.type != 'x'"));
    if (!proof) throw new Error('no proof');
    const says = (message: string | Buffer, opcode: WireFrame['opcode'] = 'text'): boolean => provenIn(proof, { dir: 'in', opcode, bytes: Buffer.isBuffer(message) ? message : Buffer.from(message, 'utf8') });
    const next = '{"id":"1","type":"next","payload":{"data":{"price":{"sym":"S1","price":5}}}}';
    expect(says(next)).toBe(true);
    expect(says(` \n${next}\t`)).toBe(true);
    expect(says('{"type":"ka"}')).toBe(true);
    expect(says('{"type":"connection_init","payload":[]}')).toBe(true);
    expect(says('{"type":"pong","id":""}')).toBe(true);
    expect(says('{"type":"data","id":"\\u0031","payload":{"s":"a\\"b"}}')).toBe(true);
    expect(says('{"type":"next","id":"1","payload":{},"operation":7}')).toBe(true);
    // Duplicates: the last one counts.
    expect(says('{"type":"subscribe","type":"next","id":"1","payload":{}}')).toBe(true);
    expect(says('{"type":"next","type":"subscribe","id":"1","payload":{}}')).toBe(false);
    expect(says('{"type":"next","id":"1","payload":{},"payload":null}')).toBe(false);
    expect(says('{"type":"next","id":"","id":"1","payload":{}}')).toBe(true);
    // Escaped keys and types are not read.
    expect(says('{"typ\\u0065":"next","id":"1","payload":{}}')).toBe(false);
    expect(says('{"type":"next","\\u0074ype":"subscribe","id":"1","payload":{}}')).toBe(false);
    expect(says('{"type":"n\\u0065xt","id":"1","payload":{}}')).toBe(false);
    // What the decoder refuses, or leaves without an outcome.
    expect(says(next, 'binary')).toBe(false);
    expect(says(next, 'ping')).toBe(false);
    expect(says(`\ufeff${next}`)).toBe(false);
    expect(says(`[${next}]`)).toBe(false);
    expect(says(`${next}x`)).toBe(false);
    expect(says(next.slice(0, -1))).toBe(false);
    expect(says('')).toBe(false);
    expect(says('{}')).toBe(false);
    expect(says('{"type":"next","payload":{}}')).toBe(false);
    expect(says('{"type":"next","id":7,"payload":{}}')).toBe(false);
    expect(says('{"type":"next","id":"1"}')).toBe(false);
    expect(says('{"type":"next","id":"1","payload":[]}')).toBe(false);
    expect(says('{"type":"Next","id":"1","payload":{}}')).toBe(false);
    expect(says('{"type":"constructor"}')).toBe(false);
    expect(says('{"__proto__":{"type":"ka"}}')).toBe(false);
    expect(says(Buffer.from([...Buffer.from('{"type":"ka","x":"'), 0xff, ...Buffer.from('"}')]))).toBe(false);
    // The types that change the decoder's operations.
    for (const type of ['subscribe', 'start', 'complete', 'error', 'stop']) expect(says(`{"type":"${type}","id":"1","payload":{"query":"{ p }"}}`), type).toBe(false);
    // Each agrees with the decoder where it says true.
    for (const text of [next, '{"type":"ka"}', '{"type":"pong","id":""}', '{"type":"subscribe","type":"next","id":"1","payload":{}}']) {
      expect(matched(queryOf("$.type != 'x'"), decodeWith(new GraphqlWsDecoder(), { dir: 'in', opcode: 'text', bytes: Buffer.from(text) }, 0)), text).toBe(true);
    }
  });

  it('offers no proof for a clause on the operation, `[*]`, or one no proven message meets', () => {
    for (const { text, query } of OPERATION_QUERIES) expect(graphqlMatchProof(query), text).toBeUndefined();
    expect(graphqlMatchProof(queryOf("$.type == 'next' && $.operation.name == 'OnPrice'"))).toBeUndefined();
    expect(graphqlMatchProof(queryOf('$.payload.data[*] == 1'))).toBeUndefined();
    expect(graphqlMatchProof(queryOf('$.payload.$cut'))).toBeUndefined();
    expect(graphqlMatchProof(queryOf("$.type == 'subscribe'"))).toBeUndefined();
    expect(graphqlMatchProof(queryOf("$.type =~ /^(complete|error)$/"))).toBeUndefined();
    expect(graphqlMatchProof(queryOf('$ == 1'))).toBeUndefined();
    expect(graphqlMatchProof(queryOf('$[0] == 1'))).toBeUndefined();
    expect(graphqlMatchProof(queryOf("$[0] && $.type == 'next'"))).toBeUndefined();
    expect(graphqlMatchProof(queryOf('$'))).toBeDefined();
    expect(graphqlMatchProof(queryOf('$[0] != 1'))).toBeDefined();
    expect(graphqlMatchProof(queryOf("$.type == 'ka'"))).toBeDefined();
    expect(graphqlMatchProof(queryOf('$.payload.operation != 1'))).toBeDefined();
    expect(graphqlMatchProof(queryOf('$.nothing != 1'))).toBeDefined();
  });

  it('proves every result of the bench’s stream for the queries most messages match', () => {
    const messages: ProofMessage[] = [];
    DECODED_STREAMS.graphql.fill(3000, (frame) => messages.push({ dir: frame.dir, opcode: frame.opcode, bytes: frame.bytes }));
    const results = messages.filter((message) => message.bytes.includes('"type":"next"'));
    expect(results.length).toBeGreaterThan(2800);
    for (const text of ["$.type == 'next'", '$.payload.data.price.price >= 0', "$.type == 'next' && $.payload.data.price.sym =~ /^S/"]) {
      const proof = graphqlMatchProof(queryOf(text));
      if (!proof) throw new Error(`no proof for ${text}`);
      expect(messages.filter((message) => provenIn(proof, message)).length, text).toBe(results.length);
    }
  });

  it('never throws on random bytes, cut messages or odd opcodes', () => {
    const random = seeded(99);
    const proofs = QUERIES.map(({ query }) => graphqlMatchProof(query)).filter((proof) => proof !== undefined);
    let calls = 0;
    for (let i = 0; i < 3000; i++) {
      let bytes: Buffer = Buffer.from(messageText(random), 'utf8');
      if (random(2) === 0) bytes = bytes.subarray(0, random(bytes.length + 1));
      if (random(3) === 0) bytes = Buffer.from(Array.from({ length: random(40) }, () => pick(random, [0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x5c, 0x3a, 0x2c, 0x30, 0xff, 0x20, random(256)])));
      const start = random(3);
      const slab = Buffer.concat([Buffer.alloc(start, 0x7b), bytes]);
      // A throw fails the test; no expect a call.
      for (const proof of proofs) {
        proof(slab, start, slab.length, pick(random, ['text', 'binary', 'ping', 'close', '']));
        proof(slab, slab.length, slab.length, 'text');
        calls += 2;
      }
    }
    expect(calls).toBe(3000 * 2 * proofs.length);
  });
});
