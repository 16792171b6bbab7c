/**
 * An export of "Shown frames" with a decoded filter selects its frames in time slices, yielding
 * between events (select-frames.ts); the tab's decode choice (`session:decoding`) may change in one
 * of those gaps. Its decoded test is bound to the choice the export began with, so finishing would
 * write the old choice's selection after the new one was chosen (the log then shows the new
 * one's). The export stops instead, with an error saying the decode choice changed during it, and
 * writes nothing (a file export leaves no file). Through the engine; the clock is faked (each look
 * at it is one millisecond), so the slices do not depend on the machine's speed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { fakeClock, importMqtt, turn } from '../../support/mqtt-import';

const FRAMES = 30_000;
const MATCHES = Math.floor((FRAMES - 1) / 10);

describe('an export with a decoded filter when the decode choice changes while it selects frames', () => {
  let engine: Engine | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await engine?.dispose();
    engine = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const FILTERS = [
    ['field', { topic: 'a/7' }],
    ['query', { query: "$.topic == 'a/7'" }],
  ] as const;
  for (const [kind, decoded] of FILTERS) {
    it(`${kind} filter, mqtt → stomp: the export fails saying so, instead of writing the old choice's selection; exported again, the new choice's`, async () => {
      const e = new Engine({ host: 'web', version: '1', env: {} });
      engine = e;
      const sessionId = await importMqtt(e, FRAMES);
      expect((await e.call('session:decoding', { sessionId, choice: 'mqtt' })).ok).toBe(true);
      const clock = fakeClock();
      const running = e.call('frames:export', { sessionId, format: 'ndjson', filter: { decoded }, decoded: { choice: 'mqtt' } });
      // Its first slice has run and it waits for its next turn.
      while (clock.looks() === 0) await turn();
      expect((await e.call('session:decoding', { sessionId, choice: 'stomp' })).ok).toBe(true);
      const result = await running;
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toEqual({
        code: 'CONFLICT',
        message: "frames:export: the decode choice changed during the export (its filter tests decoded frames, which now decode otherwise); export again to write what the log shows now",
      });
      // Again: the new choice's selection (STOMP names no MQTT topic).
      const again = await e.call('frames:export', { sessionId, format: 'ndjson', filter: { decoded } });
      if (!again.ok) throw new Error(again.error.message);
      expect(again.value.frames).toBe(0);
    });
  }

  it('the same choice sent again (a tab attaching) does not stop it', async () => {
    const e = new Engine({ host: 'web', version: '1', env: {} });
    engine = e;
    const sessionId = await importMqtt(e, FRAMES);
    await e.call('session:decoding', { sessionId, choice: 'mqtt' });
    const clock = fakeClock();
    const running = e.call('frames:export', { sessionId, format: 'ndjson', filter: { decoded: { topic: 'a/7' } } });
    while (clock.looks() === 0) await turn();
    expect((await e.call('session:decoding', { sessionId, choice: 'mqtt' })).ok).toBe(true);
    const result = await running;
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.frames).toBe(MATCHES);
  });

  it('to a file: fails the same way and leaves no file, not even a temporary one', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-export-choice-'));
    const target = path.join(dir, 'shown.har');
    const e = new Engine({ host: 'cli', version: '1', env: {}, allowFileExport: true });
    engine = e;
    const sessionId = await importMqtt(e, FRAMES);
    await e.call('session:decoding', { sessionId, choice: 'mqtt' });
    const clock = fakeClock();
    const running = e.call('frames:export-to-file', { sessionId, format: 'har', path: target, filter: { decoded: { topic: 'a/7' } } });
    while (clock.looks() === 0) await turn();
    expect((await e.call('session:decoding', { sessionId, choice: 'none' })).ok).toBe(true);
    const result = await running;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('CONFLICT');
    expect(result.error.message).toMatch(/^frames:export-to-file: the decode choice changed during the export/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
