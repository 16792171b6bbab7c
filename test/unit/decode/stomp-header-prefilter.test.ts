/**
 * STOMP's rule for a header value or name under `[*]` or an index (stomp-header-prefilter.ts),
 * and the STOMP probe's `$.headers[*]` and `$.headerList[*|i][0|1|*]` (stomp-probe.ts):
 * its needles, a self-contained frame without them never holding the literal there (generated
 * frames: near misses such as `/topic/p70`, CR LF lines, a value ending in CR, escapes, CONNECT,
 * a byte order mark before a name with U+FFFD on its line, repeated headers, the literal in the
 * body), and searches counting what decoding every frame in order counts (STOMP 1.0 and 1.2,
 * frames split across messages, several in one, heart-beats).
 */
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { PrefilterScan } from '../../../src-main/core/decode/prefilter-scan';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { stompHeaderNeedles } from '../../../src-main/core/decode/stomp-header-prefilter';
import { matchesDecodedQuery, parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { compareSearches, pick, seeded, storeOf, text } from './prefilter-harness';
import { stompStream } from './stomp-stream';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

const needlesOf = (query: string): string[] | undefined => {
  const clause = parsed(query).clauses[0];
  const literal = clause?.test && 'value' in clause.test ? clause.test.value : undefined;
  return typeof literal === 'string' && clause ? stompHeaderNeedles(clause.path, literal)?.map(String) : undefined;
};

/** A frame whose header values and names are the literal, near misses of it, or escapes of it. */
function headerFrame(random: (n: number) => number): string {
  const eol = random(4) === 0 ? '\r\n' : '\n';
  const command = pick(random, ['MESSAGE', 'SEND', 'MESSAGE', 'CONNECT', 'SUBSCRIBE']);
  const value = (): string => pick(random, ['/topic/p7', '/topic/p70', '/topic/p7\r', '/topic\\cp7', '/topic/p7:x', 'x/topic/p7', '/topic/p7 ', '\ufeff/topic/p7', 'a\\cb', 'a:b', '\ufffd', 'x-id']);
  const lines = random(8) === 0 ? [] : [`destination:${value()}`, `${pick(random, ['x-id', '\ufeffx-id', 'x-id2', 'id', '/topic/p7'])}:${value()}`];
  if (random(4) === 0) lines.push(`${pick(random, ['x-id', 'destination'])}:${value()}`);
  if (random(16) === 0) lines.push('no colon');
  const body = pick(random, ['', 'hi', ':/topic/p7\n', '\nx-id:', 'destination:/topic/p7\r\n', '{"a":"/topic/p7"}']);
  const length = random(3) === 0 ? `content-length:${Buffer.byteLength(body)}${eol}` : '';
  return `${command}${eol}${lines.map((line) => line + eol).join('')}${length}${eol}${body}\u0000${random(4) === 0 ? eol : ''}`;
}

const QUERIES = [
  "$.headers[*] == '/topic/p7'",
  "$.headers[*] == '/topic/p7\r'",
  "$.headers[*] == '\ufeff/topic/p7'",
  "$.headers[*] == 'a:b'",
  // A backslash the frame holds: what STOMP 1.0 and CONNECT read as it is.
  "$.headers[*] == 'a\\\\cb'",
  "$.headers[*] == '/topic/p7' && $.command == 'SEND'",
  "$.headers[*] == 'x-id'",
  "$.headerList[*][1] == '/topic/p7'",
  "$.headerList[0][1] == '/topic/p7'",
  "$.headerList[*][0] == 'x-id'",
  "$.headerList[2][0] == 'x-id'",
  "$.headerList[*][0] == '/topic/p7'",
  "$.headerList[*][*] == '/topic/p7'",
  "$.headerList[*][*] == 'x-id'",
];

/** Clauses on `$.headers[*]` and `$.headerList[*|i][0|1|*]` the STOMP probe reads (stomp-probe.ts failsOnEveryHeader, failsOnHeaderList). */
const PROBED = [
  '$.headers[*] =~ /p7$/',
  "$.headers[*] != '/topic/p7'",
  '$.headers[*]',
  "$.headers[*] > 'x'",
  '$.headers[*] =~ /\\ufffd|\\ufeff/',
  "$.headers[*] =~ /^a/ && $.command == 'SEND'",
  "$.headers[*] == '/topic/p7' && $.headers[*] =~ /:/",
  // headerList (failsOnHeaderList): there only when a name repeats.
  '$.headerList[*][1] =~ /p7$/',
  "$.headerList[*][0] != 'x-id'",
  '$.headerList[1][1] =~ /^a/',
  "$.headerList[5][1] != 'a'",
  '$.headerList[*][*] =~ /id/',
  '$.headerList[0][0]',
  '$.headerList[*][1] =~ /\\ufffd/',
];

describe('STOMP header rule: needles', () => {
  it('frames a value by its colon and line end, a name by the LF before it and its colon', () => {
    expect(needlesOf("$.headers[*] == '/topic/p7'")).toEqual([':/topic/p7\n', ':/topic/p7\r\n']);
    expect(needlesOf("$.headerList[*][1] == 'v'")).toEqual([':v\n', ':v\r\n']);
    expect(needlesOf("$.headerList[3][0] == 'id'")).toEqual(['\nid:', '\n\ufeffid:']);
    expect(needlesOf("$.headerList[*][*] == 'id'")).toEqual([':id\n', ':id\r\n', '\nid:', '\n\ufeffid:']);
    // Not a header's value or name (a step into JSON text, a name, an index past a pair), nor text UTF-8 does not read back.
    for (const query of ["$.headers[*].a == 'x'", "$.headers.destination == 'x'", "$.headerList[*][2] == 'x'", "$.headerList[*] == 'x'", "$.headerList.a[0] == 'x'", "$.body[*] == 'x'", "$.headers[*] == '\ufffd'", "$.headers[*] == ''"]) {
      expect(needlesOf(query), query).toBeUndefined();
    }
  });

  it('is the query search rule for such a path, with the probe for other clauses', () => {
    const rule = (query: string) => queryPrefilter('stomp', parsed(query), { protobuf: 'none' });
    expect(rule("$.headers[*] == '/topic/p7'")?.needles.map(String)).toEqual([':/topic/p7\n', ':/topic/p7\r\n']);
    const both = rule("$.headers[*] == '/topic/p7' && $.body =~ /x/");
    expect(both?.kind === 'self-contained' && both.needlesOrLacks).toBe(true);
    expect(both?.needles.map(String)).toEqual([':/topic/p7\n', ':/topic/p7\r\n']);
    // Other paths keep the plain string rule.
    expect(rule("$.headers[*].a == 'x'")?.needles.map(String)).toContain('x');
    // Without a string clause, the STOMP probe reads every header value.
    const probe = rule('$.headers[*] =~ /p7$/');
    expect(probe?.kind === 'self-contained' && probe.needles.length === 0 && typeof probe.lacks).toBe('function');
  });
});

describe('STOMP header rule: exact', () => {
  it('a frame it passes over never matches, on generated frames each alone', () => {
    const random = seeded(211);
    const messages = Array.from({ length: 3000 }, () => text('in', headerFrame(random)));
    const store = storeOf(messages);
    let passed = 0;
    let passedWithLiteral = 0;
    let matched = 0;
    for (const query of [...QUERIES, ...PROBED]) {
      const q = parsed(query);
      const rule = queryPrefilter('stomp', q, { protobuf: 'none' });
      if (rule?.kind !== 'self-contained') throw new Error(`no rule for ${query}`);
      const scan = new PrefilterScan(store, rule);
      scan.current();
      let passedHere = 0;
      for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
        const bytes = store.entry(seq)?.payload ?? Buffer.alloc(0);
        const outcome = createDecoder('stomp', {}).decode({ seq, dir: 'in', opcode: 'text', bytes });
        const matches = outcome?.kind === 'decoded' && matchesDecodedQuery(q, outcome.value);
        if (matches) matched++;
        if (!scan.passable(seq, undefined)) continue;
        passedHere++;
        if (bytes.includes('/topic/p7')) passedWithLiteral++;
        expect(matches, `${query} on ${JSON.stringify(bytes.toString('utf8'))}`).toBe(false);
      }
      // `!=` fails only where every value is the literal: rare here, but where nothing is selected it holds.
      if (!query.includes('!=')) expect(passedHere, `frames ${query} passes over`).toBeGreaterThan(0);
      passed += passedHere;
    }
    expect(matched).toBeGreaterThan(5000);
    expect(passed).toBeGreaterThan(15_000);
    expect(passedWithLiteral).toBeGreaterThan(5000);
  });

  it('searches count what decoding every frame in order counts on generated streams, passing over near misses', () => {
    const random = seeded(223);
    let matched = 0;
    let passedNearMiss = 0;
    for (let round = 0; round < 25; round++) {
      const messages = stompStream(random, headerFrame);
      const results = compareSearches(messages, 'stomp', 'ws://h/stomp', () => createDecoder('stomp', {}), [...QUERIES, ...PROBED].map((query) => ({ query })));
      for (const { label, expected, got } of results) expect(got, `round ${round} ${label}`).toEqual(expected);
      matched += results.filter(({ expected }) => expected.length > 0).length;
      const store = storeOf(messages);
      const rule = queryPrefilter('stomp', parsed("$.headers[*] == '/topic/p7'"), { protobuf: 'none' });
      if (rule?.kind !== 'self-contained') throw new Error('no rule');
      const scan = new PrefilterScan(store, rule);
      scan.current();
      for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
        if (scan.passable(seq, undefined) && store.entry(seq)?.payload.includes('/topic/p70') === true) passedNearMiss++;
      }
    }
    expect(matched).toBeGreaterThan(25 * 4 * 8);
    expect(passedNearMiss).toBeGreaterThan(20);
  });
});
