import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SESSION_STATES, type SessionState } from '../../../src-main/shared/model';
import StatusBar from '../../../src-renderer/src/components/StatusBar.vue';
import { stateLabel } from '../../../src-renderer/src/util/state-label';
import { connectedTab, createFixture, emitFailure, emitState, type Fixture } from './store-fixture';

let fx: Fixture;

beforeEach(() => {
  fx = createFixture();
});

describe('StatusBar', () => {
  it('says "idle" before the first connection', () => {
    const tab = fx.store.newTab();
    const w = mount(StatusBar, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] } });
    expect(w.findAll('[role="status"]')).toHaveLength(1);
    expect(w.get('[role="status"]').text()).toContain('idle');
    expect(w.get('[role="status"]').text()).toContain('not connected');
    w.unmount();
  });

  it.each(SESSION_STATES.filter((s) => s !== 'idle'))('shows the state %s in words in the status element', async (state: SessionState) => {
    const tab = await connectedTab(fx);
    emitState(fx.fake, tab.sessionId, state);
    const w = mount(StatusBar, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    const status = w.get('[role="status"]');
    expect(status.text()).toContain(stateLabel(state).word);
    expect(status.attributes('data-state')).toBe(state);
    // Only "open" says "open": nothing on the way there can be mistaken for it.
    if (state !== 'open') expect(status.text()).not.toContain('open');
    w.unmount();
  });

  it('shows "● open", traffic both ways and dropped frames', async () => {
    const tab = await connectedTab(fx);
    emitState(fx.fake, tab.sessionId, 'open');
    fx.fake.emit({
      type: 'frames',
      sessionId: tab.sessionId,
      fromSeq: 51,
      dropped: 50,
      frames: [
        { seq: 51, dir: 'in', opcode: 'text', at: 1, size: 2048, preview: 'x', truncated: true },
        { seq: 52, dir: 'out', opcode: 'text', at: 2, size: 10, preview: 'hello', truncated: false },
        { seq: 53, dir: 'in', opcode: 'ping', at: 3, size: 0, preview: '', truncated: false },
      ],
    });
    const w = mount(StatusBar, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    expect(w.get('[role="status"]').text()).toContain('● open');
    // The counts come with the frame feed's publish: a task after an animation frame, later still
    // when a publish went out less than 100 ms before (frame-feed.ts); wait for it, not for a time.
    await vi.waitFor(() => expect(w.get('[title^="Received"]').text()).not.toContain('0 msgs'), { timeout: 10_000 });
    // Only data messages count (the ping does not); sizes in bytes.
    const received = w.get('[title^="Received"]').text();
    expect(received).toContain('↓');
    expect(received).toContain('1 msg 2.0 KiB');
    const sent = w.get('[title^="Sent"]').text();
    expect(sent).toContain('↑');
    expect(sent).toContain('1 msg 10 B');
    expect(w.text()).toContain('50 older frames dropped');
    expect(w.text()).not.toContain('RTT');
    const dir = { messages: 0, bytes: 0 };
    const rate = { messagesPerSecond: 0, bytesPerSecond: 0 };
    fx.fake.emit({
      type: 'stats',
      sessionId: tab.sessionId,
      stats: {
        at: 10,
        totals: { in: dir, out: dir },
        window: { startAt: 0, seconds: 1, in: { messages: [0], bytes: [0] }, out: { messages: [0], bytes: [0] } },
        rate: { in: rate, out: rate },
        rtt: { lastMs: 23.4, minMs: 20, avgMs: 22, maxMs: 25, samples: [], pending: 0, unmatchedPongs: 0 },
      },
    });
    await flushPromises();
    expect(w.text()).toContain('RTT 23 ms');
    w.unmount();
  });

  it('shows the failure code and the close code with its name and reason', async () => {
    const a = await connectedTab(fx);
    emitFailure(fx.fake, a.sessionId, { kind: 'net', stage: 'tunnel', code: 'PROXY_REFUSED', message: 'no', hint: 'h', details: {} });
    const failed = mount(StatusBar, { props: { tabId: a.id }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    expect(failed.get('[role="status"]').text()).toContain('✖ failed');
    expect(failed.get('[role="status"]').text()).toContain('PROXY_REFUSED');
    failed.unmount();

    const b = await connectedTab(fx);
    emitState(fx.fake, b.sessionId, 'open', 1000);
    emitState(fx.fake, b.sessionId, 'closed', 5000);
    fx.fake.emit({ type: 'closed', sessionId: b.sessionId, code: 1001, reason: 'bye', wasClean: true, initiatedBy: 'server', at: 5000 });
    const closed = mount(StatusBar, { props: { tabId: b.id }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    const text = closed.get('[role="status"]').text();
    expect(text).toContain('closed');
    expect(text).toContain('1001 Going Away');
    expect(text).toContain('“bye”');
    expect(text).toContain('closed by the server');
    expect(closed.text()).toContain('lasted 4.00 s');
    closed.unmount();
  });

  it('says why the server closed where the engine knows (an Engine.IO ping left unanswered)', async () => {
    const c = await connectedTab(fx);
    emitState(fx.fake, c.sessionId, 'open', 1000);
    emitState(fx.fake, c.sessionId, 'closed', 46_000);
    const why = "The server's last Engine.IO ping (2) got no pong (3)";
    fx.fake.emit({ type: 'closed', sessionId: c.sessionId, code: 1005, reason: '', wasClean: true, initiatedBy: 'server', at: 46_000, diagnosis: why });
    const bar = mount(StatusBar, { props: { tabId: c.id }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    const status = bar.get('[role="status"]');
    expect(bar.get('[data-testid="close-diagnosis"]').text()).toContain(why);
    expect(status.attributes('title')).toContain('closed by the server');
    expect(status.attributes('title')).toContain(why);
    bar.unmount();
  });
});
