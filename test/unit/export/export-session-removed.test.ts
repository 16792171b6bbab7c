/**
 * A session removed while an export reads it (its frames go with it). Before, an export with a
 * decoded filter said "the decode choice changed during the export" (its decoded test turns stale
 * for both), and one without such a filter wrote the frames read so far, saying nothing. Now
 * either stops, writes nothing, and says what happened: UNKNOWN_SESSION "the session was closed
 * while the export read its frames" (session:dispose: its tab closed or connected again) or
 * "forgotten" (the engine removed it: closed with no tab keeping it, past the retention; its
 * owner's page gone past the grace). A changed choice stays CONFLICT (export-choice-change.test.ts).
 * Through the engine; performance.now is faked (each look a millisecond) so the slices do not
 * depend on the machine's speed, and the engine's timers run on a manual clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeExport } from '../../../src-main/cli/write-export';
import { Engine } from '../../../src-main/core/engine';
import { describeRemoval } from '../../../src-main/core/export/session-removal';
import { ManualClock } from '../../support/manual-clock';
import { fakeClock, importMqtt, turn } from '../../support/mqtt-import';

const FRAMES = 30_000;
const RETENTION_MS = 60_000;
const GRACE_MS = 5_000;

describe('an export whose session is removed while it runs', () => {
  let engine: Engine | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await engine?.dispose();
    engine = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function newEngine(clock = new ManualClock()): Engine {
    engine = new Engine({ host: 'web', version: '1', env: {}, clock, sessionLimits: { closedRetentionMs: RETENTION_MS, clientGraceMs: GRACE_MS } });
    return engine;
  }

  it('closed (session:dispose) while a decoded filter selects frames: says the session was closed, not that the choice changed', async () => {
    const e = newEngine();
    const sessionId = await importMqtt(e, FRAMES);
    expect((await e.call('session:decoding', { sessionId, choice: 'mqtt' })).ok).toBe(true);
    const clock = fakeClock();
    const running = e.call('frames:export', { sessionId, format: 'ndjson', filter: { decoded: { topic: 'a/7' } }, decoded: { choice: 'mqtt' } });
    // Its first slice has run and it waits for its next turn.
    while (clock.looks() === 0) await turn();
    expect((await e.call('session:dispose', { sessionId })).ok).toBe(true);
    const result = await running;
    expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_SESSION', message: `frames:export: ${describeRemoval({ by: 'dispose' })}` } });
    if (result.ok) return;
    expect(result.error.message).toBe(
      'frames:export: the session was closed while the export read its frames (its tab closed or connected again, or session:dispose): they went with it, so nothing was written; export before closing the tab',
    );
  });

  it('forgotten (closed, no tab keeps it, past the retention) while a query selects frames: says it was forgotten and why', async () => {
    const engineClock = new ManualClock();
    const e = newEngine(engineClock);
    // An import is closed and unpinned: its retention starts at once.
    const sessionId = await importMqtt(e, FRAMES);
    await e.call('session:decoding', { sessionId, choice: 'mqtt' });
    const clock = fakeClock();
    const running = e.call('frames:export', { sessionId, format: 'har', filter: { decoded: { query: "$.topic == 'a/7'" } } });
    while (clock.looks() === 0) await turn();
    engineClock.advance(RETENTION_MS);
    const result = await running;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual({ code: 'UNKNOWN_SESSION', message: `frames:export: ${describeRemoval({ by: 'retention', afterMs: RETENTION_MS })}` });
    expect(result.error.message).toBe(
      'frames:export: the session was forgotten while the export read its frames: it had closed and no tab kept it, so the engine removed it after 1 min; nothing was written; keep a tab on a closed session to export it',
    );
  });

  it('forgotten (its page gone past the grace): says so', async () => {
    const engineClock = new ManualClock();
    const e = newEngine(engineClock);
    e.clientConnected('page');
    const sessionId = await importMqtt(e, FRAMES);
    // The page's now (and pinned: a tab shows it, so no retention).
    expect((await e.call('session:adopt', { sessionId }, { clientId: 'page' })).ok).toBe(true);
    await e.call('session:decoding', { sessionId, choice: 'mqtt' });
    const clock = fakeClock();
    const running = e.call('frames:export', { sessionId, format: 'ndjson', filter: { decoded: { topic: 'a/7' } } });
    while (clock.looks() === 0) await turn();
    e.clientDisconnected('page');
    engineClock.advance(GRACE_MS);
    const result = await running;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual({ code: 'UNKNOWN_SESSION', message: `frames:export: ${describeRemoval({ by: 'owner-gone' })}` });
    expect(result.error.message).toContain('the session was forgotten while the export read its frames: the page or window that owned it had been gone past the grace period');
  });

  it('without a filter, with decoded frames: closed between two of its yields, it fails the same way instead of writing the frames read so far', async () => {
    const e = newEngine();
    const sessionId = await importMqtt(e, 50_000);
    const running = e.call('frames:export', { sessionId, format: 'ndjson', decoded: { choice: 'mqtt' } });
    // The export writes 20,000 frames, then yields: the session goes then.
    await turn();
    expect((await e.call('session:dispose', { sessionId })).ok).toBe(true);
    expect(await running).toEqual({ ok: false, error: { code: 'UNKNOWN_SESSION', message: `frames:export: ${describeRemoval({ by: 'dispose' })}` } });
  });

  it('to a file (the CLI’s --export): fails the same way, says so on stderr, and leaves no file, not even a temporary one', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-export-removed-'));
    const target = path.join(dir, 'all.ndjson');
    const e = new Engine({ host: 'cli', version: '1', env: {}, allowFileExport: true, clock: new ManualClock() });
    engine = e;
    const sessionId = await importMqtt(e, 50_000);
    const said: string[] = [];
    const running = writeExport(e, sessionId, { path: target, format: 'ndjson', decoded: { choice: 'mqtt' } }, { json: false, out: (line) => said.push(line), err: (line) => said.push(line) });
    await turn();
    expect((await e.call('session:dispose', { sessionId })).ok).toBe(true);
    expect(await running).toBe(false);
    expect(said).toEqual([`tunnelscope: the log was not written: frames:export-to-file: ${describeRemoval({ by: 'dispose' })}`]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('asked while its session is being removed (the removal has begun, the frames not yet released): fails the same way', async () => {
    const e = newEngine();
    const sessionId = await importMqtt(e, FRAMES);
    const removing = e.call('session:dispose', { sessionId });
    const result = await e.call('frames:export', { sessionId, format: 'ndjson', decoded: { choice: 'mqtt' } });
    expect((await removing).ok).toBe(true);
    expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_SESSION', message: `frames:export: ${describeRemoval({ by: 'dispose' })}` } });
  });

  it('another session removed meanwhile does not stop it', async () => {
    const e = newEngine();
    const sessionId = await importMqtt(e, FRAMES);
    const other = await importMqtt(e, 10);
    await e.call('session:decoding', { sessionId, choice: 'mqtt' });
    const clock = fakeClock();
    const running = e.call('frames:export', { sessionId, format: 'ndjson', filter: { decoded: { topic: 'a/7' } } });
    while (clock.looks() === 0) await turn();
    expect((await e.call('session:dispose', { sessionId: other })).ok).toBe(true);
    const result = await running;
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.frames).toBe(Math.floor((FRAMES - 1) / 10));
  });
});
