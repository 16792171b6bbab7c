/**
 * A STOMP frame that arrives in many WebSocket messages (stomp-decoder.ts): each message adds its
 * chunk to the kept list (not to a copy of it), and a body of content-length bytes is not parsed
 * again before it can end (its NULs are bytes of it), so the work a message stays the same however
 * much of the frame came before. Every answer reads as before: "part of a STOMP frame (N B so far
 * …)", what it becomes once the session ended, a close's cut, the frame once whole; a decoder
 * restored from its snapshot before every message (one joined chunk, nothing else known) answers
 * the same on generated streams. bench/stomp-split-frame.ts measures the time.
 */
import { describe, expect, it } from 'vitest';
import type { DecodeOutcome, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { endedAnswer } from '../../../src-main/core/decode/session-end';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { pick, seeded } from './prefilter-harness';

const message = (dir: WireFrame['dir'], bytes: Uint8Array, opcode: WireFrame['opcode'] = 'binary'): WireFrame => ({ seq: 0, dir, opcode, bytes });

/** `bytes` in messages of `size` bytes (the last one shorter). */
function cut(bytes: Uint8Array, size: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength; at += size) parts.push(bytes.subarray(at, at + size));
  return parts;
}

/** A MESSAGE whose body is `body`, with a content-length (and a content-type) or without. */
function frameBytes(body: Uint8Array, contentLength: boolean, contentType?: string): Buffer {
  const headers = `MESSAGE\ndestination:/topic/big\n${contentType ? `content-type:${contentType}\n` : ''}${contentLength ? `content-length:${body.byteLength}\n` : ''}\n`;
  return Buffer.concat([Buffer.from(headers), body, Buffer.from([0])]);
}

/** A binary body with NULs throughout (a content-length frame's body may hold them). */
function binaryBody(size: number): Buffer {
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i++) body[i] = (i * 31) % 7 === 0 ? 0 : (i * 131) & 0xff;
  return body;
}

describe('STOMP: a frame in many messages', () => {
  it('says how much has arrived at each message, what it becomes at the session’s end, and decodes the frame whole', () => {
    for (const [name, body, contentLength, contentType] of [
      ['text body, no content-length', Buffer.from('x'.repeat(20_000)), false, undefined],
      ['binary body with NULs, content-length', binaryBody(20_000), true, 'application/octet-stream'],
      ['text body with content-length', Buffer.from('y'.repeat(20_000)), true, 'text/plain'],
    ] as const) {
      const bytes = frameBytes(body, contentLength, contentType);
      const decoder = new StompDecoder();
      const parts = cut(bytes, 100);
      let soFar = 0;
      for (const [k, part] of parts.entries()) {
        soFar += part.byteLength;
        const answer = decoder.decode(message('in', part));
        if (k === parts.length - 1) {
          expect(answer, name).toEqual(new StompDecoder().decode(message('in', bytes)));
          continue;
        }
        expect(answer, `${name}, message ${k}`).toMatchObject({ kind: 'partial', protocol: 'stomp', summary: `part of a STOMP frame (${soFar} B so far, continues in a later message)`, value: { continues: true, bytesSoFar: soFar } });
        if (!answer) throw new Error('no answer');
        expect(endedAnswer(answer).summary, `${name}, message ${k}`).toBe(`not valid STOMP: part of a STOMP MESSAGE: ${soFar} B of it arrived; the session ended before the rest`);
        if (k % 50 === 0) {
          expect(decoder.decode(message('in', new Uint8Array(0), 'close'))?.summary).toBe(`not valid STOMP: a close frame, which cuts short the MESSAGE under way in this direction: ${soFar} B of it arrived`);
          expect(decoder.snapshot()).toMatchObject({ bytes: soFar, pending: { in: new Uint8Array(bytes.subarray(0, soFar)) } });
        }
      }
    }
  });

  it('keeps what it is given: the caller may reuse its bytes after each message', () => {
    const bytes = frameBytes(binaryBody(3000), true, 'application/octet-stream');
    const decoder = new StompDecoder();
    const reused = new Uint8Array(100);
    for (const part of cut(bytes, 100)) {
      const view = reused.subarray(0, part.byteLength);
      view.set(part);
      const answer = decoder.decode(message('in', view));
      reused.fill(0xee);
      if (answer?.kind === 'decoded') expect(answer).toEqual(new StompDecoder().decode(message('in', bytes)));
    }
  });

  it('content-length shorter or longer than the body: the same answers as a decoder that parses at every NUL', () => {
    // Shorter: the body's end is found where the NUL is not; longer: the NUL is a body byte and the frame waits.
    const shorter = Buffer.from('SEND\ndestination:/q\ncontent-length:4\n\nabc\u0000defgh\u0000');
    const longer = Buffer.from('SEND\ndestination:/q\ncontent-type:application/octet-stream\ncontent-length:9\n\nab\u0000cd\u0000');
    for (const bytes of [shorter, longer, Buffer.concat([longer, Buffer.from('efg\u0000')])]) {
      for (const size of [1, 2, 3, 5, 7, 40]) expect(answersOf(cut(bytes, size).map((part) => message('out', part)), false), `${bytes.toString('latin1')} in ${size} B`).toEqual(answersOf(cut(bytes, size).map((part) => message('out', part)), true));
    }
    const inThree = new StompDecoder();
    expect(inThree.decode(message('out', shorter.subarray(0, 30)))?.kind).toBe('partial');
    expect(inThree.decode(message('out', shorter.subarray(30, 45)))?.summary).toBe('not valid STOMP: content-length 4 of SEND ends the body at byte 42, where there is no NUL (the body is longer than it says) (counting the 30 B carried over from earlier messages)');
    const waits = new StompDecoder();
    expect(waits.decode(message('out', longer))).toMatchObject({ kind: 'partial', summary: `part of a STOMP frame (${longer.byteLength} B so far, continues in a later message)` });
    expect(waits.decode(message('out', Buffer.from('efg\u0000')))).toMatchObject({ kind: 'decoded', summary: 'SEND /q 9 B', value: { body: { $bytes: Buffer.from('ab\u0000cd\u0000efg').toString('base64'), length: 9 } } });
  });

  it('answers as a decoder restored from its snapshot before every message, on generated streams', () => {
    const random = seeded(4242);
    for (let round = 0; round < 40; round++) {
      const messages = generated(random);
      expect(answersOf(messages, false), `round ${round}`).toEqual(answersOf(messages, true));
    }
  });

  it('does the same work for a message late in a long frame as for one early in it', () => {
    // Counted, not timed: during the first and the last 100 messages of a 1 MB frame in 100 B
    // messages, the steps of array iterators (spreading the kept list into a copy took one per
    // chunk kept) and the bytes joined (a body with NULs parsed again at each message joined all).
    for (const [body, contentLength] of [
      [Buffer.from('z'.repeat(1_000_000)), false],
      [binaryBody(1_000_000), true],
    ] as const) {
      const parts = cut(frameBytes(body, contentLength, contentLength ? 'application/octet-stream' : undefined), 100);
      const decoder = new StompDecoder();
      decoder.decode(message('in', parts[0] ?? new Uint8Array(0)));
      const early = workDuring(() => parts.slice(1, 101).forEach((part) => decoder.decode(message('in', part))));
      for (const part of parts.slice(101, parts.length - 101)) decoder.decode(message('in', part));
      const late = workDuring(() => parts.slice(parts.length - 101, parts.length - 1).forEach((part) => decoder.decode(message('in', part))));
      expect(late, `content-length ${contentLength}`).toEqual(early);
      expect(early.joined).toBe(0);
      expect(decoder.decode(message('in', parts[parts.length - 1] ?? new Uint8Array(0)))?.summary).toBe('MESSAGE /topic/big 976.6 KiB');
    }
  });
});

/**
 * Each message's answer (with what it becomes at the session's end), and the snapshot after it;
 * `restored`: a fresh decoder restored from the last one's snapshot reads each message.
 */
function answersOf(messages: readonly WireFrame[], restored: boolean): unknown[] {
  let decoder = new StompDecoder();
  const out: unknown[] = [];
  for (const m of messages) {
    if (restored) {
      const snapshot = decoder.snapshot();
      decoder = new StompDecoder();
      if (snapshot) decoder.restore(snapshot);
    }
    const answer: DecodeOutcome | undefined = decoder.decode(m);
    out.push(answer && { answer, ended: endedAnswer(answer) }, decoder.snapshot());
  }
  return out;
}

/** Frames with bodies by content-length (holding NULs, shorter or longer than said) or by NUL, heart-beats, cut anywhere, both directions, closes. */
function generated(random: (n: number) => number): WireFrame[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < 12; i++) {
    if (random(6) === 0) chunks.push(Buffer.from(pick(random, ['\n', '\r\n'])));
    const body = random(2) === 0 ? binaryBody(random(600)) : Buffer.from('b'.repeat(random(600)));
    const said = body.byteLength + (random(8) === 0 ? pick(random, [-1, 1, 3]) : 0);
    const length = body.includes(0) || random(2) === 0 ? `content-length:${said}\n` : '';
    const type = random(3) === 0 ? `content-type:${pick(random, ['application/octet-stream', 'text/plain', 'application/json'])}\n` : '';
    chunks.push(Buffer.from(`${pick(random, ['MESSAGE', 'SEND'])}\ndestination:/t/${random(3)}\n${type}${length}\n`), body, Buffer.from([0]));
  }
  const all = Buffer.concat(chunks);
  const messages: WireFrame[] = [];
  for (let at = 0; at < all.length; ) {
    const size = pick(random, [0, 1, 2, 7, 50, 100, 333, 1000]);
    const dir = random(6) === 0 ? 'out' : 'in';
    messages.push(message(dir, all.subarray(at, at + size), random(2) === 0 ? 'text' : 'binary'));
    if (random(40) === 0) messages.push(message(dir, new Uint8Array(0), 'close'));
    at += size;
  }
  return messages;
}

/**
 * The work `run` does that grows with what is kept: the steps array (and typed array) iterators
 * take, and the bytes Buffer.concat joins (parsing the kept frame again joins all of it).
 */
function workDuring(run: () => void): { steps: number; joined: number } {
  const proto: { next: (this: Iterator<unknown>) => IteratorResult<unknown> } = Object.getPrototypeOf([][Symbol.iterator]()) as { next: (this: Iterator<unknown>) => IteratorResult<unknown> };
  const next = proto.next;
  const concat = Buffer.concat;
  const work = { steps: 0, joined: 0 };
  proto.next = function counted(this: Iterator<unknown>) {
    work.steps++;
    return next.call(this);
  };
  Buffer.concat = (list, totalLength) => {
    const joined = concat(list, totalLength);
    work.joined += joined.byteLength;
    return joined;
  };
  try {
    run();
  } finally {
    proto.next = next;
    Buffer.concat = concat;
  }
  return work;
}
