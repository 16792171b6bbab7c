/**
 * The connection form and the profile editor check their URLs with the engine's own parser
 * (shared/endpoint-url.ts): port 0, a zone id or a URL two parsers read differently is named
 * next to its field, and nothing is sent.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ConnectionSetup from '../../../src-renderer/src/components/ConnectionSetup.vue';
import { checkEditorDraft, emptyEditorDraft } from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { createFixture, type Fixture } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  fx = createFixture();
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.useRealTimers();
});

function byLabel(w: VueWrapper, text: string) {
  const label = w.findAll('label').find((l) => l.text().trim() === text);
  if (!label) throw new Error(`no label "${text}"`);
  const id = label.attributes('for');
  return id ? w.get(`[id="${id}"]`) : label.get('input');
}

function connectButton(w: VueWrapper) {
  const found = w.findAll('button').find((b) => b.text().trim() === 'Connect');
  if (!found) throw new Error('no Connect button');
  return found;
}

function problemOf(w: VueWrapper, field: ReturnType<typeof byLabel>): string {
  expect(field.attributes('aria-invalid')).toBe('true');
  return w.get(`[id="${field.attributes('aria-describedby') ?? ''}"]`).text();
}

describe('the connection form', () => {
  it.each([
    ['ws://127.0.0.1:0/', 'port 0 is not a port'],
    ['ws://[fe80::1%25eth0]:8080/', 'the IPv6 zone id "eth0" is not supported'],
    ['ws://good.example\\@evil.example/', 'a backslash is not allowed in a server URL'],
  ])('names the problem of the URL %j and sends nothing', async (url, problem) => {
    const tab = fx.store.newTab();
    const w = (wrapper = mount(ConnectionSetup, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body }));
    await byLabel(w, 'URL').setValue(url);
    await connectButton(w).trigger('click');
    await flushPromises();
    expect(problemOf(w, byLabel(w, 'URL'))).toContain(problem);
    expect(fx.fake.calls.filter((c) => c.name === 'session:open')).toEqual([]);
  });

  it.each([
    ['http://proxy.test:0', 'port 0 is not a port'],
    ['socks5://[fe80::1%eth0]:1080', 'the IPv6 zone id "eth0" is not supported'],
    ['http://127.0.0.1:13129\\@127.0.0.1:18999', 'a backslash is not allowed in a proxy URL'],
  ])('names the problem of the proxy address %j and sends nothing', async (address, problem) => {
    const tab = fx.store.newTab();
    const w = (wrapper = mount(ConnectionSetup, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body }));
    await byLabel(w, 'URL').setValue('wss://echo.test/socket');
    await byLabel(w, 'Proxy').setValue('manual');
    await byLabel(w, 'Address').setValue(address);
    await connectButton(w).trigger('click');
    await flushPromises();
    expect(problemOf(w, byLabel(w, 'Address'))).toContain(problem);
    expect(fx.fake.calls.filter((c) => c.name === 'session:open')).toEqual([]);
  });
});

describe('the profile editor', () => {
  it('names port 0 in a manual proxy URL, and a zone id in the server URL', () => {
    const draft = emptyEditorDraft();
    draft.name = 'Gateway';
    draft.form.url = 'ws://[fe80::1%25eth0]/';
    draft.form.proxyMode = 'manual';
    draft.form.proxyUrl = 'http://proxy.corp:0';
    const { problems } = checkEditorDraft(draft);
    expect(problems['proxy.url']).toContain('port 0 is not a port');
    expect(problems['url']).toContain('the IPv6 zone id "eth0" is not supported');
  });
});
