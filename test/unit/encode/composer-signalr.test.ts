/**
 * The composer's SignalR records (QA 5, finding 4): what signalr-encode.ts builds, read back by
 * the log's SignalR decoder, is what was asked: the handshake, and Invocation, StreamInvocation,
 * CancelInvocation, Ping and Close with random targets, arguments and invocation ids; each one
 * text record ended by 0x1E. The arguments go as typed (a number beyond 2^53 stays exact on the
 * wire). Refused, saying what and where: arguments that are not a JSON array, an empty target, a
 * stream or cancel without its id.
 */
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../src-main/core/encode/encode-message';
import { encodeSignalRRecord } from '../../../src-main/core/encode/signalr-encode';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import { protocolMessageSchema, type ProtocolMessage } from '../../../src-main/shared/protocol-message';

type SignalR = Extract<ProtocolMessage, { protocol: 'signalr' }>;

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters a target, id or string argument may hold: quotes, backslashes, controls, braces, astral ones. */
const CHARS = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\t', '\u001e', '\u0000', '{', '}', '[', ']', ',', ':', 'é', '中', '😀', '{{'];

function text(next: () => number, min: number): string {
  const length = min + Math.floor(next() * 8);
  return Array.from({ length }, () => CHARS[Math.floor(next() * CHARS.length)] ?? 'a').join('');
}

function value(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 2 ? 4 : 6));
  if (pick === 0) return text(next, 0);
  if (pick === 1) return Math.floor(next() * 2e9) - 1e9;
  if (pick === 2) return next() < 0.5 ? null : next() < 0.5;
  if (pick === 3) return next() * 1000;
  if (pick === 4) return Array.from({ length: Math.floor(next() * 3) }, () => value(next, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 3) }, () => [text(next, 0), value(next, depth + 1)]));
}

/** The message's record read back by the log's decoder, after the client's handshake. */
function readBack(message: SignalR): { summary: string; value: unknown } {
  const encoded = encodeMessage(message);
  if (!encoded.ok) throw new Error(encoded.error.message);
  expect(encoded.value.kind).toBe('text');
  const record = encoded.value.data;
  // One record, ended by its separator, holding no other.
  expect(record.endsWith('\u001e')).toBe(true);
  expect(record.indexOf('\u001e')).toBe(record.length - 1);
  expect(encoded.value.bytes).toBe(Buffer.byteLength(record, 'utf8'));
  const decoder = new SignalRDecoder();
  if (message.type !== 'handshake') decoder.decode({ seq: 1, dir: 'out', opcode: 'text', bytes: Buffer.from('{"protocol":"json","version":1}\u001e') });
  const outcome = decoder.decode({ seq: 2, dir: 'out', opcode: 'text', bytes: Buffer.from(record, 'utf8') });
  if (outcome?.kind !== 'decoded') throw new Error(`not decoded: ${outcome?.summary ?? 'nothing'}`);
  // The preview's summary is the log's.
  expect(encoded.value.summary).toBe(outcome.summary);
  return { summary: outcome.summary, value: outcome.value };
}

const parse = (m: Omit<SignalR, 'protocol' | 'target' | 'arguments'> & Partial<SignalR>): SignalR => {
  const parsed = protocolMessageSchema.parse({ protocol: 'signalr', ...m });
  if (parsed.protocol !== 'signalr') throw new Error('not SignalR');
  return parsed;
};

describe('SignalR records the composer builds, read back by the log', () => {
  it('the handshake, Ping and Close', () => {
    expect(encodeSignalRRecord(parse({ type: 'handshake' }))).toEqual({ ok: true, value: '{"protocol":"json","version":1}\u001e' });
    expect(readBack(parse({ type: 'handshake' }))).toEqual({ summary: 'handshake json v1', value: { messageType: 'HandshakeRequest', protocol: 'json', version: 1 } });
    expect(readBack(parse({ type: 'ping' }))).toEqual({ summary: 'ping', value: { messageType: 'Ping', type: 6 } });
    expect(readBack(parse({ type: 'close' }))).toEqual({ summary: 'close', value: { messageType: 'Close', type: 7 } });
  });

  it('random Invocations, StreamInvocations and CancelInvocations come back as asked', () => {
    const next = random(5);
    const types = ['invocation', 'streamInvocation', 'cancelInvocation'] as const;
    for (let round = 0; round < 600; round++) {
      const type = types[round % 3] ?? 'invocation';
      const args = Array.from({ length: Math.floor(next() * 4) }, () => value(next, 0));
      // Typed with whitespace and newlines around and inside: sent as typed.
      const argsText = next() < 0.5 ? JSON.stringify(args) : ` \n${JSON.stringify(args, null, 2)}\n `;
      const id = type === 'invocation' && next() < 0.3 ? undefined : text(next, 1);
      // A target is never blank (refused below).
      const target = `T${text(next, 0)}`;
      const message = parse(type === 'cancelInvocation' ? { type, invocationId: id } : { type, target, arguments: argsText, ...(id !== undefined ? { invocationId: id } : {}) });
      const back = readBack(message);
      const number = { invocation: 1, streamInvocation: 4, cancelInvocation: 5 }[type];
      const name = { invocation: 'Invocation', streamInvocation: 'StreamInvocation', cancelInvocation: 'CancelInvocation' }[type];
      const fields = type === 'cancelInvocation' ? { invocationId: id } : { ...(id !== undefined ? { invocationId: id } : {}), target, arguments: args };
      expect(back.value).toMatchObject({ messageType: name, type: number, ...fields });
      // Nothing else in the record.
      expect(Object.keys(back.value as object).filter((k) => !['messageType', 'conversation'].includes(k)).sort()).toEqual(['type', ...Object.keys(fields)].sort());
    }
  });

  it('the arguments go as typed: a number beyond 2^53 stays exact on the wire', () => {
    const encoded = encodeSignalRRecord(parse({ type: 'invocation', target: 'Big', arguments: '[12345678901234567890123, 1.50]' }));
    expect(encoded).toEqual({ ok: true, value: '{"type":1,"target":"Big","arguments":[12345678901234567890123, 1.50]}\u001e' });
  });
});

describe('SignalR input refused, saying what and where', () => {
  const issue = (m: unknown) => {
    const parsed = protocolMessageSchema.safeParse(m);
    if (parsed.success) throw new Error('accepted');
    const found = parsed.error.issues.find((i) => i.path.length > 0 && i.message !== 'Invalid input');
    return { path: found?.path.join('.'), message: found?.message };
  };

  it('by the schema (the composer and message:encode check with it)', () => {
    expect(issue({ protocol: 'signalr', type: 'invocation', target: 'Send', arguments: '{"a": 1}' })).toEqual({ path: 'arguments', message: 'they are a JSON object, not an array: write them in [ ], e.g. ["hello", 1]' });
    expect(issue({ protocol: 'signalr', type: 'streamInvocation', target: 'S', arguments: '"x"', invocationId: '1' })).toEqual({ path: 'arguments', message: 'they are a JSON string, not an array: write them in [ ], e.g. ["hello", 1]' });
    expect(issue({ protocol: 'signalr', type: 'invocation', target: '  ', arguments: '[]' })).toEqual({ path: 'target', message: "an Invocation needs a target (the hub method's name)" });
    expect(issue({ protocol: 'signalr', type: 'streamInvocation', target: 'S', arguments: '[]' })).toEqual({ path: 'invocationId', message: "a StreamInvocation needs one (the stream's)" });
    expect(issue({ protocol: 'signalr', type: 'cancelInvocation' })).toEqual({ path: 'invocationId', message: "a CancelInvocation needs one (the stream's)" });
    expect(issue({ protocol: 'signalr', type: 'invocation', target: 'S', arguments: '[1,' }).path).toBe('arguments');
  });

  it('by the encoder itself, naming the field', () => {
    const bad = (m: Partial<SignalR>) => encodeSignalRRecord({ protocol: 'signalr', type: 'invocation', target: 'S', arguments: '[]', ...m });
    expect(bad({ arguments: '{}' })).toMatchObject({ ok: false, error: { message: 'message:encode: the arguments must be a JSON array, e.g. ["hello", 1]', path: 'message.arguments' } });
    expect(bad({ arguments: '[' })).toMatchObject({ ok: false, error: { path: 'message.arguments' } });
    expect(bad({ target: '' })).toMatchObject({ ok: false, error: { path: 'message.target' } });
    expect(bad({ type: 'cancelInvocation' })).toMatchObject({ ok: false, error: { path: 'message.invocationId' } });
  });
});
