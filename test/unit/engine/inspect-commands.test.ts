/**
 * The inspection commands through the engine's validated entry point, on imported logs (no
 * network needed): import and its events, read-only refusal, paging, search with its errors,
 * cancellation by a newer search, statistics, export, and file export only where allowed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { exportToText } from '../../../src-main/core/export/export-session';
import type { EngineEvent } from '../../../src-main/shared/events';
import { fixtureSession } from '../export/log-fixture';

let engine: Engine | undefined;
let dir: string | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function fixtureText(format: 'ndjson' | 'har'): Promise<string> {
  return (await exportToText(fixtureSession(), { format, version: '1' })).text;
}

function start(options: Partial<ConstructorParameters<typeof Engine>[0]> = {}): { engine: Engine; events: EngineEvent[] } {
  const created = new Engine({ host: 'web', version: '2.0.0', env: {}, ...options });
  const events: EngineEvent[] = [];
  created.onEvent((event) => events.push(event));
  engine = created;
  return { engine: created, events };
}

async function importFixture(target: Engine, format: 'ndjson' | 'har' = 'ndjson'): Promise<string> {
  const imported = await target.call('frames:import', { text: await fixtureText(format), name: `capture.${format}` });
  if (!imported.ok) throw new Error(imported.error.message);
  return imported.value.sessionId;
}

describe('frames:import', () => {
  it('opens a read-only session and tells consumers about it like a live one', async () => {
    const { engine: e, events } = start();
    const result = await e.call('frames:import', { text: await fixtureText('ndjson'), name: 'capture.ndjson' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ format: 'ndjson', frames: 7, notes: [] });
    const { sessionId } = result.value;
    expect(events.map((event) => event.type)).toEqual([
      'session-created',
      'proxy-decision',
      'handshake',
      'handshake',
      'handshake',
      'handshake',
      'handshake',
      'state',
      'frames-skipped',
      'stats',
      'closed',
    ]);
    expect(events[0]).toMatchObject({ type: 'session-created', sessionId, readOnly: true, name: 'capture.ndjson', url: 'wss://user@echo.example/socket?room=1' });
    expect(events.find((event) => event.type === 'frames-skipped')).toMatchObject({ fromSeq: 1, toSeq: 7, behind: 0, dropped: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'closed', code: 1000, reason: 'bye', initiatedBy: 'client' });

    const list = await e.call('session:list', {});
    expect(list.ok && list.value.find((s) => s.sessionId === sessionId)).toMatchObject({ state: 'closed', readOnly: true, name: 'capture.ndjson', framesStored: 7 });
    const page = await e.call('frames:page', { sessionId, fromSeq: 1, limit: 10 });
    expect(page.ok && page.value.frames.map((f) => f.opcode)).toEqual(['text', 'text', 'binary', 'ping', 'pong', 'close', 'close']);
    const body = await e.call('frames:get', { sessionId, seq: 1 });
    expect(body.ok && body.value.text).toBe('hello ✓');
  });

  it('refuses to send on an imported log', async () => {
    const { engine: e } = start();
    const sessionId = await importFixture(e, 'har');
    const sent = await e.call('session:send', { sessionId, kind: 'text', data: 'x' });
    expect(sent).toEqual({ ok: false, error: { code: 'SESSION_NOT_OPEN', message: `session ${sessionId} is a read-only imported log`, path: 'sessionId' } });
    const ping = await e.call('session:ping', { sessionId });
    expect(ping.ok).toBe(false);
    expect((await e.call('session:close', { sessionId })).ok).toBe(true);
    expect((await e.call('session:dispose', { sessionId })).ok).toBe(true);
  });

  it('imports the whole lines of a damaged file and names each line left out, and why', async () => {
    const { engine: e } = start();
    const text = ['{"seq":1,"dir":"in","opcode":"text","at":"2024-05-01T10:00:00Z","size":1,"text":"x"}', 'not json', '{"seq":3}'].join('\n');
    const result = await e.call('frames:import', { text, name: 'bad.ndjson' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.notes.join('\n')).toContain('left out line 2: the line is not valid JSON');
    expect(result.value.notes.join('\n')).toContain('left out line 3: the frame\'s direction is missing (expected "in" or "out")');
    const page = await e.call('frames:page', { sessionId: result.value.sessionId, fromSeq: 1, limit: 10 });
    expect(page.ok && page.value.frames.map((f) => f.seq)).toEqual([1]);
  });

  it('refuses a file with no whole frame in one INVALID_ARGUMENT, pointing at the first problem', async () => {
    const { engine: e, events } = start();
    const result = await e.call('frames:import', { text: ['not json', '{"seq":3}'].join('\n'), name: 'bad.ndjson' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_ARGUMENT');
    expect(result.error.message).toContain('bad.ndjson: ');
    expect(events).toEqual([]);
  });

  it('refuses a file over the host\'s import bound', async () => {
    const { engine: e } = start({ maxImportChars: 100 });
    const result = await e.call('frames:import', { text: await fixtureText('ndjson'), name: 'big.ndjson' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('the largest file that can be imported');
  });
});

describe('frames:search', () => {
  it('finds frames and pages, through the validated command', async () => {
    const { engine: e } = start();
    const sessionId = await importFixture(e);
    const result = await e.call('frames:search', { sessionId, filter: { text: 'HELLO', ignoreCase: true }, searchId: 'mine' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.searchId).toBe('mine');
    expect(result.value.matches.map((m) => m.seq)).toEqual([1]);
    expect(result.value.nextSeq).toBeNull();
    const json = await e.call('frames:search', { sessionId, filter: { jsonPath: '$[?(@.price > 1)]' } });
    expect(json.ok && json.value.matches.map((m) => m.seq)).toEqual([2]);
  });

  it.each([
    [{ regex: '(' }, 'filter.regex', 'not a valid regular expression'],
    [{ regex: '(a)\\1' }, 'filter.regex', 'backreference'],
    [{ jsonPath: '$.a[' }, 'filter.jsonPath', 'never closed'],
    [{ minSize: 10, maxSize: 2 }, 'filter.minSize', 'minSize must not be larger than maxSize'],
    [{ opcodes: ['fin'] }, 'filter.opcodes.0', ''],
  ])('a bad filter %j is INVALID_ARGUMENT at %s', async (filter, where, words) => {
    const { engine: e } = start();
    const sessionId = await importFixture(e);
    const result = await e.invoke('frames:search', { sessionId, filter });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'INVALID_ARGUMENT', path: where });
    expect(result.error.message).toContain(words);
  });

  it('a newer search of the same session cancels the running one; search-cancel stops one by id', async () => {
    const { engine: e } = start();
    const lines = Array.from({ length: 40_000 }, (_, i) => JSON.stringify({ seq: i + 1, dir: 'in', opcode: 'text', at: '2024-05-01T10:00:00Z', size: `{"n":${i}}`.length, text: `{"n":${i}}` }));
    const imported = await e.call('frames:import', { text: lines.join('\n'), name: 'many.ndjson' });
    if (!imported.ok) throw new Error(imported.error.message);
    const { sessionId } = imported.value;
    // A JSONPath over 40,000 frames takes many time slices: the second search arrives meanwhile.
    const first = e.call('frames:search', { sessionId, searchId: 'first', filter: { jsonPath: '$[?(@ == -1)]' }, countAll: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await e.call('frames:search', { sessionId, searchId: 'second', filter: { text: '"n":39999' } });
    const firstResult = await first;
    expect(firstResult.ok && firstResult.value).toMatchObject({ searchId: 'first', cancelled: true });
    expect(firstResult.ok && firstResult.value.total).toBeUndefined();
    expect(second.ok && second.value).toMatchObject({ searchId: 'second', cancelled: false });
    expect(second.ok && second.value.matches.map((m) => m.seq)).toEqual([40_000]);

    const third = e.call('frames:search', { sessionId, searchId: 'third', filter: { jsonPath: '$[?(@ == -1)]' } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await e.call('frames:search-cancel', { sessionId, searchId: 'third' })).toEqual({ ok: true, value: { cancelled: true } });
    const thirdResult = await third;
    expect(thirdResult.ok && thirdResult.value.cancelled).toBe(true);
    expect(await e.call('frames:search-cancel', { sessionId, searchId: 'third' })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('names an unknown session', async () => {
    const { engine: e } = start();
    const result = await e.call('frames:search', { sessionId: 'nope', filter: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('UNKNOWN_SESSION');
  });
});

describe('statistics, acknowledgements and export', () => {
  it('gives an imported log\'s statistics as they stood at its end', async () => {
    const { engine: e } = start();
    const sessionId = await importFixture(e);
    const stats = await e.call('session:stats', { sessionId });
    expect(stats.ok).toBe(true);
    if (!stats.ok) return;
    expect(stats.value.totals).toEqual({ in: { messages: 4, bytes: 25 + 4 + 2 + 5 }, out: { messages: 3, bytes: 9 + 2 + 5 } });
    expect(stats.value.rtt).toMatchObject({ lastMs: 12, pending: 0, unmatchedPongs: 0 });
    expect((await e.call('frames:ack', { sessionId, seq: 7 })).ok).toBe(true);
    expect((await e.call('frames:ack', { sessionId: 'nope', seq: 7 })).ok).toBe(false);
  });

  it('exports text with a suggested file name, and refuses a file export unless the host allows it', async () => {
    const { engine: e } = start();
    const sessionId = await importFixture(e);
    const text = await e.call('frames:export', { sessionId, format: 'har', filter: { direction: 'out' } });
    expect(text.ok).toBe(true);
    if (!text.ok) return;
    expect(text.value).toMatchObject({ format: 'har', frames: 3, fileName: 'echo.example-2024-05-01T10-20-30.har' });
    const har = JSON.parse(text.value.text) as { log: { entries: { _webSocketMessages: { type: string }[] }[] } };
    expect(har.log.entries[0]?._webSocketMessages.map((m) => m.type)).toEqual(['send', 'send', 'send']);
    const badFilter = await e.call('frames:export', { sessionId, format: 'ndjson', filter: { regex: '[' } });
    expect(badFilter.ok).toBe(false);
    if (!badFilter.ok) expect(badFilter.error).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'filter.regex' });

    const refused = await e.call('frames:export-to-file', { sessionId, format: 'ndjson', path: path.join(os.tmpdir(), 'never.ndjson') });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('FORBIDDEN');
  });

  it('writes a file where the host allows it, and says why it could not', async () => {
    const { engine: e } = start({ allowFileExport: true });
    const sessionId = await importFixture(e);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-engine-export-'));
    const file = path.join(dir, 'out.ndjson');
    const written = await e.call('frames:export-to-file', { sessionId, format: 'ndjson', path: file });
    expect(written.ok && written.value).toMatchObject({ path: file, frames: 7 });
    expect(fs.readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(8);
    const failed = await e.call('frames:export-to-file', { sessionId, format: 'ndjson', path: path.join(dir, 'no', 'such', 'dir.ndjson') });
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'path' });
  });
});
