/** The statistics panel in the detail pane: charts, totals and round trips from the engine's `stats` event. */
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionStats } from '../../../src-main/shared/stats';
import FrameDetail from '../../../src-renderer/src/components/FrameDetail.vue';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { connectedTab, createFixture, emitState, type Fixture } from './store-fixture';

let fx: Fixture;

beforeEach(() => {
  fx = createFixture();
});

function stats(rtt: Partial<SessionStats['rtt']> = {}): SessionStats {
  return {
    at: 61_000,
    totals: { in: { messages: 120_000, bytes: 4_800_000 }, out: { messages: 12, bytes: 480 } },
    window: {
      startAt: 0,
      seconds: 3,
      in: { messages: [50_000, 70_000, 5], bytes: [2_000_000, 2_800_000, 200] },
      out: { messages: [6, 6, 0], bytes: [240, 240, 0] },
    },
    rate: { in: { messagesPerSecond: 70_000, bytesPerSecond: 2_800_000 }, out: { messagesPerSecond: 6, bytesPerSecond: 240 } },
    rtt: { lastMs: 12.5, minMs: 3.25, avgMs: 8, maxMs: 21, samples: [{ at: 1, ms: 3.25 }, { at: 2, ms: 21 }, { at: 3, ms: 12.5 }], pending: 1, unmatchedPongs: 2, ...rtt },
  };
}

describe('SessionStatsPanel', () => {
  it('shows charts, totals with current and peak rates, and the round trips while no frame is selected', async () => {
    const tab = await connectedTab(fx);
    emitState(fx.fake, tab.sessionId, 'open');
    fx.fake.emit({ type: 'stats', sessionId: tab.sessionId, stats: stats() });
    const w = mount(FrameDetail, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    const panel = w.get('[data-testid="session-stats"]');
    expect(w.text()).toContain('Select a frame in the log');
    expect(panel.text()).toContain('per second, the last 2 s');
    // Two charts, each described in words for screen readers, on a round scale.
    const charts = panel.findAll('svg[role="img"]');
    expect(charts[0]?.attributes('aria-label')).toBe('Messages per second over the last 2 s: received peak 70,000/s, sent peak 6/s.');
    expect(panel.text()).toContain('scale 100,000/s');
    const received = panel.findAll('tbody tr')[0]?.text() ?? '';
    expect(received).toContain('↓ Received');
    expect(received).toContain('120,000');
    expect(received).toContain('70,000/s');
    const rtt = panel.get('[data-testid="rtt-figures"]').text();
    expect(rtt).toContain('13 ms last');
    expect(rtt).toContain('min 3.3 · avg 8.0 · max 21 ms');
    expect(rtt).toContain('3 recent round trips');
    expect(panel.findAll('rect')).toHaveLength(3);
    expect(panel.text()).toContain('1 ping not answered yet');
    expect(panel.text()).toContain('2 pongs that answered no ping of ours');
    w.unmount();
  });

  it('says how to get round trips when there are none, and shows nothing without statistics', async () => {
    const tab = await connectedTab(fx);
    const w = mount(FrameDetail, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    expect(w.find('[data-testid="session-stats"]').exists()).toBe(false);
    emitState(fx.fake, tab.sessionId, 'open');
    fx.fake.emit({ type: 'stats', sessionId: tab.sessionId, stats: stats({ lastMs: null, minMs: null, avgMs: null, maxMs: null, samples: [], pending: 0, unmatchedPongs: 0 }) });
    await flushPromises();
    expect(w.get('[data-testid="session-stats"]').text()).toContain('No round trips yet');
    emitState(fx.fake, tab.sessionId, 'closed');
    await flushPromises();
    expect(w.get('[data-testid="session-stats"]').text()).toContain('per second, the 2 s before it ended');
    w.unmount();
  });

  it("says which window an imported log's figures cover, and shows Peak over the whole log", async () => {
    // QA: an imported flood showed Peak 1/s ("the minute before it ended") where the live
    // session had 26,606/s: the engine's window is the log's last minute (pings only), so the
    // engine sends the busiest second of the whole log beside it (logPeak).
    const tab = await connectedTab(fx);
    const w = mount(FrameDetail, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    emitState(fx.fake, tab.sessionId, 'closed');
    const logPeak = { in: { messagesPerSecond: 26_606, bytesPerSecond: 1_064_240 }, out: { messagesPerSecond: 9, bytesPerSecond: 360 } };
    fx.fake.emit({ type: 'stats', sessionId: tab.sessionId, stats: { ...stats(), logPeak } });
    const view = useSessionsStore().sessions.get(tab.sessionId);
    if (!view) throw new Error('no session');
    view.readOnly = true;
    await flushPromises();
    const text = w.get('[data-testid="session-stats"]').text();
    expect(text).toContain("per second, the log's last 2 s (to its last frame's time)");
    expect(text).toContain('“Peak” the busiest second of the whole log.');
    // The whole log's peak, not the window's 70,000/s.
    expect(text).toContain('26,606/s');
    expect(text).not.toContain('70,000/s 2.7 MiB/s 70,000/s');
    expect(text).not.toContain('before it ended');
    w.unmount();
  });
});
