// D5: a search the engine refuses (a JSONPath only the engine parses) is not applied, as one the
// renderer refuses at once (a bad regex or decoded query) is not: no chip, no "Searching…" left
// behind by the Enter that started it, and "only matches" does not empty the log.
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { serveFrames } from '../stores/fake-frames';
import { batch, frames } from '../stores/frame-fixtures';

const S = 's1';
let fake: FakeBridge;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
});

function setup() {
  const sessionStore = useSessionsStore();
  const list = frames(1, 6, (seq) => ({ preview: `{"price":${seq}}` }));
  const engine = serveFrames(fake, S, list);
  sessionStore.handleEvent(batch(S, list));
  sessionStore.flushFrames();
  return { view: useFrameViewStore().viewOf(S), engine };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await flushPromises();
}

describe('a JSONPath the engine refuses', () => {
  it('ends the step that was waiting, leaves no chip, and is said as an error', async () => {
    const { view, engine } = setup();
    engine.hold();
    view.setSearchMode('jsonpath');
    view.setSearch('$[?(@.price >');
    // Enter: the step waits for the engine's first answer.
    view.nextMatch();
    expect(view.state.notice).toBe('Searching…');
    expect(view.chips.value.map((c) => c.id)).toEqual(['search']);
    engine.release();
    await settle();
    expect(view.matches.value.error).toBe('Unexpected end of JSONPath at 2');
    expect(view.state.notice).toBeNull();
    expect(view.state.pendingStep).toBeNull();
    expect(view.chips.value).toEqual([]);
    // Enter again: nothing to wait for.
    view.nextMatch();
    expect(view.state.notice).toBeNull();
  });

  it('with "only matches" on, leaves every frame in the log and no "only matches" chip', async () => {
    const { view } = setup();
    view.setOnlyMatches(true);
    view.setSearchMode('jsonpath');
    view.setSearch('$[?(@.price >');
    await settle();
    expect(view.matches.value.error).not.toBeNull();
    expect(view.listFilter.value).toBeNull();
    expect(view.list.value.count).toBe(6);
    expect(view.list.value.error).toBeNull();
    expect(view.chips.value).toEqual([]);
  });

  it('a valid one keeps its chip and steps (the fix does not hide working searches)', async () => {
    const { view } = setup();
    view.setSearchMode('jsonpath');
    view.setSearch('$.price');
    await settle();
    expect(view.matches.value.error).toBeNull();
    expect(view.chips.value.map((c) => c.id)).toEqual(['search']);
  });
});
