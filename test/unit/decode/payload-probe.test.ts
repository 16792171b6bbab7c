/**
 * The query probe for unwrapped payloads (payload-probe.ts, through query-probe.ts,
 * compressed-prefilter.ts and base64-prefilter.ts): a path under `$.payload` followed in the
 * bytes the decoder unwraps must lead to exactly what the path selects in the value the decoder
 * shows (ABSENT: nothing; CONTAINER: one object or list; a scalar: that value), and the
 * prefilter must never pass over a message the query matches. Checked on crafted payloads
 * (escaped keys, `__proto__`, numbers past a double, a byte-order mark, JSON that does not
 * parse, text, bytes, `length`), on generated ones wrapped every way, and through the search.
 */
import zlib from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { Base64Decoder } from '../../../src-main/core/decode/base64-decoder';
import { CompressedDecoder } from '../../../src-main/core/decode/compressed-decoder';
import type { StreamDecoder } from '../../../src-main/core/decode/decoded-frame';
import { UNWRAPPED_VALUE_KEYS, payloadPath, probeUnwrapped } from '../../../src-main/core/decode/payload-probe';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { queryProbePrefilter } from '../../../src-main/core/decode/query-probe';
import { ABSENT, CONTAINER, UNSURE, probeSteps, type Probed } from '../../../src-main/core/decode/value-probe';
import { matchesDecodedQuery, parseDecodedQuery, selectPath, type DecodedQuery, type QueryStep } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches, pick, seeded, text, type Message } from './prefilter-harness';
import { JSON_TEXT_STRINGS, randomJson, randomSteps } from './random-json';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

/** What the probe says for `path` under `$.payload` in these payload bytes. */
function probe(payload: Buffer, path: string): Probed {
  const clause = parsed(`$.payload${path}`).clauses[0];
  const steps = clause ? probeSteps(clause.path)?.slice(1) : undefined;
  if (!steps) throw new Error(`no probe for ${path}`);
  // Inside a larger scratch buffer, as the inflater leaves it.
  const scratch = Buffer.concat([payload, Buffer.from('{"seq":1,"x":[2]}')]);
  return probeUnwrapped(scratch, payload.length, payloadPath(steps, false));
}

/** Fails unless the probe's answer is what `$.payload<path>` selects in the compressed decoder's value. */
function expectExact(payload: Buffer, path: string): void {
  const found = probe(payload, path);
  const outcome = new CompressedDecoder().decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: zlib.gzipSync(payload) });
  if (!outcome || outcome.kind === 'invalid') throw new Error('gzip of any bytes is valid');
  const clause = parsed(`$.payload${path}`).clauses[0];
  const selected = clause ? selectPath(outcome.value, clause.path) : [];
  const label = `${JSON.stringify(payload.toString('latin1'))} ${path}`;
  expect(found, label).not.toBe(UNSURE);
  if (found === ABSENT) expect(selected, label).toEqual([]);
  else if (found === CONTAINER) expect(selected.length === 1 && typeof selected[0] === 'object' && selected[0] !== null, label).toBe(true);
  else expect(selected, label).toEqual([found]);
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

describe('a path under $.payload followed in the unwrapped bytes (payload-probe.ts)', () => {
  it('reads JSON as the decoder shows it: keys, nested keys, indexes, every scalar, containers', () => {
    const payload = json({ seq: 7, event: 'chat', ok: true, none: null, data: { price: 2.5, tags: ['a', 'b'] }, list: [1, { deep: 'x' }] });
    expect(probe(payload, '.seq')).toBe(7);
    expect(probe(payload, '.data.price')).toBe(2.5);
    expect(probe(payload, '.data.tags[1]')).toBe('b');
    expect(probe(payload, '.list[1].deep')).toBe('x');
    expect(probe(payload, '.data')).toBe(CONTAINER);
    expect(probe(payload, '')).toBe(CONTAINER);
    for (const path of ['.seq', '.event', '.ok', '.none', '.data', '.data.price', '.data.tags[1]', '.list[1].deep', '', '.missing', '.data.tags[2]', '.seq.inner', '.list.deep', '.data[0]']) expectExact(payload, path);
  });

  it('says absent for a key nowhere in the bytes without reading them, and finds keys written with escapes', () => {
    expect(probe(json({ seq: 1 }), '.nothing')).toBe(ABSENT);
    const escaped = Buffer.from('{"s\\u0065q": 9}');
    expect(probe(escaped, '.seq')).toBe(9);
    expectExact(escaped, '.seq');
    // The key's text as a value does not make it a key.
    expect(probe(json({ name: 'seq' }), '.seq')).toBe(ABSENT);
  });

  it('follows __proto__ as an own key, shows a number past a double as text, reads JSON after a byte-order mark', () => {
    const proto = Buffer.from('{"__proto__": {"admin": true}, "n": 1e400}');
    expect(probe(proto, '.__proto__.admin')).toBe(true);
    expect(probe(proto, '.n')).toBe('Infinity');
    expect(probe(proto, '.constructor')).toBe(ABSENT);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({ seq: 3 })]);
    expect(probe(bom, '.seq')).toBe(3);
    // Inherited names are no keys, even where the bytes hold their text (so the JSON is read).
    const named = json({ name: 'constructor', data: { note: 'toString' } });
    expect(probe(named, '.constructor')).toBe(ABSENT);
    expect(probe(named, '.data.toString')).toBe(ABSENT);
    for (const [payload, path] of [[proto, '.__proto__.admin'], [proto, '.n'], [proto, '.constructor'], [named, '.constructor'], [named, '.data.toString'], [bom, '.seq']] as const) expectExact(payload, path);
  });

  it('text (JSON that does not parse too) has nothing under it; bytes are {$bytes, length}', () => {
    const broken = Buffer.from('{"seq": 1,');
    expect(probe(broken, '.seq')).toBe(ABSENT);
    expect(probe(broken, '')).toBe('{"seq": 1,');
    const bytes = Buffer.from([0xff, 0xfe, 0x73, 0x65, 0x71]);
    expect(probe(bytes, '.length')).toBe(5);
    expect(probe(bytes, '')).toBe(CONTAINER);
    expect(probe(bytes, '.seq')).toBe(ABSENT);
    expect(probe(bytes, '.length.x')).toBe(ABSENT);
    expect(probe(json({ length: 4 }), '.length')).toBe(4);
    for (const [payload, path] of [[broken, '.seq'], [broken, ''], [bytes, '.length'], [bytes, ''], [bytes, '.seq'], [bytes, '[0]'], [Buffer.from('plain text'), ''], [Buffer.alloc(0), '']] as const) expectExact(payload, path);
  });
});

/** What JSON.parse gives at a path of keys, as the probe names it. */
function parsedAt(text: string, keys: readonly string[]): Probed {
  let current: unknown = JSON.parse(text);
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, key)) return ABSENT;
    current = Reflect.get(current, key);
  }
  if (typeof current === 'number') return Number.isFinite(current) ? current : String(current);
  if (typeof current === 'string' || typeof current === 'boolean' || current === null) return current;
  return CONTAINER;
}

/**
 * The probe's answer for a clause that fails where its path selects nothing (so the JSON
 * follower answers first), the bytes inside a larger buffer (as the inflater's scratch holds them).
 */
function skim(bytes: Buffer, keys: readonly string[]): Probed {
  const scratch = Buffer.concat([bytes, Buffer.from('"seq": 5}')]);
  const steps = probeSteps(parsed(`$.payload${keys.map((key) => `['${key}']`).join('')} > 1`).clauses[0]?.path ?? [])?.slice(1);
  if (!steps) throw new Error(`no probe for ${keys.join('.')}`);
  return probeUnwrapped(scratch, bytes.length, payloadPath(steps, true));
}

describe('a `!=` clause (it holds where nothing is selected) in a payload that is a JSON text JSON.parse takes', () => {
  it('is followed in the bytes, not parsed, and answers what the decoder selects; other payloads are still parsed', () => {
    const notEqual = (payload: Buffer, path: string): Probed => {
      const clause = parsed(`$.payload${path} != 'x'`).clauses[0];
      const steps = clause ? probeSteps(clause.path)?.slice(1) : undefined;
      if (!steps) throw new Error(`no probe for ${path}`);
      return probeUnwrapped(payload, payload.length, payloadPath(steps, false));
    };
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const payload = json({ event: 'chat', seq: 3, data: { sym: 'A' }, list: [1, 2] });
      expect(notEqual(payload, '.event')).toBe('chat');
      expect(notEqual(payload, '.data.sym')).toBe('A');
      expect(notEqual(payload, '.data.none')).toBe(ABSENT);
      expect(notEqual(payload, '.list.length')).toBe(ABSENT);
      expect(notEqual(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), payload]), '.event')).toBe('chat');
      expect(parse).not.toHaveBeenCalled();
      // Not a JSON text JSON.parse takes (a trailing comma): read as the decoder reads it.
      expect(notEqual(Buffer.from('{"event":"chat",}'), '.event')).toBe(ABSENT);
      expect(parse).toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    for (const payload of [json({ event: 'chat', list: [1, 2] }), json([{ event: 'a' }]), Buffer.from('{"event":"chat",}'), Buffer.from('\ufeff{"event":"b"}')]) {
      for (const path of ['.event', '.list.length', '[0].event', '.length']) expectExact(payload, path);
    }
  });
});

describe('JSON followed for a clause that fails where nothing is selected (json-path-follow.ts)', () => {
  it('gives JSON.parse’s value for a JSON text: nesting, whitespace, every scalar, the last duplicate, __proto__, a byte-order mark', () => {
    const texts = [
      '{"seq": 7, "event": "chat", "data": {"price": 2.5, "tags": ["a", {"seq": 1}]}, "ok": true, "none": null}',
      ' \t\r\n{ "seq" : -0.5e+3 , "data" : { } , "list" : [ ] }\n',
      '{"data": {"price": 1}, "data": 5}',
      '{"data": 5, "data": {"price": 1}}',
      '{"seq": 1, "seq": "two"}',
      '{"__proto__": {"price": 3}, "n": 1e400, "m": -1e400, "z": -0}',
      '{"caf\u00e9": "\u00fcber", "x": [[[{"seq": 9}]]], "seq": [1, 2]}',
      '[{"seq": 1}]',
      '{"seq": {"seq": {"seq": 4}}}',
      '{"seq": 12345678901234567890, "data": 999999999999999, "n": -42, "m": 9007199254740993, "z": 0.1}',
    ];
    const paths = [['seq'], ['event'], ['data'], ['data', 'price'], ['data', 'tags'], ['ok'], ['none'], ['__proto__', 'price'], ['n'], ['m'], ['z'], ['caf\u00e9'], ['x'], ['list'], ['seq', 'seq', 'seq'], ['seq', 'seq'], ['missing'], ['seq', 'length']];
    for (const text of texts) {
      for (const keys of paths) {
        const bytes = Buffer.from(text, 'utf8');
        expect(skim(bytes, keys), `${text} ${keys.join('.')}`).toEqual(parsedAt(text, keys));
      }
    }
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"seq": 3}')]);
    expect(skim(bom, ['seq'])).toBe(3);
  });

  it('is exact past escapes and deep nesting (the payload is parsed then); never reads past the payload’s end', () => {
    expect(skim(Buffer.from('{"s\\u0065q": 1}'), ['seq'])).toBe(1);
    expect(skim(Buffer.from('{"seq": "a\\"b"}'), ['seq'])).toBe('a"b');
    expect(skim(Buffer.from(`{"a": ${'['.repeat(100)}${']'.repeat(100)}, "seq": 1}`), ['seq'])).toBe(1);
    for (const broken of ['{"seq": 1', '{"seq" 1}', '{"seq": tru}', '{"seq": }', '{seq: 1}', '{"seq": 1,}x', '{"seq']) {
      // The buffer goes on with '"seq": 5}': a follower reading past the end would find it.
      expect(skim(Buffer.from(broken), ['seq']), broken).not.toBe(5);
    }
  });

  it('agrees with JSON.parse on 3,000 generated JSON texts and paths', () => {
    const random = seeded(71);
    const keysPool = ['seq', 'data', 'price', 'a', '__proto__', 'caf\u00e9'];
    const valueOf = (depth: number): unknown => {
      switch (random(depth > 3 ? 5 : 8)) {
        case 0:
          return random(2000) - 1000;
        case 1:
          return (random(2000) - 1000) / 7;
        case 2:
          return pick(random, ['chat', '', 'caf\u00e9', 'a b']);
        case 3:
          return pick(random, [true, false, null]);
        case 4:
          return random(10) * 1e300;
        case 5:
        case 6: {
          const object: Record<string, unknown> = {};
          for (let i = random(4); i > 0; i--) Object.defineProperty(object, pick(random, keysPool), { value: valueOf(depth + 1), enumerable: true, configurable: true, writable: true });
          return object;
        }
        default:
          return Array.from({ length: random(3) }, () => valueOf(depth + 1));
      }
    };
    let sure = 0;
    for (let round = 0; round < 3000; round++) {
      let text = JSON.stringify(valueOf(0), undefined, random(2) === 0 ? 1 : undefined);
      // Duplicate keys, which JSON.stringify never writes: the same object twice, joined.
      if (text.startsWith('{"') && random(4) === 0) text = `${text.slice(0, -1)},${text.slice(1)}`;
      const keys = Array.from({ length: 1 + random(3) }, () => pick(random, keysPool));
      const found = skim(Buffer.from(text, 'utf8'), keys);
      if (found !== UNSURE) sure += 1;
      expect(found, `${text} ${keys.join('.')}`).toEqual(parsedAt(text, keys));
    }
    expect(sure).toBe(3_000);
  });
});

describe('a path going on into JSON text a payload string holds (parsed-path.ts)', () => {
  it('is what the decoded value selects, for crafted payloads', () => {
    const payload = Buffer.from('{"seq":1,"list":"[1,2]","data":"{\\"price\\":7,\\"in\\":\\"[3]\\"}","n":"[1e400]","s":" {}","bad":"[1,","x":"7"}');
    for (const path of ['.list[1]', '.list', '.data.price', '.data.in[0]', '.n[0]', '.s.a', '.bad[0]', '.x.y', '.list.a', '.data[0]']) expectExact(payload, path);
    expect(probe(payload, '.list[1]')).toBe(2);
    expect(probe(payload, '.data.in[0]')).toBe(3);
    // JSON text's own number: Infinity, not the text the decoder shows for the payload's own 1e400.
    expect(probe(payload, '.n[0]')).toBe(Infinity);
    expect(skim(payload, ['data', 'price'])).toBe(7);
    expect(skim(Buffer.from('{"list":"[1,2]"}'), ['list', '0'])).toBe(ABSENT);
  });

  it('agrees with decoding on 3,000 generated JSON payloads (strings holding JSON text), followed or read', () => {
    const random = seeded(73);
    let intoText = 0;
    for (let round = 0; round < 3000; round++) {
      const text = random(3) === 0 ? `{"k":${randomJson(random, 1)},"t":"${pick(random, JSON_TEXT_STRINGS)}"}` : randomJson(random, 3);
      const path = random(2) === 0 ? randomSteps(random, 4) : pathInto(JSON.parse(text), random);
      const steps = probeSteps(path);
      if (!steps) continue;
      const bytes = Buffer.from(text, 'utf8');
      const outcome = new CompressedDecoder().decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: zlib.gzipSync(bytes) });
      if (!outcome || outcome.kind === 'invalid') throw new Error('gzip of any bytes is valid');
      const selected = selectPath(outcome.value, [{ kind: 'key', name: 'payload' }, ...path]);
      const label = `${text} ${JSON.stringify(path)}`;
      const scratch = Buffer.concat([bytes, Buffer.from('"seq": 5}')]);
      for (const followed of [false, true]) {
        const found = probeUnwrapped(scratch, bytes.length, payloadPath(steps, followed));
        expect(found, label).not.toBe(UNSURE);
        if (found === ABSENT) expect(selected, label).toEqual([]);
        else if (found === CONTAINER) expect(selected.length === 1 && typeof selected[0] === 'object' && selected[0] !== null, label).toBe(true);
        else expect(selected, label).toEqual([found]);
      }
      if (selected.length > 0 && selectPath(outcome.value, [{ kind: 'key', name: 'payload' }, ...path]).length !== selectWithoutText(outcome.value, path).length) intoText++;
    }
    expect(intoText).toBeGreaterThan(40);
  });
});

/** A path to something the value holds (into JSON text in its strings too), then maybe a step more. */
function pathInto(value: unknown, random: (n: number) => number): QueryStep[] {
  const path: QueryStep[] = [];
  let current = value;
  for (let depth = 0; depth < 6 && random(5) !== 0; depth++) {
    if (typeof current === 'string' && /^[ \t\n\r]*[[{]/.test(current)) {
      try {
        current = JSON.parse(current) as unknown;
      } catch {
        break;
      }
    }
    if (Array.isArray(current) && current.length > 0) {
      const index = random(current.length);
      path.push({ kind: 'index', index });
      current = current[index] as unknown;
    } else if (typeof current === 'object' && current !== null && Object.keys(current).length > 0) {
      const name = pick(random, Object.keys(current));
      path.push({ kind: 'key', name });
      current = Reflect.get(current, name);
    } else break;
  }
  if (random(3) === 0) path.push(random(2) === 0 ? { kind: 'index', index: random(3) } : { kind: 'key', name: 'a' });
  return path;
}

/** What the path selects under `$.payload` without going on into JSON text (the rule before). */
function selectWithoutText(value: unknown, path: readonly QueryStep[]): unknown[] {
  let current: unknown[] = [Reflect.get(value as object, 'payload')];
  for (const step of path) {
    const next: unknown[] = [];
    for (const item of current) {
      if (step.kind === 'index' && Array.isArray(item) && step.index < item.length) next.push(item[step.index]);
      else if (step.kind === 'key' && typeof item === 'object' && item !== null && !Array.isArray(item) && Object.prototype.hasOwnProperty.call(item, step.name)) next.push(Reflect.get(item, step.name));
    }
    current = next;
  }
  return current;
}

/** A payload of any kind the generated streams carry. */
function payloadOf(random: (n: number) => number): Buffer {
  switch (random(8)) {
    case 0:
      return Buffer.from(`plain text ${random(100)}`);
    case 1:
      return Buffer.from([0xff, random(256), 0x73, 0x65, 0x71]);
    case 2:
      return Buffer.from(`{"seq": ${random(10)}, "event": "cut`);
    case 3:
      return Buffer.from(`{"s\\u0065q": ${random(10)}, "event": "esc\\u0061pe"}`);
    case 4:
      return json([random(10), { seq: random(10) }]);
    case 5:
      // Strings holding JSON text, with escapes and without.
      return pick(random, [json({ seq: random(10), data: JSON.stringify({ price: random(10) }) }), Buffer.from(`{"seq":${random(10)},"list":"[${random(3)},2]"}`), json([`[${random(10)}]`, { seq: '{}' }]), Buffer.from('{"data":" {}","list":"[1,"}')]);
    default:
      return json({ seq: random(10), event: pick(random, ['chat', 'join', 'leave']), data: random(2) === 0 ? { price: random(10) } : 'none', ...(random(3) === 0 ? { extra: true } : {}) });
  }
}

type Wrap = 'gzip' | 'deflate' | 'deflate-raw' | 'brotli' | 'base64' | 'base64-gzip' | 'base64-zlib-lookalike';
const WRAPS: readonly Wrap[] = ['gzip', 'deflate', 'deflate-raw', 'brotli', 'base64', 'base64-gzip', 'base64-zlib-lookalike'];

function wrapped(random: (n: number) => number, wrap: Wrap): Message {
  const payload = payloadOf(random);
  switch (wrap) {
    case 'gzip':
      return binary('in', random(10) === 0 ? zlib.gzipSync(payload).subarray(0, 12) : zlib.gzipSync(payload));
    case 'deflate':
      return binary('in', zlib.deflateSync(payload));
    case 'deflate-raw':
      return binary('in', zlib.deflateRawSync(payload));
    case 'brotli':
      return binary('in', zlib.brotliCompressSync(payload));
    case 'base64':
      return text('in', payload.toString('base64'));
    case 'base64-gzip':
      return text('in', zlib.gzipSync(payload).toString('base64'));
    case 'base64-zlib-lookalike':
      // 0x78 0x9c then not deflate: shown as the bytes themselves.
      return text('in', Buffer.concat([Buffer.from([0x78, 0x9c]), payload]).toString('base64'));
  }
}

const QUERIES = ['$.payload.data.price > 5', '$.payload.list[1] == 2', '$.payload.list[0] != 1', '$.payload[0][0] > 5', '$.payload[0][0] != 5', '$.nothing > 1', '$.nothing != 1', '$.compression', '$.payload.seq > 5', '$.payload.seq != 3', '$.payload.data.price <= 4', "$.payload.event =~ /^c/", '$.payload.extra', '$.payload.nothing > 1', '$.payload.length == 5', '$.payload[1].seq >= 2', '$.payload.seq > 2 && $.payload.seq < 6', '$.size > 20 && $.payload.seq < 4'];

describe('the prefilter for compressed and Base64 payloads', () => {
  it('is the probe when the query has no string rule, and passes over what cannot match', () => {
    const readerOf = (protocol: 'compressed' | 'base64', query: string): ((bytes: Buffer) => boolean) => {
      const rule = queryPrefilter(protocol, parsed(query), { protobuf: 'none' });
      if (rule?.kind !== 'self-contained' || !rule.lacks) throw new Error(`no rule reading the messages for ${query}`);
      const ruleLacks = rule.lacks.bind(rule);
      return (bytes) => ruleLacks(bytes, 0, bytes.length);
    };
    const lacks = readerOf('compressed', '$.payload.seq > 5');
    expect(lacks(zlib.gzipSync(json({ seq: 2 })))).toBe(true);
    expect(lacks(zlib.gzipSync(json({ seq: 9 })))).toBe(false);
    expect(lacks(zlib.brotliCompressSync(json({ other: 9 })))).toBe(true);
    expect(lacks(zlib.deflateRawSync(json({ seq: 6 })))).toBe(false);
    // Not under $.payload: no probe.
    expect(queryProbePrefilter('compressed', parsed('$.inflatedSize > 5'), 'none')).toBeUndefined();
    const base64Lacks = readerOf('base64', '$.payload.seq != 3');
    const text64 = (value: unknown): Buffer => Buffer.from(json(value).toString('base64'), 'latin1');
    expect(base64Lacks(text64({ seq: 3 }))).toBe(true);
    expect(base64Lacks(text64({ other: 3 }))).toBe(false);
  });

  it('a path into a name the decoder never writes at the top rules out every message (unless it is !=); the names are the decoders’ own', () => {
    const lacks = (protocol: 'compressed' | 'base64', query: string, bytes: Buffer): boolean | undefined => {
      const rule = queryProbePrefilter(protocol, parsed(query), 'none');
      return rule?.kind === 'self-contained' ? rule.lacks?.(bytes, 0, bytes.length) : undefined;
    };
    const gzip = zlib.gzipSync(json({ nothing: 5 }));
    expect(lacks('compressed', '$.nothing > 1', gzip)).toBe(true);
    expect(lacks('compressed', '$[0] == 1', gzip)).toBe(true);
    expect(lacks('compressed', '$.nothing != 1', gzip)).toBeUndefined();
    expect(lacks('compressed', '$.inflatedSize > 1', gzip)).toBeUndefined();
    expect(lacks('base64', '$.notInflated', Buffer.from('eJzLSM3JyQcABiwCFQ==', 'latin1'))).toBeUndefined();
    expect(lacks('base64', '$.nothing', Buffer.from(json({ nothing: 5 }).toString('base64'), 'latin1'))).toBe(true);
    // What the decoders write, every way they can.
    const random = seeded(81);
    for (const wrap of WRAPS) {
      const protocol = wrap.startsWith('base64') ? 'base64' : 'compressed';
      const decoder: StreamDecoder = protocol === 'base64' ? new Base64Decoder() : new CompressedDecoder();
      for (let i = 0; i < 40; i++) {
        const message = wrapped(random, wrap);
        const outcome = decoder.decode({ seq: 1, dir: 'in', opcode: message.opcode, bytes: message.bytes });
        if (outcome?.kind !== 'decoded' || typeof outcome.value !== 'object' || outcome.value === null) continue;
        for (const key of Object.keys(outcome.value)) expect(UNWRAPPED_VALUE_KEYS[protocol], `${wrap} ${key}`).toContain(key);
      }
    }
  });

  it.each(WRAPS)('%s: never passes over a message the query matches, and passes over many', (wrap) => {
    const random = seeded(wrap.length * 7 + 3);
    const decoder: StreamDecoder = wrap.startsWith('base64') ? new Base64Decoder() : new CompressedDecoder();
    const protocol = wrap.startsWith('base64') ? 'base64' : 'compressed';
    let passedOver = 0;
    for (let round = 0; round < 150; round++) {
      const message = wrapped(random, wrap);
      for (const query of QUERIES) {
        // `$.compression` gets no rule: nothing is passed over.
        const rule = queryProbePrefilter(protocol, parsed(query), 'none');
        const passed = message.bytes.length > 0 && rule?.lacks !== undefined && rule.lacks(message.bytes, 0, message.bytes.length);
        const outcome = decoder.decode({ seq: 1, dir: 'in', opcode: message.opcode, bytes: message.bytes });
        const matches = outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(parsed(query), outcome.value);
        if (passed) {
          passedOver += 1;
          expect(matches, `${wrap} ${message.bytes.toString('hex')} ${query}`).toBe(false);
        }
      }
    }
    expect(passedOver).toBeGreaterThan(300);
  });

  it.each(['compressed', 'base64'] as const)('%s: searches through the engine count what decoding every frame in order counts', (protocol) => {
    const random = seeded(protocol === 'compressed' ? 61 : 62);
    const wraps = WRAPS.filter((wrap) => wrap.startsWith('base64') === (protocol === 'base64'));
    const messages: Message[] = [];
    for (let i = 0; i < 150; i++) messages.push(wrapped(random, pick(random, wraps)));
    messages.push(binary('in', Buffer.alloc(0)), text('in', 'not base64 !'), binary('in', Buffer.from([1, 2])));
    const make = (): StreamDecoder => (protocol === 'base64' ? new Base64Decoder() : new CompressedDecoder());
    const results = compareSearches(messages, protocol, 'ws://h/', make, QUERIES.map((query) => ({ query })));
    for (const { label, expected, got } of results) expect(got, label).toEqual(expected);
    expect(results.some(({ expected }) => expected.length > 0)).toBe(true);
  });
});
