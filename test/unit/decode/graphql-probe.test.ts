/**
 * GraphQL over WebSocket's query probe with indexes (graphql-probe.ts: `$.payload.data.prices[0].price > 9990`):
 * which clauses it reads, and on generated streams (results whose data holds arrays of objects,
 * nested arrays, duplicate keys, strings holding brackets, escapes, broken and binary messages,
 * operations subscribed, completed and reused) every query search finds what decoding every
 * frame in order finds.
 */
import { describe, expect, it } from 'vitest';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches, pick, seeded, text, type Message } from './prefilter-harness';
import { pathText, randomJson, randomSteps, type Random } from './random-json';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

/** Each query's answers next to decoding every frame in order; returns how many frames each matched there. */
function expectAgreement(messages: readonly Message[], queries: readonly string[]): number[] {
  const matched = queries.map(() => 0);
  for (const { label, expected, got } of compareSearches(messages, 'graphql-ws', 'ws://h/graphql', () => new GraphqlWsDecoder(), queries.map((query) => ({ query })))) {
    expect(got, label).toEqual(expected);
    matched[queries.findIndex((query) => label.startsWith(JSON.stringify({ query })))] = expected.length;
  }
  return matched;
}

function isProbe(query: string): boolean {
  const made = queryPrefilter('graphql-ws', parsed(query), { protobuf: 'none' });
  return made?.kind === 'stateful' && made.key.startsWith('graphql-ws probe');
}

describe('which GraphQL clauses the probe reads', () => {
  it.each([
    ['$.payload.data.prices[0].price > 9990', true],
    ['$.payload.data.m[1][0] == 5', true],
    ['$.payload.errors[0]', true],
    ['$[0] > 1', true],
    ['$.payload.data.prices[0].price != 3', true],
    ['$.payload.data.prices[*].price > 1', false],
    ['$.operation.name =~ /x/', false],
    ['$.payload.data.prices[0].$cut', false],
  ] as const)('%s: %s', (query, probed) => {
    expect(isProbe(query)).toBe(probed);
  });
});

const QUERIES = [
  '$.payload.data.prices[0].price > 9990',
  '$.payload.data.prices[1].price > 5000',
  '$.payload.data.prices[2]',
  '$.payload.data.prices[0] != 1',
  '$.payload.data.prices[0].price != 9999',
  '$.payload.data.m[1][0] == 5',
  '$.payload.data.m[0] =~ /^r/',
  '$.payload.data.prices[0].tags[1] =~ /\\[/',
  '$.payload.errors[0].message =~ /bad/',
  '$.payload.data.prices[0].price > 10 && $.operation.type =~ /sub/',
  '$.payload.data.prices',
  '$[0]',
  // Into JSON text a string holds (without and with escapes).
  '$.payload.data.m[1][0] > 4',
  '$.payload.data.q.price > 9990',
  '$.payload.data.q[0] != 1',
];

/** A result's data: prices (arrays of objects, sometimes empty, duplicated keys), a nested array, strings holding brackets. */
function data(random: Random): string {
  const price = (): string => `{"sym":"S${random(5)}","price":${pick(random, ['1', '9995', '9991', '4000', '6000', '"9999"', '1e400', '9999'])}${random(3) === 0 ? ',"tags":["a]","[b",",c"]' : ''}${random(6) === 0 ? `,"price":${random(2) === 0 ? 1 : 9998}` : ''}}`;
  const prices = `[${Array.from({ length: random(4) }, price).join(pick(random, [',', ' , ', ',\n']))}]`;
  const m = pick(random, ['[[1],[5,2]]', '[["r1"],[[5]]]', '["r2",[5]]', '[]', '{"1":[5]}', '["r3","[5,2]"]', '[0," [ [6] ] "]', '[0,"[4"]']);
  const q = pick(random, ['"{\\"price\\":9999}"', '"{\\"price\\":1}"', '"[1]"', '"[2]"', '"{}"', '"\\u005b1]"']);
  return pick(random, [`{"prices":${prices},"m":${m}}`, `{"m":${m},"prices":${prices}}`, `{"prices":${prices}}`, `{"prices":{"0":{"price":9999}}}`, `{"m":${m}}`, `{"m":${m},"q":${q}}`]);
}

function someMessages(random: Random): Message[] {
  const id = String(random(4));
  switch (random(10)) {
    case 0:
      return [text('out', `{"id":"${id}","type":"subscribe","payload":{"query":"subscription ${pick(random, ['OnPrice', 'OnTrade'])} { prices { price } }"}}`)];
    case 1:
      return [text(pick(random, ['in', 'out'] as const), `{"id":"${id}","type":"${pick(random, ['complete', 'error', 'stop'])}"${random(2) === 0 ? ',"payload":[{"message":"bad one"}]' : ''}}`)];
    case 2:
      return [
        pick(random, [
          binary('in', Buffer.from(`{"id":"${id}","type":"next","payload":{"data":{"prices":[{"price":9999}]}}}`)),
          text('in', `{"id":"${id}","type":"next","payload":{"data":{"prices":[{"price":9999}]`),
          text('in', `{"id":"${id}","type":"next","payload":{"data":{"prices":[{"pr\\u0069ce":9999}]}}}`),
          text('in', `{"id":"${id}","type":"next","payload":{"data":{"prices":[{"price":9999}]}}} x`),
          text('in', `{"id":"${id}","type":"next","payload":{"data":{"prices":[{"price":9999,}]}}}`),
          text('in', `[{"id":"${id}","type":"next"}]`),
          text('in', `{"type":"ka"}`),
        ]),
      ];
    case 3:
      return [text('in', `{"id":"${id}","type":"next","payload":{"errors":[{"message":"${pick(random, ['bad', 'fine'])}"}],"data":null}}`)];
    default:
      return [text('in', `{"id":"${id}","type":"${pick(random, ['next', 'data'])}","payload":{"data":${data(random)}}}`)];
  }
}

describe('GraphQL probe with indexes on generated streams (30 rounds each, seeded)', () => {
  it('every query is read by the probe', () => {
    for (const query of QUERIES) expect(isProbe(query), query).toBe(true);
  });

  it('every query search finds what decoding every frame in order finds', () => {
    const random = seeded(91);
    const matched = QUERIES.map(() => 0);
    for (let round = 0; round < 30; round++) {
      const messages: Message[] = [text('out', '{"type":"connection_init"}')];
      while (messages.length < 80) messages.push(...someMessages(random));
      expectAgreement(messages, QUERIES).forEach((count, k) => (matched[k] = (matched[k] ?? 0) + count));
    }
    // Each query matches somewhere (a rule passing every message over fails it), but for `$[0]` (the value is an object).
    QUERIES.forEach((query, k) => {
      if (query === '$[0]') expect(matched[k], query).toBe(0);
      else expect(matched[k], query).toBeGreaterThan(0);
    });
  });

  it('random paths into random data', () => {
    const random = seeded(92);
    for (let round = 0; round < 30; round++) {
      const messages: Message[] = [text('out', '{"id":"1","type":"subscribe","payload":{"query":"subscription S { x }"}}')];
      for (let i = 0; i < 40; i++) messages.push(text('in', `{"id":"${pick(random, ['1', '2'])}","type":"next","payload":{"data":${randomJson(random, 4)}}}`));
      const queries = Array.from({ length: 6 }, () => `$.payload.data${pathText(randomSteps(random, 3))}${pick(random, ['', ' != 1', ' > 5', ' =~ /r/', ' == null'])}`);
      expectAgreement(messages, queries);
    }
  });
});
