/**
 * The log's marks on intercepted frames: the store keeps them (and an edit's original) beside the
 * frame, every summary carries them, eviction drops them, and both log files write them and read
 * them back.
 */
import { describe, expect, it } from 'vitest';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { ndjsonFrame } from '../../../src-main/core/export/ndjson-export';
import { harMessage } from '../../../src-main/core/export/har-export';
import { importNdjson } from '../../../src-main/core/export/ndjson-import';
import { importHar } from '../../../src-main/core/export/har-import';
import { ProblemList, describeProblems } from '../../../src-main/core/export/import-problems';

function markedStore(): FrameStore {
  const store = new FrameStore();
  store.push('out', 'text', Buffer.from('plain'));
  const edited = store.push('out', 'text', Buffer.from('{"price":1}'));
  store.mark(edited, { action: 'edited', originalSize: 12 }, Buffer.from('{"price":99}'));
  const dropped = store.push('in', 'binary', Buffer.from([1, 2, 3]));
  store.mark(dropped, { action: 'dropped' });
  const injected = store.push('in', 'text', Buffer.from('hello from Tunnelscope'));
  store.mark(injected, { action: 'injected' });
  return store;
}

describe('intercept marks in the frame store', () => {
  it('summaries (batched and single) and bodies carry the mark; an edit keeps its original', () => {
    const store = markedStore();
    expect(store.summaries(1, 4).map((f) => f.intercept)).toEqual([undefined, { action: 'edited', originalSize: 12 }, { action: 'dropped' }, { action: 'injected' }]);
    expect(store.summary(3)?.intercept).toEqual({ action: 'dropped' });
    expect(store.get(2)).toMatchObject({ text: '{"price":1}', original: { text: '{"price":99}', base64: Buffer.from('{"price":99}').toString('base64') } });
    expect(store.get(1)?.original).toBeUndefined();
  });

  it('an evicted frame takes its mark with it', () => {
    const store = new FrameStore({ maxFrames: 2 });
    const first = store.push('out', 'text', Buffer.from('a'));
    store.mark(first, { action: 'injected' });
    store.push('out', 'text', Buffer.from('b'));
    store.push('out', 'text', Buffer.from('c'));
    expect(store.summaries(1, 3).map((f) => [f.seq, f.intercept])).toEqual([
      [2, undefined],
      [3, undefined],
    ]);
  });
});

describe('intercept marks in the log files', () => {
  it('NDJSON writes the mark (an edit with its original) and reads it back', async () => {
    const store = markedStore();
    const lines = [1, 2, 3, 4].map((seq) => {
      const entry = store.entry(seq);
      if (!entry) throw new Error(`no frame ${seq}`);
      return ndjsonFrame(entry);
    });
    expect(lines[0]?.intercept).toBeUndefined();
    expect(lines[1]?.intercept).toEqual({ action: 'edited', original: { text: '{"price":99}' } });
    expect(lines[2]?.intercept).toEqual({ action: 'dropped' });
    expect(lines[3]?.intercept).toEqual({ action: 'injected' });
    const problems = new ProblemList();
    const imported = await importNdjson(lines.map((l) => JSON.stringify(l)).join('\n'), {}, problems);
    expect(problems.count).toBe(0);
    expect(imported?.frames.summaries(1, 4).map((f) => f.intercept)).toEqual([undefined, { action: 'edited', originalSize: 12 }, { action: 'dropped' }, { action: 'injected' }]);
    expect(imported?.frames.get(2)?.original?.text).toBe('{"price":99}');
  });

  it('HAR writes _intercept on the message (a binary original as base64) and reads it back', async () => {
    const store = new FrameStore();
    const seq = store.push('in', 'binary', Buffer.from([9, 9]));
    store.mark(seq, { action: 'edited', originalSize: 1 }, Buffer.from([7]));
    const entry = store.entry(seq);
    if (!entry) throw new Error('no frame');
    const message = harMessage(entry);
    expect(message).toMatchObject({ type: 'receive', opcode: 2, data: 'CQk=', _intercept: { action: 'edited', original: { base64: 'Bw==' } } });
    const har = { log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [{ startedDateTime: new Date(0).toISOString(), request: { url: 'wss://x.example/', method: 'GET', headers: [] }, response: { status: 101, headers: [] }, _resourceType: 'websocket', _webSocketMessages: [message] }] } };
    const problems = new ProblemList();
    const imported = await importHar(JSON.stringify(har), {}, problems);
    expect(problems.count).toBe(0);
    expect(imported?.frames.summary(1)?.intercept).toEqual({ action: 'edited', originalSize: 1 });
    expect(imported?.frames.get(1)?.original?.base64).toBe('Bw==');
  });

  it("a drop because the connection ended keeps its reason through both files; an unknown reason is named", async () => {
    const store = new FrameStore();
    const seq = store.push('out', 'text', Buffer.from('held when it ended'));
    store.mark(seq, { action: 'dropped', reason: 'connection-ended' });
    const entry = store.entry(seq);
    if (!entry) throw new Error('no frame');
    expect(ndjsonFrame(entry).intercept).toEqual({ action: 'dropped', reason: 'connection-ended' });
    const fromNdjson = await importNdjson(JSON.stringify(ndjsonFrame(entry)), {}, new ProblemList());
    expect(fromNdjson?.frames.summary(1)?.intercept).toEqual({ action: 'dropped', reason: 'connection-ended' });
    const har = { log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [{ startedDateTime: new Date(0).toISOString(), request: { url: 'wss://x.example/', method: 'GET', headers: [] }, response: { status: 101, headers: [] }, _resourceType: 'websocket', _webSocketMessages: [harMessage(entry)] }] } };
    const fromHar = await importHar(JSON.stringify(har), {}, new ProblemList());
    expect(fromHar?.frames.summary(1)?.intercept).toEqual({ action: 'dropped', reason: 'connection-ended' });
    const problems = new ProblemList();
    const line = { seq: 1, dir: 'out', opcode: 'text', at: new Date(0).toISOString(), size: 1, text: 'x', intercept: { action: 'dropped', reason: 'bored' } };
    await importNdjson(JSON.stringify(line), {}, problems);
    expect(problems.count).toBe(1);
    expect(describeProblems('log.ndjson', problems)).toContain("the frame's intercept mark");
  });

  it('a bad mark in a file is named', async () => {
    const problems = new ProblemList();
    const line = { seq: 1, dir: 'out', opcode: 'text', at: new Date(0).toISOString(), size: 1, text: 'x', intercept: { action: 'rewritten' } };
    await importNdjson(JSON.stringify(line), {}, problems);
    expect(problems.count).toBe(1);
    expect(describeProblems('log.ndjson', problems)).toContain("the frame's intercept mark");
  });
});
