/**
 * Joining calls sent in parts: in order they make the call's arg; out of order, over the cap
 * or malformed the sequence is refused once and its rest dropped; a page gone mid-upload
 * frees what was held; two calls may be sent interleaved.
 */
import { describe, expect, it } from 'vitest';
import { webClientMessageSchema, type WebCallPart } from '../../../src-main/shared/bridge';
import { CallParts } from '../../../src-main/web/call-parts';
import { runMessage } from '../../../src-main/web/server';
import { ok } from '../../../src-main/shared/result';

const LIMITS = { maxMessageChars: 100, maxLargeChars: 1000 };

function partsOf(id: number, name: string, text: string, size: number): WebCallPart[] {
  const slices: string[] = [];
  for (let at = 0; at < text.length; at += size) slices.push(text.slice(at, at + size));
  return slices.map((data, index) => ({ type: 'call-part', id, name, index, total: slices.length, data }));
}

const importArg = { text: 'x'.repeat(300), name: 'big.ndjson' };

describe('CallParts', () => {
  it('joins parts sent in order into the call’s arg and frees them', () => {
    const parts = new CallParts(LIMITS);
    const sequence = partsOf(1, 'frames:import', JSON.stringify(importArg), 50);
    for (const part of sequence) expect(parts.add(part)).toBeUndefined();
    expect(parts.bufferedChars).toBe(JSON.stringify(importArg).length);
    expect(parts.finish({ type: 'call', id: 1, name: 'frames:import', arg: undefined, parts: sequence.length })).toEqual({ kind: 'ready', arg: importArg });
    expect(parts.bufferedChars).toBe(0);
    expect(parts.inProgress).toBe(0);
  });

  it('refuses a part out of order once, frees the sequence and drops the rest unanswered', () => {
    const parts = new CallParts(LIMITS);
    const [first, second, third] = partsOf(2, 'frames:import', JSON.stringify(importArg), 150);
    if (!first || !second || !third) throw new Error('expected three parts');
    expect(parts.add(first)).toBeUndefined();
    const refusal = parts.add(third);
    expect(refusal).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('part 3 of 3 arrived after part 1') } });
    expect(parts.bufferedChars).toBe(0);
    expect(parts.add(second)).toBeUndefined();
    expect(parts.bufferedChars).toBe(0);
    expect(parts.finish({ type: 'call', id: 2, name: 'frames:import', arg: undefined, parts: 3 })).toEqual({ kind: 'dropped' });
  });

  it('refuses a sequence that does not start at part 1, and a call whose parts did not all arrive', () => {
    const parts = new CallParts(LIMITS);
    const [first, second] = partsOf(3, 'frames:import', JSON.stringify(importArg), 200);
    if (!first || !second) throw new Error('expected two parts');
    expect(parts.add(second)).toMatchObject({ ok: false, error: { message: expect.stringContaining('arrived before part 1') } });
    expect(parts.add({ ...first, id: 4 })).toBeUndefined();
    expect(parts.finish({ type: 'call', id: 4, name: 'frames:import', arg: undefined, parts: 2 })).toMatchObject({
      kind: 'refused',
      result: { ok: false, error: { message: expect.stringContaining('only 1 of 2 parts arrived') } },
    });
    expect(parts.bufferedChars).toBe(0);
  });

  it('refuses frames:import over its cap, and any other command over the per-message limit', () => {
    const parts = new CallParts(LIMITS);
    const big = partsOf(5, 'frames:import', JSON.stringify({ text: 'y'.repeat(1200), name: 'huge' }), 400);
    expect(parts.add(big[0]!)).toBeUndefined();
    expect(parts.add(big[1]!)).toBeUndefined();
    expect(parts.add(big[2]!)).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED', message: expect.stringContaining('frames:import: too large') } });
    expect(parts.bufferedChars).toBe(0);

    const send = partsOf(6, 'session:send', JSON.stringify({ sessionId: 's1', kind: 'text', data: 'z'.repeat(150) }), 40);
    expect(parts.add(send[0]!)).toBeUndefined();
    expect(parts.add(send[1]!)).toBeUndefined();
    expect(parts.add(send[2]!)).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED', message: expect.stringContaining('only frames:import may be larger') } });
    expect(parts.bufferedChars).toBe(0);
    expect(parts.finish({ type: 'call', id: 6, name: 'session:send', arg: undefined, parts: send.length })).toEqual({ kind: 'dropped' });
  });

  it('frees everything held when the page goes away mid-upload', () => {
    const parts = new CallParts(LIMITS);
    const sequence = partsOf(7, 'frames:import', JSON.stringify(importArg), 100);
    parts.add(sequence[0]!);
    parts.add(sequence[1]!);
    expect(parts.bufferedChars).toBe(200);
    parts.clear();
    expect(parts.bufferedChars).toBe(0);
    expect(parts.inProgress).toBe(0);
  });

  it('joins two calls sent interleaved, each into its own arg', () => {
    const parts = new CallParts(LIMITS);
    const otherArg = { text: 'o'.repeat(250), name: 'other.ndjson' };
    const a = partsOf(8, 'frames:import', JSON.stringify(importArg), 90);
    const b = partsOf(9, 'frames:import', JSON.stringify(otherArg), 90);
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      if (a[i]) expect(parts.add(a[i]!)).toBeUndefined();
      if (b[i]) expect(parts.add(b[i]!)).toBeUndefined();
    }
    expect(parts.inProgress).toBe(2);
    expect(parts.finish({ type: 'call', id: 9, name: 'frames:import', arg: undefined, parts: b.length })).toEqual({ kind: 'ready', arg: otherArg });
    expect(parts.finish({ type: 'call', id: 8, name: 'frames:import', arg: undefined, parts: a.length })).toEqual({ kind: 'ready', arg: importArg });
    expect(parts.bufferedChars).toBe(0);
  });

  it('bounds the uploads in progress and the characters held per page', () => {
    const parts = new CallParts({ ...LIMITS, maxUploads: 2, maxPageChars: 500 });
    const part = (id: number, data: string): WebCallPart => ({ type: 'call-part', id, name: 'frames:import', index: 0, total: 2, data });
    expect(parts.add(part(10, 'a'.repeat(300)))).toBeUndefined();
    expect(parts.add(part(11, 'b'.repeat(300)))).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED', message: expect.stringContaining('at once') } });
    expect(parts.add(part(12, 'c'))).toBeUndefined();
    expect(parts.add(part(13, 'd'))).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED', message: expect.stringContaining('already sending 2') } });
    expect(parts.bufferedChars).toBe(301);
  });

  it('refuses a call whose parts do not join into JSON', () => {
    const parts = new CallParts(LIMITS);
    parts.add({ type: 'call-part', id: 14, name: 'frames:import', index: 0, total: 2, data: '{"text":' });
    parts.add({ type: 'call-part', id: 14, name: 'frames:import', index: 1, total: 2, data: '"unterminated' });
    expect(parts.finish({ type: 'call', id: 14, name: 'frames:import', arg: undefined, parts: 2 })).toMatchObject({
      kind: 'refused',
      result: { ok: false, error: { message: expect.stringContaining('do not join into JSON') } },
    });
  });
});

describe('runMessage with parts', () => {
  const engine = { invoke: async (name: string, arg: unknown) => ok({ name, arg }), onEvent: () => () => {} };

  it('runs the call its parts make, answering only the call', async () => {
    const parts = new CallParts(LIMITS);
    const sequence = partsOf(20, 'frames:import', JSON.stringify(importArg), 120);
    for (const part of sequence) expect(await runMessage(engine, JSON.stringify(part), undefined, parts)).toBeUndefined();
    const call = JSON.stringify({ type: 'call', id: 20, name: 'frames:import', parts: sequence.length });
    expect(await runMessage(engine, call, undefined, parts)).toEqual({ id: 20, result: ok({ name: 'frames:import', arg: importArg }) });
  });

  it('a malformed part ends its sequence: one error, the rest dropped, memory freed', async () => {
    const parts = new CallParts(LIMITS);
    const [first, second, third] = partsOf(21, 'frames:import', JSON.stringify(importArg), 150);
    if (!first || !second || !third) throw new Error('expected three parts');
    await runMessage(engine, JSON.stringify(first), undefined, parts);
    const bad = await runMessage(engine, JSON.stringify({ ...second, data: 7 }), undefined, parts);
    expect(bad).toMatchObject({ id: 21, result: { ok: false, error: { code: 'INVALID_ARGUMENT', path: 'data' } } });
    expect(parts.bufferedChars).toBe(0);
    expect(await runMessage(engine, JSON.stringify(third), undefined, parts)).toBeUndefined();
    expect(await runMessage(engine, JSON.stringify({ type: 'call', id: 21, name: 'frames:import', parts: 3 }), undefined, parts)).toBeUndefined();
  });
});

describe('the wire schema of parts', () => {
  it('accepts a part and a call in parts, refuses a bad index, a call with both arg and parts', () => {
    expect(webClientMessageSchema.safeParse({ type: 'call-part', id: 1, name: 'frames:import', index: 0, total: 2, data: '{' }).success).toBe(true);
    expect(webClientMessageSchema.safeParse({ type: 'call', id: 1, name: 'frames:import', parts: 2 }).success).toBe(true);
    expect(webClientMessageSchema.safeParse({ type: 'call-part', id: 1, name: 'frames:import', index: 2, total: 2, data: '' }).success).toBe(false);
    expect(webClientMessageSchema.safeParse({ type: 'call-part', id: 1, name: 'frames:import', index: 0, total: 1, data: '' }).success).toBe(false);
    expect(webClientMessageSchema.safeParse({ type: 'call', id: 1, name: 'frames:import', arg: {}, parts: 2 }).success).toBe(false);
  });
});
