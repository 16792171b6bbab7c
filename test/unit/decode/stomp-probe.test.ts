/**
 * STOMP's query probe (stomp-probe.ts): what a path selects, read from a self-contained frame's
 * bytes, is what the decoder's value holds there (command, first of repeated headers, CR LF
 * lines, bodies by content-length or NUL, bad UTF-8 and a BOM, unknown commands, a header line
 * without ':'), and query searches with the probe count what decoding every frame in order
 * counts on generated streams (escapes, STOMP 1.0, heart-beats, several frames a message, frames
 * split across messages).
 */
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { stompSelfContained } from '../../../src-main/core/decode/raw-prefilter';
import { probeStompPath } from '../../../src-main/core/decode/stomp-probe';
import { ABSENT, CONTAINER, UNSURE } from '../../../src-main/core/decode/value-probe';
import { parseDecodedQuery, selectPath, type DecodedQuery, type QueryStep } from '../../../src-main/shared/decoded-query';
import { compareSearches, pick, seeded, storeOf, type Message } from './prefilter-harness';
import { stompStream } from './stomp-stream';
import { PrefilterScan } from '../../../src-main/core/decode/prefilter-scan';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

const pathOf = (query: string): QueryStep[] => parsed(query).clauses[0]?.path ?? [];

/** Paths into JSON text a body or a header value holds. */
const JSON_TEXT_PATHS = ['$.body.price', '$.body.list[1]', '$.body.a', '$.body[0].price', '$.body.s.price', '$.body.length', "$.body['']", "$.headers['x-id'].a", "$.headers['x-id'][1]", '$.body.list.x'];

const PATHS = ['$.command', '$.body', '$.body.$bytes', '$.body[0]', '$.headers', "$.headers['x-id']", '$.headers.destination', "$.headers['content-length']", '$.headers.nothing', '$.headers.__proto__', "$.headers['']", '$.nothing', '$.nothing.x', '$.body.x', '$.command[0]', "$.headers['x-id'].y", "$.headers['x-id:a']", ...JSON_TEXT_PATHS].map(pathOf);

const QUERIES = [
  "$.headers['x-id'] =~ /^ch/",
  "$.headers['x-id'] != 'chat'",
  "$.headers['x-id'] =~ /\\ufeff/",
  '$.headers.nothing',
  "$.headers.nothing != 'x'",
  "$.headers['content-length'] =~ /^[1-9]/",
  "$.headers['content-length'] > 3",
  '$.body =~ /at/',
  "$.body != 'chat'",
  "$.body == ''",
  '$.command =~ /^MESS/',
  "$.command != 'SEND'",
  '$.nothing > 1',
  '$.nothing != 1',
  '$.headers && $.body =~ /^h/',
  "$.headers.__proto__ =~ /p/",
  '$.headerList[1][1] =~ /chat/',
  // Every header value (failsOnEveryHeader).
  '$.headers[*] =~ /^ch/',
  "$.headers[*] != 'chat'",
  '$.headers[*] =~ /\\ufeff|\r/',
  "$.headerList[*][0] =~ /^x/",
  "$.headerList[2][1] != 'chat'",
  '$.frames[1].body =~ /at/',
  // Into JSON text.
  '$.body.price > 100',
  '$.body.list[1] == 2',
  '$.body.a != 1',
  '$.body[0].price >= 200',
  '$.body.s.price > 400',
  '$.body.list',
  '$.body.length > 3',
  "$.body.price == '150'",
  "$.headers['x-id'].a == 1",
  "$.headers['x-id'][1] != 2",
  '$.body.price > 100 && $.body.a != 2',
  // A body shown as bytes for its content-type (stomp-body.ts): an object with `length` and Base64.
  '$.body.length == 4',
  '$.body.length != 4',
  '$.body.$bytes =~ /^Y2/',
  "$.body['$bytes'] != 'x'",
  "$.body[*] == 'Y2hhdA=='",
  "$.body[*] == 4",
  "$.body != 'chat' && $.headers['content-type'] =~ /octet/",
];

/**
 * Content-types: text, JSON, bytes (any case, spaced, with a charset that makes them text), no
 * media type, and one a line holding U+FFFD names once the parser drops its byte order mark.
 */
const CONTENT_TYPES = [
  'content-type:application/octet-stream',
  'content-type:Application/Octet-Stream ',
  'content-type:image/png',
  'content-type:text/plain',
  'content-type:application/json;charset=utf-8',
  'content-type:application/octet-stream;charset=utf-8',
  'content-type:',
  'content-type:caf\u00e9/x',
  'content-type:application/octet-stream\ufffd',
  '\ufeffcontent-type:application/octet-stream\ufffd',
  'Content-Type:application/octet-stream',
  'content\\ctype:application/octet-stream',
];

/**
 * Bodies holding JSON text (or text that only looks like it): whitespace first, escapes, JSON text
 * inside a string of it, numbers past a double, a byte-order mark, broken JSON, JSON scalars.
 */
const JSON_BODIES = [
  '{"price":120}',
  '{"price":90,"list":[1,2],"a":1}',
  ' \n\t{"a":2,"price":101}',
  '{"a":1',
  '"x"',
  '7',
  '{"s":"{\\"price\\":500}"}',
  '{"s":" {\\"price\\":300}","a":3}',
  '{"pr\\u0069ce":300,"list":[0,2]}',
  '[{"price":200},1]',
  '{"price":1e400}',
  '{"price":-1e400,"a":1}',
  '{"price":"150","list":"[1,2]"}',
  '\ufeff{"price":120}',
  '{"price":120} x',
  '{"a":1} x',
  '{"a":1,"price":130}}',
  '{"a":2,"a":1,"length":5}',
  '{"price":12345678901234567890,"":1}',
  '{"list":[1,2,3],"price":100.5,"caf\u00e9":1}',
  '{"price":130,"list":[1,2]}\u0000',
];

/** A frame of the generator: its command, header lines (as written) and body, with or without content-length. */
function frame(random: (n: number) => number): string {
  const eol = random(4) === 0 ? '\r\n' : '\n';
  const command = pick(random, ['MESSAGE', 'SEND', 'RECEIPT', 'ERROR', 'MESSAGE', 'BOGUS']);
  const headers: string[] = [`destination:/t/${random(3)}`];
  const value = pick(random, ['chat', 'ch\\cat', 'chat2', 'x', 'caf\u00e9', '', 'a:b', '\ufeffchat', 'ch\ufffdat', 'p\r', '{"a":1}', ' [1,2]', '{"a":2', '[0,3]', '{"a":1,"a":2}']);
  headers.push(`${pick(random, ['x-id', 'x-id', '\ufeffx-id', 'X-ID', '__proto__'])}:${value}`);
  if (random(4) === 0) headers.push(`x-id:${pick(random, ['chat', 'later'])}`);
  if (random(12) === 0) headers.push('no colon here');
  // Now and then a content-type (two: the first counts) before or after the others.
  for (let k = random(3) === 0 ? 1 + random(2) : 0; k > 0; k--) headers.splice(random(headers.length + 1), 0, pick(random, CONTENT_TYPES));
  const body = random(2) === 0 ? pick(random, ['chat', 'hello', '', 'ch\u0000at', 'caf\u00e9', '\ufeffhi', 'x\ufffd']) : pick(random, JSON_BODIES);
  const length = body.includes('\u0000') || random(3) === 0 ? `content-length:${Buffer.byteLength(body) + (random(10) === 0 ? 1 : 0)}${eol}` : '';
  return `${command}${eol}${headers.map((h) => h + eol).join('')}${length}${eol}${body}\u0000${random(4) === 0 ? eol : ''}`;
}

describe('STOMP probe: what a path selects in a self-contained frame', () => {
  it('is what the decoded value holds there, on generated frames and their bad bytes', () => {
    const random = seeded(61);
    let sure = 0;
    let ruledOutSome = 0;
    let intoBody = 0;
    for (let i = 0; i < 3000; i++) {
      let bytes = Buffer.from(frame(random), 'utf8');
      // Now and then a byte of bad UTF-8 in the headers or the body.
      if (random(10) === 0) {
        bytes = Buffer.from(bytes);
        bytes[8 + random(Math.max(1, bytes.length - 10))] = 0xff;
      }
      if (!stompSelfContained(bytes, 0, bytes.length, 'text')) continue;
      const decoder = createDecoder('stomp', {});
      const outcome = decoder.decode({ seq: 1, dir: 'in', opcode: 'text', bytes });
      for (const path of PATHS) {
        if (!outcome || outcome.kind !== 'decoded') continue; // not valid: matches nothing, any answer is right
        const selected = selectPath(outcome.value, path);
        const label = `${JSON.stringify(path)} of ${JSON.stringify(bytes.toString('latin1'))}`;
        // For a clause that fails where nothing is selected: where the path selects something, that.
        const loose = probeStompPath(bytes, 0, bytes.length, path, true);
        if (loose !== undefined && loose !== UNSURE && selected.length > 0) {
          if (loose === CONTAINER) expect(typeof selected[0], `loose ${label}`).toBe('object');
          else expect(selected, `loose ${label}`).toEqual([loose]);
          if (path[0]?.kind === 'key' && path[0].name === 'body' && path.length > 1) intoBody++;
        }
        const found = probeStompPath(bytes, 0, bytes.length, path);
        if (found === undefined || found === UNSURE) continue;
        sure++;
        if (found === ABSENT) {
          expect(selected, label).toEqual([]);
          ruledOutSome++;
        } else if (found === CONTAINER) expect(typeof selected[0], label).toBe('object');
        else expect(selected, label).toEqual([found]);
      }
    }
    expect(sure).toBeGreaterThan(10_000);
    expect(ruledOutSome).toBeGreaterThan(1000);
    expect(intoBody).toBeGreaterThan(500);
  });

  it('reads the first of a repeated header, CR LF lines, and leaves the doubtful to the decoder', () => {
    const read = (message: string, query: string) => {
      const bytes = Buffer.from(message, 'utf8');
      return probeStompPath(bytes, 0, bytes.length, pathOf(query));
    };
    expect(read('MESSAGE\nx-id:first\nx-id:second\n\nbody\u0000', "$.headers['x-id']")).toBe('first');
    expect(read('MESSAGE\r\nx-id:a:b\r\n\r\nbody\u0000\r\n', "$.headers['x-id']")).toBe('a:b');
    // A name is the text before the first ':', so no header is named 'x-id:a'.
    expect(read('MESSAGE\r\nx-id:a:b\r\n\r\nbody\u0000\r\n', "$.headers['x-id:a']")).toBe(ABSENT);
    expect(read('MESSAGE\r\nx-id:a\r\n\r\nbody\u0000\r\n', '$.command')).toBe('MESSAGE');
    // Not self-contained (the first NUL ends the body, then another frame starts): never probed.
    const two = Buffer.from('MESSAGE\nx-id:a\n\nbo\u0000dy\u0000');
    expect(stompSelfContained(two, 0, two.length, 'text')).toBe(false);
    expect(read('MESSAGE\ncontent-length:5\n\nbo\u0000dy\u0000', '$.body')).toBe('bo\u0000dy');
    expect(read('MESSAGE\nx-id:a\n\n\u0000', '$.body')).toBe('');
    expect(read('MESSAGE\nx-id:a\n\n\u0000', '$.headers.nothing')).toBe(ABSENT);
    expect(read('MESSAGE\nx-id:a\n\n\u0000', '$.headerList')).toBeUndefined();
    // U+FFFD in a header line or the body: read strictly by the parser (a BOM dropped), so decoded.
    expect(read('MESSAGE\nx-id:\ufffd\n\n\u0000', "$.headers['x-id']")).toBe(UNSURE);
    expect(read('MESSAGE\n\ufeffx-id:\ufffd\n\n\u0000', "$.headers['x-id']")).toBe(UNSURE);
    expect(read('MESSAGE\nx-id:a\n\n\ufffd\u0000', '$.body')).toBe(UNSURE);
  });

  it('goes on into JSON text in a body or a header value, as the query does', () => {
    const read = (message: string, query: string, failsWhenAbsent = false) => {
      const bytes = Buffer.from(message, 'utf8');
      return probeStompPath(bytes, 0, bytes.length, pathOf(query), failsWhenAbsent);
    };
    for (const failsWhenAbsent of [false, true]) {
      expect(read('MESSAGE\n\n{"price":120}\u0000', '$.body.price', failsWhenAbsent)).toBe(120);
      expect(read('MESSAGE\n\n \n[{"price":200},1]\u0000', '$.body[0].price', failsWhenAbsent)).toBe(200);
      // JSON text keeps a number past a double as a number (the follower would show it as text).
      expect(read('MESSAGE\n\n{"price":1e400}\u0000', '$.body.price', failsWhenAbsent)).toBe(Infinity);
      expect(read('MESSAGE\n\n{"price":"Infinity"}\u0000', '$.body.price', failsWhenAbsent)).toBe('Infinity');
      expect(read('MESSAGE\n\n{"s":"{\\"price\\":500}"}\u0000', '$.body.s.price', failsWhenAbsent)).toBe(500);
      expect(read('MESSAGE\n\n"x"\u0000', '$.body.a', failsWhenAbsent)).toBe(ABSENT);
      expect(read('MESSAGE\nh:{"a":[1,2]}\n\n\u0000', '$.headers.h.a[1]', failsWhenAbsent)).toBe(2);
      expect(read('MESSAGE\nh:[1\n\n\u0000', '$.headers.h[0]', failsWhenAbsent)).toBe(ABSENT);
    }
    // Broken JSON selects nothing: exact for `!=`; a clause failing on nothing may take the follower's word.
    expect(read('MESSAGE\n\n{"a":1} x\u0000', '$.body.a')).toBe(ABSENT);
    expect(read('MESSAGE\n\n{"a":1} x\u0000', '$.body.a', true)).toBe(1);
    // A body shown as bytes has a length: not followed.
    expect(read('MESSAGE\n\n{"length":1}\u0000', '$.body.length', true)).toBe(1);
    const bad = Buffer.concat([Buffer.from('MESSAGE\n\n{"length":1,"x":"'), Buffer.from([0xff]), Buffer.from('"}\u0000')]);
    expect(probeStompPath(bad, 0, bad.length, pathOf('$.body.length'), true)).toBe(UNSURE);
  });

  it('never throws on random bytes, frames cut short or padded', () => {
    const random = seeded(5);
    const rule = queryPrefilter('stomp', parsed("$.headers['x-id'] =~ /a/ && $.body =~ /b/ && $.command != 'SEND'"), { protobuf: 'none' });
    for (let i = 0; i < 5000; i++) {
      const framed = Buffer.from(frame(random), 'utf8');
      const bytes = random(2) === 0 ? Buffer.from(Array.from({ length: random(40) }, () => pick(random, [0, 0x0a, 0x0d, 0x3a, 0x5c, 0x41, 0x4d, 0xff, random(256)]))) : framed.subarray(0, random(framed.length + 1));
      for (const path of PATHS) expect(() => probeStompPath(bytes, 0, bytes.length, path)).not.toThrow();
      if (rule?.kind === 'self-contained' && rule.selfContained(bytes, 0, bytes.length, 'binary')) expect(typeof rule.lacks?.(bytes, 0, bytes.length)).toBe('boolean');
    }
  });

  it('is the rule for a STOMP query without a string rule; a string clause keeps the string rule', () => {
    const rule = (query: string) => queryPrefilter('stomp', parsed(query), { protobuf: 'none' });
    expect(rule('$.headers.destination =~ /p7$/')?.needles).toEqual([]);
    expect(rule('$.body =~ /x/')?.kind).toBe('self-contained');
    expect(rule("$.headers['content-length'] > 100")?.kind).toBe('self-contained');
    expect(rule("$.body == 'x'")?.needles.map(String)).toEqual(['x', '\\u']);
    expect(rule('$[*] =~ /x/')).toBeUndefined();
    expect(rule('$.headerList[0][1] =~ /x/')?.kind).toBe('self-contained');
    expect(rule('$.headerList[0] =~ /x/')).toBeUndefined();
    expect(rule('$.headerList[0][1].a =~ /x/')).toBeUndefined();
  });

  it('answers for the message it is asked about, whatever selfContained was asked before', () => {
    const rule = queryPrefilter('stomp', parsed("$.headers['x-id'] =~ /^a$/"), { protobuf: 'none' });
    const a = Buffer.from('MESSAGE\nx-id:a\n\n\u0000');
    const b = Buffer.from('MESSAGE\nx-id:b\n\n\u0000');
    const slab = Buffer.concat([a, b]);
    expect(rule?.kind === 'self-contained' && rule.selfContained(slab, 0, a.length, 'text')).toBe(true);
    expect(rule?.kind === 'self-contained' && rule.lacks?.(slab, a.length, slab.length)).toBe(true);
    expect(rule?.kind === 'self-contained' && rule.selfContained(slab, a.length, slab.length, 'text')).toBe(true);
    expect(rule?.kind === 'self-contained' && rule.lacks?.(slab, 0, a.length)).toBe(false);
    // A ping between: the decoder ignores it, and it forgets the frame before.
    expect(rule?.kind === 'self-contained' && rule.selfContained(slab, 0, a.length, 'ping')).toBe(true);
  });
});

describe('STOMP probe: its budget', () => {
  it('reads one message in 16 while it rules out few, then all again; a message it does not read is decoded', () => {
    const rule = queryPrefilter('stomp', parsed('$.body =~ /^keep/'), { protobuf: 'none' });
    if (rule?.kind !== 'self-contained') throw new Error('no rule');
    const kept = Buffer.from('MESSAGE\nx-id:a\n\nkeep\u0000');
    const out = Buffer.from('MESSAGE\nx-id:a\n\ndrop\u0000');
    const ask = (bytes: Buffer): boolean => rule.selfContained(bytes, 0, bytes.length, 'text') && rule.lacks?.(bytes, 0, bytes.length) === true;
    for (let i = 0; i < 256; i++) expect(ask(kept)).toBe(false);
    // Resting: of 32 messages it could rule out, it reads 2.
    expect(Array.from({ length: 32 }, () => ask(out)).filter(Boolean)).toHaveLength(2);
    for (let i = 0; i < 16 * 256; i++) ask(out);
    expect(Array.from({ length: 32 }, () => ask(out)).filter(Boolean)).toHaveLength(32);
  });

  it('counts what decoding in order counts while it rests', () => {
    const messages: Message[] = [];
    for (let i = 0; i < 1500; i++) messages.push({ dir: 'in', opcode: 'text', bytes: Buffer.from(`MESSAGE\ndestination:/t\nn:${i}\n\n${i < 600 || i % 7 === 0 ? 'keep' : 'drop'}${i}\u0000`) });
    for (const { label, expected, got } of compareSearches(messages, 'stomp', 'ws://h/stomp', () => createDecoder('stomp', {}), [{ query: '$.body =~ /^keep/' }, { query: "$.headers.n =~ /5$/ && $.body =~ /^keep/" }])) {
      expect(got, label).toEqual(expected);
    }
  });
});

describe('STOMP probe: searches against decoding every frame in order', () => {
  it('counts the same on generated streams', () => {
    const random = seeded(29);
    let matched = 0;
    for (let round = 0; round < 30; round++) {
      const results = compareSearches(stompStream(random, frame), 'stomp', 'ws://h/stomp', () => createDecoder('stomp', {}), QUERIES.map((query) => ({ query })));
      for (const { label, expected, got } of results) expect(got, `round ${round} ${label}`).toEqual(expected);
      matched += results.filter(({ expected }) => expected.length > 0).length;
    }
    expect(matched).toBeGreaterThan(30 * 4 * 8);
  });
});

/**
 * A frame for `$.body.sym == 'ABC7'`: the literal plain, escaped (`\u0043`, a header's `\c`),
 * in a longer value (`ABC70`), in a header or another key, bodies by content-length or NUL, CR LF.
 */
function symFrame(random: (n: number) => number): string {
  const eol = random(4) === 0 ? '\r\n' : '\n';
  const sym = pick(random, ['ABC7', 'ABC70', 'ABC71', 'AB\\u00437', 'ABC7\\n', 'x']);
  const body = pick(random, [`{"sym":"${sym}","price":1}`, `{"note":"ABC7","sym":"${sym}"}`, 'ABC7', 'ABC70', `[{"sym":"ABC7"}]`, `{"sym":"ABC7"`, `{"sym":"${sym}"}\u0000`]);
  const xid = pick(random, ['ABC7', 'ABC70', 'AB\\cC7', 'a']);
  const length = body.includes('\u0000') || random(3) === 0 ? `content-length:${Buffer.byteLength(body)}${eol}` : '';
  return `${pick(random, ['MESSAGE', 'SEND', 'MESSAGE'])}${eol}destination:/t/${random(3)}${eol}x-id:${xid}${eol}${length}${eol}${body}\u0000${random(4) === 0 ? eol : ''}`;
}

const SYM_QUERIES = [
  "$.body.sym == 'ABC7'",
  "$.body.sym == 'ABC7' && $.headers.destination =~ /1$/",
  "$.body.note == 'ABC7'",
  "$.body == 'ABC7'",
  "$.headers['x-id'] == 'ABC7'",
  "$.body[0].sym == 'ABC7'",
  "$.body.sym == 'ABC7\\n'",
];

describe('STOMP probe with a string rule: a frame holding the literal is still passed over when the probe rules it out', () => {
  it('is the string rule\'s needles, either rule passing a frame over', () => {
    const rule = queryPrefilter('stomp', parsed("$.body.sym == 'ABC7'"), { protobuf: 'none' });
    if (rule?.kind !== 'self-contained') throw new Error('no rule');
    expect(rule.needles.map(String)).toEqual(['ABC7', '\\u']);
    expect(rule.needlesOrLacks).toBe(true);
    const ask = (text: string): boolean | undefined => {
      const bytes = Buffer.from(text, 'utf8');
      return rule.selfContained(bytes, 0, bytes.length, 'text') ? rule.lacks?.(bytes, 0, bytes.length) : undefined;
    };
    expect(ask('MESSAGE\nx:1\n\n{"sym":"ABC70"}\u0000')).toBe(true);
    expect(ask('MESSAGE\nx:1\n\n{"sym":"ABC7"}\u0000')).toBe(false);
    expect(ask('MESSAGE\nx:1\n\n{"sym":"AB\\u00437"}\u0000')).toBe(false);
    expect(ask('MESSAGE\nx:AB\\cC7\n\n{"sym":"ABC70"}\u0000')).toBeUndefined(); // an escape: decoded
    // A field's rule (the destination's needles) is not combined.
    const field = queryPrefilter('stomp', parsed("$.headers.destination == '/t'"), { protobuf: 'none' });
    expect(field?.kind === 'self-contained' && field.needlesOrLacks).toBe(undefined);
  });

  it('counts what decoding every frame in order counts on generated streams, and passes over frames holding the literal', () => {
    const random = seeded(97);
    let matched = 0;
    let passedWithLiteral = 0;
    const literal = Buffer.from('ABC7');
    for (let round = 0; round < 25; round++) {
      const messages = stompStream(random, symFrame);
      const results = compareSearches(messages, 'stomp', 'ws://h/stomp', () => createDecoder('stomp', {}), SYM_QUERIES.map((query) => ({ query })));
      for (const { label, expected, got } of results) expect(got, `round ${round} ${label}`).toEqual(expected);
      matched += results.filter(({ expected }) => expected.length > 0).length;
      // The scan the search uses, asked frame by frame with an idle decoder.
      const store = storeOf(messages);
      const rule = queryPrefilter('stomp', parsed("$.body.sym == 'ABC7'"), { protobuf: 'none' });
      if (!rule || rule.kind !== 'self-contained') throw new Error('no rule');
      const scan = new PrefilterScan(store, rule);
      scan.current();
      for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
        if (scan.passable(seq, undefined) && store.entry(seq)?.payload.includes(literal) === true) passedWithLiteral++;
      }
    }
    expect(matched).toBeGreaterThan(25 * 4 * 4);
    expect(passedWithLiteral).toBeGreaterThan(100);
  });
});

/**
 * A frame for regex clauses the probe tests on bytes first (regex-literals.ts): values ending or
 * nearly ending in `p7` (`p70`, `P7`, `p7` then a CR, U+FFFD or `é` before it), repeated names,
 * a name starting with a BOM, a line without ':'.
 */
function tailFrame(random: (n: number) => number): string {
  const eol = random(4) === 0 ? '\r\n' : '\n';
  const value = (): string => pick(random, ['p7', 'p70', 'ap7', 'p7\r', 'p\r7', 'caf\u00e9p7', '\ufffdp7', 'p7\ufffd', '', '\u00e9', 'P7', 'xp7 ', ':p7', 'a:p7', '/t/p7', '/t/p17']);
  const lines = [`destination:${value()}`];
  for (let k = random(4); k > 0; k--) lines.push(`${pick(random, ['x-id', 'x-id', '\ufeffx-id', 'p7', 'ap7', 'destination', 'caf\u00e9'])}:${value()}`);
  if (random(15) === 0) lines.push('no colon p7');
  const body = pick(random, ['p7', '', 'hello']);
  return `${pick(random, ['MESSAGE', 'SEND', 'MESSAGE', 'BOGUS'])}${eol}${lines.map((line) => line + eol).join('')}${eol}${body}\u0000${random(4) === 0 ? eol : ''}`;
}

/** Bad UTF-8 around a `p7` now and then: a lone lead byte or 0xff before it, a lead byte after it. */
function spoiled(random: (n: number) => number, messages: readonly Message[]): Message[] {
  return messages.map((message) => {
    const at = message.bytes.indexOf('p7');
    if (at < 1 || random(4) !== 0) return message;
    const bytes = Buffer.from(message.bytes);
    if (random(2) === 0) bytes[at - 1] = pick(random, [0xff, 0xc3, 0xe2, 0x80]);
    else if (at + 2 < bytes.length && bytes[at + 2] !== 0x0a) bytes[at + 2] = pick(random, [0xc3, 0xff]);
    return { ...message, bytes };
  });
}

const TAIL_QUERIES = [
  '$.headers[*] =~ /p7$/',
  "$.headers['x-id'] =~ /p7$/",
  '$.headers.destination =~ /^\\/t\\/p7$/',
  '$.headers.destination =~ /^ap/',
  '$.headers[*] =~ /\ufffdp7$/',
  '$.headers[*] =~ /\u00e9/',
  '$.headers[*] =~ /p7$/i',
  '$.headers[*] =~ /:p7$/',
  '$.headers.p7 =~ /p7$/',
  "$.headers['\ufeffx-id'] =~ /p7$/",
  "$.headers['caf\u00e9'] =~ /p7$/",
  '$.headerList[*][*] =~ /p7$/',
  '$.headerList[*][0] =~ /^x-/',
  '$.headerList[1][1] =~ /p7/',
  '$.headers[*] =~ /p7$/ && $.headers.destination =~ /p7$/',
];

describe('STOMP probe: a regex clause tested on the bytes first', () => {
  it('counts what decoding every frame in order counts on generated streams with near misses and bad UTF-8', () => {
    const random = seeded(73);
    let matched = 0;
    for (let round = 0; round < 20; round++) {
      const results = compareSearches(spoiled(random, stompStream(random, tailFrame)), 'stomp', 'ws://h/stomp', () => createDecoder('stomp', {}), TAIL_QUERIES.map((query) => ({ query })));
      for (const { label, expected, got } of results) expect(got, `round ${round} ${label}`).toEqual(expected);
      matched += results.filter(({ expected }) => expected.length > 0).length;
    }
    expect(matched).toBeGreaterThan(20 * 4 * 10);
  });

  it('runs the regex only on values whose bytes may match', () => {
    for (const query of ['$.headers[*] =~ /p7$/', '$.headers.destination =~ /p7$/', '$.headerList[*][1] =~ /p7$/']) {
      const parsedQuery = parsed(query);
      const test = parsedQuery.clauses[0]?.test;
      if (test?.op !== '=~') throw new Error('no regex');
      let runs = 0;
      const regexTest = test.regex.test.bind(test.regex);
      test.regex.test = (text: string): boolean => {
        runs++;
        return regexTest(text);
      };
      const rule = queryPrefilter('stomp', parsedQuery, { protobuf: 'none' });
      if (rule?.kind !== 'self-contained') throw new Error('no rule');
      const lacks = (text: string): boolean | undefined => {
        const bytes = Buffer.from(text, 'utf8');
        return rule.selfContained(bytes, 0, bytes.length, 'text') ? rule.lacks?.(bytes, 0, bytes.length) : undefined;
      };
      for (let i = 0; i < 300; i++) expect(lacks(`MESSAGE\ndestination:/t/p${i % 97}\nx:1\nx:2\n\n\u0000`), `${query} ${i}`).toBe(i % 97 !== 7);
      // /t/p7, 4 of them: the only values made into text and tested (not /t/p77, x:1, x:2).
      expect(runs, query).toBe(4);
    }
  });

  it('tests the start of each value on $.headers[*] too: no text made for a value not starting as the regex needs', () => {
    const parsedQuery = parsed('$.headers[*] =~ /^\\/t\\/p7/');
    const test = parsedQuery.clauses[0]?.test;
    if (test?.op !== '=~') throw new Error('no regex');
    let runs = 0;
    const regexTest = test.regex.test.bind(test.regex);
    test.regex.test = (text: string): boolean => {
      runs++;
      return regexTest(text);
    };
    const rule = queryPrefilter('stomp', parsedQuery, { protobuf: 'none' });
    if (rule?.kind !== 'self-contained') throw new Error('no rule');
    let kept = 0;
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.from(`MESSAGE\ndestination:/t/p${i % 97}\nx:1\nx:/t/p7\n\n\u0000`.replace('x:/t/p7', i % 2 === 0 ? 'x:a/t/p7' : 'x:2'), 'utf8');
      if (!rule.selfContained(bytes, 0, bytes.length, 'text') || rule.lacks?.(bytes, 0, bytes.length) !== true) kept++;
    }
    // /t/p7 and /t/p70 to /t/p79 (34 of 300): the only values made into text and tested, and kept.
    expect([kept, runs]).toEqual([34, 34]);
  });
});
