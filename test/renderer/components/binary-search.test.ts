/**
 * Issue 12 §3 in the log: the search's Text / Hex / Base64 choice next to the field (kept per
 * tab), hex hits marked in a binary row's preview and in the detail pane's hex dump, bad hex
 * said inline, and the JSONPath examples a click away.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import FrameDetail from '../../../src-renderer/src/components/FrameDetail.vue';
import FrameLog from '../../../src-renderer/src/components/FrameLog.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { bytesToBase64 } from '../../../src-renderer/src/util/hex';
import { JSON_PATH_EXAMPLES } from '../../../src-main/shared/json-path-examples';
import type { FrameSummary } from '../../../src-main/shared/model';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { serveFrames, type FakeFrameStore } from '../stores/fake-frames';
import { batch, frame } from '../stores/frame-fixtures';
import { mockScrollerLayout } from './layout-mock';
import { settle } from './store-fixture';

const S = 's1';
let fake: FakeBridge;
let served: FakeFrameStore;
let restoreLayout: () => void;
const wrappers: VueWrapper[] = [];

/** Binary 38 38 ("88" as text), binary 88 88, text "8888", binary 38 38 88 88. */
const PAYLOADS: Record<number, Uint8Array> = {
  1: new Uint8Array([0x38, 0x38]),
  2: new Uint8Array([0x88, 0x88]),
  3: new TextEncoder().encode('8888'),
  4: new Uint8Array([0x38, 0x38, 0x88, 0x88]),
};
const FRAMES: FrameSummary[] = [
  frame(1, { opcode: 'binary', size: 2, preview: '38 38' }),
  frame(2, { opcode: 'binary', size: 2, preview: '88 88' }),
  frame(3, { opcode: 'text', size: 4, preview: '8888' }),
  frame(4, { opcode: 'binary', size: 4, preview: '38 38 88 88' }),
];

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  restoreLayout = mockScrollerLayout(440);
  served = serveFrames(fake, S, FRAMES);
  fake.answer('frames:get', (arg) => {
    const seq = typeof arg === 'object' && arg !== null && 'seq' in arg && typeof arg.seq === 'number' ? arg.seq : 0;
    const summary = FRAMES.find((f) => f.seq === seq);
    const bytes = PAYLOADS[seq];
    if (!summary || !bytes) return { ok: false, error: { code: 'NOT_FOUND', message: `no frame ${seq}` } };
    return { ok: true, value: { frame: summary, base64: bytesToBase64(bytes) } };
  });
  const sessionStore = useSessionsStore();
  sessionStore.handleEvent(batch(S, FRAMES));
  sessionStore.flushFrames();
});

afterEach(() => {
  for (const w of wrappers.splice(0)) w.unmount();
  restoreLayout();
});


async function mountLog(): Promise<VueWrapper> {
  const w = mount(FrameLog, { props: { sessionId: S }, attachTo: document.body });
  wrappers.push(w);
  await settle();
  w.get('[data-frame-scroller]').element.dispatchEvent(new Event('scroll'));
  await settle();
  return w;
}

async function searchFor(w: VueWrapper, query: string): Promise<void> {
  const box = w.get('input[aria-label="Search frames"]');
  await box.setValue(query);
  await box.trigger('keydown', { key: 'Enter' });
  await settle();
}

const payloadChoice = (w: VueWrapper, label: string) => w.get(`[role="group"][aria-label="Search payloads as"]`).findAll('button').find((b) => b.text() === label);

describe('searching binary payloads as hex', () => {
  it('offers Text, Hex and Base64 next to the field; hex asks the engine for bytes and marks them in the hex preview', async () => {
    const w = await mountLog();
    const group = w.get('[role="group"][aria-label="Search payloads as"]');
    expect(group.findAll('button').map((b) => b.text())).toEqual(['Text', 'Hex', 'Base64']);
    expect(payloadChoice(w, 'Text')?.attributes('aria-pressed')).toBe('true');

    await payloadChoice(w, 'Hex')?.trigger('click');
    expect(w.get('input[aria-label="Search frames"]').attributes('placeholder')).toContain('Hex bytes');
    // Bytes are exact: no "Match case" button.
    expect(w.find('button[aria-label="Match case"]').exists()).toBe(false);
    await searchFor(w, '38 38');

    expect(served.searches.at(-1)?.filter).toEqual({ text: '38 38', textAs: 'hex' });
    expect(w.get('#frame-row-s1-1 mark.hit').text()).toBe('38 38');
    expect(w.get('#frame-row-s1-4 mark.hit').text()).toBe('38 38');
    expect(w.get('#frame-row-s1-4 .c-preview').text()).toBe('38 38 88 88');
    // The text frame "8888" is no hex preview: nothing is marked in it.
    expect(w.find('#frame-row-s1-3 mark').exists()).toBe(false);
    const chips = w.findAll('[aria-label="Active filters"] .chip').map((c) => c.get('.label').text());
    expect(chips).toEqual(['hex: 38 38']);
  });

  it('marks whole bytes only: hex 88 marks the 0x88 bytes, not the eights of 38', async () => {
    const w = await mountLog();
    await payloadChoice(w, 'Hex')?.trigger('click');
    await searchFor(w, '88');
    const marks = w.findAll('#frame-row-s1-4 mark.hit').map((m) => m.text());
    expect(marks).toEqual(['88', '88']);
    const parts = w.get('#frame-row-s1-4 .c-preview').findAll('span, mark').map((e) => [e.element.tagName.toLowerCase(), e.text()]);
    expect(parts).toEqual([
      ['span', '38 38'],
      ['mark', '88'],
      ['span', ''],
      ['mark', '88'],
    ]);
  });

  it('a text search marks the bytes of its UTF-8 in a hex preview', async () => {
    const w = await mountLog();
    await searchFor(w, '88');
    expect(served.searches.at(-1)?.filter).toEqual({ text: '88', ignoreCase: true });
    // The fake engine matches previews; whichever frames match, a hex preview marks the bytes 38 38.
    expect(w.get('#frame-row-s1-4 mark.hit').text()).toBe('38 38');
    expect(w.find('#frame-row-s1-2 mark').exists()).toBe(false);
    expect(w.get('#frame-row-s1-3 mark.hit').text()).toBe('88');
  });

  it('says what is wrong with hex that does not parse, and runs nothing', async () => {
    const w = await mountLog();
    await payloadChoice(w, 'Hex')?.trigger('click');
    const before = served.searches.length;
    await searchFor(w, '38 3g');
    expect(w.get('input[aria-label="Search frames"]').attributes('aria-invalid')).toBe('true');
    expect(w.text()).toContain('“g” at position 5 is not a hex digit (0–9, a–f) — the search is not applied.');
    expect(served.searches.length).toBe(before);
  });

  it('keeps the choice per tab, also when the filters are cleared', async () => {
    const view = useFrameViewStore();
    view.viewOf(S).setPayloadAs('base64');
    view.viewOf(S).setSearch('3q2+7w==');
    expect(view.viewOf('other').state.search.payloadAs).toBe('text');
    view.viewOf(S).clearFilters();
    expect(view.viewOf(S).state.search).toMatchObject({ query: '', payloadAs: 'base64' });
  });

  it('marks the hits in the detail pane’s hex dump', async () => {
    const w = await mountLog();
    await payloadChoice(w, 'Hex')?.trigger('click');
    await searchFor(w, '0x88');
    useFrameViewStore().viewOf(S).select(4);
    const detail = mount(FrameDetail, { props: { sessionId: S }, attachTo: document.body });
    wrappers.push(detail);
    await settle();
    const row = detail.get('.hex-spacer .hex-row');
    expect(row.get('.bytes').text()).toContain('38 38 88 88');
    expect(row.findAll('.bytes mark.hit').map((m) => m.text())).toEqual(['88', '88']);
    expect(row.findAll('.ascii mark.hit').map((m) => m.text())).toEqual(['.', '.']);
  });
});

describe('JSONPath examples', () => {
  it('lists every example with what it finds; a click searches for it', async () => {
    const w = await mountLog();
    await w.get('select[aria-label="Search mode"]').setValue('jsonpath');
    expect(w.find('[role="group"][aria-label="Search payloads as"]').exists()).toBe(false);
    const toggle = w.findAll('button').find((b) => b.text().startsWith('Examples'));
    await toggle?.trigger('click');
    const list = w.get('[role="group"][aria-label="JSONPath examples"]');
    expect(list.findAll('code').map((c) => c.text())).toEqual(['$[?(…)]', ...JSON_PATH_EXAMPLES.map((e) => e.path)]);
    expect(list.text()).toContain('tests each message itself');
    await list.findAll('button.example')[0]?.trigger('click');
    await settle();
    expect(useFrameViewStore().viewOf(S).state.search).toMatchObject({ mode: 'jsonpath', query: '$.op' });
    expect(served.searches.at(-1)?.filter).toEqual({ jsonPath: '$.op' });
  });
});
