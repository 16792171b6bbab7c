// The log and the detail pane read frames in their protocol (issue 14): the Summary column
// shows the engine's summaries for the rows in view only (asked in one frames:decode), a frame
// that is not valid STOMP in words without breaking the view, the picker sends the tab's
// override, the detail pane shows the decoded tree and the conversation with its latency, and
// "Follow this conversation" filters the log through the engine's decoded search.
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import FrameLog from '../../../src-renderer/src/components/FrameLog.vue';
import FrameDetail from '../../../src-renderer/src/components/FrameDetail.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import type { DecodedFrame, DecodingState } from '../../../src-main/shared/decoding';
import type { FrameSummary } from '../../../src-main/shared/model';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { serveFrames } from '../stores/fake-frames';
import { batch, frames } from '../stores/frame-fixtures';
import { mockScrollerLayout } from './layout-mock';
import { mockLogWidths } from './log-width-mock';
import { settle } from './store-fixture';

const S = 's1';
const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);
let restoreLayout: () => void;
let wrappers: VueWrapper[] = [];
let fake: FakeBridge;

const STOMP: DecodingState = { choice: 'auto', active: { protocol: 'stomp', title: 'STOMP', guess: true, reason: 'a message starts with the STOMP command CONNECT' }, available: [{ name: 'stomp', title: 'STOMP' }, { name: 'mqtt', title: 'MQTT' }] };

const decodedRows: Record<number, DecodedFrame> = {
  1: { seq: 1, kind: 'decoded', protocol: 'stomp', summary: 'CONNECT broker accept-version=1.2' },
  2: { seq: 2, kind: 'decoded', protocol: 'stomp', summary: 'SUBSCRIBE /topic/prices id=sub-0', conversation: { key: 'stomp receipt r-1', role: 'request', label: 'receipt r-1' } },
  3: { seq: 3, kind: 'decoded', protocol: 'stomp', summary: 'RECEIPT receipt-id=r-1', conversation: { key: 'stomp receipt r-1', role: 'answer', label: 'receipt r-1' }, answers: { seq: 2, latencyMs: 10 } },
  4: { seq: 4, kind: 'invalid', protocol: 'stomp', summary: "not valid STOMP: unknown command 'BOGUS' at byte 0", problem: "unknown command 'BOGUS' at byte 0" },
};
const values: Record<number, DecodedFrame['value']> = { 2: { command: 'SUBSCRIBE', headers: { id: 'sub-0', destination: '/topic/prices', receipt: 'r-1' }, body: '' }, 3: { command: 'RECEIPT', headers: { 'receipt-id': 'r-1' }, body: '' } };

let decodeCalls: { seqs: number[]; values: boolean }[];
let choices: (string | undefined)[];
let searchFilters: unknown[];
let list: FrameSummary[];

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
  fake = createFakeBridge();
  setBridge(fake.bridge);
  restoreLayout = mockScrollerLayout(440);
  list = frames(1, 5, (seq) => ({ at: T0 + seq * 10, dir: seq === 3 ? 'in' : 'out', preview: `frame ${seq}` }));
  serveFrames(fake, S, list);
  decodeCalls = [];
  choices = [];
  searchFilters = [];
  let state = STOMP;
  fake.answer('session:decoding', (arg) => {
    const choice = (arg as { choice?: string }).choice;
    choices.push(choice);
    if (choice !== undefined) state = { ...STOMP, choice, active: choice === 'none' ? null : STOMP.active && { ...STOMP.active, guess: choice === 'auto' } };
    return { ok: true, value: state };
  });
  fake.answer('frames:decode', (arg) => {
    const { seqs = [], values: withValues = false } = arg as { seqs?: number[]; values?: boolean };
    decodeCalls.push({ seqs, values: withValues });
    const out = seqs.flatMap((seq) => {
      const row = decodedRows[seq];
      if (!row) return [];
      const value = values[seq];
      return [withValues && value !== undefined ? { ...row, value } : row];
    });
    return { ok: true, value: { active: state.active, frames: out } };
  });
  fake.answer('frames:get', (arg) => {
    const seq = (arg as { seq: number }).seq;
    const frame = list.find((f) => f.seq === seq);
    if (!frame) return { ok: false, error: { code: 'NOT_FOUND', message: `frame ${seq} does not exist yet` } };
    return { ok: true, value: { frame, text: frame.preview, base64: btoa(frame.preview) } };
  });
  fake.answer('frames:search', (arg) => {
    const filter = (arg as { filter: { decoded?: { conversation?: string } } }).filter;
    searchFilters.push(filter);
    const matches = filter.decoded?.conversation === 'stomp receipt r-1' ? list.filter((f) => f.seq === 2 || f.seq === 3) : list;
    return { ok: true, value: { searchId: 'x', matches, nextSeq: null, scanned: list.length, cancelled: false, elapsedMs: 0, firstSeq: 1, lastSeq: list.length, dropped: 0 } };
  });
});

afterEach(() => {
  for (const w of wrappers) w.unmount();
  wrappers = [];
  restoreLayout();
});


async function mountAll(): Promise<{ log: VueWrapper; detail: VueWrapper }> {
  const sessionStore = useSessionsStore();
  sessionStore.handleEvent(batch(S, list));
  sessionStore.flushFrames();
  const log = mount(FrameLog, { props: { sessionId: S, tabId: 't1' }, attachTo: document.body });
  const detail = mount(FrameDetail, { props: { sessionId: S }, attachTo: document.body });
  wrappers.push(log, detail);
  await settle(10);
  log.get('[data-frame-scroller]').element.dispatchEvent(new Event('scroll'));
  await settle(10);
  return { log, detail };
}

const summaries = (w: VueWrapper) => w.findAll('[role="rowgroup"] [role="row"] .c-summary').map((c) => c.text());

describe('the Summary column', () => {
  it('shows what each row says in its protocol, asked once for the rows in view, a bad frame in words', async () => {
    const { log } = await mountAll();
    expect(log.findAll('.head [role="columnheader"]').map((h) => h.text())).toContain('Summary');
    // The bad frame leads with what is wrong (the protocol is the picker's); the tooltip says it whole.
    expect(summaries(log)).toEqual(['CONNECT broker accept-version=1.2', 'SUBSCRIBE /topic/prices id=sub-0', '↩ RECEIPT receipt-id=r-1+10 ms', "⚠ unknown command 'BOGUS' at byte 0", '']);
    expect(log.get('.c-summary.invalid').attributes('title')).toBe("not valid STOMP: unknown command 'BOGUS' at byte 0");
    // One request for the rows in view, no values (the detail pane asks for its own).
    expect(decodeCalls).toEqual([{ seqs: [1, 2, 3, 4, 5], values: false }]);
    // The other columns still read as before.
    expect(log.findAll('[role="rowgroup"] [role="row"] .c-preview').map((c) => c.text())[3]).toBe('frame 4');
  });

  it('sends the tab\'s choice to the engine and hides the column with None', async () => {
    const { log } = await mountAll();
    const select = log.get('select#decoding-s1');
    expect(select.findAll('option').map((o) => o.text())).toEqual(['Auto: STOMP?', 'None', 'STOMP', 'MQTT']);
    await select.setValue('none');
    await settle(10);
    expect(choices.at(-1)).toBe('none');
    expect(log.findAll('.head [role="columnheader"]').map((h) => h.text())).not.toContain('Summary');
    await select.setValue('stomp');
    await settle(10);
    expect(choices.at(-1)).toBe('stomp');
    expect(summaries(log)[1]).toBe('SUBSCRIBE /topic/prices id=sub-0');
  });
});

describe('a narrow log (compact) and the Columns menu', () => {
  const headers = (w: VueWrapper) => w.findAll('.head [role="columnheader"]').map((h) => h.text());
  const openMenu = async (w: VueWrapper) => {
    await w.findAll('button').find((b) => b.text().startsWith('Columns'))?.trigger('click');
    return w.get('[role="dialog"][aria-label="Columns"]');
  };

  it('hides Type and Preview where they do not fit beside a scrollbar, and the menu says why and how much room they lack', async () => {
    const restore = mockLogWidths(494);
    try {
      const { log } = await mountAll();
      expect(headers(log)).toEqual(['#', 'Time', 'DirDirection', 'Size', 'Summary']);
      const menu = await openMenu(log);
      const box = (label: string) => menu.findAll('label').find((l) => l.text() === label)?.get('input');
      // Still ticked (the user's choice), with the reason beside and in the box's description.
      expect((box('Type')?.element as HTMLInputElement).checked).toBe(true);
      expect(menu.get('[data-testid="column-held-type"]').text()).toBe('hidden: log too narrow');
      expect(menu.get('[data-testid="column-held-preview"]').text()).toBe('hidden: log too narrow');
      expect(menu.find('[data-testid="column-held-size"]').exists()).toBe(false);
      const hint = menu.get('[data-testid="columns-hint"]');
      expect(hint.text()).toBe(
        'Type and Preview need 19 px more beside the Summary: widen the log (drag the divider beside the detail pane, or widen the window) or hide a column.',
      );
      const described = (box('Preview')?.attributes('aria-describedby') ?? '').split(' ');
      expect(described.map((id) => document.getElementById(id)?.textContent)).toEqual(['hidden: log too narrow', hint.text()]);
      expect(box('Size')?.attributes('aria-describedby')).toBeUndefined();
    } finally {
      restore();
    }
  });

  it('keeps every column where they fit, and the menu has nothing to explain', async () => {
    const restore = mockLogWidths(662);
    try {
      const { log } = await mountAll();
      expect(headers(log)).toEqual(['#', 'Time', 'DirDirection', 'Type', 'Size', 'Summary', 'Preview']);
      const menu = await openMenu(log);
      expect(menu.find('[data-testid="columns-hint"]').exists()).toBe(false);
      expect(menu.findAll('.held')).toHaveLength(0);
    } finally {
      restore();
    }
  });
});

describe('the detail pane', () => {
  it('shows the decoded tree beside the raw views, and the conversation with the answer\'s latency', async () => {
    const { detail } = await mountAll();
    useFrameViewStore().viewOf(S).select(3);
    await settle(10);
    const decoded = detail.get('[data-testid="decoded-frame"]');
    expect(decoded.text()).toContain('STOMP');
    expect(decoded.text()).toContain('RECEIPT receipt-id=r-1');
    expect(decoded.text()).toContain('"receipt-id"');
    expect(decodeCalls.some((c) => c.values && c.seqs.join() === '3')).toBe(true);
    const conversation = detail.get('[data-testid="conversation"]');
    expect(conversation.text()).toContain('Conversation: receipt r-1');
    expect(conversation.findAll('li').map((li) => li.findAll('button, span').map((part) => part.text()).filter((t) => t !== '').join(' '))).toEqual(['#2 ↑ request SUBSCRIBE /topic/prices id=sub-0', '#3 ↓ answer +10 ms RECEIPT receipt-id=r-1']);
    // The raw views are still there below.
    expect(detail.findAll('[role="tab"]').map((t) => t.text())).toContain('Hex');
  });

  it('a frame in two conversations (a SUBSCRIBE with a receipt) lists both, each with its Follow; an answer with no request before it says so', async () => {
    const saved = { ...decodedRows };
    const subscription = { key: 'stomp subscription sub-0', role: 'request' as const, label: 'subscription sub-0' };
    const message = (seq: number): DecodedFrame => ({ seq, kind: 'decoded', protocol: 'stomp', summary: `MESSAGE /topic/prices subscription=sub-0 message-id=${seq}`, conversation: { ...subscription, role: 'stream' } });
    decodedRows[2] = { seq: 2, kind: 'decoded', protocol: 'stomp', summary: 'SUBSCRIBE /topic/prices id=sub-0', conversation: { key: 'stomp receipt r-1', role: 'request', label: 'receipt r-1', also: subscription } };
    decodedRows[4] = message(4);
    decodedRows[5] = message(5);
    let subscriptionFrames = [2, 4, 5];
    fake.answer('frames:search', (arg) => {
      const key = (arg as { filter: { decoded?: { conversation?: string } } }).filter.decoded?.conversation;
      const seqs = key === 'stomp receipt r-1' ? [2, 3] : key === subscription.key ? subscriptionFrames : [];
      return { ok: true, value: { searchId: 'z', matches: list.filter((f) => seqs.includes(f.seq)), nextSeq: null, scanned: list.length, cancelled: false, elapsedMs: 0, firstSeq: 1, lastSeq: list.length, dropped: 0 } };
    });
    try {
      const { detail } = await mountAll();
      useFrameViewStore().viewOf(S).select(2);
      await settle(10);
      const sections = detail.findAll('[data-testid="conversation"]');
      expect(sections.map((c) => c.get('.label').text())).toEqual(['Conversation: receipt r-1', 'Conversation: subscription sub-0']);
      const rows = (c: (typeof sections)[number] | undefined) => (c ? c.findAll('li').map((li) => li.findAll('button, span').map((part) => part.text()).filter((t) => t !== '').join(' ')) : []);
      expect(rows(sections[0])).toEqual(['#2 ↑ request SUBSCRIBE /topic/prices id=sub-0', '#3 ↓ answer +10 ms RECEIPT receipt-id=r-1']);
      expect(rows(sections[1])).toEqual(['#2 ↑ request SUBSCRIBE /topic/prices id=sub-0', '#4 ↑ stream MESSAGE /topic/prices subscription=sub-0 message-id=4', '#5 ↑ stream MESSAGE /topic/prices subscription=sub-0 message-id=5']);
      // Each Follow follows its own conversation.
      await sections[1]?.get('button.ts-btn').trigger('click');
      expect(useFrameViewStore().viewOf(S).state.filter.conversation).toEqual({ key: subscription.key, label: 'subscription sub-0' });
      await settle(10);
      expect(detail.findAll('[data-testid="conversation"] button.ts-btn').map((b) => b.text())).toEqual(['Follow this conversation', 'Show every frame']);
      useFrameViewStore().viewOf(S).followConversation(null);
      // The SUBSCRIBE came before the capture: the MESSAGEs' list has no request, and says so.
      subscriptionFrames = [4, 5];
      useFrameViewStore().viewOf(S).select(5);
      await settle(10);
      expect(detail.get('[data-testid="conversation-no-request"]').text()).toBe('No request of this conversation is in the log before this frame (sent before the capture began, or dropped from memory).');
      subscriptionFrames = [2, 4, 5];
      useFrameViewStore().viewOf(S).select(4);
      await settle(10);
      expect(detail.find('[data-testid="conversation-no-request"]').exists()).toBe(false);
    } finally {
      for (const seq of [2, 4, 5]) {
        const before = saved[seq];
        if (before) decodedRows[seq] = before;
        else delete decodedRows[seq];
      }
    }
  });

  it('says what is wrong with a frame that is not valid, without breaking the raw views', async () => {
    const { detail } = await mountAll();
    useFrameViewStore().viewOf(S).select(4);
    await settle(10);
    expect(detail.get('[data-testid="decode-problem"]').text()).toBe("not valid STOMP: unknown command 'BOGUS' at byte 0");
    // Said once: the header above it does not repeat it.
    expect(detail.get('[data-testid="decoded-frame"]').text().split('not valid STOMP').length - 1).toBe(1);
    expect(detail.findAll('[role="tab"]').map((t) => t.text())).toContain('Text');
  });

  it('says it is finding the conversation while the search runs, each row whole on hover, and a frame alone in it', async () => {
    const { detail } = await mountAll();
    const search = fake.bridge['frames:search'];
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    fake.bridge['frames:search'] = async (arg) => {
      await held;
      return search(arg);
    };
    useFrameViewStore().viewOf(S).select(3);
    await settle(10);
    // Before: the label and Follow, and nothing under them until the search answered.
    expect(detail.get('[data-testid="conversation-finding"]').text()).toBe('Finding the frames of this conversation…');
    release();
    await settle(10);
    expect(detail.find('[data-testid="conversation-finding"]').exists()).toBe(false);
    const cells = detail.findAll('[data-testid="conversation"] .row-summary');
    expect(cells.map((c) => c.attributes('title'))).toEqual(['SUBSCRIBE /topic/prices id=sub-0', 'RECEIPT receipt-id=r-1']);
    expect(detail.find('[data-testid="conversation-alone"]').exists()).toBe(false);
    // A conversation of which only this frame is in the log (its request dropped, or no answer yet): said.
    fake.bridge['frames:search'] = search;
    fake.answer('frames:search', () => ({ ok: true, value: { searchId: 'y', matches: list.filter((f) => f.seq === 3), nextSeq: null, scanned: list.length, cancelled: false, elapsedMs: 0, firstSeq: 1, lastSeq: list.length, dropped: 0 } }));
    useFrameViewStore().viewOf(S).select(2);
    await settle(10);
    useFrameViewStore().viewOf(S).select(3);
    await settle(10);
    expect(detail.get('[data-testid="conversation-alone"]').text()).toBe('No other frame of this conversation is in the log (yet).');
  });

  it('opens the raw part on the text as sent when the decoded tree is above it (the same JSON tree twice before), on JSON with None', async () => {
    const json = list[4];
    if (!json) throw new Error('no fifth frame');
    json.preview = '{"type":"next","id":"1","payload":{"data":{"price":1}}}';
    const { log, detail } = await mountAll();
    const selectedTab = () => detail.findAll('[role="tablist"][aria-label="Payload view"] [role="tab"]').find((t) => t.attributes('aria-selected') === 'true')?.text();
    useFrameViewStore().viewOf(S).select(5);
    await settle(10);
    expect(detail.findAll('[role="tablist"][aria-label="Payload view"] [role="tab"]').map((t) => t.text())).toEqual(['Text', 'JSON', 'Hex', 'Base64']);
    expect(selectedTab()).toBe('Text');
    await log.get('select#decoding-s1').setValue('none');
    await settle(10);
    expect(detail.find('[data-testid="decoded-frame"]').exists()).toBe(false);
    expect(selectedTab()).toBe('JSON');
  });

  it('follows the conversation: the log is filtered by the engine\'s decoded search, and a chip takes it off', async () => {
    const { log, detail } = await mountAll();
    useFrameViewStore().viewOf(S).select(2);
    await settle(10);
    const follow = detail.findAll('button').find((b) => b.text() === 'Follow this conversation');
    if (!follow) throw new Error('no Follow button');
    await follow.trigger('click');
    await settle(10);
    expect(searchFilters).toContainEqual(expect.objectContaining({ decoded: { conversation: 'stomp receipt r-1' } }));
    expect(log.text()).toContain('conversation: receipt r-1');
    expect(useFrameViewStore().viewOf(S).state.filter.conversation).toEqual({ key: 'stomp receipt r-1', label: 'receipt r-1' });
  });
});

describe('a frame the engine decoded without the frames before it (frames:decode `unread`)', () => {
  it('its row reads "≈ summary", muted, the whole note in the tooltip; the detail pane says it as a note', async () => {
    decodedRows[5] = { seq: 5, kind: 'decoded', protocol: 'stomp', summary: 'MESSAGE /far 0 B', unread: { framesBefore: 812_280, fromSeq: 812_281 } };
    try {
      const { log, detail } = await mountAll();
      const cell = log.findAll('[role="rowgroup"] [role="row"] .c-summary')[4];
      if (!cell) throw new Error('no fifth row');
      expect(cell.text()).toBe('≈ MESSAGE /far 0 B');
      expect(cell.classes()).toContain('unread');
      expect(cell.attributes('title')).toBe('MESSAGE /far 0 B — decoded without the 812,280 frames before #812,281 (not read yet): state they set may be missing; decoded again once the engine has read them');
      // The exact rows are not marked.
      expect(log.findAll('.c-summary.unread')).toHaveLength(1);
      useFrameViewStore().viewOf(S).select(5);
      await settle(10);
      const decoded = detail.get('[data-testid="decoded-frame"]');
      expect(decoded.get('header .summary').text()).toBe('MESSAGE /far 0 B');
      expect(decoded.get('header .summary').classes()).toContain('unread');
      expect(decoded.get('[data-testid="unread-note"]').text()).toMatch(/^Decoded without the 812,280 frames before #812,281: the engine has not read them yet/);
      useFrameViewStore().viewOf(S).select(3);
      await settle(10);
      expect(detail.find('[data-testid="unread-note"]').exists()).toBe(false);
    } finally {
      delete decodedRows[5];
      useDecodingStore().forget(S);
    }
  });
});

describe('when a session goes', () => {
  it('its decoded rows and state go with it', async () => {
    const { log } = await mountAll();
    const decoding = useDecodingStore();
    expect(decoding.row(S, 2)?.summary).toBe('SUBSCRIBE /topic/prices id=sub-0');
    log.unmount();
    wrappers = wrappers.filter((w) => w !== log);
    useSessionsStore().handleEvent({ type: 'session-removed', sessionId: S });
    await settle(10);
    expect(decoding.row(S, 2)).toBeUndefined();
    expect(decoding.viewOf(S).state).toBeNull();
  });
});
