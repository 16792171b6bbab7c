// The composer's ids follow the session's log, not only its own sends (issue: ids ignored what
// the server and earlier frames did). A GraphQL subscribe typed in the Text box took id 1: the
// Protocol form proposed 1 again (graphql-ws ends the connection 4409 "Subscriber for 1 already
// exists"); now it proposes 2. The server completing an operation frees its id (no warning when
// typed back); a reconnect's new connection has nothing open. The engine's real encoder answers
// message:encode; the log is served by the fake bridge (frames:page, frames:decode with values).
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import Composer from '../../../src-renderer/src/components/Composer.vue';
import { useTabsStore } from '../../../src-renderer/src/stores/tabs-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import type { DecodedFrame, DecodedJson } from '../../../src-main/shared/decoding';
import type { FrameSummary } from '../../../src-main/shared/model';
import { protocolMessageSchema, type EncodedMessage, type ProtocolMessage } from '../../../src-main/shared/protocol-message';
import type { Result } from '../../../src-main/shared/result';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { serveFrames, type FakeFrameStore } from '../stores/fake-frames';
import { batch, frame } from '../stores/frame-fixtures';

const ENCODER = '../../../src-main/core/encode/encode-message';
const { encodeMessage } = (await import(/* @vite-ignore */ ENCODER)) as { encodeMessage: (message: ProtocolMessage) => Result<EncodedMessage> };

const S = 's1';
const ACTIVE = { protocol: 'graphql-ws', title: 'GraphQL over WebSocket', guess: false, reason: 'the subprotocol' };

let fake: FakeBridge;
let store: FakeFrameStore;
let wrapper: VueWrapper | null = null;
/** The log's decoded values by seq. */
const values = new Map<number, DecodedJson>();
/** The seqs the composer asked decoded: each once (a read takes up where the last one ended). */
let decodedSeqs: number[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  fake.answer('message:encode', (arg) => encodeMessage(protocolMessageSchema.parse((arg as { message: unknown }).message)));
  values.clear();
  decodedSeqs = [];
  store = serveFrames(fake, S, []);
  fake.answer('session:decoding', () => ({ ok: true, value: { choice: 'auto', active: ACTIVE, available: [] } }));
  // The fake's search reads no decoded query: it finds every frame, and the values tell.
  fake.answer('frames:decode', (arg) => {
    const { seqs = [], values: withValues = false } = arg as { seqs?: number[]; values?: boolean };
    decodedSeqs.push(...seqs);
    const frames: DecodedFrame[] = seqs.flatMap((seq) => {
      const value = values.get(seq);
      return value === undefined ? [] : [{ seq, kind: 'decoded' as const, protocol: 'graphql-ws', summary: '', ...(withValues ? { value } : {}) }];
    });
    return { ok: true, value: { active: ACTIVE, frames } };
  });
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  vi.useRealTimers();
});

async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(400);
  await flushPromises();
}

/** Frames that reach the log (and the renderer's feed), as the engine records them. */
async function logged(...list: [dir: 'in' | 'out', value: DecodedJson][]): Promise<void> {
  const first = (store.frames.at(-1)?.seq ?? 0) + 1;
  const added: FrameSummary[] = list.map(([dir, value], i) => {
    values.set(first + i, value);
    return frame(first + i, { dir, preview: JSON.stringify(value) });
  });
  store.frames.push(...added);
  fake.emit(batch(S, added));
  useSessionsStore().flushFrames();
  await settle();
}

async function mountGraphql(): Promise<VueWrapper> {
  const tabStore = useTabsStore();
  useSessionsStore().start();
  const tab = tabStore.newTab();
  tab.draft.url = 'ws://127.0.0.1:9/';
  await tabStore.connect(tab.id);
  fake.emit({ type: 'state', sessionId: S, state: 'open', previous: 'upgrading', at: 1 });
  wrapper = mount(Composer, { props: { tabId: tab.id }, attachTo: document.body });
  await flushPromises();
  await wrapper.findAll('button').find((b) => b.text() === 'Protocol')?.trigger('click');
  await settle();
  await byLabel(wrapper, 'Protocol').setValue('graphql');
  await byLabel(wrapper, 'Query').setValue('subscription { a }');
  await settle();
  return wrapper;
}

function byLabel(w: VueWrapper, label: string) {
  const found = w.find(`[aria-label="${label}"]`);
  if (found.exists()) return found;
  const forId = w.findAll('label').find((l) => l.text() === label)?.attributes('for');
  if (!forId) throw new Error(`no control labelled ${label}`);
  return w.get(`[id="${forId}"]`);
}

const sentIds = () => fake.calls.filter((c) => c.name === 'session:send').map((c) => (JSON.parse((c.arg as { data: string }).data) as { id: string }).id);
const warning = (w: VueWrapper) => w.find('[data-testid="protocol-id-warning"]');
const idField = (w: VueWrapper) => (byLabel(w, 'Id').element as HTMLInputElement).value;

async function clickSend(w: VueWrapper): Promise<void> {
  await settle();
  await w.findAll('button').find((b) => b.text() === 'Send')?.trigger('click');
  await settle();
}

const subscribe = (id: string): DecodedJson => ({ type: 'subscribe', id, payload: { query: 'subscription { a }' } });

describe("the composer's ids and the session's log", () => {
  it('an id a frame the composer did not send took is not proposed; one the server completed is free; a reconnect frees all', async () => {
    const w = await mountGraphql();
    expect(idField(w)).toBe('1');
    // A subscribe with id 1 sent from the Text box (or a profile's message on open); back in the Protocol form the log is read.
    await w.findAll('button').find((b) => b.text() === 'Text')?.trigger('click');
    await logged(['out', subscribe('1')], ['in', { type: 'next', id: '1', payload: { data: { a: 1 } } }]);
    await w.findAll('button').find((b) => b.text() === 'Protocol')?.trigger('click');
    await settle();
    expect(idField(w)).toBe('2');
    await clickSend(w);
    expect(sentIds()).toEqual(['2']);
    expect(idField(w)).toBe('3');
    // The server completes 2 (the composer's own): typed back, 2 is not warned about; 1 still is.
    await logged(['out', subscribe('2')], ['in', { type: 'complete', id: '2' }]);
    await byLabel(w, 'Id').setValue('2');
    // The warning the composer's own ledger would give is checked against the log first.
    await settle();
    expect(warning(w).exists()).toBe(false);
    await byLabel(w, 'Id').setValue('1');
    await settle();
    expect(warning(w).text()).toContain('The id 1 was sent in this session');
    // A reconnect: a new connection, where 1 is not open.
    fake.emit({ type: 'attempt', sessionId: S, record: { attempt: 1, startedAt: 0, endedAt: 0, afterSeq: 4, outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' }, next: { attempt: 2, retry: 1, maxRetries: 0, waitMs: 10, at: 0 } } });
    await logged(['out', { type: 'connection_init' }]);
    await byLabel(w, 'Id').setValue('5');
    await byLabel(w, 'Id').setValue('1');
    await settle();
    expect(warning(w).exists()).toBe(false);
    // Each frame was decoded at most once.
    expect(new Set(decodedSeqs).size).toBe(decodedSeqs.length);
  });
});
