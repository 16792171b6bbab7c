/**
 * A decoded search runs in time slices, yielding between events; the tab's decode choice
 * (`session:decoding`) may change in one of those gaps. The search must not then finish with the
 * choice it began with (its answer would be the old protocol's, given after the new one was
 * chosen, and the log's next page would be the new one's): it stops, `cancelled`, and the caller
 * searches again (the log's search runner does: search-runner.ts). Through the engine, as the log
 * runs it; the clock is faked (each look at it is one millisecond), so the slices do not depend on
 * the machine's speed.
 */
import mqtt from 'mqtt-packet';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src-main/core/engine';

const FRAMES = 30_000;
const v5 = { protocolVersion: 5 } as const;
const publish = (topic: string): Buffer => mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from('x'), qos: 0, retain: false, dup: false }, v5);

async function importMqtt(engine: Engine): Promise<string> {
  const lines = [mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 30 }, v5)];
  for (let i = 1; i < FRAMES; i++) lines.push(publish(i % 10 === 0 ? 'a/7' : 'b'));
  const text = lines
    .map((bytes, i) => JSON.stringify({ seq: i + 1, dir: i === 0 ? 'out' : 'in', opcode: 'binary', at: '2024-05-01T10:00:00.000Z', size: bytes.length, base64: bytes.toString('base64') }))
    .join('\n');
  const imported = await engine.call('frames:import', { text, name: 'mqtt.ndjson' });
  if (!imported.ok) throw new Error(imported.error.message);
  return imported.value.sessionId;
}

const turn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

describe('a decoded search under way when the decode choice changes', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await engine?.dispose();
    engine = undefined;
  });

  // A field search (the index and its prefilter walk) and a query search (a walk of its own).
  const FILTERS = [
    ['field', { topic: 'a/7' }],
    ['query', { query: "$.topic == 'a/7'" }],
  ] as const;
  for (const [kind, decoded] of FILTERS) {
    for (const choice of ['stomp', 'none', 'auto'] as const) {
      it(`${kind} search, mqtt → ${choice}: the search stops (cancelled) instead of answering with the old choice; searched again, it answers with the new one`, async () => {
        const e = new Engine({ host: 'web', version: '1', env: {} });
        engine = e;
        const sessionId = await importMqtt(e);
        const chosen = await e.call('session:decoding', { sessionId, choice: 'mqtt' });
        if (!chosen.ok) throw new Error(chosen.error.message);
        // Fake time: every look at the clock is a millisecond, so a slice (12 ms) scans a few thousand frames.
        let now = 0;
        let looks = 0;
        vi.spyOn(performance, 'now').mockImplementation(() => {
          looks++;
          return (now += 1);
        });
        const running = e.call('frames:search', { sessionId, filter: { decoded }, limit: 5000, countAll: true });
        // Its first slice has run and it waits for its next turn.
        while (looks === 0) await turn();
        const changed = await e.call('session:decoding', { sessionId, choice });
        expect(changed.ok).toBe(true);
        const result = await running;
        if (!result.ok) throw new Error(result.error.message);
        expect(result.value.cancelled).toBe(true);
        expect(result.value.total).toBeUndefined();
        // Searched again: the new choice's answer (STOMP and none name no MQTT topic; auto finds MQTT again by its CONNECT).
        const again = await e.call('frames:search', { sessionId, filter: { decoded }, limit: 5000, countAll: true });
        if (!again.ok) throw new Error(again.error.message);
        expect(again.value.cancelled).toBe(false);
        expect(again.value.total).toBe(choice === 'auto' ? Math.floor((FRAMES - 1) / 10) : 0);
      });
    }
  }

  it('the same choice sent again (a tab attaching) does not stop it', async () => {
    const e = new Engine({ host: 'web', version: '1', env: {} });
    engine = e;
    const sessionId = await importMqtt(e);
    await e.call('session:decoding', { sessionId, choice: 'mqtt' });
    let now = 0;
    let looks = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => {
      looks++;
      return (now += 1);
    });
    const running = e.call('frames:search', { sessionId, filter: { decoded: { topic: 'a/7' } }, limit: 5000, countAll: true });
    while (looks === 0) await turn();
    expect((await e.call('session:decoding', { sessionId, choice: 'mqtt' })).ok).toBe(true);
    expect((await e.call('session:decoding', { sessionId })).ok).toBe(true);
    const result = await running;
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.cancelled).toBe(false);
    expect(result.value.total).toBe(Math.floor((FRAMES - 1) / 10));
  });
});
