// The log filtered by a decoded field (or following a conversation) is the engine's decoded
// search, paged (search-runner.ts). When the tab's decode choice changes while it is indexed, the
// pages found with the old choice must not stay beside those found with the new one: the search
// starts again from the first frame with the new choice (the engine also stops the page under
// way: frame-search.ts, test/unit/decode/search-choice-change.test.ts).
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { commandSchemas } from '../../../src-main/shared/commands';
import type { DecodingState } from '../../../src-main/shared/decoding';
import type { FrameSummary } from '../../../src-main/shared/model';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { batch, frames } from '../stores/frame-fixtures';

const S = 's1';
const TAB = 't1';
const FRAMES = 3000;
/** Frames the fake engine scans a call (a real one stops after its time with a cursor: nextSeq). */
const SCANNED_A_CALL = 1000;
const AVAILABLE = [
  { name: 'mqtt', title: 'MQTT' },
  { name: 'stomp', title: 'STOMP' },
];

function stateOf(choice: string): DecodingState {
  if (choice === 'mqtt') return { choice, active: { protocol: 'mqtt', title: 'MQTT', guess: false, reason: 'chosen for this tab' }, available: AVAILABLE };
  if (choice === 'stomp') return { choice, active: { protocol: 'stomp', title: 'STOMP', guess: false, reason: 'chosen for this tab' }, available: AVAILABLE };
  return { choice, active: null, available: AVAILABLE };
}

let fake: FakeBridge;
let list: FrameSummary[];
/** The fake engine's decode choice for the session. */
let engineChoice: string;
/** Each search call: where it started and the choice the engine searched with. */
let searches: { fromSeq: number; choice: string }[];

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  list = frames(1, FRAMES, (seq) => ({ dir: 'in', opcode: 'binary', preview: `publish ${seq}` }));
  engineChoice = 'mqtt';
  searches = [];
  fake.answer('session:decoding', (raw) => {
    const choice = (raw as { choice?: string }).choice;
    if (choice !== undefined) engineChoice = choice;
    return { ok: true, value: stateOf(engineChoice) };
  });
  // Every tenth frame is an MQTT PUBLISH to a/7; decoded as anything else, no frame has that topic.
  fake.answer('frames:search', (raw) => {
    const arg = commandSchemas['frames:search'].arg.parse(raw);
    const from = arg.fromSeq ?? 1;
    searches.push({ fromSeq: from, choice: engineChoice });
    const to = Math.min(FRAMES, from + SCANNED_A_CALL - 1);
    const wanted = arg.filter.decoded?.topic === 'a/7' && engineChoice === 'mqtt';
    const matches = wanted ? list.filter((f) => f.seq >= from && f.seq <= to && f.seq % 10 === 0) : [];
    return { ok: true, value: { searchId: arg.searchId ?? 'x', matches, nextSeq: to < FRAMES ? to + 1 : null, scanned: to - from + 1, cancelled: false, elapsedMs: 1, firstSeq: 1, lastSeq: FRAMES, dropped: 0 } };
  });
});

describe('the log filtered by a decoded field when the decode choice changes', () => {
  it('drops what the old choice found and searches again from the first frame with the new one', async () => {
    const sessions = useSessionsStore();
    sessions.handleEvent(batch(S, list));
    sessions.flushFrames();
    const decoding = useDecodingStore();
    await decoding.choose(TAB, S, 'mqtt');
    const view = useFrameViewStore().viewOf(S);
    await flushPromises();

    // The first page is searched at once (with MQTT); the user picks STOMP before the next one.
    view.setDecodedField({ name: 'topic', value: 'a/7' });
    expect(searches).toEqual([{ fromSeq: 1, choice: 'mqtt' }]);
    const chosen = decoding.choose(TAB, S, 'stomp');
    await chosen;
    await flushPromises();

    const job = view.runner.job('list');
    expect(job?.caughtUp(FRAMES)).toBe(true);
    // Nothing MQTT found stays: the index is the new choice's alone.
    expect(job?.index.count).toBe(0);
    expect(view.list.value.count).toBe(0);
    // Searched again from the first frame with STOMP (a page asked before the change's answer came is ignored).
    expect(searches).toContainEqual({ fromSeq: 1, choice: 'stomp' });
  });

  it('back to MQTT: the matches are the whole session’s, each once', async () => {
    const sessions = useSessionsStore();
    sessions.handleEvent(batch(S, list));
    sessions.flushFrames();
    const decoding = useDecodingStore();
    await decoding.choose(TAB, S, 'stomp');
    const view = useFrameViewStore().viewOf(S);
    await flushPromises();
    view.setDecodedField({ name: 'topic', value: 'a/7' });
    await decoding.choose(TAB, S, 'mqtt');
    await flushPromises();
    const job = view.runner.job('list');
    expect(job?.caughtUp(FRAMES)).toBe(true);
    expect(job?.index.count).toBe(FRAMES / 10);
  });
});
