/**
 * The deadlines in the app: the Timeouts row of the connection options sends only what differs
 * from the defaults; a deadline that fired is named in the error panel, whose hint points at
 * the field (never at a flag) and whose button opens the options and focuses that field.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNetError } from '../../../src-main/core/errors/net-failure';
import ConnectionSetup from '../../../src-renderer/src/components/ConnectionSetup.vue';
import ErrorPanel from '../../../src-renderer/src/components/ErrorPanel.vue';
import { draftToOptions } from '../../../src-renderer/src/connection-form/connection-draft';
import { connectedTab, createFixture, emitFailure, type Fixture } from './store-fixture';

let fx: Fixture;
const wrappers: VueWrapper[] = [];

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  for (const w of wrappers.splice(0)) w.unmount();
});

function mounted(w: VueWrapper): VueWrapper {
  wrappers.push(w);
  return w;
}

describe('the Timeouts row', () => {
  it('shows every deadline with its default and sends only the ones changed', async () => {
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/';
    const w = mounted(mount(ConnectionSetup, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body }));
    const field = (name: string) => w.get<HTMLInputElement>(`[data-timeout="${name}"]`);
    expect(field('proxy-connect').element.value).toBe('10');
    expect(field('proxy-answer').element.value).toBe('15');
    expect(field('tls').element.value).toBe('10');
    expect(field('upgrade').element.value).toBe('10');
    expect(field('open').element.value).toBe('');
    expect(draftToOptions(tab.draft).timeouts).toBeUndefined();
    await field('proxy-answer').setValue('30');
    await field('open').setValue('60');
    expect(draftToOptions(tab.draft).timeouts).toEqual({ proxyAnswerMs: 30_000, openMs: 60_000 });
    expect(w.get('button[aria-controls]').text()).toContain('Timeouts: Proxy answer 30 s, Open 60 s');
    await field('open').setValue('');
    expect(draftToOptions(tab.draft).timeouts).toEqual({ proxyAnswerMs: 30_000 });
  });
});

describe('a deadline that fired, in the error panel', () => {
  it('names the deadline, words the hint for the app, and takes the user to the field', async () => {
    const tab = await connectedTab(fx, 'ws://echo.test/');
    const setup = mounted(mount(ConnectionSetup, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body }));
    const error = createNetError('tunnel', 'PROXY_TIMEOUT', { target: 'echo.test:80', proxy: 'http://proxy.test:3128', timeoutMs: 15_000, deadline: 'proxy-answer' });
    emitFailure(fx.fake, tab.sessionId, error);
    const panel = mounted(mount(ErrorPanel, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body }));
    await flushPromises();
    expect(panel.text()).toContain('15000 ms (Timeouts → Proxy answer)');
    const hint = panel.get('.hint').text();
    expect(hint).toContain('To wait longer, raise Timeouts → Proxy answer in the connection options (now 15 s).');
    expect(hint).not.toContain('--');
    await panel.get('[data-testid="focus-deadline"]').trigger('click');
    await flushPromises();
    const field = setup.get<HTMLInputElement>('[data-timeout="proxy-answer"]');
    expect(field.isVisible()).toBe(true);
    expect(document.activeElement).toBe(field.element);
  });

  it('says "the answer above" only because the panel shows it above the hint', async () => {
    const tab = await connectedTab(fx, 'wss://echo.test/');
    const refused = createNetError('tunnel', 'PROXY_REFUSED', { proxyResponse: { startLine: 'HTTP/1.1 403 Forbidden', headers: [] } });
    emitFailure(fx.fake, tab.sessionId, refused);
    const panel = mounted(mount(ErrorPanel, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body }));
    await flushPromises();
    const text = panel.text();
    expect(text.indexOf('What the proxy said')).toBeLessThan(text.indexOf('Read the answer above.'));
    expect(panel.find('[data-testid="focus-deadline"]').exists()).toBe(false);
  });
});
