// The log's own controls: Clear (a view-level clear, counted apart from drops), Pause with its
// "N new frames" pill, the three kinds of timestamps, hiding columns, the jump pill that only
// counts frames below the rows in view, and Escape back to the statistics.
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import FrameLog from '../../../src-renderer/src/components/FrameLog.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { STORAGE_KEY } from '../../../src-renderer/src/stores/log-prefs-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import type { FrameSummary } from '../../../src-main/shared/model';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { serveFrames, type FakeFrameStore } from '../stores/fake-frames';
import { batch, frames } from '../stores/frame-fixtures';
import { mockScrollerLayout } from './layout-mock';
import { settle } from './store-fixture';

const S = 's1';
const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);
let restoreLayout: () => void;
let wrapper: VueWrapper | null = null;
let fake: FakeBridge;
let engine: FakeFrameStore;

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  restoreLayout = mockScrollerLayout(440);
  engine = serveFrames(fake, S, []);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  restoreLayout();
});

/** Frames arrive live (the fake engine's store holds them too). */
function arrive(list: FrameSummary[]): void {
  const sessionStore = useSessionsStore();
  engine.frames.push(...list);
  sessionStore.handleEvent(batch(S, list));
  sessionStore.flushFrames();
}


async function mountLog(): Promise<VueWrapper> {
  wrapper = mount(FrameLog, { props: { sessionId: S }, attachTo: document.body });
  await settle();
  wrapper.get('[data-frame-scroller]').element.dispatchEvent(new Event('scroll'));
  await settle();
  return wrapper;
}

const dataRows = (w: VueWrapper) => w.findAll('[role="rowgroup"] [role="row"]:not(.placeholder)');
const seqsShown = (w: VueWrapper) => dataRows(w).map((r) => Number(r.get('.c-seq').text()));
const button = (w: VueWrapper, name: string) => {
  const found = w.findAll('.log-bar button').find((b) => b.text().includes(name));
  if (!found) throw new Error(`no button ${name}`);
  return found;
};

describe('Clear', () => {
  it('empties the log but not the engine: counted as cleared, apart from dropped frames, and new frames show', async () => {
    arrive(frames(1, 10));
    const w = await mountLog();
    useFrameViewStore().viewOf(S).select(4);
    await button(w, 'Clear').trigger('click');
    await settle();
    expect(dataRows(w)).toHaveLength(0);
    expect(w.get('[data-testid="frames-cleared"]').text()).toContain('Cleared 10 frames from the log');
    expect(w.get('[data-testid="frames-cleared"]').text()).toContain('Export still writes them');
    // The selection went with them; nothing was asked of the engine to delete.
    expect(useFrameViewStore().viewOf(S).state.selectedSeq).toBeNull();
    expect(fake.calls.some((c) => c.name === 'session:dispose')).toBe(false);

    arrive(frames(11, 13));
    await settle();
    expect(seqsShown(w)).toEqual([11, 12, 13]);
    // The engine evicts 4 of the cleared ones: they are dropped now, no longer "cleared".
    const sessionStore = useSessionsStore();
    sessionStore.handleEvent(batch(S, frames(14, 14), 4));
    sessionStore.flushFrames();
    await settle();
    expect(w.get('[data-testid="frames-cleared"]').text()).toContain('Cleared 6 frames');
    expect(w.get('.banner.dropped').text()).toContain('4 older frames dropped');
  });
});

describe('Pause', () => {
  it('freezes the rows while capture goes on, counts what came, and resumes from the pill', async () => {
    arrive(frames(1, 5));
    const w = await mountLog();
    await button(w, 'Pause').trigger('click');
    arrive(frames(6, 9));
    await settle();
    expect(seqsShown(w)).toEqual([1, 2, 3, 4, 5]);
    expect(useSessionsStore().sessions.get(S)?.lastSeq).toBe(9);
    const pill = w.get('[data-testid="paused-pill"]');
    expect(pill.text()).toBe('4 new frames — resume');
    expect(pill.attributes('aria-label')).toBe('Paused: 4 new frames — resume');
    expect(button(w, 'Resume').attributes('aria-pressed')).toBe('true');
    await pill.trigger('click');
    await settle();
    expect(seqsShown(w)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(w.find('[data-testid="paused-pill"]').exists()).toBe(false);
  });
});

describe('Pause once no frame can come', () => {
  const closed = () => useSessionsStore().handleEvent({ type: 'closed', sessionId: S, code: 1000, reason: '', wasClean: true, initiatedBy: 'client', at: T0 });

  it('is disabled, saying why, after the connection closed for good; live it is enabled', async () => {
    arrive(frames(1, 3));
    const w = await mountLog();
    const pause = () => w.get('[data-testid="log-pause"]');
    expect(pause().attributes('disabled')).toBeUndefined();
    closed();
    await settle();
    expect(pause().attributes('disabled')).toBeDefined();
    expect(pause().attributes('title')).toBe('Nothing to pause: no more frames come to this log');
  });

  it('stays a Resume when the log was paused before the close, so the held rows can be shown', async () => {
    arrive(frames(1, 3));
    const w = await mountLog();
    await button(w, 'Pause').trigger('click');
    arrive(frames(4, 5));
    closed();
    await settle();
    const resume = button(w, 'Resume');
    expect(resume.attributes('disabled')).toBeUndefined();
    await resume.trigger('click');
    await settle();
    expect(seqsShown(w)).toEqual([1, 2, 3, 4, 5]);
    expect(w.get('[data-testid="log-pause"]').attributes('disabled')).toBeDefined();
  });

  it('is disabled in an imported log', async () => {
    useSessionsStore().handleEvent({ type: 'session-created', sessionId: 'imp1', url: 'ws://127.0.0.1:1/ws', at: 1, readOnly: true, name: 'x.ndjson' });
    await settle();
    wrapper = mount(FrameLog, { props: { sessionId: 'imp1' }, attachTo: document.body });
    await settle();
    expect(wrapper.get('[data-testid="log-pause"]').attributes('disabled')).toBeDefined();
  });
});

describe('timestamps', () => {
  it('shows clock time, time since the session opened, or the delta to the row above; remembered', async () => {
    const sessionStore = useSessionsStore();
    sessionStore.handleEvent({ type: 'state', sessionId: S, state: 'open', previous: 'upgrading', at: T0 - 2000 });
    arrive([
      { seq: 1, dir: 'out', opcode: 'text', at: T0, size: 1, preview: 'a', truncated: false },
      { seq: 2, dir: 'in', opcode: 'text', at: T0 + 12, size: 1, preview: 'b', truncated: false },
      { seq: 3, dir: 'in', opcode: 'text', at: T0 + 65_432, size: 1, preview: 'c', truncated: false },
    ]);
    const w = await mountLog();
    const times = () => dataRows(w).map((r) => r.get('.c-time').text());
    expect(times()[0]).toMatch(/^\d\d:\d\d:\d\d\.000$/);

    await w.findAll('[aria-label="Time shown"] button').find((b) => b.text() === 'Since open')?.trigger('click');
    expect(w.get('.head .c-time').text()).toBe('Since open');
    expect(times()).toEqual(['+2.000', '+2.012', '+1:07.432']);

    await w.findAll('[aria-label="Time shown"] button').find((b) => b.text() === 'Delta')?.trigger('click');
    expect(w.get('.head .c-time').text()).toBe('Delta');
    expect(times()).toEqual(['+0.000', '+0.012', '+1:05.420']);
    await settle();
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')).toMatchObject({ timeMode: 'delta' });
  });
});

describe('columns', () => {
  it('hides and shows columns from the Columns menu, never the last one, and remembers them', async () => {
    arrive(frames(1, 3));
    const w = await mountLog();
    await button(w, 'Columns').trigger('click');
    const box = (label: string) => {
      const found = w.findAll('[role="dialog"][aria-label="Columns"] label').find((l) => l.text().startsWith(label));
      if (!found) throw new Error(`no ${label}`);
      return found.get('input');
    };
    await box('Size').setValue(false);
    await box('Type').setValue(false);
    expect(w.findAll('.head [role="columnheader"]').map((h) => h.text())).toEqual(['#', 'Time', 'DirDirection', 'Preview']);
    expect(dataRows(w)[0]?.find('.c-size').exists()).toBe(false);
    await settle();
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')).toMatchObject({ columns: ['seq', 'time', 'dir', 'summary', 'preview'] });

    for (const label of ['#', 'Time', 'Direction', 'Summary']) await box(label).setValue(false);
    expect(box('Preview').attributes('disabled')).toBeDefined();
    expect(w.findAll('.head [role="columnheader"]').map((h) => h.text())).toEqual(['Preview']);
  });
});

describe('jump to latest', () => {
  it('lives in the bar below the rows and counts only new frames below the rows in view', async () => {
    arrive(frames(1, 10));
    const w = await mountLog();
    useFrameViewStore().viewOf(S).select(3);
    arrive(frames(11, 13));
    await settle();
    // 13 rows fit in 440 px: the new frames are in view, so they are no news, and with the
    // last row on screen there is nothing to jump to (QA: "↓ Jump to latest" with every row shown).
    expect(seqsShown(w)).toContain(13);
    expect(w.find('[data-testid="jump-pill"]').exists()).toBe(false);

    arrive(frames(14, 40));
    await settle();
    // 20 rows in view (1–20): of the 30 new frames, 11–20 are on screen, 21–40 are below.
    expect(w.get('[data-testid="jump-pill"]').text()).toBe('↓ 20 new frames');
    expect(w.get('[data-testid="jump-pill"]').attributes('aria-label')).toBe('20 new frames below — Jump to latest');
    expect(w.get('[data-testid="jump-pill"]').element.closest('[role="grid"]')).toBeNull();
  });

  it('counts no frame as new when none arrived: a filter still listing its rows after the stream ended', async () => {
    // QA: after a flood ended, a search with "Only matches" showed "↓ 231 new frames" (its
    // matches less the rows in view), though no frame had come since.
    arrive(frames(1, 300, (seq) => ({ dir: seq % 2 === 0 ? 'in' : 'out' })));
    const w = await mountLog();
    const view = useFrameViewStore().viewOf(S);
    view.setDirection('in');
    // The row is chosen while the engine has not listed the filter's rows yet.
    view.select(2);
    await settle();
    expect(view.list.value.count).toBe(150);
    expect(view.state.follow).toBe(false);
    // Back to the top, where the rows below are the old ones.
    const scroller = w.get('[data-frame-scroller]').element;
    scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: -10_000 }));
    scroller.scrollTop = 0;
    scroller.dispatchEvent(new Event('scroll'));
    await settle();
    expect(seqsShown(w)[0]).toBe(2);
    expect(w.get('[data-testid="jump-pill"]').text()).toBe('↓ Jump to latest');

    // A frame that does arrive below is counted.
    arrive(frames(301, 302, () => ({ dir: 'in' })));
    // The filter's caught-up job looks at new frames on its own timer (TAIL_INTERVAL_MS): wait
    // until it has listed them, not for a time.
    await vi.waitFor(() => expect(view.list.value.count).toBe(152), { timeout: 30_000 });
    await settle();
    expect(w.get('[data-testid="jump-pill"]').text()).toBe('↓ 2 new frames');
  });
});

describe('Escape', () => {
  it('clears the selection, so the detail pane goes back to the statistics', async () => {
    arrive(frames(1, 5));
    const w = await mountLog();
    const store = useFrameViewStore();
    store.viewOf(S).select(2);
    expect(store.viewOf(S).state.detailTab).toBe('frame');
    const esc = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    w.get('[role="grid"]').element.dispatchEvent(esc);
    expect(esc.defaultPrevented).toBe(true);
    expect(store.viewOf(S).state.selectedSeq).toBeNull();
    expect(store.viewOf(S).state.detailTab).toBe('stats');
  });
});
