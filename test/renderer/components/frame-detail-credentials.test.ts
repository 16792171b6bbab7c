/**
 * The detail pane on a frame with credentials: the engine answers masked (`credentials` says
 * so), the pane says so and shows Show credentials; pressing it fetches the frame again with
 * `reveal`, shows the real text, and Copy copies it; Hide credentials masks it again, and
 * another frame (or the same one selected again) comes masked: the reveal is not kept.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import FrameDetail from '../../../src-renderer/src/components/FrameDetail.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { bytesToBase64 } from '../../../src-renderer/src/util/hex';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { batch, frame } from '../stores/frame-fixtures';
import { mockScrollerLayout } from './layout-mock';

const S = 's1';
const REAL = 'CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\n\n\0';
const MASKED = REAL.replace('passcode:guest', 'passcode:*****');
const PLAIN = 'SEND\ndestination:/q\n\nhi\0';

let fake: FakeBridge;
let restoreLayout: () => void;
let wrapper: VueWrapper | null = null;

interface GetArg {
  seq: number;
  reveal?: boolean;
}
const gets = (): GetArg[] => fake.calls.filter((c) => c.name === 'frames:get').map((c) => c.arg as GetArg);

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  restoreLayout = mockScrollerLayout(440);
  const connect = frame(1, { dir: 'out', opcode: 'text', size: REAL.length, preview: MASKED });
  const send = frame(2, { dir: 'out', opcode: 'text', size: PLAIN.length, preview: PLAIN });
  fake.answer('frames:get', (raw) => {
    const arg = raw as GetArg;
    const bytes = new TextEncoder().encode(arg.seq === 2 ? PLAIN : arg.reveal === true ? REAL : MASKED);
    const value = {
      frame: arg.seq === 2 ? send : connect,
      base64: bytesToBase64(bytes),
      text: new TextDecoder().decode(bytes),
      part: { offset: 0, bytes: bytes.length, totalBytes: bytes.length },
      ...(arg.seq === 1 ? { credentials: { fields: ['$.headers.passcode'], bytes: 5, revealed: arg.reveal === true } } : {}),
    };
    return { ok: true, value };
  });
  useSessionsStore().handleEvent(batch(S, [connect, send]));
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  restoreLayout();
  vi.restoreAllMocks();
});

const button = (w: VueWrapper, name: string) => {
  const found = w.findAll('button').find((b) => b.text() === name);
  if (!found) throw new Error(`no ${name} button`);
  return found;
};
const panelText = (w: VueWrapper) => w.get('.panel').text();

describe('FrameDetail with credentials', () => {
  it('shows them masked, says so, and reveals this frame only on Show credentials', async () => {
    const writes: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: (text: string) => (writes.push(text), Promise.resolve()) }, configurable: true });
    useFrameViewStore().viewOf(S).select(1);
    const w = mount(FrameDetail, { props: { sessionId: S }, attachTo: document.body });
    wrapper = w;
    await flushPromises();
    expect(gets().at(-1)?.reveal).toBeUndefined();
    expect(w.get('[data-testid="credentials-note"]').text()).toContain('Credentials masked with * (passcode)');
    expect(panelText(w)).toContain('passcode:*****');
    expect(w.text()).not.toContain('passcode:guest');
    await button(w, 'Copy Text').trigger('click');
    await flushPromises();
    expect(writes.at(-1)).toBe(MASKED);

    await button(w, 'Show credentials').trigger('click');
    await flushPromises();
    expect(gets().at(-1)).toMatchObject({ seq: 1, reveal: true });
    expect(panelText(w)).toContain('passcode:guest');
    expect(w.get('[data-testid="credentials-note"]').text()).toContain('Credentials shown (passcode) for this frame only');
    await button(w, 'Copy Text').trigger('click');
    await flushPromises();
    expect(writes.at(-1)).toBe(REAL);

    await button(w, 'Hide credentials').trigger('click');
    await flushPromises();
    expect(w.text()).not.toContain('passcode:guest');

    // Revealed, then another frame and back: masked again (the reveal is not kept).
    await button(w, 'Show credentials').trigger('click');
    await flushPromises();
    useFrameViewStore().viewOf(S).select(2);
    await flushPromises();
    expect(w.find('[data-testid="credentials-note"]').exists()).toBe(false);
    expect(gets().at(-1)).toEqual({ sessionId: S, seq: 2, offset: 0, maxBytes: expect.any(Number) });
    useFrameViewStore().viewOf(S).select(1);
    await flushPromises();
    expect(gets().at(-1)?.reveal).toBeUndefined();
    expect(w.text()).not.toContain('passcode:guest');
  });
});
