/**
 * A decoded search runs in time slices, yielding between events; the tab's decode choice
 * (`session:decoding`) may change in one of those gaps. The search must not then finish with the
 * choice it began with (its answer would be the old protocol's, given after the new one was
 * chosen, and the log's next page would be the new one's): it stops, `cancelled`, and the caller
 * searches again (the log's search runner does: search-runner.ts). Through the engine, as the log
 * runs it; the clock is faked (each look at it is one millisecond), so the slices do not depend on
 * the machine's speed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { fakeClock, importMqtt, turn } from '../../support/mqtt-import';

const FRAMES = 30_000;

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
        const sessionId = await importMqtt(e, FRAMES);
        const chosen = await e.call('session:decoding', { sessionId, choice: 'mqtt' });
        if (!chosen.ok) throw new Error(chosen.error.message);
        const clock = fakeClock();
        const running = e.call('frames:search', { sessionId, filter: { decoded }, limit: 5000, countAll: true });
        // Its first slice has run and it waits for its next turn.
        while (clock.looks() === 0) await turn();
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
    const sessionId = await importMqtt(e, FRAMES);
    await e.call('session:decoding', { sessionId, choice: 'mqtt' });
    const clock = fakeClock();
    const running = e.call('frames:search', { sessionId, filter: { decoded: { topic: 'a/7' } }, limit: 5000, countAll: true });
    while (clock.looks() === 0) await turn();
    expect((await e.call('session:decoding', { sessionId, choice: 'mqtt' })).ok).toBe(true);
    expect((await e.call('session:decoding', { sessionId })).ok).toBe(true);
    const result = await running;
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.cancelled).toBe(false);
    expect(result.value.total).toBe(Math.floor((FRAMES - 1) / 10));
  });
});
