import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import FrameLog from '../../../src-renderer/src/components/FrameLog.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { createFakeBridge } from '../stores/fake-bridge';
import { batch, frames } from '../stores/frame-fixtures';
import { mockScrollerLayout } from './layout-mock';

const S = 's1';
let restoreLayout: () => void;
let wrapper: VueWrapper | null = null;

beforeEach(() => {
  setActivePinia(createPinia());
  setBridge(createFakeBridge().bridge);
  restoreLayout = mockScrollerLayout(440);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  restoreLayout();
});

async function mountLog(): Promise<VueWrapper> {
  wrapper = mount(FrameLog, { props: { sessionId: S }, attachTo: document.body });
  await flushPromises();
  // A browser fires `scroll` after the log sets scrollTop to follow the end; happy-dom does not.
  wrapper.get('[data-frame-scroller]').element.dispatchEvent(new Event('scroll'));
  await flushPromises();
  await nextTick();
  return wrapper;
}

function scroller(w: VueWrapper): HTMLElement {
  const el = w.find('[data-frame-scroller]').element;
  if (!(el instanceof HTMLElement)) throw new Error('no scroller');
  return el;
}

function dataRows(w: VueWrapper) {
  return w.findAll('[role="rowgroup"] [role="row"]');
}

async function scrollTo(w: VueWrapper, top: number): Promise<void> {
  const el = scroller(w);
  el.scrollTop = top;
  el.dispatchEvent(new Event('scroll'));
  await flushPromises();
  await nextTick();
}

describe('FrameLog', () => {
  it('renders only a window of rows for 50,000 frames', async () => {
    useSessionsStore().handleEvent(batch(S, frames(1, 50_000)));
    const w = await mountLog();
    const grid = w.get('[role="grid"]');
    expect(grid.attributes('aria-label')).toBe('Frames');
    expect(grid.attributes('aria-rowcount')).toBe('50001');
    const rows = dataRows(w);
    // 440 px / 22 px = 20 visible rows, plus overscan on each side.
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows.length).toBeLessThan(60);
    // Following the live end: the window is at the bottom.
    expect(rows[rows.length - 1]?.text()).toContain('50000');
    expect(scroller(w).scrollTop).toBe(50_000 * 22);
  });

  it('shows seq, time, direction in words, type, size and preview; close frames with code and reason', async () => {
    const at = new Date(2024, 4, 1, 12, 3, 41, 512).getTime();
    useSessionsStore().handleEvent(
      batch(S, [
        { seq: 1, dir: 'in', opcode: 'text', at, size: 2048, preview: '{"op":"book"', truncated: true },
        { seq: 2, dir: 'out', opcode: 'ping', at, size: 0, preview: '', truncated: false },
        { seq: 3, dir: 'in', opcode: 'close', at, size: 5, preview: 'bye', truncated: false, closeCode: 4001, closeReason: 'bye' },
      ]),
    );
    const w = await mountLog();
    const cells = dataRows(w).map((r) => r.findAll('[role="gridcell"]').map((c) => c.text()));
    // The arrow is decoration; screen readers get the word.
    expect(cells[0]).toEqual(['1', '12:03:41.512', '↓received', 'text', '2 KB', '{"op":"book"…']);
    expect(cells[1]).toEqual(['2', '12:03:41.512', '↑sent', 'ping', '0 B', '(empty)']);
    expect(w.get('#frame-row-s1-1 .c-dir [aria-hidden="true"]').text()).toBe('↓');
    expect(w.get('#frame-row-s1-1 .c-dir .ts-sr-only').text()).toBe('received');
    expect(cells[2]?.[5]).toBe('4001 application code — bye');
  });

  it('offers "jump to latest" with a count after the user scrolls up, and jumps back', async () => {
    const sessions = useSessionsStore();
    sessions.handleEvent(batch(S, frames(1, 1000)));
    const w = await mountLog();
    expect(w.find('button.jump').exists()).toBe(false);

    await scrollTo(w, 5000);
    expect(useFrameViewStore().viewOf(S).state.follow).toBe(false);
    sessions.handleEvent(batch(S, frames(1001, 1003)));
    await flushPromises();
    const jump = w.get('button.jump');
    expect(jump.text()).toBe('↓ 3 new frames — jump to latest');
    // Not following: the rows being read stay where they are.
    expect(scroller(w).scrollTop).toBe(5000);

    await jump.trigger('click');
    await flushPromises();
    await nextTick();
    expect(w.find('button.jump').exists()).toBe(false);
    expect(scroller(w).scrollTop).toBe(1003 * 22);
  });

  it('keeps following when a scroll ends at the bottom', async () => {
    useSessionsStore().handleEvent(batch(S, frames(1, 1000)));
    const w = await mountLog();
    await scrollTo(w, 1000 * 22 - 440);
    expect(useFrameViewStore().viewOf(S).state.follow).toBe(true);
  });

  it('moves the selection with the keyboard and selects a row on click', async () => {
    useSessionsStore().handleEvent(batch(S, frames(1, 1000)));
    const w = await mountLog();
    const grid = w.get('[role="grid"]');
    const view = useFrameViewStore().viewOf(S);

    await grid.trigger('keydown', { key: 'Home' });
    expect(view.state.selectedSeq).toBe(1);
    expect(scroller(w).scrollTop).toBe(0);
    await scrollTo(w, 0);
    await grid.trigger('keydown', { key: 'ArrowDown' });
    await grid.trigger('keydown', { key: 'ArrowDown' });
    expect(view.state.selectedSeq).toBe(3);
    await nextTick();
    expect(grid.attributes('aria-activedescendant')).toBe('frame-row-s1-3');
    expect(w.get('#frame-row-s1-3').attributes('aria-selected')).toBe('true');

    await grid.trigger('keydown', { key: 'End' });
    expect(view.state.selectedSeq).toBe(1000);
    expect(view.state.follow).toBe(true);

    await scrollTo(w, 0);
    await dataRows(w)[4]?.trigger('click');
    expect(view.state.selectedSeq).toBe(5);
  });

  it('says how many older frames the engine dropped', async () => {
    useSessionsStore().handleEvent(batch(S, frames(1201, 1210), 1200));
    const w = await mountLog();
    expect(w.get('.dropped').text()).toContain('1,200 older frames dropped');
  });

  it('has an empty state, and one for filters that match nothing', async () => {
    const w = await mountLog();
    expect(w.get('.empty').text()).toContain('No frames yet');
    useSessionsStore().handleEvent(batch(S, frames(1, 4)));
    useFrameViewStore().setQuery(S, 'nothing like this');
    await flushPromises();
    expect(w.get('.empty').text()).toContain('No frames match the filters (4 frames hidden).');
    await w.get('.empty button').trigger('click');
    expect(w.find('.empty').exists()).toBe(false);
  });

  it('applies the filter bar: direction, hide control, and a regex error in words', async () => {
    useSessionsStore().handleEvent(
      batch(S, frames(1, 10, (seq) => (seq % 5 === 0 ? { opcode: 'ping', preview: '', size: 0 } : {}))),
    );
    const w = await mountLog();
    const bar = w.get('[role="toolbar"]');
    await bar.get('button[title="Only frames received from the server"]').trigger('click');
    await bar.get('input[role="switch"]').setValue(true);
    await flushPromises();
    expect(dataRows(w).map((r) => r.get('[role="gridcell"]').text())).toEqual(['2', '4', '6', '8']);
    expect(bar.text()).toContain('4 shown of 10');

    await bar.get('button[aria-label="Regular expression"]').trigger('click');
    const search = bar.get('input[type="search"]');
    await search.setValue('message (');
    await search.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(search.attributes('aria-invalid')).toBe('true');
    expect(bar.text()).toContain('Invalid regular expression: Unterminated group — the search is not applied.');
  });
});
