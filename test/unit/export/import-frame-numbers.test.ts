/**
 * An imported filtered export keeps the file's own frame numbers (#12, #57, #300) beside the
 * store's 1..n (shared/frame-numbers.ts): NDJSON's `seq`, HAR's `_seq`; exporting the imported
 * log again writes them back; a file whose numbers repeat or go back is numbered 1..n with a note
 * saying why and where.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { exportToText } from '../../../src-main/core/export/export-session';
import { describeProblems } from '../../../src-main/core/export/import-problems';
import { importLog } from '../../../src-main/core/export/import-log';
import type { ImportedLog } from '../../../src-main/core/export/imported-log';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { ImportedSession } from '../../../src-main/core/session/imported-session';
import { FrameNumbers, FrameNumbersBuilder } from '../../../src-main/shared/frame-numbers';
import type { FrameFilter } from '../../../src-main/shared/search';

const T0 = Date.parse('2026-01-02T03:04:05.000Z');

async function importOk(text: string): Promise<ImportedLog> {
  const outcome = await importLog(text, {});
  if (!outcome.ok) throw new Error(describeProblems('test', outcome.problems));
  return outcome.log;
}

function sessionOf(log: ImportedLog, id = 's1'): ImportedSession {
  return new ImportedSession({ ...log, id, name: 'capture.ndjson' });
}

/** An NDJSON log of frames with these numbers; the frames at `needles` say "needle". */
function ndjson(numbers: readonly number[], needles: ReadonlySet<number> = new Set(), extra: Record<string, unknown> = {}): string {
  const header = { type: 'tunnelscope-session', version: 1, url: 'ws://x/', createdAt: new Date(T0).toISOString(), exportedAt: new Date(T0).toISOString(), state: 'closed', proxy: null, handshake: [], error: null, closed: null, framesDropped: 0, filter: null, ...extra };
  const lines = numbers.map((seq) => {
    const text = needles.has(seq) ? `needle ${seq}` : `hay ${seq}`;
    return JSON.stringify({ seq, dir: seq % 2 === 0 ? 'out' : 'in', opcode: 'text', at: new Date(T0 + seq).toISOString(), size: Buffer.byteLength(text), text });
  });
  return [JSON.stringify(header), ...lines].join('\n');
}

async function exportFiltered(session: ImportedSession, format: 'ndjson' | 'har', raw?: FrameFilter): Promise<string> {
  if (!raw) return (await exportToText(session, { format, version: '1' })).text;
  const compiled = compileFilter(raw);
  if (!compiled.ok) throw new Error('filter');
  return (await exportToText(session, { format, version: '1', filter: { raw, compiled: compiled.filter } })).text;
}

function ndjsonSeqs(text: string): number[] {
  return text.trim().split('\n').slice(1).map((l) => Number(Reflect.get(Object(JSON.parse(l)), 'seq')));
}

function harMessages(text: string): Record<string, unknown>[] {
  const document: unknown = JSON.parse(text);
  const entries: unknown = Reflect.get(Object(Reflect.get(Object(document), 'log')), 'entries');
  const messages: unknown = Array.isArray(entries) ? Reflect.get(Object(entries[0]), '_webSocketMessages') : undefined;
  return Array.isArray(messages) ? messages.map((m) => Object(m) as Record<string, unknown>) : [];
}

const NEEDLES = new Set([12, 57, 300]);
const ALL = Array.from({ length: 300 }, (_, i) => i + 1);

describe('FrameNumbers', () => {
  it('maps seqs to the file numbers and back, and names the nearest of a number the file lacks', () => {
    const numbers = FrameNumbers.of([12, 57, 300]);
    expect([1, 2, 3].map((seq) => numbers.numberOf(seq))).toEqual([12, 57, 300]);
    expect(numbers.seqOf(57)).toBe(2);
    expect(numbers.seqOf(58)).toBeUndefined();
    expect(numbers.seqOf(1)).toBeUndefined();
    expect(numbers.nearest(58)).toEqual({ before: 57, after: 300 });
    expect(numbers.nearest(5)).toEqual({ after: 12 });
    expect(numbers.nearest(301)).toEqual({ before: 300 });
    expect(numbers.bytes).toBe(12);
  });

  it('keeps numbers past 2^31 exactly (8 bytes a frame then), and refuses numbers that do not increase', () => {
    const big = 2 ** 40;
    const numbers = FrameNumbers.of([5, big, big + 1]);
    expect(numbers.numberOf(2)).toBe(big);
    expect(numbers.seqOf(big + 1)).toBe(3);
    expect(numbers.bytes).toBe(24);
    expect(() => FrameNumbers.of([3, 3])).toThrow(RangeError);
    expect(() => FrameNumbers.of([3, 2])).toThrow(RangeError);
    expect(() => FrameNumbers.of([0])).toThrow(RangeError);
  });

  it('the builder makes no mapping for 1..n, says why a number cannot follow, and costs 4 bytes a frame for a million', () => {
    const plain = new FrameNumbersBuilder();
    for (let n = 1; n <= 5; n++) expect(plain.push(n)).toBeUndefined();
    expect(plain.finish()).toBeUndefined();
    const builder = new FrameNumbersBuilder();
    expect(builder.push(4)).toBeUndefined();
    expect(builder.push(4)).toBe("4 repeats the previous frame's number");
    expect(builder.push(2)).toBe("2 is not after the previous frame's 4");
    const million = new FrameNumbersBuilder();
    for (let n = 1; n <= 1_000_000; n++) million.push(n * 2);
    const numbers = million.finish();
    expect(numbers?.count).toBe(1_000_000);
    expect(numbers?.bytes).toBe(4_000_000);
    expect(numbers?.seqOf(1_000_000)).toBe(500_000);
  });
});

describe('importing a filtered export keeps its frame numbers', () => {
  it('NDJSON: #12, #57, #300 stay #12, #57, #300, with no note; exporting again writes them back, filtered or not', async () => {
    const whole = sessionOf(await importOk(ndjson(ALL, NEEDLES)));
    const filtered = await exportFiltered(whole, 'ndjson', { text: 'needle' });
    expect(ndjsonSeqs(filtered)).toEqual([12, 57, 300]);
    const log = await importOk(filtered);
    expect(log.frames.count).toBe(3);
    expect(log.numbers?.toList()).toEqual([12, 57, 300]);
    expect(log.notes).toEqual([]);
    const imported = sessionOf(log, 's2');
    expect(ndjsonSeqs(await exportFiltered(imported, 'ndjson'))).toEqual([12, 57, 300]);
    expect(ndjsonSeqs(await exportFiltered(imported, 'ndjson', { direction: 'out' }))).toEqual([12, 300]);
  });

  it('HAR: the export says `_seq` where the numbers jump, the import keeps them, and exporting again writes them back', async () => {
    const whole = sessionOf(await importOk(ndjson(ALL, NEEDLES)));
    // A whole log numbered 1..n says nothing more than Chrome's HAR.
    expect(harMessages(await exportFiltered(whole, 'har')).some((m) => '_seq' in m)).toBe(false);
    const filtered = await exportFiltered(whole, 'har', { text: 'needle' });
    expect(harMessages(filtered).map((m) => m['_seq'])).toEqual([12, 57, 300]);
    const log = await importOk(filtered);
    expect(log.numbers?.toList()).toEqual([12, 57, 300]);
    expect(log.notes).toEqual([]);
    const again = await exportFiltered(sessionOf(log, 's2'), 'har');
    expect(harMessages(again).map((m) => m['_seq'])).toEqual([12, 57, 300]);
    expect(ndjsonSeqs(await exportFiltered(sessionOf(await importOk(again), 's3'), 'ndjson'))).toEqual([12, 57, 300]);
  });

  it('HAR: a message without `_seq` follows the one before it (a run after a jump)', async () => {
    const whole = sessionOf(await importOk(ndjson(ALL)));
    const filtered = await exportFiltered(whole, 'har', { minSize: 7 }); // "hay 99" is 6 bytes, "hay 100" 7: from #100 on
    expect(harMessages(filtered).map((m) => m['_seq'])).toEqual([100, ...Array.from({ length: 200 }, () => undefined)]);
    const log = await importOk(filtered);
    expect(log.numbers?.numberOf(1)).toBe(100);
    expect(log.numbers?.numberOf(201)).toBe(300);
  });

  it("a Chrome HAR (no `_seq`) is numbered 1..n as before: no mapping", async () => {
    const whole = sessionOf(await importOk(ndjson([1, 2, 3])));
    const log = await importOk(await exportFiltered(whole, 'har'));
    expect(log.numbers).toBeUndefined();
    expect(log.frames.count).toBe(3);
  });
});

describe("a reconnecting connection's separators", () => {
  const attempt = (afterSeq: number) => ({
    attempt: 1,
    startedAt: T0,
    endedAt: T0 + 100,
    afterSeq,
    outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' },
    next: null,
  });

  it("sit after the file's number (the store's seq of it), and go back out as the file's number", async () => {
    // Attempt 1 ended after #57; #58..#299 were filtered out, so it sits between #57 and #300.
    const log = await importOk(ndjson([12, 57, 300], new Set(), { attempts: [attempt(57)] }));
    expect(log.attempts?.map((a) => a.afterSeq)).toEqual([2]);
    expect(log.notes).toEqual([]);
    const again = await exportFiltered(sessionOf(log), 'ndjson');
    const header: unknown = JSON.parse(again.split('\n')[0] ?? '{}');
    const attempts: unknown = Reflect.get(Object(header), 'attempts');
    expect(Array.isArray(attempts) ? attempts.map((a) => Reflect.get(Object(a), 'afterSeq')) : attempts).toEqual([57]);
  });

  it('an attempt that ended after a frame the filter left out sits after the last one the file has', async () => {
    const log = await importOk(ndjson([12, 57, 300], new Set(), { attempts: [attempt(100)] }));
    expect(log.attempts?.map((a) => a.afterSeq)).toEqual([2]);
  });

  it('are left out, and said so, when the numbers go back', async () => {
    const log = await importOk(ndjson([12, 57, 40], new Set(), { attempts: [attempt(57)] }));
    expect(log.attempts).toBeUndefined();
    expect(log.notes).toContain("the attempt separators are left out: the file's frame numbers repeat or go back");
  });
});

describe('the engine', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.dispose();
    engine = undefined;
  });

  it('frames:import and frames:numbers answer the file numbers (none for 1..n), and frames:export of the import writes them back', async () => {
    engine = new Engine({ host: 'web', version: '2.0.0', env: {} });
    const whole = sessionOf(await importOk(ndjson(ALL, NEEDLES)));
    const imported = await engine.call('frames:import', { text: await exportFiltered(whole, 'ndjson', { text: 'needle' }), name: 'filtered.ndjson' });
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.value).toMatchObject({ frames: 3, notes: [], numbers: [12, 57, 300] });
    const again = await engine.call('frames:export', { sessionId: imported.value.sessionId, format: 'ndjson' });
    if (!again.ok) throw new Error(again.error.message);
    expect(ndjsonSeqs(again.value.text)).toEqual([12, 57, 300]);
    const plain = await engine.call('frames:import', { text: ndjson([1, 2, 3]), name: 'plain.ndjson' });
    if (!plain.ok) throw new Error(plain.error.message);
    expect(plain.value.numbers).toBeUndefined();
    // Asked again later (a page reloaded): the same numbers; none for a file numbered 1..n.
    expect(await engine.call('frames:numbers', { sessionId: imported.value.sessionId })).toEqual({ ok: true, value: { numbers: [12, 57, 300] } });
    expect(await engine.call('frames:numbers', { sessionId: plain.value.sessionId })).toEqual({ ok: true, value: {} });
  });
});

describe('a file whose numbers repeat or go back is numbered 1..n, and says why and where', () => {
  it('NDJSON going back: every frame imported, the note names the line and the one before', async () => {
    const log = await importOk(ndjson([12, 57, 40, 300]));
    expect(log.frames.count).toBe(4);
    expect(log.numbers).toBeUndefined();
    expect(log.leftOut).toEqual([]);
    expect(log.notes).toEqual(["the frames are numbered 1 to 4 here, not as in the file: line 4: the frame's number (seq) 40 is not after the previous frame's 57 (line 3)"]);
  });

  it('NDJSON repeating a number', async () => {
    const log = await importOk(ndjson([12, 57, 57]));
    expect(log.numbers).toBeUndefined();
    expect(log.notes).toEqual(["the frames are numbered 1 to 3 here, not as in the file: line 4: the frame's number (seq) 57 repeats the previous frame's number (line 3)"]);
  });

  it('HAR with a `_seq` that goes back: the note names the message and the one before', async () => {
    const whole = sessionOf(await importOk(ndjson(ALL, NEEDLES)));
    const document: unknown = JSON.parse(await exportFiltered(whole, 'har', { text: 'needle' }));
    const entries: unknown = Reflect.get(Object(Reflect.get(Object(document), 'log')), 'entries');
    const messages: unknown = Array.isArray(entries) ? Reflect.get(Object(entries[0]), '_webSocketMessages') : undefined;
    if (!Array.isArray(messages)) throw new Error('no messages');
    Reflect.set(Object(messages[2]), '_seq', 20);
    const log = await importOk(JSON.stringify(document));
    expect(log.frames.count).toBe(3);
    expect(log.numbers).toBeUndefined();
    expect(log.notes).toEqual([
      "the frames are numbered 1 to 3 here, not as in the file: log.entries[0]._webSocketMessages[2]: the frame's number (_seq) 20 is not after the previous frame's 57 (log.entries[0]._webSocketMessages[1])",
    ]);
  });
});
