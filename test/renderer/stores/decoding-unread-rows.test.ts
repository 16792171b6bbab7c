// A row the engine answered "decoded without the N frames before #S" (it had not read that far:
// frame-decode-cache.ts, which reads up to every such frame at once) is asked again after
// RECHECK_MS while it stays shown and marked, however long that takes (a 10M-frame store takes
// minutes), until the engine answers it exactly. The detail pane does the same for its frame,
// keeping what it shows meanwhile. A row decoded without frames the store dropped
// (`withoutEvicted`) is final: asked once.
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import DecodedFrame from '../../../src-renderer/src/components/DecodedFrame.vue';
import { RECHECK_MS, useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import type { DecodedFrame as Decoded, DecodingState } from '../../../src-main/shared/decoding';
import { decodedFrameSchema } from '../../../src-main/shared/decoding';
import { unreadNote } from '../../../src-main/shared/unread-note';
import { summaryCell } from '../../../src-renderer/src/frame-view/decoded-summary';
import type { FrameSummary } from '../../../src-main/shared/model';
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
/** Asks the fake engine answers marked before its catch-up reaches the frame: more than two minutes of asking every RECHECK_MS. */
const LONG_CATCH_UP = 150;

let fake: FakeBridge;
let asked: number;
/** How many more answers are marked before the engine has caught up. */
let markedLeft: number;
/** What the engine answers once it has caught up. */
let after: Decoded;

beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  asked = 0;
  markedLeft = 2;
  after = exact;
  fake.answer('session:decoding', () => ({ ok: true, value: MQTT }));
  fake.answer('frames:decode', () => {
    asked++;
    const frame = markedLeft-- > 0 ? marked : after;
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
    const bad = [
      { framesBefore: -1, fromSeq: 2 },
      { framesBefore: 1.5, fromSeq: 2 },
      { framesBefore: 1, fromSeq: 0 },
      { framesBefore: 1 },
      { fromSeq: 2 },
      // The flag it once had (every marked answer is being caught up with): an unknown field now.
      { framesBefore: 1, fromSeq: 2, catchingUp: true },
      { framesBefore: 1, fromSeq: 2, extra: true },
    ];
    for (const unread of bad) {
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

  it('keeps asking for as long as the answer is marked (minutes of catching up), then shows the exact answer', async () => {
    markedLeft = LONG_CATCH_UP;
    const decoding = useDecodingStore();
    await decoding.refresh(S);
    decoding.want(S, [900_000]);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 1; i < LONG_CATCH_UP; i++) await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(asked).toBe(LONG_CATCH_UP);
    expect(decoding.row(S, 900_000)?.unread).toEqual(marked.unread);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(asked).toBe(LONG_CATCH_UP + 1);
    expect(decoding.row(S, 900_000)).toEqual(exact);
    await vi.advanceTimersByTimeAsync(RECHECK_MS * 5);
    expect(asked).toBe(LONG_CATCH_UP + 1);
  });

  it('stops asking when the session goes', async () => {
    markedLeft = Infinity;
    const decoding = useDecodingStore();
    await decoding.refresh(S);
    decoding.want(S, [900_000]);
    await vi.advanceTimersByTimeAsync(0);
    decoding.forget(S);
    const before = asked;
    await vi.advanceTimersByTimeAsync(RECHECK_MS * 3);
    expect(asked).toBe(before);
  });

  it('a row decoded without frames the store dropped is final: asked once, never again', async () => {
    const evicted: Decoded = { seq: 900_000, kind: 'decoded', protocol: 'mqtt', summary: 'PUBLISH (alias 3) QoS 0 12 B', withoutEvicted: { framesBefore: 4_000, fromSeq: 4_001 } };
    expect(decodedFrameSchema.parse(evicted)).toEqual(evicted);
    markedLeft = 0;
    after = evicted;
    const decoding = useDecodingStore();
    await decoding.refresh(S);
    decoding.want(S, [900_000]);
    await vi.advanceTimersByTimeAsync(0);
    expect(decoding.row(S, 900_000)).toEqual(evicted);
    await vi.advanceTimersByTimeAsync(RECHECK_MS * 10);
    expect(asked).toBe(1);

    const pane = mount(DecodedFrame, { props: { sessionId: S, seq: 900_000 } });
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toBe(2);
    expect(pane.get('.summary').classes()).toContain('unread');
    expect(pane.get('[data-testid="evicted-note"]').text()).toBe(
      "Decoded without the 4,000 frames before #4,001, which were dropped from memory (the session's frame limit): what they set (a topic alias, an operation's id, the start of a split message) may be missing here, and cannot be read again.",
    );
    expect(pane.find('[data-testid="unread-note"]').exists()).toBe(false);
    await vi.advanceTimersByTimeAsync(RECHECK_MS * 10);
    expect(asked).toBe(2);
    pane.unmount();
  });

  it('the detail pane asks again, keeping the marked answer on screen until the exact one comes', async () => {
    const decoding = useDecodingStore();
    await decoding.refresh(S);
    const wrapper = mount(DecodedFrame, { props: { sessionId: S, seq: 900_000 } });
    await vi.advanceTimersByTimeAsync(0);
    expect(wrapper.get('[data-testid="decode-problem"]').text()).toBe(marked.summary);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    // Not "Decoding…" again: the marked answer and its note stay while the next is asked.
    expect(wrapper.text()).not.toContain('Decoding…');
    expect(wrapper.get('[data-testid="unread-note"]').text()).toContain('Decoded without the 899,935 frames before #899,936');
    expect(wrapper.get('[data-testid="decode-problem"]').text()).toBe(marked.summary);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(wrapper.get('.summary').text()).toBe(exact.summary);
    expect(wrapper.find('[data-testid="unread-note"]').exists()).toBe(false);
    const calls = asked;
    await vi.advanceTimersByTimeAsync(RECHECK_MS * 3);
    expect(asked).toBe(calls);
    wrapper.unmount();
  });

  it('the detail pane asks for as long as the engine catches up', async () => {
    markedLeft = LONG_CATCH_UP;
    const decoding = useDecodingStore();
    await decoding.refresh(S);
    const wrapper = mount(DecodedFrame, { props: { sessionId: S, seq: 900_000 } });
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 1; i <= LONG_CATCH_UP; i++) await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(asked).toBe(LONG_CATCH_UP + 1);
    expect(wrapper.get('.summary').text()).toBe(exact.summary);
    wrapper.unmount();
  });
});

describe('an exact answer whose request is not known yet (a frame before it was decoded marked)', () => {
  const STOMP: DecodingState = { choice: 'stomp', active: { protocol: 'stomp', title: 'STOMP', guess: false, reason: 'chosen for this tab' }, available: [{ name: 'stomp', title: 'STOMP' }] };
  const conversation = { key: 'stomp receipt r-1', role: 'answer', label: 'receipt r-1' } as const;
  const pending: Decoded = { seq: 16_390, kind: 'decoded', protocol: 'stomp', summary: 'RECEIPT receipt-id=r-1', conversation, requestUnread: true };
  const linked: Decoded = { seq: 16_390, kind: 'decoded', protocol: 'stomp', summary: 'RECEIPT receipt-id=r-1', conversation, answers: { seq: 16_377, latencyMs: 13 } };
  const summary = { seq: 16_390, dir: 'in', opcode: 'text' } as FrameSummary;

  it('is asked again every RECHECK_MS until the engine links it, then shows its latency and is left alone', async () => {
    expect(decodedFrameSchema.parse(pending)).toEqual(pending);
    expect(decodedFrameSchema.safeParse({ ...pending, requestUnread: false }).success).toBe(false);
    let pendingLeft = 2;
    fake.answer('session:decoding', () => ({ ok: true, value: STOMP }));
    fake.answer('frames:decode', () => {
      asked++;
      return { ok: true, value: { active: STOMP.active, frames: [pendingLeft-- > 0 ? pending : linked] } };
    });
    const decoding = useDecodingStore();
    await decoding.refresh(S);
    decoding.want(S, [16_390]);
    await vi.advanceTimersByTimeAsync(0);
    // Exact meanwhile (no ≈), without a latency (nor the arrow, which promises a link): its tooltip says why.
    expect(summaryCell(summary, decoding.row(S, 16_390))).toEqual({
      text: 'RECEIPT receipt-id=r-1',
      latency: '',
      tone: 'decoded',
      title: 'RECEIPT receipt-id=r-1 — answer in receipt r-1; its request is still being read (frames shortly before it), so no latency yet',
    });
    expect(asked).toBe(1);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(asked).toBe(2);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(asked).toBe(3);
    expect(decoding.row(S, 16_390)).toEqual(linked);
    expect(summaryCell(summary, decoding.row(S, 16_390))).toEqual({ text: '↩ RECEIPT receipt-id=r-1', latency: '+13 ms', tone: 'decoded', title: 'RECEIPT receipt-id=r-1 — answer in receipt r-1, 13 ms after #16377' });
    await vi.advanceTimersByTimeAsync(RECHECK_MS * 5);
    expect(asked).toBe(3);
  });
});

