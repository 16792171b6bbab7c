/**
 * The detail pane on a large payload (QA H4): it asks the engine for the first part only
 * (`frames:get` maxBytes), says how much is not fetched, fetches more one part at a time on Show
 * more / Fetch the rest (the JSON tab once whole) and the whole on Save payload…; and the decoded
 * tree marks where the engine cut the value.
 */
import type { DecodedJson } from '../../../src-main/shared/decoding';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PAYLOAD_PART_BYTES } from '../../../src-main/shared/payload-part';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import FrameDetail from '../../../src-renderer/src/components/FrameDetail.vue';
import JsonTree from '../../../src-renderer/src/components/JsonTree.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { decodedTree } from '../../../src-renderer/src/util/decoded-tree';
import { bytesToBase64 } from '../../../src-renderer/src/util/hex';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { batch, frame } from '../stores/frame-fixtures';
import { mockScrollerLayout } from './layout-mock';

const S = 's1';
const MIB = 1024 * 1024;
// 2.5 MiB of JSON text: three parts.
const TEXT = `{"data":"${'x'.repeat(2.5 * MIB - 12)}"}`;
const BYTES = new TextEncoder().encode(TEXT);

let fake: FakeBridge;
let restoreLayout: () => void;
let wrapper: VueWrapper | null = null;

interface GetArg {
  seq: number;
  offset?: number;
  maxBytes?: number;
}
const gets = (): GetArg[] => fake.calls.filter((c) => c.name === 'frames:get').map((c) => c.arg as GetArg);

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  restoreLayout = mockScrollerLayout(440);
  const summary = frame(1, { dir: 'in', opcode: 'text', size: BYTES.length, preview: TEXT.slice(0, 100) });
  fake.answer('frames:get', (raw) => {
    const arg = raw as GetArg;
    const offset = arg.offset ?? 0;
    const end = arg.maxBytes === undefined ? BYTES.length : Math.min(BYTES.length, offset + arg.maxBytes);
    const part = BYTES.subarray(offset, end);
    return {
      ok: true,
      value: { frame: summary, base64: bytesToBase64(part), text: new TextDecoder().decode(part), part: { offset, bytes: part.length, totalBytes: BYTES.length } },
    };
  });
  useSessionsStore().handleEvent(batch(S, [summary]));
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  restoreLayout();
  vi.restoreAllMocks();
});

async function showFrame(): Promise<VueWrapper> {
  useFrameViewStore().viewOf(S).select(1);
  wrapper = mount(FrameDetail, { props: { sessionId: S }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

const note = (w: VueWrapper) => w.get('[data-testid="payload-part-note"]').text();
const button = (w: VueWrapper, name: string) => {
  const found = w.findAll('button').find((b) => b.text() === name);
  if (!found) throw new Error(`no ${name} button`);
  return found;
};
const tabs = (w: VueWrapper) => w.findAll('.toolbar [role="tab"]').map((t) => t.text());

describe('FrameDetail on a large payload', () => {
  it('asks for the first part, says what is left, and fetches the rest part by part', async () => {
    const w = await showFrame();
    expect(gets()).toEqual([{ sessionId: S, seq: 1, offset: 0, maxBytes: PAYLOAD_PART_BYTES }]);
    expect(note(w)).toContain(`Showing the first 1.0 MiB of 2.5 MiB (${(BYTES.length - MIB).toLocaleString('en-US')} more bytes).`);
    expect(note(w)).toContain('The JSON tab comes once the whole payload is fetched.');
    // A part of a JSON text does not parse: no JSON tab yet.
    expect(tabs(w)).toEqual(['Text', 'Hex', 'Base64']);

    await button(w, 'Show more').trigger('click');
    await flushPromises();
    expect(gets().at(-1)).toEqual({ sessionId: S, seq: 1, offset: MIB, maxBytes: PAYLOAD_PART_BYTES });
    expect(note(w)).toContain('Showing the first 2.0 MiB of 2.5 MiB');

    await button(w, 'Fetch the rest').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="payload-part-note"]').exists()).toBe(false);
    expect(tabs(w)).toEqual(['Text', 'JSON', 'Hex', 'Base64']);
    // Never more than a part per answer.
    expect(gets().every((arg) => arg.maxBytes !== undefined && arg.maxBytes <= PAYLOAD_PART_BYTES)).toBe(true);
    expect(gets().map((arg) => arg.offset)).toEqual([0, MIB, 2 * MIB]);
  });

  it('saves the whole payload, fetching what is not fetched yet', async () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      if (blob instanceof Blob) blobs.push(blob);
      return 'blob:test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const w = await showFrame();
    await button(w, 'Save payload…').trigger('click');
    await flushPromises();
    expect(blobs).toHaveLength(1);
    expect(blobs[0]?.size).toBe(BYTES.length);
    expect(await blobs[0]?.text()).toBe(TEXT);
    // Still one part shown: the save fetched the rest for the file only.
    expect(note(w)).toContain('Showing the first 1.0 MiB of 2.5 MiB');
  });
});

describe('the decoded tree', () => {
  it('says at each place the engine cut the value what was left out', async () => {
    const value: DecodedJson = { frames: [{ command: 'CONNECTED' }, { command: 'MESSAGE', body: 'a'.repeat(5000), tags: ['t0', 't1'] }] };
    const { tree, marks } = decodedTree(value, [
      { path: ['frames', 1, 'body'], kind: 'string', more: 20_000_000 },
      { path: ['frames', 1, 'tags'], kind: 'entries', more: 7 },
    ]);
    const w = mount(JsonTree, { props: { node: tree, marks }, attachTo: document.body });
    await flushPromises();
    const cuts = w.findAll('[data-testid="value-cut"]').map((c) => c.text());
    // What the engine left out plus what the tree does not show of what came (5000 − 2000 characters).
    expect(cuts).toEqual(['… 20,003,000 more bytes', '… 7 more items not fetched']);
    w.unmount();
  });
});
