/**
 * STOMP searches over bodies in other charsets (stomp-body.ts): every prefilter and proof that
 * reads bytes (the string rule's UTF-8 needles, the probe's body read as UTF-8, the match proof,
 * the header-line and destination rules) counts what decoding every frame in order counts, on
 * generated streams of both directions interleaved: bodies in UTF-8, windows-1252 (with bytes
 * that are also UTF-8: `Ã©7` is C3 A9 37, which UTF-8 reads as `é7`), utf-16le (NULs, by
 * content-length), shift_jis, an unknown charset and bytes not valid in theirs, octets; frames
 * split anywhere, several in a message, empty messages inside frames and between them,
 * heart-beats, a CONNECTED (1.0 or 1.2) now and then; searched forward (twice), backward, from
 * the middle both ways, live and once the session ended.
 */
import { describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import type { DecodeOutcome } from '../../../src-main/core/decode/decoded-frame';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { stompMatchProof } from '../../../src-main/core/decode/stomp-match-proof';
import { probeStompPath } from '../../../src-main/core/decode/stomp-probe';
import { UNSURE } from '../../../src-main/core/decode/value-probe';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { searchFrames } from '../../../src-main/core/search/frame-search';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { matchesDecodedQuery, parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { compareSearches, pick, seeded, type Message } from './prefilter-harness';

/** A body's text in a charset: its content-type and bytes (undefined: not encodable there). */
const CHARSETS: { type: string; encode: (text: string) => Buffer | undefined }[] = [
  { type: '', encode: (text) => Buffer.from(text, 'utf8') },
  { type: 'content-type:application/json;charset=utf-8', encode: (text) => Buffer.from(text, 'utf8') },
  { type: 'content-type:application/json;charset=windows-1252', encode: (text) => latin1(text) },
  { type: 'content-type:text/plain; charset="ISO-8859-1"', encode: (text) => latin1(text) },
  // The gate's byte shortcut: the parameter's name in any case, spaces around '=' (charsetParameter).
  { type: 'content-type:text/plain;CHARSET=ISO-8859-1', encode: (text) => latin1(text) },
  { type: 'content-type:text/plain; ChArSeT = "windows-1252"', encode: (text) => latin1(text) },
  // A type kept by the gate (application/json) that starts a longer one naming a charset.
  { type: 'content-type:application/json;charset=latin1', encode: (text) => latin1(text) },
  { type: 'content-type:application/json', encode: (text) => Buffer.from(text, 'utf8') },
  { type: 'content-type:application/json;charset=utf-16le', encode: (text) => Buffer.from(text, 'utf16le') },
  { type: 'content-type:application/json;charset=shift_jis', encode: (text) => shiftJis(text) },
  { type: 'content-type:text/plain;charset=klingon', encode: (text) => Buffer.from(text, 'utf8') },
  { type: 'content-type:application/octet-stream', encode: (text) => Buffer.from(text, 'utf8') },
  // Not valid in the charset it names (0xBF is no character of iso-8859-8): bytes.
  { type: 'content-type:text/plain;charset=iso-8859-8', encode: (text) => Buffer.concat([Buffer.from(text.replace(/[^\x00-\x7f]/g, ''), 'latin1'), Buffer.from([0xbf])]) },
];

/** Text in one byte a character (windows-1252 and Latin-1 alike below 0x80 and from 0xA0), else undefined. */
function latin1(text: string): Buffer | undefined {
  for (const c of text) if ((c.codePointAt(0) ?? 0) > 0xff || ((c.codePointAt(0) ?? 0) >= 0x80 && (c.codePointAt(0) ?? 0) < 0xa0)) return undefined;
  return Buffer.from(text, 'latin1');
}

/** ASCII and 日本 (93 FA 96 7B) in shift_jis, else undefined. */
function shiftJis(text: string): Buffer | undefined {
  const pieces = text.split('日本');
  if (pieces.some((piece) => /[^\x00-\x7f]/.test(piece))) return undefined;
  return Buffer.concat(pieces.flatMap((piece, k) => (k === 0 ? [Buffer.from(piece, 'latin1')] : [Buffer.from([0x93, 0xfa, 0x96, 0x7b]), Buffer.from(piece, 'latin1')])));
}

// DEL: shift_jis as Node reads it is U+001A there (an ASCII body the gate must not take as UTF-8).
const SYMS = ['é7', 'Ã©7', 'ABC7', 'ABC70', '日本', 'x', 'D\u007f7'];

/** One frame's bytes: a destination (UTF-8 headers, é too), a body in one of the charsets. */
function frame(random: (n: number) => number): Buffer {
  const eol = random(4) === 0 ? '\r\n' : '\n';
  const sym = pick(random, SYMS);
  const text = pick(random, [`{"sym":"${sym}","price":${random(100)}}`, sym, `["${sym}"]`]);
  let charset = pick(random, CHARSETS);
  let body = charset.encode(text);
  if (!body) {
    charset = CHARSETS[0] ?? charset;
    body = Buffer.from(text, 'utf8');
  }
  const destination = pick(random, ['/t/p7', '/t/p70', '/t/é7']);
  const escaped = random(8) === 0 ? `x-id:a\\cb${eol}` : '';
  // Lines the charset gate must read as the parser does: `content-type:` in another header's
  // value, a first content-type before the charset's or after it (the first counts), one after
  // a byte order mark the parser drops (its line holds U+FFFD).
  const after = random(4) === 0 ? `content-type:text/plain;charset=utf-8${eol}` : '';
  const extra = pick(random, ['', '', '', 'x-note:content-type:text/plain;charset=iso-8859-1', 'content-type:text/plain;charset=utf-8', '\ufeffcontent-type:text/plain;charset=windows-1252;x=\ufffd']);
  const length = body.includes(0) || random(2) === 0 ? `content-length:${body.length}${eol}` : '';
  const head = `${pick(random, ['MESSAGE', 'MESSAGE', 'SEND'])}${eol}destination:${destination}${eol}${escaped}${extra !== '' ? `${extra}${eol}` : ''}${charset.type !== '' ? `${charset.type}${eol}` : ''}${after}${length}${eol}`;
  return Buffer.concat([Buffer.from(head, 'utf8'), body, Buffer.from([0]), Buffer.from(random(5) === 0 ? eol : '')]);
}

/** One direction's messages: its frames whole, split anywhere, two at once, with empty messages inside and between. */
function direction(random: (n: number) => number, dir: 'in' | 'out', count: number): Message[] {
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    if (random(15) === 0) frames.push(Buffer.from(`CONNECTED\nversion:${pick(random, ['1.0', '1.2'])}\n\n\u0000`));
    if (random(10) === 0) frames.push(Buffer.from(pick(random, ['\n', '\r\n'])));
    frames.push(frame(random));
  }
  const messages: Message[] = [];
  const push = (bytes: Buffer): void => {
    messages.push({ dir, opcode: random(4) === 0 ? 'binary' : 'text', bytes: Buffer.from(bytes) });
  };
  for (let k = 0; k < frames.length; k++) {
    const bytes = frames[k] ?? Buffer.alloc(0);
    if (random(8) === 0) push(Buffer.alloc(0));
    switch (random(5)) {
      case 0: {
        // Split in up to four pieces, an empty message now and then between them.
        const cuts = [...new Set([random(bytes.length), random(bytes.length), random(bytes.length)])].filter((at) => at > 0).sort((a, b) => a - b);
        let from = 0;
        for (const at of [...cuts, bytes.length]) {
          push(bytes.subarray(from, at));
          if (random(3) === 0) push(Buffer.alloc(0));
          from = at;
        }
        break;
      }
      case 1:
        push(Buffer.concat([bytes, frames[k + 1] ?? Buffer.alloc(0)]));
        k++;
        break;
      default:
        push(bytes);
    }
  }
  return messages;
}

/** Both directions, interleaved (each in its order); sometimes the start of a frame left last. */
function stream(random: (n: number) => number): Message[] {
  const inbound = direction(random, 'in', 30);
  const outbound = direction(random, 'out', 12);
  const messages: Message[] = [];
  while (inbound.length > 0 || outbound.length > 0) {
    const from = outbound.length === 0 || (inbound.length > 0 && random(3) !== 0) ? inbound : outbound;
    const next = from.shift();
    if (next) messages.push(next);
  }
  if (random(2) === 0) messages.push({ dir: 'in', opcode: 'text', bytes: frame(random).subarray(0, 1 + random(30)) });
  return messages;
}

const QUERIES = [
  // The string rule's UTF-8 needles with the probe on the body.
  "$.body.sym == 'é7'",
  "$.body.sym == 'Ã©7'",
  "$.body.sym == 'ABC7'",
  "$.body.sym == '日本'",
  "$.body == 'é7'",
  "$.body.sym == 'é7' && $.headers.destination =~ /7$/",
  // The string rule with no clause the probe reads ([*]).
  "$.body[*] == 'é7'",
  "$[*] == 'é7'",
  // The probe alone on the body: a regular expression, JSON followed in the bytes, its length as bytes.
  '$.body =~ /é/',
  '$.body =~ /\\x1a/',
  '$.body.sym =~ /©7$/',
  '$.body.price > 50',
  '$.body.length > 20',
  "$.body != 'x'",
  // Headers: UTF-8 whatever the body's charset (the field rule, header-line needles, the probe).
  "$.headers.destination == '/t/é7'",
  "$.headers[*] == '/t/é7'",
  '$.headers.destination =~ /é7$/',
  // The match proof (most frames match), which proves an ASCII body in windows-1252 but no other.
  "$.command == 'MESSAGE'",
  '$.body.price >= 0',
  "$.body.sym != 'Ã©7'",
  "$.body != 'Ã©7'",
  // What a message inside a frame holds, an empty one too.
  '$.continues == true',
  '$.bytesSoFar >= 1',
];

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

/** Every message decoded in order with one decoder: its answer. */
function decodeAll(messages: readonly Message[]): (DecodeOutcome | undefined)[] {
  const decoder = createDecoder('stomp', {});
  return messages.map((m, k) => decoder.decode({ seq: k + 1, dir: m.dir, opcode: m.opcode, bytes: new Uint8Array(m.bytes) }));
}

/** The seqs of a query's matches when every message is decoded in order. */
function expectedMatches(all: readonly (DecodeOutcome | undefined)[], query: string): number[] {
  const q = parsed(query);
  const seqs: number[] = [];
  all.forEach((outcome, k) => {
    if (outcome && outcome.kind !== 'invalid' && matchesDecodedQuery(q, outcome.value)) seqs.push(k + 1);
  });
  return seqs;
}

/** A search from `fromSeq`, paged as the app pages it (searchFrames, each page a new predicate). */
async function searchFrom(store: FrameStore, decodes: DecodeCommands, session: Parameters<DecodeCommands['predicate']>[0], query: string, fromSeq: number, backward: boolean): Promise<number[]> {
  const compiled = compileFilter({});
  if (!compiled.ok) throw new Error(compiled.problem.message);
  const found: number[] = [];
  let next: number | null = fromSeq;
  while (next !== null) {
    const decoded = decodes.predicate(session, { query });
    if (!decoded.ok) throw new Error(decoded.error.message);
    compiled.filter.decoded = decoded.value;
    const page = await searchFrames(store, compiled.filter, { searchId: 's', limit: 25, fromSeq: next, backward }, { cancelled: () => false, maxDurationMs: 600_000 });
    found.push(...page.matches.map((m) => m.seq));
    next = page.nextSeq;
  }
  return found;
}

/** How many of the query's matches have a body whose content-type names a charset other than UTF-8. */
function inOtherCharsets(all: readonly (DecodeOutcome | undefined)[], seqs: readonly number[]): number {
  return seqs.filter((seq) => {
    const outcome = all[seq - 1];
    return outcome?.kind === 'decoded' && /charset=(?!utf-8)/i.test(JSON.stringify(outcome.value));
  }).length;
}

describe('STOMP searches over bodies in other charsets', () => {
  it('count what decoding every frame in order counts: forward, again, backward, live and ended', () => {
    const random = seeded(4242);
    let matched = 0;
    let fromCharsets = 0;
    for (let round = 0; round < 12; round++) {
      const messages = stream(random);
      const all = decodeAll(messages);
      for (const ended of [false, true]) {
        const results = compareSearches(messages, 'stomp', 'ws://h/stomp', () => createDecoder('stomp', {}), QUERIES.map((query) => ({ query })), undefined, undefined, ended);
        for (const { label, expected, got } of results) expect(got, `round ${round}${ended ? ' ended' : ''} ${label}`).toEqual(expected);
        if (!ended) matched += results.filter(({ expected }) => expected.length > 0).length;
      }
      fromCharsets += inOtherCharsets(all, expectedMatches(all, "$.body.sym == 'é7'")) + inOtherCharsets(all, expectedMatches(all, "$.body.sym == 'Ã©7'"));
    }
    expect(matched).toBeGreaterThan(12 * 4 * 12);
    // Not vacuous: frames in other charsets are among what the body queries find.
    expect(fromCharsets).toBeGreaterThan(8);
  });

  it('count the same from the middle, forward and backward, on a decoding that searched nothing yet', async () => {
    const random = seeded(77);
    for (let round = 0; round < 3; round++) {
      const messages = stream(random);
      const all = decodeAll(messages);
      const middle = Math.floor(messages.length / 2);
      for (const query of QUERIES) {
        const expected = expectedMatches(all, query);
        for (const backward of [false, true]) {
          const store = new FrameStore();
          for (const m of messages) store.push(m.dir, m.opcode, m.bytes);
          const session = { id: 's', url: 'ws://h/stomp', frames: store, handshakeSteps: () => [] };
          const decodes = new DecodeCommands(20);
          const state = decodes.state(session, { sessionId: 's', choice: 'stomp' });
          if (!state.ok) throw new Error(state.error.message);
          const want = expected.filter((seq) => (backward ? seq <= middle : seq >= middle));
          expect(await searchFrom(store, decodes, session, query, middle, backward), `round ${round} ${query} ${backward ? 'backward' : 'forward'} from ${middle}`).toEqual(backward ? want.reverse() : want);
        }
      }
    }
  });
});

describe('the byte readers step aside for a body in another charset', () => {
  /** `Ã©7` in windows-1252: C3 A9 37, which read as UTF-8 is `é7`. */
  const mojibake = Buffer.concat([Buffer.from('MESSAGE\ndestination:/t\ncontent-type:text/plain;charset=windows-1252\n\n'), Buffer.from([0xc3, 0xa9, 0x37, 0x00])]);
  const latin = Buffer.concat([Buffer.from('MESSAGE\ndestination:/t\ncontent-type:text/plain;charset=iso-8859-1\n\n'), Buffer.from([0xe9, 0x37, 0x00])]);

  it('the probe: UNSURE for the body (its bytes are not its text), the headers still read', () => {
    const path = (query: string) => parsed(query).clauses[0]?.path ?? [];
    expect(probeStompPath(mojibake, 0, mojibake.length, path("$.body == 'x'"))).toBe(UNSURE);
    expect(probeStompPath(mojibake, 0, mojibake.length, path('$.body.length == 1'))).toBe(UNSURE);
    expect(probeStompPath(mojibake, 0, mojibake.length, path("$.headers.destination == 'x'"))).toBe('/t');
  });

  it('the probe prefilter and the string rule do not pass such a frame over; a header-only query still may', () => {
    const asked = (query: string, bytes: Buffer): boolean => {
      const rule = queryPrefilter('stomp', parsed(query), { protobuf: 'none' });
      if (rule?.kind !== 'self-contained') throw new Error(`no rule for ${query}`);
      return rule.selfContained(bytes, 0, bytes.length, 'text');
    };
    for (const query of ["$.body == 'é7'", "$.body == 'x'", '$.body =~ /x/', "$.body[*] == 'x'", '$.body.price > 1']) {
      expect(asked(query, latin), query).toBe(false);
      expect(asked(query, mojibake), query).toBe(false);
    }
    expect(asked("$.headers.destination =~ /x/", latin)).toBe(true);
    expect(asked("$.headers[*] == 'x'", latin)).toBe(true);
    // An ASCII body in windows-1252 reads as its UTF-8: self-contained; in utf-16le or shift_jis (Node reads 0x7F as U+001A) not.
    const ascii = (charset: string): Buffer => Buffer.from(`MESSAGE\ndestination:/t\ncontent-type:text/plain;charset=${charset}\n\nab\u007f\u0000`);
    expect(asked("$.body == 'x'", ascii('windows-1252'))).toBe(true);
    expect(asked("$.body == 'x'", ascii('shift_jis'))).toBe(false);
    expect(asked("$.body == 'x'", ascii('utf-16le'))).toBe(false);
    // The same frame in UTF-8 is self-contained as before.
    const utf8 = Buffer.from('MESSAGE\ndestination:/t\ncontent-type:text/plain;charset=utf-8\n\né7\u0000');
    expect(asked("$.body == 'x'", utf8)).toBe(true);
  });

  it('the match proof does not prove a body clause for such a frame', () => {
    const proof = stompMatchProof(parsed("$.body != 'zz'"));
    if (!proof) throw new Error('no proof');
    expect(proof(latin, 0, latin.length, 'text', undefined, 'in')).toBe(false);
    expect(proof(mojibake, 0, mojibake.length, 'text', undefined, 'in')).toBe(false);
    const utf8 = Buffer.from('MESSAGE\ndestination:/t\ncontent-type:text/plain;charset=utf-8\n\né7\u0000');
    expect(proof(utf8, 0, utf8.length, 'text', undefined, 'in')).toBe(true);
  });

  it('an ASCII body in a charset that reads ASCII as UTF-8 does is its bytes: proven, and read by the probe', () => {
    const ascii = (charset: string, body = 'ab7'): Buffer => Buffer.from(`MESSAGE\ndestination:/t\ncontent-type:text/plain;charset=${charset}\n\n${body}\u0000`);
    const proof = stompMatchProof(parsed("$.body != 'zz'"));
    if (!proof) throw new Error('no proof');
    for (const charset of ['windows-1252', 'ISO-8859-1', 'koi8-r']) {
      const bytes = ascii(charset);
      expect(proof(bytes, 0, bytes.length, 'text', undefined, 'in'), charset).toBe(true);
      expect(probeStompPath(bytes, 0, bytes.length, parsed("$.body == 'x'").clauses[0]?.path ?? []), charset).toBe('ab7');
    }
    // Not where the decoder reads ASCII bytes otherwise: utf-16le pairs them, Node's shift_jis reads 0x7F as U+001A.
    const others: [string, string][] = [['utf-16le', 'ab'], ['shift_jis', 'a\u007f']];
    for (const [charset, body] of others) {
      const bytes = ascii(charset, body);
      expect(proof(bytes, 0, bytes.length, 'text', undefined, 'in'), charset).toBe(false);
      expect(probeStompPath(bytes, 0, bytes.length, parsed("$.body == 'x'").clauses[0]?.path ?? []), charset).toBe(UNSURE);
    }
  });
});
