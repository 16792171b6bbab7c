/**
 * Through the engine, as every host calls it: a send refused at the high-water mark is a
 * Result with transport/SEND_QUEUE_FULL (saying how much is queued), not a crash and not
 * SESSION_NOT_OPEN; the session stays open and its stats event says what is queued.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { commandSchemas } from '../../../src-main/shared/commands';
import type { EngineEvent } from '../../../src-main/shared/events';
import { SEND_HIGH_WATER_MARK } from '../../../src-main/shared/model';
import { startRawServer, switchingProtocols, type RawServer } from '../../support/raw-ws-server';

let engine: Engine | undefined;
let raw: RawServer | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await raw?.close();
  raw = undefined;
});

describe('session:send to a server that does not read', () => {
  it('answers SEND_QUEUE_FULL once 16 MiB are queued, and the session stays open', async () => {
    raw = await startRawServer(({ socket, key }) => {
      socket.pause();
      socket.write(switchingProtocols(key));
    });
    engine = new Engine({ host: 'cli', version: '1', env: {} });
    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    const opened = await engine.invoke('session:open', { options: { url: raw.url, proxy: { mode: 'none' } } });
    if (!opened.ok) throw new Error(`open failed: ${opened.error.message}`);
    const { sessionId } = commandSchemas['session:open'].result.parse(opened.value);
    await expect.poll(() => events.some((e) => e.type === 'state' && e.state === 'open')).toBe(true);

    const chunk = Buffer.alloc(1024 * 1024, 1).toString('base64');
    let refused: unknown;
    for (let i = 0; i < 200 && refused === undefined; i++) {
      const result = await engine.invoke('session:send', { sessionId, kind: 'binary', data: chunk });
      if (!result.ok) refused = result.error;
    }
    expect(refused).toMatchObject({ kind: 'net', stage: 'transport', code: 'SEND_QUEUE_FULL' });
    const error = refused as { message: string; details: { queuedBytes?: number } };
    expect(error.message).toMatch(/^The server is not reading \(\d+\.\d MiB queued\)/);
    expect(error.details.queuedBytes).toBeGreaterThanOrEqual(SEND_HIGH_WATER_MARK);

    const listed = await engine.invoke('session:list', {});
    if (!listed.ok) throw new Error(`list failed: ${listed.error.message}`);
    const sessions = commandSchemas['session:list'].result.parse(listed.value);
    expect(sessions.find((s) => s.sessionId === sessionId)?.state).toBe('open');
    const full = events.find((e) => e.type === 'stats' && (e.stats.queued?.bytes ?? 0) >= SEND_HIGH_WATER_MARK);
    expect(full).toBeDefined();
  });
});
