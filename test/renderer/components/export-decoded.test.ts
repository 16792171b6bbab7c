/**
 * The Export menu's "Add decoded frames" (issue 14 §2): offered when a protocol decodes the
 * session, it asks the engine for each frame's decoding with the session's Decode choice; with
 * no protocol it is disabled and the export carries none.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ExportMenu from '../../../src-renderer/src/components/ExportMenu.vue';
import { commandSchemas } from '../../../src-main/shared/commands';
import { describeRemoval } from '../../../src-main/core/export/session-removal';
import { connectedTab, createFixture, type Fixture, settle } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  fx.fake.answer('frames:export', (raw) => {
    const arg = commandSchemas['frames:export'].arg.parse(raw);
    return { ok: true, value: { format: arg.format, text: '', frames: 3, fileName: `s.${arg.format}` } };
  });
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.restoreAllMocks();
});


function lastExport(): unknown {
  return fx.fake.calls.filter((c) => c.name === 'frames:export').at(-1)?.arg;
}

describe('Export with decoded frames', () => {
  it('adds the decoding when asked, with the session’s choice', async () => {
    fx.fake.answer('session:decoding', () => ({
      ok: true,
      value: { choice: 'auto', active: { protocol: 'stomp', title: 'STOMP', guess: true, reason: 'the server chose the subprotocol v12.stomp' }, available: [] },
    }));
    const tab = await connectedTab(fx);
    wrapper = mount(ExportMenu, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    await wrapper.get('button[aria-haspopup="menu"]').trigger('click');
    await settle(6);
    const box = wrapper.get('[data-testid="export-decoded"]');
    expect(box.attributes('disabled')).toBeUndefined();
    expect(box.attributes('aria-checked')).toBe('false');
    expect(box.text()).toBe('☐ Add decoded frames (STOMP)');
    await box.trigger('click');
    expect(wrapper.get('[data-testid="export-decoded"]').attributes('aria-checked')).toBe('true');
    await wrapper.findAll('[role="menuitem"]')[1]?.trigger('click');
    await settle(6);
    expect(lastExport()).toEqual({ sessionId: tab.sessionId, format: 'har', decoded: { choice: 'auto' } });
  });

  it('is disabled when nothing decodes the session, and the export has no decoding', async () => {
    const tab = await connectedTab(fx);
    wrapper = mount(ExportMenu, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    await wrapper.get('button[aria-haspopup="menu"]').trigger('click');
    await settle(6);
    const box = wrapper.get('[data-testid="export-decoded"]');
    expect(box.attributes('disabled')).toBeDefined();
    expect(box.attributes('title')).toBe('No protocol decodes this session (see Decode in the log bar)');
    await wrapper.findAll('[role="menuitem"]')[0]?.trigger('click');
    await settle(6);
    expect(lastExport()).toEqual({ sessionId: tab.sessionId, format: 'ndjson' });
  });

  it('a session closed or forgotten while the export ran: the status says what happened, in the engine’s words', async () => {
    const tab = await connectedTab(fx);
    for (const removal of [{ by: 'dispose' }, { by: 'retention', afterMs: 600_000 }] as const) {
      fx.fake.answer('frames:export', () => ({ ok: false, error: { code: 'UNKNOWN_SESSION', message: `frames:export: ${describeRemoval(removal)}` } }));
      wrapper?.unmount();
      wrapper = mount(ExportMenu, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
      await wrapper.get('button[aria-haspopup="menu"]').trigger('click');
      await settle(6);
      await wrapper.findAll('[role="menuitem"]')[0]?.trigger('click');
      await settle(6);
      const status = wrapper.get('[data-testid="export-status"]');
      expect(status.text()).toBe(`Export failed: ${describeRemoval(removal)}`);
      expect(status.classes()).toContain('bad');
    }
    expect(wrapper?.get('[data-testid="export-status"]').text()).toMatch(/^Export failed: the session was forgotten while the export read its frames: it had closed and no tab kept it, so the engine removed it after 10 min;/);
  });
});
