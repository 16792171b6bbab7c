import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FrameBody } from '../../../src-main/shared/model';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import FrameDetail from '../../../src-renderer/src/components/FrameDetail.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { bytesToBase64 } from '../../../src-renderer/src/util/hex';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { batch, frame } from '../stores/frame-fixtures';
import { mockScrollerLayout } from './layout-mock';

const S = 's1';
let fake: FakeBridge;
let restoreLayout: () => void;
let wrapper: VueWrapper | null = null;

const JSON_TEXT = '{"op":"book","bids":[[1.5,2],[1.25,10]],"id":12345678901234567890}';
const BINARY = new Uint8Array([...new TextEncoder().encode('Hello, WebSocket!'), 0x00, 0xff]);

function bodies(): Map<number, FrameBody> {
  const text = frame(1, { dir: 'in', opcode: 'text', size: JSON_TEXT.length, preview: JSON_TEXT });
  const bin = frame(2, { dir: 'in', opcode: 'binary', size: BINARY.length, preview: '48 65' });
  const plain = frame(4, { dir: 'out', opcode: 'text', size: 5, preview: 'hello' });
  return new Map<number, FrameBody>([
    [1, { frame: text, base64: bytesToBase64(new TextEncoder().encode(JSON_TEXT)), text: JSON_TEXT }],
    [2, { frame: bin, base64: bytesToBase64(BINARY) }],
    [4, { frame: plain, base64: bytesToBase64(new TextEncoder().encode('hello')), text: 'hello' }],
  ]);
}

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  restoreLayout = mockScrollerLayout(440);
  const table = bodies();
  fake.answer('frames:get', (arg) => {
    const seq = typeof arg === 'object' && arg !== null && 'seq' in arg && typeof arg.seq === 'number' ? arg.seq : 0;
    const body = table.get(seq);
    return body
      ? { ok: true, value: body }
      : { ok: false, error: { code: 'NOT_FOUND', message: `frame ${seq} was evicted from the bounded frame store`, path: 'seq' } };
  });
  useSessionsStore().handleEvent(batch(S, [...table.values()].map((b) => b.frame).concat(frame(3)).sort((a, b) => a.seq - b.seq)));
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  restoreLayout();
  vi.restoreAllMocks();
});

async function showFrame(seq: number | null): Promise<VueWrapper> {
  useFrameViewStore().viewOf(S).select(seq);
  if (!wrapper) wrapper = mount(FrameDetail, { props: { sessionId: S }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

const selectedTab = (w: VueWrapper) => w.get('.toolbar [role="tab"][aria-selected="true"]').text();

describe('FrameDetail', () => {
  it('asks for a selection when none is made', async () => {
    const w = await showFrame(null);
    expect(w.text()).toContain('Select a frame in the log');
  });

  it('shows a JSON frame as a collapsible tree and as pretty text', async () => {
    const w = await showFrame(1);
    expect(w.get('.head').text()).toMatch(/#1\s*↓\s*received\s*text\s*66 B/);
    expect(w.findAll('.toolbar [role="tab"]').map((t) => t.text())).toEqual(['Text', 'JSON', 'Hex', 'Base64']);
    expect(selectedTab(w)).toBe('JSON');

    const tree = w.get('.jt');
    expect(tree.text()).toContain('"op": "book"');
    // Big numbers are shown as received, not rounded.
    expect(tree.text()).toContain('"id": 12345678901234567890');
    const toggle = (name: string) => w.findAll('button.toggle').find((b) => b.attributes('aria-label') === name);
    const bids = toggle('Collapse "bids"');
    expect(bids?.attributes('aria-expanded')).toBe('true');
    await bids?.trigger('click');
    expect(toggle('Expand "bids"')?.attributes('aria-expanded')).toBe('false');
    expect(tree.text()).toContain('2 items');

    await w.get('button[aria-pressed="false"]').trigger('click'); // Pretty
    expect(w.get('[role="tabpanel"] pre').text()).toBe(
      '{\n  "op": "book",\n  "bids": [\n    [\n      1.5,\n      2\n    ],\n    [\n      1.25,\n      10\n    ]\n  ],\n  "id": 12345678901234567890\n}',
    );
  });

  it('shows a binary frame as a hex dump with ASCII, and as base64', async () => {
    const w = await showFrame(2);
    expect(w.findAll('.toolbar [role="tab"]').map((t) => t.text())).toEqual(['Text', 'Hex', 'Base64']);
    expect(selectedTab(w)).toBe('Hex');
    const rows = w.findAll('.hex-spacer .hex-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.get('.offset').text()).toBe('0000'); // four hex digits for a payload under 64 KiB (util/hex.ts offsetDigits)
    expect(rows[0]?.get('.bytes').text()).toBe('48 65 6c 6c 6f 2c 20 57  65 62 53 6f 63 6b 65 74');
    expect(rows[0]?.get('.ascii').text()).toBe('Hello, WebSocket');
    expect(rows[1]?.get('.bytes').text()).toMatch(/^21 00 ff/);
    expect(rows[1]?.get('.ascii').text()).toBe('!..');

    await w.get('[data-view="base64"]').trigger('click');
    expect(w.get('[role="tabpanel"] pre').text()).toBe(bytesToBase64(BINARY));
  });

  it('explains in words that an evicted frame is no longer available', async () => {
    const w = await showFrame(3);
    const error = w.get('.error').text();
    expect(error).toContain('The payload of frame #3 is no longer available');
    expect(error).toContain('was evicted from the bounded frame store');
    expect(error).toContain('the log still shows this frame');
    // The header still comes from the log's summary.
    expect(w.get('.head').text()).toContain('#3');
  });

  it('keeps the view the user picked when moving to another frame that has it', async () => {
    const w = await showFrame(1);
    await w.get('[data-view="base64"]').trigger('click');
    await showFrame(4);
    expect(selectedTab(w)).toBe('Base64');
    await w.get('.toolbar [role="tablist"]').trigger('keydown', { key: 'Home' });
    expect(selectedTab(w)).toBe('Text');
    expect(w.get('[role="tabpanel"] pre').text()).toBe('hello');
  });

  it('copies the current view and confirms, or says how to copy by hand when refused', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    const w = await showFrame(1);
    await w.get('[data-view="hex"]').trigger('click');
    await w.get('button.ts-btn').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(expect.stringMatching(/^00000000  7b 22 6f 70/));
    expect(w.get('.copy-note').text()).toBe('Copied');

    writeText.mockRejectedValue(new Error('denied'));
    await w.get('[data-view="text"]').trigger('click');
    await w.get('button.ts-btn').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenLastCalledWith(JSON_TEXT);
    expect(w.get('.copy-note').text()).toContain('The clipboard refused the copy');
  });
});
