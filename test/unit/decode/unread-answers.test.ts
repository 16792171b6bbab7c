/**
 * A far frame answered without the frames before it (frame-decode-cache.ts) is flagged in
 * `frames:decode` (`unread` {framesBefore, fromSeq}, validated by the contract; the summary
 * without the note) until the engine has read up to it; exports (NDJSON `decoded`, HAR
 * `_decoded`) and the CLI's `--json` decode in order and never carry such an answer.
 */
import { describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import type { DecodeOutcome, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { DecoderCheckpoints } from '../../../src-main/core/decode/decoder-checkpoints';
import { CONTEXT_FRAMES, FrameDecodeCache, isUnread, MAX_WALK_FRAMES } from '../../../src-main/core/decode/frame-decode-cache';
import { exportToText } from '../../../src-main/core/export/export-session';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { CliFrameDecoding, decodedJson } from '../../../src-main/cli/frame-decoding';
import { decodeResultSchema } from '../../../src-main/shared/decoding';
import { fixtureSession } from '../export/log-fixture';
import { FAR_SPECS, farStream } from './far-state-streams';

const spec = FAR_SPECS[0];
if (!spec) throw new Error('no far stream');
// MQTT 5: publishes use a topic alias set in the stream's first frames.
const stream = farStream(spec, 20_000, 7);
const lastFar = stream.farSeqs.filter((seq) => seq > MAX_WALK_FRAMES + CONTEXT_FRAMES).at(-1) ?? 0;

function storeOf(frames: readonly WireFrame[]): FrameStore {
  const store = new FrameStore({});
  for (const frame of frames) store.push(frame.dir, frame.opcode as 'text' | 'binary', Buffer.from(frame.bytes));
  return store;
}

function inOrder(): (DecodeOutcome | undefined)[] {
  const decoder = createDecoder('mqtt');
  const out: (DecodeOutcome | undefined)[] = [];
  for (const frame of stream.frames) out[frame.seq] = decoder.decode({ ...frame, bytes: Uint8Array.from(frame.bytes) });
  return out;
}

describe('frames:decode flags an answer decoded without the frames before it', () => {
  it('`unread` with the count and where the decoding started, the summary without the note; exact once caught up', async () => {
    expect(spec.name).toBe('mqtt');
    expect(lastFar).toBeGreaterThan(0);
    const store = storeOf(stream.frames);
    const session = { id: 'far', url: 'ws://far.test/mqtt', frames: store, handshakeSteps: () => [] };
    const decodes = new DecodeCommands();
    decodes.state(session, { sessionId: session.id, choice: 'mqtt' });
    const first = decodes.decode(session, { sessionId: 'far', seqs: [lastFar], values: false });
    if (!first.ok) throw new Error(first.error.message);
    const marked = decodeResultSchema.parse(first.value).frames[0];
    const from = lastFar - CONTEXT_FRAMES;
    // The engine is reading towards it (asked again later, it is exact).
    expect(marked?.unread).toEqual({ framesBefore: from - 1, fromSeq: from });
    expect(marked?.summary).not.toContain('decoded without');
    // Decoded without the publish that set the alias: not what decoding in order says.
    const exact = inOrder()[lastFar];
    expect(marked?.summary).not.toBe(exact?.summary);
    // The engine catches up between events (one slice a turn).
    for (let turn = 0; turn < 100; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    const again = decodes.decode(session, { sessionId: 'far', seqs: [lastFar], values: false });
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.frames[0]).toEqual({ seq: lastFar, kind: exact?.kind, protocol: 'mqtt', summary: exact?.summary });
  });
});

describe('the engine reads towards every marked frame (the renderer asks again while it is marked)', () => {
  it('marked while the catch-up walks there, however many times it is asked meanwhile; then exact', async () => {
    const store = storeOf(stream.frames);
    const session = { id: 'far', url: 'ws://far.test/mqtt', frames: store, handshakeSteps: () => [] };
    const decodes = new DecodeCommands();
    decodes.state(session, { sessionId: session.id, choice: 'mqtt' });
    const ask = (): { unread?: { framesBefore: number; fromSeq: number } } | undefined => {
      const answer = decodes.decode(session, { sessionId: 'far', seqs: [lastFar], values: false });
      if (!answer.ok) throw new Error(answer.error.message);
      return decodeResultSchema.parse(answer.value).frames[0];
    };
    expect(ask()?.unread).toBeDefined();
    // One catch-up turn (CATCH_UP_SLICE frames) is fewer than the frames before it: still on its way.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(ask()?.unread).toBeDefined();
    for (let turn = 0; turn < 100; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(ask()?.unread).toBeUndefined();
  });

  it('a frame behind the walk too far from any checkpoint as well: the catch-up walks there from the checkpoint before it, then exact', () => {
    const store = storeOf(stream.frames);
    const read = (seq: number): WireFrame | undefined => {
      const entry = store.entry(seq);
      return entry ? { seq, dir: entry.dir, opcode: entry.opcode, bytes: new Uint8Array(entry.payload) } : undefined;
    };
    // Checkpoints a million frames apart (as if thinned by their bytes): only the first one is kept.
    const checkpoints = new DecoderCheckpoints(() => store.firstSeq, 1_000_000);
    const cache = new FrameDecodeCache(() => createDecoder('mqtt'), read, 100, undefined, () => store.firstSeq, checkpoints);
    const ahead = cache.decodeAt(lastFar);
    expect(isUnread(ahead)).toBe(true);
    expect(cache.lagging).toBe(true);
    while (cache.catchUp(4096));
    expect(isUnread(cache.decodeAt(lastFar))).toBe(false);
    // Its answer left the 100 kept; the walk is past it and the only checkpoint is at the first frame.
    const behind = lastFar - 500;
    expect(behind - MAX_WALK_FRAMES).toBeGreaterThan(1);
    const first = cache.decodeAt(behind);
    if (!isUnread(first)) throw new Error('not marked');
    expect(cache.lagging).toBe(true);
    while (cache.catchUp(4096));
    expect(cache.decodeAt(behind)).toEqual(inOrder()[behind]);
  });
});

describe('exports and the CLI never carry a marked answer', () => {
  const expected = inOrder();

  for (const format of ['ndjson', 'har'] as const) {
    it(`${format}: the far frames' decoding is decoding in order (a filter leaves only them)`, async () => {
      const store = storeOf(stream.frames);
      const session = fixtureSession({ frames: store, url: 'ws://far.test/mqtt' });
      // The app asked the far frame first (a marked answer in its own cache): the export is apart.
      const decodes = new DecodeCommands();
      decodes.state({ ...session, id: 'far' }, { sessionId: 'far', choice: 'mqtt' });
      decodes.decode({ ...session, id: 'far' }, { sessionId: 'far', seqs: [lastFar], values: false });
      const filter = compileFilter({ text: 'far ' });
      if (!filter.ok) throw new Error(filter.problem.message);
      const { text } = await exportToText(session, { format, version: '9.9.9', filter: { raw: { text: 'far ' }, compiled: filter.filter }, decoding: { choice: 'mqtt' } });
      const decoded: { seq?: number; summary: string }[] =
        format === 'ndjson'
          ? text
              .trimEnd()
              .split('\n')
              .slice(1)
              .map((line) => JSON.parse(line) as { seq: number; decoded: { summary: string } })
              .map((line) => ({ seq: line.seq, summary: line.decoded.summary }))
          : (JSON.parse(text) as { log: { entries: { _webSocketMessages: { _decoded: { summary: string } }[] }[] } }).log.entries[0]?._webSocketMessages.map((m) => ({ summary: m._decoded.summary })) ?? [];
      const farSeqs = stream.farSeqs.filter((seq) => seq > MAX_WALK_FRAMES);
      expect(decoded.length).toBeGreaterThanOrEqual(farSeqs.length);
      for (const line of decoded) expect(line.summary).not.toContain('decoded without');
      if (format === 'ndjson') for (const line of decoded) expect(line.summary, `#${line.seq}`).toBe(expected[line.seq ?? 0]?.summary);
      else expect(decoded.map((d) => d.summary)).toEqual(expect.arrayContaining(farSeqs.map((seq) => expected[seq]?.summary)));
    });
  }

  it("the CLI's --json: frames handed in order, the far ones as decoding in order", () => {
    const cli = new CliFrameDecoding('mqtt', () => undefined, () => undefined);
    const scrubber = { deep: <T>(value: T): T => value } as Parameters<typeof decodedJson>[3];
    for (const frame of stream.frames) {
      const body = { base64: Buffer.from(frame.bytes).toString('base64') };
      const summary = { seq: frame.seq, dir: frame.dir, opcode: frame.opcode, at: 0, size: frame.bytes.length, preview: '', truncated: true } as unknown as Parameters<CliFrameDecoding['decode']>[0];
      const outcome = cli.decode(summary, body as Parameters<CliFrameDecoding['decode']>[1]);
      if (outcome instanceof Promise) throw new Error('in process: never a promise');
      if (!stream.farSeqs.includes(frame.seq)) continue;
      expect(outcome, `#${frame.seq}`).toEqual(expected[frame.seq]);
      if (outcome) expect(decodedJson(outcome, cli.active, frame.dir, scrubber)).not.toContain('decoded without');
    }
  });
});
