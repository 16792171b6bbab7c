// A compact log (a narrow one with a decoded Summary: no Type and no Preview column) still marks a
// frame the intercepting proxy edited, dropped or injected, or one a reconnect resent: the mark
// was drawn only in the Preview cell, so at 1024 px with a protocol decoding it was gone from the
// log (a reconnect's resent STOMP CONNECT and SUBSCRIBE looked like the user's own). Compact, it
// leads the Summary cell; with every column shown it stays in the Preview, once per row.
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import FrameLog from '../../../src-renderer/src/components/FrameLog.vue';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import type { DecodedFrame, DecodingState } from '../../../src-main/shared/decoding';
import type { FrameSummary } from '../../../src-main/shared/model';
import { createFakeBridge } from '../stores/fake-bridge';
import { serveFrames } from '../stores/fake-frames';
import { batch, frames } from '../stores/frame-fixtures';
import { mockScrollerLayout } from './layout-mock';
import { mockLogWidths } from './log-width-mock';
import { settle } from './store-fixture';

const S = 's1';
const STOMP: DecodingState = { choice: 'stomp', active: { protocol: 'stomp', title: 'STOMP', guess: false, reason: 'chosen' }, available: [{ name: 'stomp', title: 'STOMP' }] };
const MARKS: Record<number, FrameSummary['intercept']> = { 2: { action: 'resent' }, 3: { action: 'edited', originalSize: 20 }, 4: { action: 'dropped' }, 5: { action: 'injected' } };

let restore: Array<() => void> = [];
let wrappers: VueWrapper[] = [];

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
  const fake = createFakeBridge();
  setBridge(fake.bridge);
  restore = [mockScrollerLayout(440)];
  const list = frames(1, 5, (seq) => ({ preview: `frame ${seq}`, ...(MARKS[seq] ? { intercept: MARKS[seq] } : {}) }));
  serveFrames(fake, S, list);
  fake.answer('session:decoding', () => ({ ok: true, value: STOMP }));
  fake.answer('frames:decode', (arg) => {
    const { seqs = [] } = arg as { seqs?: number[] };
    const out: DecodedFrame[] = seqs.map((seq) => ({ seq, kind: 'decoded', protocol: 'stomp', summary: `SEND /queue/orders-${seq} 14 B` }));
    return { ok: true, value: { active: STOMP.active, frames: out } };
  });
  const sessions = useSessionsStore();
  sessions.handleEvent(batch(S, list));
  sessions.flushFrames();
});

afterEach(() => {
  for (const w of wrappers) w.unmount();
  wrappers = [];
  for (const undo of restore) undo();
});

async function mountLog(width: number): Promise<VueWrapper> {
  restore.push(mockLogWidths(width));
  const log = mount(FrameLog, { props: { sessionId: S, tabId: 't1' }, attachTo: document.body });
  wrappers.push(log);
  await settle(10);
  log.get('[data-frame-scroller]').element.dispatchEvent(new Event('scroll'));
  await settle(10);
  return log;
}

const rows = (log: VueWrapper) => log.findAll('[role="rowgroup"] [role="row"]');
/** Each row's marks, where they are: "summary:resent", "preview:edited"; '' for a row with none. */
const marks = (log: VueWrapper) =>
  rows(log).map((row) =>
    row
      .findAll('.intercept-mark')
      .map((mark) => `${mark.element.parentElement?.classList.contains('c-summary') ? 'summary' : 'preview'}:${mark.text()}`)
      .join(' '),
  );

describe('intercept and resent marks in a compact log', () => {
  it('lead the Summary where the Preview is not shown, with their titles, before the words', async () => {
    const log = await mountLog(494);
    expect(log.find('.head .c-preview').exists()).toBe(false);
    expect(marks(log)).toEqual(['', 'summary:resent', 'summary:edited', 'summary:dropped', 'summary:injected']);
    const second = rows(log)[1];
    expect(second?.get('.c-summary').text()).toBe('resentSEND /queue/orders-2 14 B');
    expect(second?.get('.intercept-mark').attributes('title')).toMatch(/^Sent again by the reconnect/);
    // Sent (#3 goes out) and edited: the server got the edit.
    expect(rows(log)[2]?.get('.intercept-mark').attributes('title')).toMatch(/^Edited at a breakpoint: this is what the server got; the original \(20 B\)/);
  });

  it('stay in the Preview, once a row, where every column is shown', async () => {
    const log = await mountLog(662);
    expect(log.find('.head .c-preview').exists()).toBe(true);
    expect(marks(log)).toEqual(['', 'preview:resent', 'preview:edited', 'preview:dropped', 'preview:injected']);
  });
});
