// A row the engine answered "decoded without the N frames before #S" (it had not read that far:
// frame-decode-cache.ts) is asked again after RECHECK_MS while it stays shown, until the engine
// answers it exactly; the detail pane does the same for its frame, keeping what it shows meanwhile.
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import DecodedFrame from '../../../src-renderer/src/components/DecodedFrame.vue';
import { RECHECK_MS, RECHECKS, useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import type { DecodedFrame as Decoded, DecodingState } from '../../../src-main/shared/decoding';
import { decodedFrameSchema } from '../../../src-main/shared/decoding';
import { unreadNote } from '../../../src-main/shared/unread-note';
import { createFakeBridge, type FakeBridge } from './fake-bridge';

const S = 's1';
const MQTT: DecodingState = { choice: 'mqtt', active: { protocol: 'mqtt', title: 'MQTT', guess: false, reason: 'chosen for this tab' }, available: [{ name: 'mqtt', title: 'MQTT' }] };
const exact: Decoded = { seq: 900_000, kind: 'decoded', protocol: 'mqtt', summary: 'PUBLISH sensors/7 (alias 3) QoS 0 12 B' };
const marked: Decoded = {
  seq: 900_000,
  kind: 'invalid',
  protocol: 'mqtt',
  summary: 'not valid MQTT: packet 1 of this message: Cannot parse topic',
  problem: 'packet 1 of this message: Cannot parse topic',
  unread: { framesBefore: 899_935, fromSeq: 899_936 },
};

let fake: FakeBridge;
let asked: number;
/** How many more answers are marked before the engine has caught up. */
let markedLeft: number;

beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  asked = 0;
  markedLeft = 2;
  fake.answer('session:decoding', () => ({ ok: true, value: MQTT }));
  fake.answer('frames:decode', () => {
    asked++;
    const frame = markedLeft-- > 0 ? marked : exact;
    return { ok: true, value: { active: MQTT.active, frames: [frame] } };
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('rows decoded without the frames before them', () => {
  it('the note is one wording at both ends; the answer carries it as a validated flag', () => {
    expect(unreadNote(812_280, 812_281)).toBe(' — decoded without the 812,280 frames before #812,281 (not read yet)');
    expect(decodedFrameSchema.parse(marked)).toEqual(marked);
    for (const unread of [{ framesBefore: -1, fromSeq: 2 }, { framesBefore: 1.5, fromSeq: 2 }, { framesBefore: 1, fromSeq: 0 }, { framesBefore: 1 }, { framesBefore: 1, fromSeq: 2, extra: true }]) {
      const parsed = decodedFrameSchema.safeParse({ ...exact, unread });
      expect(parsed.success, JSON.stringify(unread)).toBe(false);
      expect(parsed.error?.issues[0]?.path[0]).toBe('unread');
    }
  });

  it('are shown marked, asked again every RECHECK_MS, then shown exact and left alone', async () => {
    const decoding = useDecodingStore();
    await decoding.refresh(S);
    decoding.want(S, [900_000]);
    await vi.advanceTimersByTimeAsync(0);
    expect(decoding.row(S, 900_000)?.summary).toBe(marked.summary);
    expect(asked).toBe(1);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(asked).toBe(2);
    expect(decoding.row(S, 900_000)?.summary).toBe(marked.summary);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(asked).toBe(3);
    expect(decoding.row(S, 900_000)).toEqual(exact);
    await vi.advanceTimersByTimeAsync(RECHECK_MS * 5);
    expect(asked).toBe(3);
  });

  it('gives up after RECHECKS tries, and stops when the session goes', async () => {
    markedLeft = Infinity;
    const decoding = useDecodingStore();
    await decoding.refresh(S);
    decoding.want(S, [900_000]);
    await vi.advanceTimersByTimeAsync(RECHECK_MS * (RECHECKS + 5));
    // The first ask, then RECHECKS more.
    expect(asked).toBe(RECHECKS + 1);
    decoding.forget(S);
    await decoding.refresh(S);
    decoding.want(S, [900_000]);
    await vi.advanceTimersByTimeAsync(0);
    decoding.forget(S);
    const before = asked;
    await vi.advanceTimersByTimeAsync(RECHECK_MS * 3);
    expect(asked).toBe(before);
  });

  it('the detail pane asks again, keeping the marked answer on screen until the exact one comes', async () => {
    const decoding = useDecodingStore();
    await decoding.refresh(S);
    const wrapper = mount(DecodedFrame, { props: { sessionId: S, seq: 900_000 } });
    await vi.advanceTimersByTimeAsync(0);
    expect(wrapper.get('.summary').text()).toBe(marked.summary);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    // Not "Decoding…" again: the marked answer and its note stay while the next is asked.
    expect(wrapper.text()).not.toContain('Decoding…');
    expect(wrapper.get('[data-testid="unread-note"]').text()).toContain('Decoded without the 899,935 frames before #899,936');
    expect(wrapper.get('.summary').text()).toBe(marked.summary);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(wrapper.get('.summary').text()).toBe(exact.summary);
    expect(wrapper.find('[data-testid="unread-note"]').exists()).toBe(false);
    const calls = asked;
    await vi.advanceTimersByTimeAsync(RECHECK_MS * 3);
    expect(asked).toBe(calls);
    wrapper.unmount();
  });
});
