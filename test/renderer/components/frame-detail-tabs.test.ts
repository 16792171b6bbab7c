// The detail pane's Frame and Statistics tabs: the statistics stay reachable with a frame
// selected, Escape clears the selection and goes back to them.
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import FrameDetail from '../../../src-renderer/src/components/FrameDetail.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { bytesToBase64 } from '../../../src-renderer/src/util/hex';
import { batch, frame } from '../stores/frame-fixtures';
import { connectedTab, createFixture, emitState, type Fixture } from './store-fixture';

let fx: Fixture;

beforeEach(() => {
  fx = createFixture();
  fx.fake.answer('frames:get', () => ({ ok: true, value: { frame: frame(1, { preview: 'hello' }), base64: bytesToBase64(new TextEncoder().encode('hello')), text: 'hello' } }));
});

const STATS = {
  at: 3000,
  totals: { in: { messages: 7, bytes: 70 }, out: { messages: 3, bytes: 30 } },
  window: { startAt: 0, seconds: 2, in: { messages: [4, 3], bytes: [40, 30] }, out: { messages: [2, 1], bytes: [20, 10] } },
  rate: { in: { messagesPerSecond: 3, bytesPerSecond: 30 }, out: { messagesPerSecond: 1, bytesPerSecond: 10 } },
  rtt: { lastMs: null, minMs: null, avgMs: null, maxMs: null, samples: [], pending: 0, unmatchedPongs: 0 },
};

describe('FrameDetail tabs', () => {
  it('switches between the frame and the statistics, and Escape goes back to the statistics', async () => {
    const tab = await connectedTab(fx);
    const id = tab.sessionId;
    emitState(fx.fake, id, 'open');
    fx.fake.emit({ type: 'stats', sessionId: id, stats: STATS });
    fx.fake.emit(batch(id, [frame(1, { preview: 'hello' })]));
    const w = mount(FrameDetail, { props: { sessionId: id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    await flushPromises();
    const paneTabs = () => w.findAll('[aria-label="Detail pane"] [role="tab"]');
    const selected = () => w.get('[aria-label="Detail pane"] [role="tab"][aria-selected="true"]').text();
    expect(paneTabs().map((t) => t.text())).toEqual(['Frame', 'Statistics']);
    expect(selected()).toBe('Statistics');
    expect(w.find('[data-testid="session-stats"]').exists()).toBe(true);

    useFrameViewStore().viewOf(id).select(1);
    await flushPromises();
    expect(selected()).toBe('Frame');
    expect(w.get('.panel pre').text()).toBe('hello');
    expect(w.text()).toContain('Esc clears the selection');

    // The statistics, with the frame still selected.
    await paneTabs()[1]?.trigger('click');
    expect(selected()).toBe('Statistics');
    expect(w.find('[data-testid="session-stats"]').exists()).toBe(true);
    expect(useFrameViewStore().viewOf(id).state.selectedSeq).toBe(1);
    // Arrow keys move between the two tabs.
    await w.get('[aria-label="Detail pane"]').trigger('keydown', { key: 'ArrowLeft' });
    expect(selected()).toBe('Frame');

    await w.get('.frame-detail').trigger('keydown', { key: 'Escape' });
    expect(useFrameViewStore().viewOf(id).state.selectedSeq).toBeNull();
    expect(selected()).toBe('Statistics');
    expect(w.text()).not.toContain('Esc clears the selection');
    w.unmount();
  });
});
