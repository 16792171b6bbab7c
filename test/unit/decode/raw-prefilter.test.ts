/**
 * The raw prefilter of a decoded-field search (raw-prefilter.ts, prefilter-walk.ts): frames that
 * cannot match are passed over without decoding, and the answers are exactly those of decoding
 * every frame in order, also where a naive "the value's bytes are in the message" test is wrong
 * (a frame split across messages, a value split at a message boundary, escapes, a content-length
 * body that continues, STOMP 1.0 without escapes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { decodedFields } from '../../../src-main/core/decode/decoded-fields';
import type { DecodeOutcome, StreamDecoder, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { DecodedKeyIndex } from '../../../src-main/core/decode/decoded-key-index';
import { MsgpackDecoder } from '../../../src-main/core/decode/msgpack-decoder';
import { PrefilterWalk, WalkPosition } from '../../../src-main/core/decode/prefilter-walk';
import { rawPrefilter, stompSelfContained } from '../../../src-main/core/decode/raw-prefilter';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { storeFrameReader } from '../../../src-main/core/decode/store-frame-reader';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { pack } from 'msgpackr';
import { Engine } from '../../../src-main/core/engine';

type Message = { dir: 'in' | 'out'; bytes: Buffer };

function storeOf(messages: readonly Message[]): FrameStore {
  const store = new FrameStore();
  for (const m of messages) store.push(m.dir, 'text', m.bytes);
  return store;
}

/** What decoding every frame in order says: the seqs whose destination is `want`. */
function reference(store: FrameStore, make: () => StreamDecoder, field: 'destinations' | 'events', want: string): number[] {
  const decoder = make();
  const hits: number[] = [];
  for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
    const entry = store.entry(seq);
    if (!entry) continue;
    const outcome = decoder.decode({ seq, dir: entry.dir, opcode: entry.opcode, bytes: new Uint8Array(entry.payload) });
    if (outcome && outcome.kind !== 'invalid' && decodedFields(outcome.value)[field].includes(want)) hits.push(seq);
  }
  return hits;
}

/** The engine's decoded search (with the prefilter), run twice: cold, then with what the first left. */
function engineSearch(store: FrameStore, choice: 'stomp' | 'msgpack', filter: { destination?: string; event?: string }): [number[], number[]] {
  const session = { id: 's', url: 'ws://h/', frames: store, handshakeSteps: () => [] };
  const decodes = new DecodeCommands();
  decodes.state(session, { sessionId: 's', choice });
  const run = (): number[] => {
    const test = decodes.predicate(session, filter);
    if (!test.ok) throw new Error(test.error.message);
    const hits: number[] = [];
    for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) if (test.value(seq)) hits.push(seq);
    return hits;
  };
  return [run(), run()];
}

/** A naive prefilter: the value's UTF-8 in the message, then decode. */
function naive(store: FrameStore, expected: readonly number[], want: string): number[] {
  const needle = Buffer.from(want, 'utf8');
  return expected.filter((seq) => store.entry(seq)?.payload.includes(needle) === true);
}

const frame = (dest: string, body = 'x', extra = ''): string => `MESSAGE\ndestination:${dest}\n${extra}\n${body}\0`;

describe('stompSelfContained', () => {
  const sc = (text: string): boolean => {
    const bytes = Buffer.from(text, 'latin1');
    return stompSelfContained(bytes, 0, bytes.length, 'text');
  };
  it('takes one whole frame, with or without content-length, trailing EOLs allowed', () => {
    expect(sc(frame('/a'))).toBe(true);
    expect(sc(`${frame('/a')}\n\r\n`)).toBe(true);
    expect(sc('SEND\r\ndestination:/a\r\ncontent-length:2\r\n\r\nab\0')).toBe(true);
    expect(sc('SEND\ncontent-length:3\n\na\0b\0')).toBe(true); // a NUL inside a counted body
    expect(sc('SEND\ndestination:/a\n\nback\\slash\0')).toBe(true); // escapes are for headers only
  });
  it('refuses what depends on other messages or changes the decoder', () => {
    expect(sc('SEND\ncontent-length:9\n\nab\0')).toBe(false); // the body continues in the next message
    expect(sc(`${frame('/a')}${frame('/b')}`)).toBe(false); // two frames
    expect(sc('SEND\ncontent-length:1\n\na\0b\0')).toBe(false); // a second frame after the counted body
    expect(sc('SEND\ncontent-length:1\n\nab\0')).toBe(false); // not valid: left to the decoder
    expect(sc('SEND\ndestination:/a\n\nx')).toBe(false); // no NUL: continues
    expect(sc(frame('/a\\cb'))).toBe(false); // an escape: read differently by STOMP 1.0
    expect(sc('CONNECTED\nversion:1.0\n\n\0')).toBe(false); // may switch escapes off
    expect(sc(`\n${frame('/a')}`)).toBe(false); // a heart-beat first
    expect(sc(`${frame('/a')}\r`)).toBe(false); // a lone CR is kept for the next message
    expect(sc('SEND\ndestination:/a\0\n\n')).toBe(false); // the NUL inside the headers
    expect(sc('SEND\ncontent-length: 2\n\nab\0')).toBe(false); // not plain digits: left to the decoder
    expect(sc('')).toBe(false);
  });
  it('says self-contained only of messages that decode alike from any idle state and leave it as it was', () => {
    const tokens = ['SEND', 'MESSAGE', 'CONNECTED', 'ERROR', '\n', '\n', '\r\n', '\r', 'destination:', 'content-length:', '/a', '\\c', '\\', '0', '1', '3', ' ', '\0', '\0', 'x', ':', 'version:1.0'];
    let state = 7;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const connected10 = { seq: 0, dir: 'in' as const, opcode: 'text' as const, bytes: Buffer.from('CONNECTED\nversion:1.0\n\n\0') };
    const probe = { seq: 2, dir: 'in' as const, opcode: 'text' as const, bytes: Buffer.from('MESSAGE\ndestination:/a\\cb\n\nz\0') };
    let selfContained = 0;
    for (let i = 0; i < 20_000; i++) {
      const parts = [random(3) === 0 ? 'MESSAGE\n' : ''];
      for (let n = 2 + random(10); n > 0; n--) parts.push(tokens[random(tokens.length)] ?? '');
      const bytes = Buffer.from(parts.join(''), 'latin1');
      if (!stompSelfContained(bytes, 0, bytes.length, 'text')) continue;
      selfContained++;
      const message = { seq: 1, dir: 'in' as const, opcode: 'text' as const, bytes };
      const fresh = new StompDecoder();
      const alone = fresh.decode(message);
      const old = new StompDecoder();
      old.decode(connected10);
      // Alike after STOMP 1.0, nothing kept, and escapes as they were on both.
      expect(old.decode(message), JSON.stringify(parts)).toEqual(alone);
      expect(fresh.idle('in') && old.idle('in')).toBe(true);
      expect(fresh.decode(probe)).toEqual(new StompDecoder().decode(probe));
      const old10 = new StompDecoder();
      old10.decode(connected10);
      expect(old.decode(probe)).toEqual(old10.decode(probe));
    }
    expect(selfContained).toBeGreaterThan(100);
  });

  it('leaves control frames to the decoder, which ignores them', () => {
    expect(stompSelfContained(Buffer.alloc(0), 0, 0, 'ping')).toBe(true);
  });
  it('has a needle only for a destination', () => {
    expect(rawPrefilter('stomp', { destinations: '/t' })?.needles.map(String)).toEqual(['\ndestination:/t\n', '\ndestination:/t\r\n', '\n\ufeffdestination:/t\n', '\n\ufeffdestination:/t\r\n']);
    expect(rawPrefilter('stomp', { events: 'e' })).toBeUndefined();
    expect(rawPrefilter('cbor', { events: 'e' })).toBeUndefined();
    expect(rawPrefilter('socketio', { events: 'e' })?.needles.map(String)).toEqual(['"e"']); // socketio-prefilter.test.ts
    expect(rawPrefilter('msgpack', { events: 'bad\ufffd' })).toBeUndefined();
  });
});

describe('a decoded-field search with the raw prefilter', () => {
  it('finds frames a naive byte prefilter misses, exactly as decoding every frame does', () => {
    const messages: Message[] = [
      { dir: 'in', bytes: Buffer.from('CONNECTED\nversion:1.2\n\n\0') },
      { dir: 'in', bytes: Buffer.from(frame('/topic/p7')) },
      { dir: 'in', bytes: Buffer.from(frame('/topic/p70')) }, // not p7, but holds its bytes
      // A frame split across messages: the destination in the first, the NUL in the second.
      { dir: 'in', bytes: Buffer.from('MESSAGE\ndestination:/topic/p7\n\nhel') },
      { dir: 'out', bytes: Buffer.from(frame('/other')) }, // the other direction in between
      { dir: 'in', bytes: Buffer.from('lo\0') },
      // The value split at the message boundary.
      { dir: 'in', bytes: Buffer.from('MESSAGE\ndestination:/top') },
      { dir: 'in', bytes: Buffer.from(`ic/p7\n\nx\0`) },
      // A content-length body with a NUL at the end of the first message, continuing in the next.
      { dir: 'in', bytes: Buffer.from('MESSAGE\ndestination:/q\ncontent-length:6\n\nab\0') },
      { dir: 'in', bytes: Buffer.from(`de\0\0${frame('/topic/p7')}`) },
      // Escaped: /topic/a:b is sent as /topic/a\cb.
      { dir: 'in', bytes: Buffer.from(frame('/topic/a\\cb')) },
      { dir: 'in', bytes: Buffer.from(frame('/topic/p7')) },
      // A body without content-length that runs on into a message that looks like a whole frame
      // of its own: it is the end of the /topic/p7 frame (the decoder is not idle before it).
      { dir: 'in', bytes: Buffer.from('MESSAGE\ndestination:/topic/p7\n\nbody continues ') },
      { dir: 'in', bytes: Buffer.from(frame('/q')) },
    ];
    const store = storeOf(messages);
    for (const want of ['/topic/p7', '/topic/a:b']) {
      const expected = reference(store, () => new StompDecoder(), 'destinations', want);
      expect(expected.length).toBeGreaterThan(0);
      expect(engineSearch(store, 'stomp', { destination: want })).toEqual([expected, expected]);
      // The case this guards against: testing each message's own bytes loses matches.
      expect(naive(store, expected, want)).not.toEqual(expected);
    }
    expect(reference(store, () => new StompDecoder(), 'destinations', '/topic/p7')).toEqual([2, 6, 8, 10, 12, 14]);
  });

  it('finds a destination holding U+FFFD whose line starts with a byte order mark (read strictly, the mark dropped)', () => {
    const store = storeOf([
      { dir: 'in', bytes: Buffer.from('MESSAGE\n\ufeffdestination:/topic/\ufffd\n\nx\0') },
      { dir: 'in', bytes: Buffer.from('MESSAGE\r\n\ufeffdestination:/topic/\ufffd\r\n\r\nx\0') },
      { dir: 'in', bytes: Buffer.from(frame('/topic/\ufffd')) },
      // Without U+FFFD the line is read leniently and the mark stays part of the name.
      { dir: 'in', bytes: Buffer.from('MESSAGE\n\ufeffdestination:/topic/p7\n\nx\0') },
    ]);
    const expected = reference(store, () => new StompDecoder(), 'destinations', '/topic/\ufffd');
    expect(expected).toEqual([1, 2, 3]);
    expect(engineSearch(store, 'stomp', { destination: '/topic/\ufffd' })).toEqual([expected, expected]);
    expect(reference(store, () => new StompDecoder(), 'destinations', '/topic/p7')).toEqual([]);
    expect(engineSearch(store, 'stomp', { destination: '/topic/p7' })).toEqual([[], []]);
  });

  it('reads STOMP 1.0 values as sent (no escapes) after CONNECTED version:1.0', () => {
    const store = storeOf([
      { dir: 'in', bytes: Buffer.from('CONNECTED\nversion:1.0\n\n\0') },
      { dir: 'in', bytes: Buffer.from(frame('/a\\cb')) },
      { dir: 'in', bytes: Buffer.from(frame('/a:b')) },
    ]);
    for (const want of ['/a\\cb', '/a:b']) {
      const expected = reference(store, () => new StompDecoder(), 'destinations', want);
      expect(engineSearch(store, 'stomp', { destination: want })).toEqual([expected, expected]);
    }
    expect(reference(store, () => new StompDecoder(), 'destinations', '/a\\cb')).toEqual([2]);
  });

  it('agrees with decoding every frame on random splits of a two-way stream', () => {
    let state = 12345;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    for (let round = 0; round < 40; round++) {
      const streams: Record<'in' | 'out', Buffer> = { in: Buffer.alloc(0), out: Buffer.alloc(0) };
      for (let i = 0; i < 30; i++) {
        const dir = random(3) === 0 ? 'out' : 'in';
        const dest = ['/topic/p7', '/topic/p70', '/t\\c7', '/topic/p1'][random(4)] ?? '/x';
        const body = random(2) === 0 ? `b${i}` : `z\0${i}`;
        const text = body.includes('\0') ? `MESSAGE\ndestination:${dest}\ncontent-length:${body.length}\n\n${body}\0` : frame(dest, body);
        streams[dir] = Buffer.concat([streams[dir], Buffer.from(text), random(4) === 0 ? Buffer.from('\n') : Buffer.alloc(0)]);
      }
      // Cut each direction at random points and interleave the pieces.
      const pieces: Record<'in' | 'out', Buffer[]> = { in: [], out: [] };
      for (const dir of ['in', 'out'] as const) {
        let at = 0;
        const all = streams[dir];
        while (at < all.length) {
          const cut = random(3) === 0 ? at + 1 + random(40) : all.indexOf(0, at) + 1 + random(2);
          const end = Math.min(all.length, Math.max(at + 1, cut));
          pieces[dir].push(all.subarray(at, end));
          at = end;
        }
      }
      const messages: Message[] = [];
      while (pieces.in.length + pieces.out.length > 0) {
        const dir = pieces.out.length === 0 || (pieces.in.length > 0 && random(2) === 0) ? 'in' : 'out';
        const piece = pieces[dir].shift();
        if (piece) messages.push({ dir, bytes: Buffer.from(piece) });
      }
      const store = storeOf(messages);
      for (const want of ['/topic/p7', '/t:7']) {
        const expected = reference(store, () => new StompDecoder(), 'destinations', want);
        expect(engineSearch(store, 'stomp', { destination: want }), `round ${round} ${want}`).toEqual([expected, expected]);
      }
    }
  });

  it('decodes only what it cannot pass over, in order with its own decoder', () => {
    const store = storeOf(Array.from({ length: 100 }, (_, i) => ({ dir: 'in' as const, bytes: Buffer.from(frame(`/topic/p${i % 10}`)) })));
    let decoded = 0;
    const make = (): StreamDecoder => {
      const inner = new StompDecoder();
      return {
        protocol: 'stomp',
        idle: (dir) => inner.idle(dir),
        decode: (f: WireFrame): DecodeOutcome | undefined => {
          decoded++;
          return inner.decode(f);
        },
      };
    };
    const index = new DecodedKeyIndex(() => store.firstSeq);
    const prefilter = rawPrefilter('stomp', { destinations: '/topic/p3' });
    if (!prefilter) throw new Error('no prefilter');
    const position = new WalkPosition();
    const walk = new PrefilterWalk(store, prefilter, position, make, index, storeFrameReader(store));
    const isP3 = index.matcher({ destinations: '/topic/p3' });
    // Frames 4, 14, … hold the needle: decoded in order into the index; the rest passed over.
    const verdicts = Array.from({ length: 100 }, (_, i) => walk.verdict(i + 1) ?? isP3(i + 1));
    expect(verdicts.every((v, i) => v === (i % 10 === 3))).toBe(true);
    expect(decoded).toBe(10);
    // Asked again: passed-over frames are tested by their bytes, nothing is decoded.
    expect(walk.verdict(5)).toBe(false);
    expect(index.passedOver(5)).toBe(true);
    expect(decoded).toBe(10);
    // Another search on the same walk: only the frames with its needle are decoded (alone, as
    // they were passed over), not the walk again.
    const p5 = rawPrefilter('stomp', { destinations: '/topic/p5' });
    if (!p5) throw new Error('no prefilter');
    const other = new PrefilterWalk(store, p5, position, make, index, storeFrameReader(store));
    const isP5 = index.matcher({ destinations: '/topic/p5' });
    const found = Array.from({ length: 100 }, (_, i) => other.verdict(i + 1) ?? isP5(i + 1));
    expect(found.every((v, i) => v === (i % 10 === 5))).toBe(true);
    expect(decoded).toBe(20);
  });

  it('walks in order from the oldest frame even when the rows in view moved the cache far ahead', () => {
    const messages: Message[] = [];
    for (let i = 0; i < 6000; i++) messages.push({ dir: 'in', bytes: Buffer.from(i % 100 === 5 || i === 5924 ? 'MESSAGE\ndestination:/topic/p7\n\nsplit ' : frame(`/topic/p${i % 9}`)) });
    const store = storeOf(messages);
    const session = { id: 's', url: 'ws://h/', frames: store, handshakeSteps: () => [] };
    const decodes = new DecodeCommands();
    decodes.state(session, { sessionId: 's', choice: 'stomp' });
    // The log shows its last rows: the cache walks from near the end (5926 on, right after a
    // frame that 5926 ends, so its answers there are not in order from the start).
    expect(decodes.decode(session, { sessionId: 's', fromSeq: 5990, toSeq: 6000, values: false }).ok).toBe(true);
    const test = decodes.predicate(session, { destination: '/topic/p7' });
    if (!test.ok) throw new Error(test.error.message);
    const hits: number[] = [];
    for (let seq = 1; seq <= store.lastSeq; seq++) if (test.value(seq)) hits.push(seq);
    expect(hits).toEqual(reference(store, () => new StompDecoder(), 'destinations', '/topic/p7'));
    expect(hits).toContain(7); // the frame after a split one ends it
    expect(hits).toContain(5926);
  });

  it('finds MessagePack events by their UTF-8 bytes', () => {
    const store = new FrameStore();
    const values = [{ event: 'chat', n: 1 }, { event: 'chatter' }, { other: 'chat' }, { event: 'news' }, { event: 'chat' }];
    for (const v of values) store.push('in', 'binary', Buffer.from(pack(v)));
    const expected = reference(store, () => new MsgpackDecoder(), 'events', 'chat');
    expect(expected).toEqual([1, 5]);
    expect(engineSearch(store, 'msgpack', { event: 'chat' })).toEqual([expected, expected]);
  });

  it('has no MessagePack needle for text the decoder makes of numbers and timestamps', () => {
    const store = new FrameStore();
    const values = [{ event: 12345678901234567890n }, { event: Number.NaN }, { event: new Date(0) }, { event: 'x' }];
    for (const v of values) store.push('in', 'binary', Buffer.from(pack(v)));
    for (const want of ['12345678901234567890', 'NaN', '1970-01-01T00:00:00.000Z']) {
      const expected = reference(store, () => new MsgpackDecoder(), 'events', want);
      expect(expected, want).toHaveLength(1);
      expect(rawPrefilter('msgpack', { events: want })).toBeUndefined();
      expect(engineSearch(store, 'msgpack', { event: want })).toEqual([expected, expected]);
    }
  });
});

describe('frames:search with a decoded destination, through the engine', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.dispose();
    engine = undefined;
  });

  it('finds a frame split across messages and one sent escaped, forward and backward', async () => {
    const e = new Engine({ host: 'web', version: '1', env: {} });
    engine = e;
    const frames = [
      { dir: 'in', text: 'CONNECTED\nversion:1.2\n\n\u0000' },
      { dir: 'in', text: 'MESSAGE\ndestination:/topic/p7\n\nhel' },
      { dir: 'out', text: 'SEND\ndestination:/topic/p7\n\nx\u0000' },
      { dir: 'in', text: 'lo\u0000' },
      { dir: 'in', text: 'MESSAGE\ndestination:/topic/p70\n\nx\u0000' },
      { dir: 'in', text: 'MESSAGE\ndestination:/topic/p\\c7\n\nx\u0000' },
      { dir: 'in', text: 'MESSAGE\ndestination:/topic/p:7\n\nx\u0000' },
    ];
    const text = frames
      .map((f, i) => JSON.stringify({ seq: i + 1, dir: f.dir, opcode: 'text', at: `2024-05-01T10:00:0${i}.000Z`, size: Buffer.byteLength(f.text), text: f.text }))
      .join('\n');
    const imported = await e.call('frames:import', { text, name: 'stomp.ndjson' });
    if (!imported.ok) throw new Error(imported.error.message);
    const { sessionId } = imported.value;
    const chosen = await e.call('session:decoding', { sessionId, choice: 'stomp' });
    expect(chosen.ok).toBe(true);
    const search = async (destination: string, backward = false): Promise<number[]> => {
      const result = await e.call('frames:search', { sessionId, filter: { decoded: { destination } }, ...(backward ? { backward } : {}) });
      if (!result.ok) throw new Error(result.error.message);
      return result.value.matches.map((m) => m.seq);
    };
    expect(await search('/topic/p7')).toEqual([3, 4]);
    expect(await search('/topic/p:7')).toEqual([6, 7]);
    expect(await search('/topic/p7', true)).toEqual([4, 3]);
    expect(await search('/topic/p70')).toEqual([5]);
  });
});
