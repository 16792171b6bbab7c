import { mount, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import FrameLog from '../../../src-renderer/src/components/FrameLog.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { MAX_SPACER_HEIGHT } from '../../../src-renderer/src/util/scroll-mapping';
import type { FrameSummary } from '../../../src-main/shared/model';
import { serveFrames } from '../stores/fake-frames';
import { batch, frames } from '../stores/frame-fixtures';
import { useFrameLogFixture } from './frame-log-fixture';

/** What Chromium does by itself at times (a resize for a capture, a detail pane opening): the scroller back at 0. */
async function browserResetsScroller(el: HTMLElement): Promise<void> {
  el.scrollTop = 0;
  el.dispatchEvent(new Event('scroll'));
  await settle();
}
import { settle } from './store-fixture';

const S = 's1';
const log = useFrameLogFixture();

/** The engine holds `list`; the renderer was sent it live (or, with `live: false`, told it was skipped). */
function stream(list: FrameSummary[], options: { live?: boolean; dropped?: number } = {}): void {
  const sessionStore = useSessionsStore();
  serveFrames(log.fake, S, list, options.dropped ?? 0);
  const first = list[0]?.seq ?? 1;
  const last = list.at(-1)?.seq ?? 0;
  if (options.live === false) {
    sessionStore.handleEvent({ type: 'frames-skipped', sessionId: S, fromSeq: first, toSeq: last, behind: last - first + 1, dropped: options.dropped ?? 0 });
  } else {
    for (let at = 0; at < list.length; at += 500) sessionStore.handleEvent(batch(S, list.slice(at, at + 500), options.dropped ?? 0));
  }
  sessionStore.flushFrames();
}


async function mountLog(): Promise<VueWrapper> {
  const wrapper = log.keep(mount(FrameLog, { props: { sessionId: S }, attachTo: document.body }));
  await settle();
  // A browser fires `scroll` after the log sets scrollTop; happy-dom does not.
  wrapper.get('[data-frame-scroller]').element.dispatchEvent(new Event('scroll'));
  await settle();
  return wrapper;
}

function scroller(w: VueWrapper): HTMLElement {
  const el = w.find('[data-frame-scroller]').element;
  if (!(el instanceof HTMLElement)) throw new Error('no scroller');
  return el;
}

function dataRows(w: VueWrapper) {
  return w.findAll('[role="rowgroup"] [role="row"]:not(.placeholder)');
}

function seqsShown(w: VueWrapper): number[] {
  return dataRows(w).map((r) => Number(r.get('[role="gridcell"]').text()));
}

/** The user scrolls (a wheel turn, then the scroll it causes). */
async function scrollTo(w: VueWrapper, top: number): Promise<void> {
  const el = scroller(w);
  el.dispatchEvent(new Event('wheel'));
  el.scrollTop = top;
  el.dispatchEvent(new Event('scroll'));
  await settle();
}

function spacerHeight(w: VueWrapper): number {
  const spacer = w.get('[role="rowgroup"]').element;
  return spacer instanceof HTMLElement ? Number.parseFloat(spacer.style.height) : Number.NaN;
}

describe('FrameLog', () => {
  it('renders only a window of rows for 50,000 frames and follows the live end', async () => {
    stream(frames(1, 50_000));
    const w = await mountLog();
    const grid = w.get('[role="grid"]');
    expect(grid.attributes('aria-label')).toBe('Frames');
    expect(grid.attributes('aria-rowcount')).toBe('50001');
    const rows = dataRows(w);
    // 440 px / 22 px = 20 visible rows, plus overscan on each side.
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows.length).toBeLessThan(60);
    expect(seqsShown(w).at(-1)).toBe(50_000);
    expect(scroller(w).scrollTop).toBe(50_000 * 22 - 440);
  });

  it('following a flood, patches the same row elements with the newest frames instead of rebuilding them', async () => {
    stream(frames(1, 10_000));
    const w = await mountLog();
    const before = new Set(dataRows(w).map((row) => row.element));
    // Thousands of frames per render: no row shown before is shown after. (7,315 rows on: with
    // spare slots, most rows landed in slots that were not in use and were rebuilt; keyed by
    // position modulo the slots, a few still were, and the rest came back in another order.)
    for (const [from, to] of [
      [10_001, 17_315],
      [17_316, 27_316],
      [27_317, 27_318],
    ]) {
      stream(frames(from ?? 0, to ?? 0));
      await settle();
      const after = dataRows(w);
      expect(seqsShown(w).at(-1)).toBe(to);
      expect(after.map((row) => row.element)).toEqual([...before]);
    }
    // The user scrolls up a few rows: the rows still on screen keep their elements.
    const byId = new Map(dataRows(w).map((row) => [row.attributes('id'), row.element]));
    await scrollTo(w, scroller(w).scrollTop - 3 * 22);
    expect(useFrameViewStore().viewOf(S).state.follow).toBe(false);
    const kept = dataRows(w).filter((row) => byId.get(row.attributes('id')) === row.element);
    expect(kept.length).toBeGreaterThanOrEqual(20);
  });

  it('shows seq, time, direction in words, type, size and preview; close frames with code and reason', async () => {
    const at = new Date(2024, 4, 1, 12, 3, 41, 512).getTime();
    stream([
      { seq: 1, dir: 'in', opcode: 'text', at, size: 2048, preview: '{"op":"book"', truncated: true },
      { seq: 2, dir: 'out', opcode: 'ping', at, size: 0, preview: '', truncated: false },
      { seq: 3, dir: 'in', opcode: 'close', at, size: 5, preview: 'bye', truncated: false, closeCode: 4001, closeReason: 'bye' },
    ]);
    const w = await mountLog();
    const cells = dataRows(w).map((r) => r.findAll('[role="gridcell"]').map((c) => c.text()));
    expect(cells[0]).toEqual(['1', '12:03:41.512', '↓received', 'text', '2.0 KiB', '{"op":"book"…']);
    expect(cells[1]).toEqual(['2', '12:03:41.512', '↑sent', 'ping', '0 B', '(empty)']);
    expect(w.get('#frame-row-s1-1 .c-dir [aria-hidden="true"]').text()).toBe('↓');
    expect(cells[2]?.[5]).toBe('4001 application code — bye');
  });

  it('scrolls through a million frames: the scroll space is capped and every row stays reachable', async () => {
    stream(frames(1, 1_000_000), { live: false });
    const w = await mountLog();
    expect(w.get('[role="grid"]').attributes('aria-rowcount')).toBe('1000001');
    // 22 M px of rows would exceed the browser's maximum element height.
    expect(spacerHeight(w)).toBe(MAX_SPACER_HEIGHT);
    // Following: the newest rows, paged from the engine because the batches were skipped.
    expect(seqsShown(w).at(-1)).toBe(1_000_000);

    // Halfway down the scrollbar is halfway through the list.
    await scrollTo(w, (MAX_SPACER_HEIGHT - 440) / 2);
    expect(useFrameViewStore().viewOf(S).state.follow).toBe(false);
    const middle = seqsShown(w);
    expect(middle.length).toBeGreaterThanOrEqual(20);
    expect(middle[0]).toBeGreaterThan(499_900);
    expect(middle[0]).toBeLessThan(500_100);
    // Only the rows on screen were asked for, in one or two pages.
    const pages = log.fake.calls.filter((c) => c.name === 'frames:page');
    expect(pages.length).toBeLessThanOrEqual(4);

    // The very top and the very bottom.
    await scrollTo(w, 0);
    expect(seqsShown(w)[0]).toBe(1);
    await scrollTo(w, MAX_SPACER_HEIGHT - 440);
    expect(seqsShown(w).at(-1)).toBe(1_000_000);
    expect(useFrameViewStore().viewOf(S).state.follow).toBe(true);

    // Following past the cap, the live end's scroll position stays: the log is still laid out
    // in the render's own task (a layout read there, where the scrollTop write would be).
    const el = scroller(w);
    let layoutReads = 0;
    const spacerOf = (): number => spacerHeight(w);
    Object.defineProperty(el, 'scrollHeight', {
      configurable: true,
      get: () => {
        layoutReads += 1;
        return spacerOf();
      },
    });
    useSessionsStore().handleEvent(batch(S, frames(1_000_001, 1_000_010)));
    useSessionsStore().flushFrames();
    await settle();
    expect(seqsShown(w).at(-1)).toBe(1_000_010);
    expect(el.scrollTop).toBe(MAX_SPACER_HEIGHT - 440);
    expect(layoutReads).toBeGreaterThanOrEqual(1);
  });

  it('jumps to a seq from "Go to #": selected, centred, and not followed away', async () => {
    stream(frames(1, 1_000_000), { live: false });
    const w = await mountLog();
    const goTo = w.get('input[aria-label="Go to #"]');
    await goTo.setValue('#654,321');
    await w.get('form.goto').trigger('submit');
    await settle();
    const view = useFrameViewStore().viewOf(S);
    expect(view.state.selectedSeq).toBe(654_321);
    expect(view.state.follow).toBe(false);
    const selected = w.get('#frame-row-s1-654321');
    expect(selected.attributes('aria-selected')).toBe('true');
    expect(w.get('[role="grid"]').attributes('aria-activedescendant')).toBe('frame-row-s1-654321');
    // Centred: about ten rows above it are on screen.
    const shown = seqsShown(w);
    expect(shown).toContain(654_311);
  });

  it('a "Go to #" past the newest frame keeps the number, selected for correction, and the row selected before', async () => {
    stream(frames(1, 300), { live: false });
    const w = await mountLog();
    const view = useFrameViewStore().viewOf(S);
    view.select(120);
    const goTo = w.get('input[aria-label="Go to #"]');
    await goTo.setValue('99999');
    await w.get('form.goto').trigger('submit');
    await settle();
    const field = goTo.element as HTMLInputElement;
    expect(field.value).toBe('99999');
    expect([field.selectionStart, field.selectionEnd]).toEqual([0, 5]);
    expect(view.state.selectedSeq).toBe(120);
    expect(goTo.attributes('aria-invalid')).toBe('true');
    const notice = document.getElementById(goTo.attributes('aria-describedby') ?? 'missing');
    expect(notice?.textContent).toContain('#99,999 has not arrived yet: the newest frame is #300.');
    // Corrected, it goes there and is no longer marked.
    await goTo.setValue('250');
    expect(goTo.attributes('aria-invalid')).toBeUndefined();
    await w.get('form.goto').trigger('submit');
    await settle();
    expect(view.state.selectedSeq).toBe(250);
    expect(goTo.attributes('aria-invalid')).toBeUndefined();
  });

  it('offers "jump to latest" with a count after the user scrolls up, and jumps back', async () => {
    stream(frames(1, 1000));
    const w = await mountLog();
    expect(w.find('[data-testid="jump-pill"]').exists()).toBe(false);

    await scrollTo(w, 5000);
    expect(useFrameViewStore().viewOf(S).state.follow).toBe(false);
    const sessionStore = useSessionsStore();
    sessionStore.handleEvent(batch(S, frames(1001, 1003)));
    sessionStore.flushFrames();
    await settle();
    const jump = w.get('[data-testid="jump-pill"]');
    expect(jump.text()).toBe('↓ 3 new frames');
    // Not following: the rows being read stay where they are.
    expect(scroller(w).scrollTop).toBe(5000);
    expect(seqsShown(w)).toContain(228);

    await jump.trigger('click');
    await settle();
    expect(w.find('[data-testid="jump-pill"]').exists()).toBe(false);
    expect(scroller(w).scrollTop).toBe(1003 * 22 - 440);
  });

  it('only the user stops following: a scroll position the browser changed on its own is put back', async () => {
    stream(frames(1, 1000));
    const w = await mountLog();
    const el = scroller(w);
    const end = 1000 * 22 - 440;
    expect(el.scrollTop).toBe(end);
    // E.g. Chromium resets an inner scroller when the page is resized for a capture.
    await browserResetsScroller(el);
    expect(useFrameViewStore().viewOf(S).state.follow).toBe(true);
    expect(el.scrollTop).toBe(end);
    expect(seqsShown(w).at(-1)).toBe(1000);
    // Not following: the same holds for the place being read (once the wheel is long done).
    await scrollTo(w, 2200);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await browserResetsScroller(el);
    expect(el.scrollTop).toBe(2200);
    expect(seqsShown(w)).toContain(101);
  });

  it('a click on a row is no scroll: a reset to 0 by the browser right after it is put back, not taken as the user leaving the end', async () => {
    stream(frames(1, 1000));
    const w = await mountLog();
    const el = scroller(w);
    const end = 1000 * 22 - 440;
    const last = w.get('[id$="-1000"]');
    last.element.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    window.dispatchEvent(new Event('pointerup'));
    await last.trigger('click');
    await settle();
    expect(useFrameViewStore().viewOf(S).state.selectedSeq).toBe(1000);
    // Chromium reset the scroller by itself a few hundred ms after the click (the detail pane opened).
    await browserResetsScroller(el);
    expect(useFrameViewStore().viewOf(S).state.follow).toBe(true);
    expect(el.scrollTop).toBe(end);
    expect(seqsShown(w).at(-1)).toBe(1000);
    expect(w.find('[data-testid="jump-pill"]').exists()).toBe(false);
  });

  it('a scrollbar drag is the user\'s, also when its scroll event comes after the release', async () => {
    stream(frames(1, 1000));
    const w = await mountLog();
    const el = scroller(w);
    el.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    el.scrollTop = 2200;
    window.dispatchEvent(new Event('pointerup'));
    el.dispatchEvent(new Event('scroll'));
    await settle();
    expect(useFrameViewStore().viewOf(S).state.follow).toBe(false);
    expect(el.scrollTop).toBe(2200);
    expect(seqsShown(w)).toContain(101);
  });

  it('a publish re-renders the bar without writing the search box\'s value attribute (Chromium restyles its clear button at each write)', async () => {
    stream(frames(1, 100));
    const w = await mountLog();
    const box = w.get('input[aria-label="Search frames"]').element;
    if (!(box instanceof HTMLInputElement)) throw new Error('no search box');
    const written: string[] = [];
    const setAttribute = box.setAttribute.bind(box);
    box.setAttribute = (name: string, value: string): void => {
      written.push(name);
      setAttribute(name, value);
    };
    stream(frames(101, 200));
    await settle();
    expect(w.get('[data-testid="frame-count"]').text()).toBe('200 frames');
    expect(written).not.toContain('value');
    // The box still shows a query set from outside it (a chip, another session), and what is typed.
    useFrameViewStore().viewOf(S).setSearch('from outside');
    await settle();
    expect(box.value).toBe('from outside');
    box.value = 'typed';
    box.dispatchEvent(new Event('input'));
    await settle();
    expect(box.value).toBe('typed');
  });

  it('keeps the rows read in place when the engine evicts the oldest frames', async () => {
    stream(frames(1, 1000));
    const w = await mountLog();
    await scrollTo(w, 220 * 22);
    expect(seqsShown(w)).toContain(221);
    const sessionStore = useSessionsStore();
    sessionStore.handleEvent(batch(S, frames(1001, 1100), 100));
    sessionStore.flushFrames();
    await settle();
    // 100 rows fewer above: the scroll position moved up by 100 rows, the rows stayed.
    expect(scroller(w).scrollTop).toBe(120 * 22);
    expect(seqsShown(w)).toContain(221);
  });

  it('moves the selection with the keyboard and selects a row on click', async () => {
    stream(frames(1, 1000));
    const w = await mountLog();
    const grid = w.get('[role="grid"]');
    const view = useFrameViewStore().viewOf(S);

    await grid.trigger('keydown', { key: 'Home' });
    await settle();
    expect(view.state.selectedSeq).toBe(1);
    expect(scroller(w).scrollTop).toBe(0);
    await grid.trigger('keydown', { key: 'ArrowDown' });
    await grid.trigger('keydown', { key: 'ArrowDown' });
    await settle();
    expect(view.state.selectedSeq).toBe(3);
    expect(grid.attributes('aria-activedescendant')).toBe('frame-row-s1-3');

    await grid.trigger('keydown', { key: 'End' });
    expect(view.state.selectedSeq).toBe(1000);
    expect(view.state.follow).toBe(true);

    await scrollTo(w, 0);
    await dataRows(w)[4]?.trigger('click');
    expect(view.state.selectedSeq).toBe(5);
  });

  it('says how many older frames the engine dropped, and when it is catching up', async () => {
    stream(frames(1201, 1210), { dropped: 1200 });
    const w = await mountLog();
    expect(w.get('.dropped').text()).toContain('1,200 older frames dropped');
    useSessionsStore().handleEvent({ type: 'frames-skipped', sessionId: S, fromSeq: 1211, toSeq: 60_000, behind: 58_790, dropped: 1200 });
    useSessionsStore().flushFrames();
    await settle();
    expect(w.get('[data-testid="frames-behind"]').text()).toContain('Catching up: frames arrive faster than the log shows them live (58,790 not sent yet).');
  });

  it('has an empty state, and one for filters that match nothing', async () => {
    const w = await mountLog();
    expect(w.get('.empty').text()).toContain('No frames yet');
    stream(frames(1, 4));
    useFrameViewStore().viewOf(S).setSizeRange(1000, null);
    await settle();
    expect(w.get('.empty').text()).toContain('No frames match the filters (4 frames hidden).');
    await w.get('.empty button').trigger('click');
    await settle();
    expect(w.find('.empty').exists()).toBe(false);
  });
});

describe('FrameLog search', () => {
  const stockFrames = () =>
    frames(1, 3000, (seq) => (seq % 1000 === 7 ? { preview: `{"level":"ERROR","n":${seq}}` } : { preview: `tick ${seq}` }));

  it('highlights the matches, counts them and steps through them with Enter and the arrows', async () => {
    stream(stockFrames());
    const w = await mountLog();
    const search = w.get('input[aria-label="Search frames"]');
    await search.setValue('error');
    await search.trigger('keydown', { key: 'Enter' });
    await settle();
    const view = useFrameViewStore().viewOf(S);
    expect(view.state.selectedSeq).toBe(7);
    expect(w.get('[data-testid="match-count"]').text()).toBe('1 of 3');
    const row = w.get('#frame-row-s1-7');
    expect(row.classes()).toContain('match');
    expect(row.get('mark.hit').text()).toBe('ERROR');
    // A row that does not match is not marked.
    expect(w.get('#frame-row-s1-8').classes()).not.toContain('match');

    await w.get('button[aria-label="Next match"]').trigger('click');
    await settle();
    expect(view.state.selectedSeq).toBe(1007);
    expect(w.get('[data-testid="match-count"]').text()).toBe('2 of 3');
    expect(w.get('#frame-row-s1-1007').classes()).toContain('match');
    await search.trigger('keydown', { key: 'Enter', shiftKey: true });
    await settle();
    expect(view.state.selectedSeq).toBe(7);
  });

  it('shows a regular expression error inline and says the search is not applied', async () => {
    stream(stockFrames());
    const w = await mountLog();
    await w.get('select[aria-label="Search mode"]').setValue('regex');
    const search = w.get('input[aria-label="Search frames"]');
    await search.setValue('ERROR (');
    await search.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(search.attributes('aria-invalid')).toBe('true');
    expect(w.text()).toContain('Invalid regular expression: Unterminated group — the search is not applied.');
    expect(log.fake.calls.some((c) => c.name === 'frames:search')).toBe(false);
  });

  it('shows a chip per filter, each removable, and narrows the log to the matches on request', async () => {
    stream(stockFrames());
    const w = await mountLog();
    await w.get('button[title="Only frames received from the server"]').trigger('click');
    const search = w.get('input[aria-label="Search frames"]');
    await search.setValue('error');
    await search.trigger('keydown', { key: 'Enter' });
    await w.get('[role="search"] input[role="switch"]').setValue(true);
    await settle();
    const chips = w.findAll('[aria-label="Active filters"] .chip').map((c) => c.get('.label').text());
    expect(chips).toEqual(['↓ received only', 'text: “error”', 'only matches']);
    // All three matches (7, 1007, 2007) were sent, none received: nothing is left to show.
    expect(w.get('.empty').text()).toContain('No frames match the filters');
    await w.get('button[aria-label="Remove the direction filter"]').trigger('click');
    await settle();
    expect(seqsShown(w)).toEqual([7, 1007, 2007]);
    expect(w.get('[role="grid"]').attributes('aria-rowcount')).toBe('4');
    await w.get('button[aria-label="Clear the search"]').trigger('click');
    await settle();
    expect(w.find('[aria-label="Active filters"]').exists()).toBe(false);
    expect(w.get('[role="grid"]').attributes('aria-rowcount')).toBe('3001');
  });
});
