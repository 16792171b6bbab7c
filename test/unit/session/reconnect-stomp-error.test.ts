/**
 * StompErrorScanner: an ERROR frame seen wherever it is in the server's stream (after another
 * frame in one message, split over messages, its headers in pieces), never in a body (with or
 * without content-length), and whether CONNECTED came first. Exactness: on generated streams,
 * adversarial ones included (bodies holding "ERROR", blank lines, NULs under a content-length, a
 * content-length header in the body, CR LF lines, heart-beats), split at random places, the
 * scanner tells the first ERROR in the message where its headers end, with the message header and
 * the CONNECTED-before as reading every frame in order with the decoder's parser says.
 */
import { describe, expect, it } from 'vitest';
import { parseStompFrame } from '../../../src-main/core/decode/stomp-frame';
import { StompErrorScanner, type StompErrorSeen } from '../../../src-main/core/session/reconnect-stomp-error';
import { ProtocolRefusalWatch, stompErrorRefusal } from '../../../src-main/core/session/reconnect-protocol-refusal';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

function firstSeen(messages: Buffer[]): { index: number; seen: StompErrorSeen } | undefined {
  const scanner = new StompErrorScanner();
  for (const [index, message] of messages.entries()) {
    const seen = scanner.push(message);
    if (seen) return { index, seen };
  }
  return undefined;
}

describe('where the ERROR is', () => {
  it('after a RECEIPT in the same message, after CONNECTED: seen, not before CONNECTED', () => {
    expect(firstSeen([b('CONNECTED\nversion:1.2\n\n\0'), b('RECEIPT\nreceipt-id:7\n\n\0\nERROR\nmessage:no such queue\n\nq1\0')])).toEqual({
      index: 1,
      seen: { message: 'no such queue', bodyLine: 'q1', beforeConnected: false },
    });
  });

  it('split over three messages (inside its command, inside its headers): seen once its headers are whole, before CONNECTED', () => {
    expect(firstSeen([b('ERR'), b('OR\nmessage:Bad CONN'), b("ECT\ncontent-type:text/plain\n\nAccess refused for user 'guest'"), b('\0')])).toEqual({
      index: 2,
      seen: { message: 'Bad CONNECT', bodyLine: "Access refused for user 'guest'", beforeConnected: true },
    });
  });

  it('not in a MESSAGE body: a content-length body holding NULs and an ERROR frame, split; then a real one', () => {
    const fake = 'ERROR\nmessage:fake\n\n\0';
    const body = `\0\0${fake}`;
    const message = `MESSAGE\ndestination:/q\ncontent-length:${body.length}\n\n${body}\0`;
    expect(firstSeen([b('CONNECTED\n\n\0'), b(message.slice(0, 40)), b(message.slice(40, 45)), b(message.slice(45)), b(fake)])?.index).toBe(4);
    expect(firstSeen([b(message.slice(0, 60))])).toBeUndefined();
  });

  it('not in a body without content-length that goes on in the next message, where "ERROR" starts it', () => {
    expect(firstSeen([b('MESSAGE\ndestination:/q\n\nfirst half '), b('ERROR\nmessage:fake\n\n'), b('rest\0ERROR\nmessage:real\n\n\0')])).toEqual({ index: 2, seen: { message: 'real', beforeConnected: true } });
  });

  it('bytes that are no STOMP end that message, the next is read afresh', () => {
    expect(firstSeen([b('{"not":"stomp"}\n\n'), b('ERROR\nmessage:x\n\n\0')])?.seen.message).toBe('x');
  });
});

describe('the refusal it says', () => {
  it("before CONNECTED, words refusing the sign-in stop (RabbitMQ's Bad CONNECT / Access refused), naming what to change", () => {
    expect(stompErrorRefusal({ message: 'Bad CONNECT', bodyLine: "Access refused for user 'guest'", beforeConnected: true })).toEqual({
      line: "the server answered the CONNECT with ERROR 'Bad CONNECT' (Access refused for user 'guest'), and would refuse the same CONNECT again: change the CONNECT's login and passcode, or its host header (the virtual host)",
      unchanging: true,
    });
    for (const words of ['Virtual host \'/x\' access denied', 'User name [bob] or password is invalid.', 'not authorized', 'Authentication failed', 'login failed']) {
      expect(stompErrorRefusal({ message: words, beforeConnected: true }).unchanging, words).toBe(true);
    }
    expect(stompErrorRefusal({ message: 'Version mismatch', bodyLine: 'Supported versions are 1.0,1.1,1.2', beforeConnected: true }).line).toMatch(/change the CONNECT's accept-version$/);
  });

  it('before CONNECTED other words are retried; after CONNECTED every ERROR is, in the words it had', () => {
    expect(stompErrorRefusal({ message: 'Processing error', beforeConnected: true })).toEqual({ line: "the server answered the CONNECT with ERROR 'Processing error'", unchanging: false });
    expect(stompErrorRefusal({ message: 'access refused', beforeConnected: false })).toEqual({ line: "the server answered ERROR 'access refused'", unchanging: false });
  });

  it('through the watch: an ERROR answering the CONNECT, split, is unchanging', () => {
    const watch = new ProtocolRefusalWatch({ url: 'ws://mq/ws', subprotocols: ['v12.stomp'] });
    watch.received('text', b('\nERROR\nmessage:Bad CONNECT\n'));
    expect(watch.refusal).toBeUndefined();
    watch.received('text', b("\nAccess refused for user 'guest'\0"));
    expect(watch.refusal?.unchanging).toBe(true);
    expect(watch.wantsIncoming).toBe(false);
  });
});

// ---- exactness on generated streams ------------------------------------------------------

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Generated {
  bytes: Buffer;
  /** The first ERROR: its message header, whether CONNECTED came before, the offset of its body's start. */
  error?: { message: string; beforeConnected: boolean; bodyAt: number };
}

const TRICKY = ['ERROR\nmessage:fake\n\n', '\n\n', '\r\n\r\n', '\ncontent-length:3\n', 'CONNECTED\n\n', 'ERROR', 'x'];

function generate(random: () => number): Generated {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const parts: string[] = [];
  let length = 0;
  let connected = false;
  let error: Generated['error'];
  const frames = 2 + Math.floor(random() * 12);
  for (let i = 0; i < frames; i++) {
    const beats = pick(['', '', '\n', '\r\n', '\n\n']);
    const eol = random() < 0.3 ? '\r\n' : '\n';
    const command = pick(['MESSAGE', 'MESSAGE', 'RECEIPT', 'CONNECTED', 'ERROR', 'MESSAGE']);
    let body = Array.from({ length: Math.floor(random() * 4) }, () => pick(TRICKY)).join('');
    const sized = random() < 0.5;
    if (sized && random() < 0.5) body += '\0\0';
    if (!sized) body = body.replaceAll('\0', '');
    const headers = [`destination:/q/${i}`, ...(command === 'ERROR' ? [`message:m${i}`] : []), ...(sized ? [`content-length:${Buffer.byteLength(body, 'latin1')}`] : []), ...(random() < 0.3 ? ['x-content-length:9'] : [])];
    const head = `${beats}${command}${eol}${headers.map((h) => `${h}${eol}`).join('')}${eol}`;
    if (command === 'ERROR' && error === undefined) error = { message: `m${i}`, beforeConnected: !connected, bodyAt: length + head.length };
    if (command === 'CONNECTED') connected = true;
    const frame = `${head}${body}\0`;
    parts.push(frame);
    length += frame.length;
  }
  return { bytes: b(parts.join('')), ...(error ? { error } : {}) };
}

/** The first ERROR by the decoder's parser, frame after frame: its message header and whether CONNECTED came first. */
function parsedFirstError(bytes: Buffer): { message: string | undefined; beforeConnected: boolean } | undefined {
  let at = 0;
  let connected = false;
  while (at < bytes.length) {
    const parsed = parseStompFrame(bytes, at, false);
    if (parsed.kind === 'heartbeat') at = parsed.end;
    else if (parsed.kind === 'frame') {
      if (parsed.frame.command === 'ERROR') return { message: parsed.frame.headers.find(([n]) => n === 'message')?.[1], beforeConnected: !connected };
      if (parsed.frame.command === 'CONNECTED') connected = true;
      at = parsed.end;
    } else throw new Error(`generated stream not STOMP: ${parsed.kind}`);
  }
  return undefined;
}

function splitAt(bytes: Buffer, random: () => number): { messages: Buffer[]; starts: number[] } {
  const messages: Buffer[] = [];
  const starts: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = random() < 0.2 ? 1 : 1 + Math.floor(random() * (random() < 0.5 ? 12 : 120));
    starts.push(at);
    messages.push(bytes.subarray(at, at + size));
    at += size;
  }
  return { messages, starts };
}

describe('exactness on generated streams', () => {
  it('the first ERROR, the message its headers end in, its message header and CONNECTED-before equal reading every frame in order (3,000 streams)', () => {
    const random = rng(20261207);
    let errors = 0;
    for (let n = 0; n < 3000; n++) {
      const generated = generate(random);
      const parsed = parsedFirstError(generated.bytes);
      expect(parsed, `stream ${n}`).toEqual(generated.error ? { message: generated.error.message, beforeConnected: generated.error.beforeConnected } : undefined);
      // Whole, then split at random places.
      const whole = firstSeen([generated.bytes]);
      const { messages, starts } = splitAt(generated.bytes, random);
      const split = firstSeen(messages);
      if (!generated.error) {
        expect(whole, `stream ${n}`).toBeUndefined();
        expect(split, `stream ${n}`).toBeUndefined();
        continue;
      }
      errors += 1;
      const headersEndIn = starts.findLastIndex((start) => start <= generated.error!.bodyAt - 1);
      expect(whole?.seen, `stream ${n}`).toMatchObject({ message: generated.error.message, beforeConnected: generated.error.beforeConnected });
      expect({ index: split?.index, message: split?.seen.message, beforeConnected: split?.seen.beforeConnected }, `stream ${n}`).toEqual({
        index: headersEndIn,
        message: generated.error.message,
        beforeConnected: generated.error.beforeConnected,
      });
    }
    expect(errors).toBeGreaterThan(1000);
  });
});
