/**
 * Socket.IO's query probe (socketio-probe.ts): which clauses it reads, and on generated streams
 * over Engine.IO 4 and 3 (events and acks with namespaces and ids, arguments of every JSON shape,
 * CONNECT and CONNECT_ERROR data, the open handshake, ping and pong data, binary events whose
 * attachments are waiting, backslashes, broken JSON, ids the parser reads with whitespace,
 * numeric event names, events and acks with no payload, `4` alone, payloads the parser refuses)
 * every query search finds what decoding every frame in order finds.
 */
import { describe, expect, it } from 'vitest';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { SocketIoDecoder } from '../../../src-main/core/decode/socketio-decoder';
import { parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches, pick, seeded, text, type Message } from './prefilter-harness';
import { pathText, randomJson, randomSteps, type Random } from './random-json';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

function isProbe(query: string): boolean {
  const made = queryPrefilter('socketio', parsed(query), { protobuf: 'none' });
  return made?.kind === 'stateful' && made.key.startsWith('socketio probe');
}

const URL: Record<3 | 4, string> = { 3: 'ws://h/socket.io/?EIO=3&transport=websocket', 4: 'ws://h/socket.io/?EIO=4&transport=websocket' };

/** Each query's answers next to decoding every frame in order; returns how many frames each matched there. */
function expectAgreement(messages: readonly Message[], version: 3 | 4, queries: readonly string[]): number[] {
  const matched = queries.map(() => 0);
  for (const { label, expected, got } of compareSearches(messages, 'socketio', URL[version], () => new SocketIoDecoder({ engineVersion: version }), queries.map((query) => ({ query })))) {
    expect(got, label).toEqual(expected);
    const at = queries.findIndex((query) => label.startsWith(JSON.stringify({ query })));
    matched[at] = expected.length;
  }
  return matched;
}

describe('which Socket.IO clauses the probe reads', () => {
  it.each([
    ['$.args[0].at > 1700000970000', true],
    ['$.args[1][0].x > 1', true],
    ['$.args', true],
    ['$.args[0] != 3', true],
    ['$.data.sid =~ /s/', true],
    ['$.data', true],
    ['$.data.list[2] == 3', true],
    ['$.handshake.upgrades[0]', true],
    ['$.nsp != 1 && $.args[0].at > 1', true],
    ["$.data['a\"b'] > 1", true],
    ['$.args[*].at > 1', false],
    ['$.args[0].$bytes', false],
    ["$.args[0]['\ufffd'] > 1", false],
    ['$.nsp != 1', true],
    ['$.attachments > 0', true],
    ['$.event =~ /^chat/', true],
    ['$[*] != 1', false],
    ['$[0] > 1', false],
  ] as const)('%s: %s', (query, probed) => {
    expect(isProbe(query)).toBe(probed);
  });
});

/** Queries the generated streams are searched with (each read by the probe, not a string rule: checked below). */
const QUERIES = [
  '$.args[0].at > 500',
  '$.args[1].at > 500',
  '$.args[1][1].at',
  '$.args[0].list[1] == 1',
  '$.args[0]',
  '$.args',
  '$.args[0] != 1',
  '$.args[2]',
  '$.args[0].room =~ /^r1$/',
  '$.args[0].at != 1700000970001',
  '$.args[1][0]',
  '$.args[0].a.b[0] < 5',
  '$.data.sid =~ /s/',
  '$.data',
  '$.data =~ /^probe$/',
  '$.data.n[1] > 1',
  '$.data.message',
  '$.data != 3',
  '$.event =~ /^chat$/',
  '$.event == 7',
  '$.event < 5',
  '$.event == 1000',
  '$.event.x',
  '$.nsp =~ /admin|caf/',
  "$.nsp != '/'",
  '$.nsp.length',
  '$.id > 10',
  '$.id',
  '$.type =~ /ACK|CONNECT/',
  '$.engineIO =~ /^p/',
  "$.engineIO == 'open'",
  '$.nothing != 1',
  '$.attachments > 0',
  '$.handshake.pingInterval > 1000',
  '$.handshake.upgrades[0]',
  "$.handshake.sid != 'x'",
  "$.args[0].at > 100 && $.nsp == '/admin'",
  "$['data'].data.n[1] == 5",
  // Into JSON text a string holds (a ping's text, an argument's string, with escapes too).
  '$.data[0] == 1',
  '$.data.x > 1',
  '$.data[0][0] != 7',
  '$.args[0].tags[0] > 4',
  '$.args[0].tags[1]',
  '$.args[1].at > 900',
  '$.args[0].tags[0] != 3',
];

/** Queries that select under a string (an event name, a namespace): nothing. */
const NEVER = ['$.event.x', '$.nsp.length'];

/** An argument list as an event's or ack's JSON writes it. */
function args(random: Random): string {
  const count = random(4);
  return Array.from({ length: count }, () => randomJson(random, 3)).join(',');
}

/** One or more messages of every kind the decoder reads (and some it refuses). */
function someMessages(random: Random, version: 3 | 4): Message[] {
  const dir = random(3) === 0 ? 'out' : 'in';
  const nsp = pick(random, ['', '', '/admin,', '/a[1],', '/r[[{"at":1}],', '/caf\u00e9,']);
  const id = pick(random, ['', '', '7', '12', '007', '12345678901234567890']);
  const attachment = (): Message => binary(dir, version === 3 ? [4, random(256), 1] : [random(256), 1]);
  switch (random(15)) {
    case 0:
      return [text(dir, pick(random, ['0{"sid":"s1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000}', '0{ "sid" : "s2", "pingInterval" : 500 , "upgrades":[] }', '0{"pingInterval":30000}', '0{"sid":"s3"', '0', '0[]']))];
    case 1:
      return [text(dir, pick(random, ['2', '3', '2probe', '3probe', '2{"x":1}', '1', '1x', '5', '6', '4', '', '2[1,2]', '3 {"x":5}', '2[[7]]', '2[[8]]', '3{"x":1', '2 [2]']))];
    case 2: {
      const data = pick(random, ['{"sid":"s9","n":[1,2,3]}', '{"sid":"x","sid":"s8"}', `{"sid":${randomJson(random, 2)}}`, '"str"', '{"message":"refused","data":{"n":[0,5]}}', '[1]', '']);
      return [text(dir, `4${pick(random, ['0', '1', '4'])}${nsp}${id}${data}`)];
    }
    case 3:
      // Ids the parser reads with whitespace, broken JSON, a backslash, another packet type.
      return [text(dir, pick(random, ['40 {"sid":"s5"}', '40 5{"sid":"s6"}', '42 ["chat",{"at":900}]', '42 7["chat",{"at":900}]', '42["chat",{"at":900}', '42["chat",{"at":900}]x', '42["chat",{"a\\u0074":900}]', '42["chat","\\"",{"at":900}]', '47["chat"]', '4x', '42{"at":900}', '43{"at":900}', 'b4AQID', '42/admin', '42', '4217', '40/x', '43', '42\u00a0["chat",{"at":900}]', '421\u00a0["chat"]', '\ufeff42["chat",{"at":900}]', '42["chat",{},"{\\"at\\":950}"]', '42["chat",{},"\\u007b\\"at\\":950}"]', '42["chat",{"tags":"\\n[5]"}]']))];
    case 9:
      // What exploratory QA found and what socket.io-parser refuses: no payload, numeric names, acks without id or payload, payloads of the wrong kind.
      return [text(dir, pick(random, ['4', '42/admin', '42/admin,', '421', '42[1,2]', '42[1e3,{"at":900}]', '42/admin,7[7,{"at":950}]', '42[-1.5,[{"at":901}]]', '43[5]', '43/admin,7', '43[{"at":900}]', '40"x"', '40null', '40[]', '41x', '41/admin,{"x":1}', '44[1]', '42[]', '42[null,{"at":900}]', '431"x"']))];
    case 8:
      // Bad UTF-8 in a namespace and in an argument.
      return [{ dir, opcode: 'text', bytes: Buffer.concat([Buffer.from('42/a'), Buffer.from([0xff]), Buffer.from(',["chat",{"at":900,"s":"x'), Buffer.from([0xc3]), Buffer.from('"}]')]) }];
    case 4:
      return [text(dir, `42${nsp}${id}[${pick(random, ['"chat"', '"connect"', '7', 'null'])}${random(4) === 0 ? '' : ','}${args(random)}]`)];
    case 5:
      return [text(dir, `43${nsp}${id}[${args(random)}]`)];
    case 6: {
      // A binary event or ack: the header, then attachments (or not all, a text between, stray ones).
      const count = 1 + random(2);
      const placeholders = Array.from({ length: count }, (_, n) => `{"_placeholder":true,"num":${n}}`).join(',');
      const head = random(2) === 0 ? `45${count}-${nsp}${id}["up",${placeholders},{"at":900,"list":[0,1]}]` : `46${count}-${nsp}${id}[${placeholders},{"at":900}]`;
      const out: Message[] = [text(dir, head)];
      for (let n = random(count + 2); n > 0; n--) out.push(random(4) === 0 ? text(dir, '42["chat",{"at":901}]') : attachment());
      return out;
    }
    case 7:
      return [attachment()];
    default:
      return [text(dir, `42${nsp}${id}["chat",{"at":${pick(random, ['1', '600', '1700000970001', '1e400', '"900"'])},"room":"r${random(3)}","list":[${random(3)},${random(3)}],"a":{"b":[${random(9)}]}${pick(random, ['', `,"tags":"[${random(9)},{}]"`, `,"tags":" [${random(9)}"`, ',"tags":"[]"'])}}${random(3) === 0 ? `,[1,{"at":${random(1000)}}]` : ''}]`)];
  }
}

describe('Socket.IO probe on generated streams (30 rounds each, seeded)', () => {
  it('every query is read by the probe', () => {
    for (const query of QUERIES) expect(isProbe(query), query).toBe(true);
  });

  for (const version of [4, 3] as const) {
    it(`Engine.IO ${version}: every query search finds what decoding every frame in order finds`, () => {
      const random = seeded(80 + version);
      const matched = QUERIES.map(() => 0);
      for (let round = 0; round < 30; round++) {
        const messages: Message[] = [];
        while (messages.length < 80) messages.push(...someMessages(random, version));
        const counts = expectAgreement(messages, version, QUERIES);
        counts.forEach((count, k) => (matched[k] = (matched[k] ?? 0) + count));
      }
      // Each query matches somewhere (a rule passing every message over fails it), but those under a string.
      QUERIES.forEach((query, k) => (NEVER.includes(query) ? expect(matched[k], query).toBe(0) : expect(matched[k], query).toBeGreaterThan(0)));
      QUERIES.forEach((query, k) => expect(matched[k], query).toBeLessThan(30 * 80));
      // 2,400 messages × 45 queries: 43–82 s on 2 shared cores at load 14.
    }, 300_000);
  }

  it('messages of random Socket.IO-like bytes (headers, namespaces, ids, payloads cut and mixed)', () => {
    const random = seeded(84);
    const pieces = ['0', '1', '2', '3', '4', '42', '43', '40', '44', '/', '/a', ',', '[', ']', '{', '}', '"', '"a"', ':', '7', ' ', '\u00a0', '\u00e9', 'null', '{"at":900}', '["e",{"at":900}]', '\\'];
    for (let round = 0; round < 20; round++) {
      const messages: Message[] = [];
      for (let i = 0; i < 60; i++) messages.push(text(random(3) === 0 ? 'out' : 'in', Array.from({ length: random(8) }, () => pick(random, pieces)).join('')));
      expectAgreement(messages, 4, ['$.args[0].at > 5', '$.args[1]', '$.args', '$.data.at', '$.data', '$.event', '$.nsp', '$.id >= 0', '$.type', '$.engineIO', '$.handshake.at', '$.x != 1']);
    }
  });

  it('random paths into random arguments and data', () => {
    const random = seeded(83);
    for (let round = 0; round < 30; round++) {
      const messages: Message[] = [];
      for (let i = 0; i < 40; i++) {
        const json = randomJson(random, 4);
        messages.push(text('in', pick(random, [`42["e",${json}]`, `43[${json}]`, `40${json}`, `44${json}`, `0${json}`, `42/admin,3["e",1,${json}]`])));
      }
      const queries = Array.from({ length: 6 }, () => `$.${pick(random, ['args', 'data', 'handshake'])}${pathText(randomSteps(random, 3))}${pick(random, ['', ' != 1', ' > 5', ' =~ /r/', ' == null'])}`);
      expectAgreement(messages, 4, queries);
    }
  });
});
