// The rows a session's decoding answered are asked again once, when the session ends: the last
// message of a direction that left an MQTT packet under way said "… so far" while it was live and
// now says the rest never came (the engine picks the answer as it is read: session-end.ts), so a
// row kept from before the end would show the old words for good. Rows of a session that goes on
// are not asked again.
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import DecodedFramePane from '../../../src-renderer/src/components/DecodedFrame.vue';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import type { DecodedFrame, DecodingState } from '../../../src-main/shared/decoding';
import { createFakeBridge, type FakeBridge } from './fake-bridge';

const S = 's1';
const MQTT: DecodingState = { choice: 'mqtt', active: { protocol: 'mqtt', title: 'MQTT', guess: false, reason: 'chosen for this tab' }, available: [{ name: 'mqtt', title: 'MQTT' }] };
const soFar: DecodedFrame = { seq: 3, kind: 'partial', protocol: 'mqtt', summary: 'part of an MQTT PUBLISH: 7 of the 23 B after its fixed header so far (continues in a later message)' };
const never = 'part of an MQTT PUBLISH: 7 of the 23 B after its fixed header arrived; the session ended before the rest';
const ended: DecodedFrame = { seq: 3, kind: 'invalid', protocol: 'mqtt', summary: `not valid MQTT: ${never}`, problem: never };

let fake: FakeBridge;
let answer: DecodedFrame;
let asked: number;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  answer = soFar;
  asked = 0;
  fake.answer('session:decoding', () => ({ ok: true, value: MQTT }));
  fake.answer('frames:decode', () => {
    asked++;
    return { ok: true, value: { active: MQTT.active, frames: [answer] } };
  });
});

/** Lets the batched request and its answer go through. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
    await nextTick();
  }
}

describe('decoded rows when the session ends', () => {
  it('are asked again once when the session closes, and show what the engine answers then', async () => {
    const sessions = useSessionsStore();
    const decoding = useDecodingStore();
    sessions.handleEvent({ type: 'session-created', sessionId: S, url: 'ws://h/mqtt', at: 1 });
    await decoding.refresh(S);
    decoding.want(S, [3]);
    await settle();
    expect(decoding.row(S, 3)?.summary).toBe(soFar.summary);
    expect(asked).toBe(1);

    // Other events of a live session ask nothing again.
    sessions.handleEvent({ type: 'state', sessionId: S, state: 'open', previous: 'connecting', at: 2 });
    await settle();
    decoding.want(S, [3]);
    await settle();
    expect(asked).toBe(1);

    answer = ended;
    sessions.handleEvent({ type: 'closed', sessionId: S, code: null, reason: '', wasClean: false, initiatedBy: 'none', at: 3 });
    await settle();
    // Forgotten: the rows in view ask for it again.
    expect(decoding.row(S, 3)).toBeUndefined();
    decoding.want(S, [3]);
    await settle();
    expect(decoding.row(S, 3)).toMatchObject({ kind: 'invalid', summary: ended.summary });
    expect(asked).toBe(2);

    // Once: later events of the ended session ask nothing again.
    sessions.handleEvent({ type: 'state', sessionId: S, state: 'closed', previous: 'closing', at: 4 });
    await settle();
    decoding.want(S, [3]);
    await settle();
    expect(asked).toBe(2);
  });

  it('the detail pane asks for its frame again when the session closes', async () => {
    const sessions = useSessionsStore();
    const decoding = useDecodingStore();
    sessions.handleEvent({ type: 'session-created', sessionId: S, url: 'ws://h/mqtt', at: 1 });
    await decoding.refresh(S);
    const pane = mount(DecodedFramePane, { props: { sessionId: S, seq: 3 } });
    await settle();
    expect(pane.text()).toContain(soFar.summary);
    answer = ended;
    sessions.handleEvent({ type: 'closed', sessionId: S, code: null, reason: '', wasClean: false, initiatedBy: 'none', at: 3 });
    await settle();
    expect(pane.get('[data-testid="decode-problem"]').text()).toBe(ended.summary);
    pane.unmount();
  });
});
