/**
 * Issue 5's UI around the log: export (with the log's filter), import into a read-only tab
 * (and its problems), "Copy as command", the throughput graph and round-trip times, and the
 * desktop menu's actions.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import App from '../../../src-renderer/src/App.vue';
import Composer from '../../../src-renderer/src/components/Composer.vue';
import ExportMenu from '../../../src-renderer/src/components/ExportMenu.vue';
import StatusBar from '../../../src-renderer/src/components/StatusBar.vue';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { useAppMenuStore } from '../../../src-renderer/src/stores/app-menu-store';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { formatFromName, splitProblems, useLogFilesStore } from '../../../src-renderer/src/stores/log-files-store';
import type { MenuAction } from '../../../src-main/shared/ipc-channels';
import { commandSchemas } from '../../../src-main/shared/commands';
import type { SessionStats } from '../../../src-main/shared/stats';
import { serveFrames } from '../stores/fake-frames';
import { batch, frames } from '../stores/frame-fixtures';
import { connectedTab, createFixture, emitState, type Fixture, settle } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.restoreAllMocks();
});


function stats(over: Partial<SessionStats> = {}): SessionStats {
  const seconds = 60;
  const inMessages = Array.from({ length: seconds }, (_, i) => (i < 50 ? 0 : 50_000));
  return {
    at: 1_000_000,
    totals: { in: { messages: 2_500_000, bytes: 250_000_000 }, out: { messages: 12, bytes: 640 } },
    window: {
      startAt: 940_000,
      seconds,
      in: { messages: inMessages, bytes: inMessages.map((n) => n * 100) },
      out: { messages: new Array<number>(seconds).fill(0), bytes: new Array<number>(seconds).fill(0) },
    },
    rate: { in: { messagesPerSecond: 50_000, bytesPerSecond: 5_000_000 }, out: { messagesPerSecond: 0, bytesPerSecond: 0 } },
    rtt: { lastMs: 23.4, minMs: 20, avgMs: 25.2, maxMs: 41, samples: [{ at: 1, ms: 23.4 }], pending: 1, unmatchedPongs: 0 },
    ...over,
  };
}

describe('Export', () => {
  it('exports every frame, or the shown ones with the log’s filter, and downloads the file', async () => {
    const tab = await connectedTab(fx);
    serveFrames(fx.fake, tab.sessionId, frames(1, 20));
    fx.sessions.handleEvent(batch(tab.sessionId, frames(1, 20)));
    fx.sessions.flushFrames();
    fx.fake.answer('frames:export', (raw) => {
      const arg = commandSchemas['frames:export'].arg.parse(raw);
      return { ok: true, value: { format: arg.format, text: '{"type":"tunnelscope-session"}\n', frames: arg.filter ? 10 : 20, fileName: `echo.test-2024.${arg.format}` } };
    });
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    wrapper = mount(ExportMenu, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] }, attachTo: document.body });

    await wrapper.get('button[aria-haspopup="menu"]').trigger('click');
    const items = () => wrapper?.findAll('[role="menuitem"]') ?? [];
    expect(items().map((i) => i.text())).toEqual(['All frames as NDJSON', 'All frames as HAR', 'Shown frames as NDJSON', 'Shown frames as HAR']);
    // With no filter, "shown" is everything: those are disabled.
    expect(items()[2]?.attributes('disabled')).toBeDefined();
    await items()[1]?.trigger('click');
    await settle(6);
    expect(fx.fake.calls.filter((c) => c.name === 'frames:export').at(-1)?.arg).toEqual({ sessionId: tab.sessionId, format: 'har' });
    expect(clicks).toEqual(['echo.test-2024.har']);
    expect(wrapper.get('[data-testid="export-status"]').text()).toBe('Saved 20 frames as echo.test-2024.har');

    useFrameViewStore().viewOf(tab.sessionId).setDirection('in');
    useFrameViewStore().viewOf(tab.sessionId).setSearch('message');
    useFrameViewStore().viewOf(tab.sessionId).setOnlyMatches(true);
    await settle(6);
    await wrapper.get('button[aria-haspopup="menu"]').trigger('click');
    expect(items()[2]?.text()).toBe('Shown frames (10) as NDJSON');
    await items()[2]?.trigger('click');
    await settle(6);
    expect(fx.fake.calls.filter((c) => c.name === 'frames:export').at(-1)?.arg).toEqual({
      sessionId: tab.sessionId,
      format: 'ndjson',
      filter: { direction: 'in', text: 'message', ignoreCase: true },
    });
    expect(clicks.at(-1)).toBe('echo.test-2024.ndjson');
  });

  it('says why an export was refused', async () => {
    const tab = await connectedTab(fx);
    fx.fake.answer('frames:export', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'frames:export: the log is larger than 256 MB' } }));
    wrapper = mount(ExportMenu, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    await wrapper.get('button[aria-haspopup="menu"]').trigger('click');
    await wrapper.findAll('[role="menuitem"]')[0]?.trigger('click');
    await settle(6);
    expect(wrapper.get('[data-testid="export-status"]').text()).toBe('Export failed: the log is larger than 256 MB');
  });
});

describe('Import', () => {
  const stubs = {
    FrameLog: { props: ['sessionId'], template: '<div class="stub-log" :data-session="sessionId"></div>' },
    FrameDetail: { props: ['sessionId'], template: '<div class="stub-detail"></div>' },
  };

  function pickFile(w: VueWrapper, name: string, text: string): Promise<void> {
    const input = w.get('input[aria-label="Log file to import"]').element;
    const file = new File([text], name, { type: 'application/x-ndjson' });
    Object.defineProperty(input, 'files', { configurable: true, value: [file] });
    input.dispatchEvent(new Event('change'));
    return settle(6);
  }

  it('opens an NDJSON file in a read-only tab: named after the file, composer disabled, state "imported"', async () => {
    fx.fake.answer('frames:import', (raw) => {
      const arg = commandSchemas['frames:import'].arg.parse(raw);
      // The engine announces the session before it answers.
      fx.fake.emit({ type: 'session-created', sessionId: 'imp1', url: 'wss://echo.test/feed', at: 1, readOnly: true, name: arg.name });
      fx.fake.emit({ type: 'state', sessionId: 'imp1', state: 'closed', previous: 'idle', at: 1 });
      fx.fake.emit({ type: 'frames-skipped', sessionId: 'imp1', fromSeq: 1, toSeq: 3, behind: 0, dropped: 0 });
      return { ok: true, value: { sessionId: 'imp1', format: arg.format ?? 'ndjson', frames: 3, notes: ['the file skips seqs (a filtered export): the frames are numbered again from 1'] } };
    });
    wrapper = mount(App, { global: { plugins: [fx.pinia], stubs }, attachTo: document.body });
    await settle(6);
    await pickFile(wrapper, 'capture.ndjson', '{"type":"tunnelscope-session"}\n');

    const importCall = fx.fake.calls.find((c) => c.name === 'frames:import');
    expect(importCall?.arg).toEqual({ text: '{"type":"tunnelscope-session"}\n', name: 'capture.ndjson', format: 'ndjson' });
    const active = wrapper.get('.strip .tab.active');
    expect(active.text()).toContain('capture.ndjson');
    expect(active.text()).toContain('imported');
    expect(wrapper.get('[role="status"]').text()).toContain('imported');
    expect(wrapper.get('[role="status"]').text()).toContain('read-only');
    const header = wrapper.get('[aria-label="Imported log"]');
    expect(header.text()).toContain('wss://echo.test/feed');
    expect(header.text()).toContain('NDJSON · 3 frames');
    expect(header.text()).toContain('numbered again from 1');
    // No connection form, and nothing can be sent.
    expect(wrapper.find('input[aria-label="URL"]').exists()).toBe(false);
    expect(wrapper.get('.stub-log').attributes('data-session')).toBe('imp1');
    const send = wrapper.get('button.send, button[title*="imported log"]');
    expect(send.attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('This tab shows an imported log (read-only): nothing can be sent from it.');
  });

  it('lists what is wrong with a file, each problem with its line or path', async () => {
    fx.fake.answer('frames:import', () => ({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'bad.ndjson: 2 problems, nothing imported\n- line 3: the frame\'s direction is missing (expected "in" or "out")\n- line 7: a text frame needs "text"',
        path: 'line 3',
      },
    }));
    wrapper = mount(App, { global: { plugins: [fx.pinia], stubs }, attachTo: document.body });
    await settle(6);
    const tabsBefore = fx.store.tabs.length;
    await pickFile(wrapper, 'bad.ndjson', 'x');
    const dialog = document.querySelector('[data-testid="import-problems"]');
    expect(dialog?.textContent).toContain('Could not import bad.ndjson');
    expect(dialog?.textContent).toContain('2 problems, nothing imported');
    expect([...(dialog?.querySelectorAll('li') ?? [])].map((li) => li.textContent)).toEqual([
      'line 3: the frame\'s direction is missing (expected "in" or "out")',
      'line 7: a text frame needs "text"',
    ]);
    expect(fx.store.tabs).toHaveLength(tabsBefore);
    useLogFilesStore().dismissProblems();
    await nextTick();
    expect(document.querySelector('[data-testid="import-problems"]')).toBeNull();
  });

  it('guesses the format from the file name and splits the engine’s problem list', () => {
    expect(formatFromName('x.HAR')).toBe('har');
    expect(formatFromName('x.jsonl')).toBe('ndjson');
    expect(formatFromName('x.txt')).toBeUndefined();
    expect(splitProblems('a.har', 'a.har: 1 problem, nothing imported\n- log.entries[0]._webSocketMessages[2].opcode: must be 1, 2, 8, 9 or 10')).toEqual({
      fileName: 'a.har',
      title: '1 problem, nothing imported',
      items: ['log.entries[0]._webSocketMessages[2].opcode: must be 1, 2, 8, 9 or 10'],
    });
  });
});

describe('Composer on a read-only tab', () => {
  it('disables Send, Ping and Close with the reason', async () => {
    fx.fake.emit({ type: 'session-created', sessionId: 'imp2', url: 'wss://echo.test/', at: 1, readOnly: true, name: 'a.har' });
    const tab = fx.store.openSessionTab('imp2', 'wss://echo.test/');
    wrapper = mount(Composer, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] } });
    await settle(6);
    expect(wrapper.get('button[title*="imported log"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('nothing can be sent from it');
  });
});

describe('Copy as command', () => {
  it('shows the tunnelscope, wscat and websocat command lines without secrets, and copies with a confirmation', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/feed';
    tab.draft.proxyMode = 'manual';
    tab.draft.proxyUrl = 'http://proxy.corp:8080';
    tab.draft.proxyUsername = 'alice';
    tab.draft.proxyPassword = 's3cret!';
    tab.draft.headers = [{ name: 'Authorization', value: 'Bearer abc', secret: true }];
    wrapper = mount(StatusBar, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    await wrapper.get('button[aria-haspopup="dialog"]').trigger('click');
    await settle(6);
    const text = () => wrapper?.get('[data-testid="command-text"]').text() ?? '';
    expect(text()).toContain("TUNNELSCOPE_PROXY_USER='alice:<password>' tunnelscope connect wss://echo.test/feed --proxy http://proxy.corp:8080");
    expect(text()).toContain("-H 'Authorization: <secret>'");
    expect(text()).not.toContain('s3cret');
    expect(text()).not.toContain('Bearer abc');

    await wrapper.get('.copy-command button[aria-pressed="false"]').trigger('click');
    // websocat goes through the proxy with socat's CONNECT client.
    expect(text()).toContain("websocat '-H=Authorization: <secret>'");
    expect(text()).toContain('proxyport=8080,proxyauth=alice:<password>');
    const wscat = wrapper.findAll('.copy-command .ts-seg').find((b) => b.text() === 'wscat');
    await wscat?.trigger('click');
    expect(text()).toContain("wscat -c wss://echo.test/feed --proxy 'http://alice:<password>@proxy.corp:8080'");

    await wrapper.get('.copy-command .ts-btn--primary').trigger('click');
    await settle(6);
    expect(writeText).toHaveBeenCalledWith(text());
    expect(wrapper.get('.copied').text()).toContain('Copied');
  });

  it('is unavailable until there is a URL, and says so when the clipboard refuses', async () => {
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: () => Promise.reject(new Error('denied')) } });
    const tab = fx.store.newTab();
    wrapper = mount(StatusBar, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    expect(wrapper.get('button[aria-haspopup="dialog"]').attributes('disabled')).toBeDefined();
    tab.draft.url = 'ws://127.0.0.1:9/';
    await nextTick();
    await wrapper.get('button[aria-haspopup="dialog"]').trigger('click');
    await wrapper.get('.copy-command .ts-btn--primary').trigger('click');
    await settle(6);
    expect(wrapper.get('.copied').text()).toContain('The clipboard refused the copy');
  });
});

describe('Throughput and round trips', () => {
  it('draws the last minute of traffic and shows rates, totals and RTT min/avg/max', async () => {
    const tab = await connectedTab(fx);
    emitState(fx.fake, tab.sessionId, 'open');
    fx.fake.emit({ type: 'stats', sessionId: tab.sessionId, stats: stats() });
    wrapper = mount(StatusBar, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] } });
    await settle(6);
    const graph = wrapper.get('[data-testid="throughput-graph"]');
    expect(graph.findAll('path')).toHaveLength(2);
    expect(graph.get('path.in').attributes('d')).toMatch(/^M0,21\.5L/);
    expect(graph.attributes('aria-label')).toContain('received now 50,000 msg/s, peak 50,000 msg/s');
    // Each rate says its unit; no unit stands alone beside the sparkline.
    expect(wrapper.get('.throughput').text()).toContain('↓received50,000 msg/s');
    expect(wrapper.get('button[aria-label^="Throughput graph"]').text()).toBe('');
    expect(wrapper.text()).toContain('2,500,000 msgs');
    expect(wrapper.text()).toContain('RTT 23 ms (min 20 · avg 25 · max 41)');
    // Bytes per second on a click.
    await wrapper.get('button[aria-label^="Throughput graph"]').trigger('click');
    expect(wrapper.get('.throughput').text()).toContain('4.8 MiB/s');
  });
});

describe('the desktop menu', () => {
  it('opens a new tab for "New connection" and the export menu for "Export log…"', async () => {
    const menu: { send: ((action: MenuAction) => void) | null } = { send: null };
    setBridge({
      ...fx.fake.bridge,
      onMenu: (callback) => {
        menu.send = callback;
        return () => (menu.send = null);
      },
    });
    const tab = await connectedTab(fx);
    fx.sessions.handleEvent(batch(tab.sessionId, frames(1, 3)));
    fx.sessions.flushFrames();
    wrapper = mount(ExportMenu, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    const appMenu = useAppMenuStore();
    appMenu.start();
    expect(menu.send).not.toBeNull();
    const before = fx.store.tabs.length;
    menu.send?.('new-connection');
    expect(fx.store.tabs).toHaveLength(before + 1);
    fx.store.selectTab(tab.id);
    menu.send?.('export-log');
    await settle(6);
    expect(wrapper.find('[role="menu"]').exists()).toBe(true);
    appMenu.stop();
    expect(menu.send).toBeNull();
  });
});
