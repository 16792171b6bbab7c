import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ConnectionSetup from '../../../src-renderer/src/components/ConnectionSetup.vue';
import { createFixture, emitState, type Fixture } from './store-fixture';

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

function mountFor(tabId: string): VueWrapper {
  wrapper = mount(ConnectionSetup, { props: { tabId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
  return wrapper;
}

/** The input whose <label> reads exactly `text`. */
function byLabel(w: VueWrapper, text: string) {
  const label = w.findAll('label').find((l) => l.text().trim() === text);
  if (!label) throw new Error(`no label "${text}"`);
  const id = label.attributes('for');
  return id ? w.get(`[id="${id}"]`) : label.get('input');
}

function button(w: VueWrapper, text: string) {
  const found = w.findAll('button').find((b) => b.text().trim() === text);
  if (!found) throw new Error(`no button "${text}"`);
  return found;
}

function openCalls() {
  return fx.fake.calls.filter((c) => c.name === 'session:open');
}

describe('ConnectionSetup', () => {
  it('turns the form into open options, with manual proxy credentials and a secret header', async () => {
    const tab = fx.store.newTab();
    const w = mountFor(tab.id);
    await byLabel(w, 'URL').setValue('wss://echo.test/socket');
    await byLabel(w, 'Proxy').setValue('manual');
    await byLabel(w, 'Address').setValue('http://proxy.test:3128');
    await byLabel(w, 'Username').setValue('alice');
    const password = byLabel(w, 'Password');
    expect(password.attributes('type')).toBe('password');
    await password.setValue('s3cret');

    await w.get('button[aria-controls]').trigger('click'); // open the options
    await button(w, '+ Add header').trigger('click');
    await w.get('input[aria-label="Header 1 name"]').setValue('Authorization');
    await w.get('input[aria-label="Header 1 is secret"]').setValue(true);
    const value = w.get('input[aria-label="Header 1 value"]');
    expect(value.attributes('type')).toBe('password'); // secret values are dots
    await value.setValue('Bearer abc');

    await button(w, 'Connect').trigger('click');
    await flushPromises();
    expect(openCalls()).toHaveLength(1);
    expect(openCalls()[0]?.arg).toMatchObject({
      options: {
        url: 'wss://echo.test/socket',
        proxy: { mode: 'manual', url: 'http://proxy.test:3128', username: 'alice', password: 's3cret' },
        headers: [{ name: 'Authorization', value: 'Bearer abc', secret: true }],
      },
    });
  });

  it('connects on Enter in the URL field and offers Disconnect while connecting or open', async () => {
    const tab = fx.store.newTab();
    const w = mountFor(tab.id);
    await byLabel(w, 'URL').setValue('ws://echo.test/');
    await byLabel(w, 'URL').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(openCalls()).toHaveLength(1);
    emitState(fx.fake, 's1', 'connecting');
    await flushPromises();
    expect(w.findAll('button').some((b) => b.text() === 'Connect')).toBe(false);
    emitState(fx.fake, 's1', 'open');
    await flushPromises();
    await button(w, 'Disconnect').trigger('click');
    await flushPromises();
    expect(fx.fake.calls.at(-1)).toMatchObject({ name: 'session:close', arg: { sessionId: 's1', code: 1000 } });
    // Enter while open does not open a second session.
    await byLabel(w, 'URL').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(openCalls()).toHaveLength(1);
    emitState(fx.fake, 's1', 'closed');
    await flushPromises();
    expect(button(w, 'Connect').exists()).toBe(true);
  });

  it('shows a loud warning and the summary flag when certificate verification is off', async () => {
    const tab = fx.store.newTab();
    const w = mountFor(tab.id);
    expect(w.text()).not.toContain('Certificate verification is off');
    await w.get('button[aria-controls]').trigger('click');
    const verify = w.get('input[role="switch"]');
    expect((verify.element as HTMLInputElement).checked).toBe(true);
    await verify.setValue(false);
    expect(tab.draft.insecure).toBe(true);
    expect(w.get('.insecure-warning').text()).toContain('Certificate verification is off');
    // Collapsed again, the warning and the summary still say so.
    await w.get('button[aria-controls]').trigger('click');
    expect(w.get('.insecure-warning').isVisible()).toBe(true);
    expect(w.get('button[aria-controls]').text()).toContain('verification OFF');
  });

  it('summarises the collapsed options', async () => {
    const tab = fx.store.newTab();
    tab.draft.headers = [{ name: 'A', value: '1' }, { name: 'B', value: '2' }];
    tab.draft.subprotocols = ['graphql-ws'];
    tab.draft.caFiles = ['/etc/ssl/corp-root.pem'];
    const w = mountFor(tab.id);
    const summary = w.get('button[aria-controls]');
    expect(summary.attributes('aria-expanded')).toBe('false');
    expect(summary.text().replace(/\s+/g, ' ')).toContain('Headers (2) · Subprotocols (1) · TLS (CA: corp-root.pem)');
    // Deadlines at their defaults take no room.
    expect(summary.text()).not.toContain('Timeout');
  });

  it('shows an argument problem next to the field it names', async () => {
    fx.fake.answer('session:open', () => ({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'session:open: options.url: the URL must start with ws:// or wss://, not http://', path: 'options.url' },
    }));
    const tab = fx.store.newTab();
    const w = mountFor(tab.id);
    await byLabel(w, 'URL').setValue('http://echo.test/');
    await button(w, 'Connect').trigger('click');
    await flushPromises();
    const url = byLabel(w, 'URL');
    expect(url.attributes('aria-invalid')).toBe('true');
    const describedBy = url.attributes('aria-describedby');
    expect(w.get(`[id="${describedBy}"]`).text()).toContain('the URL must start with ws:// or wss://, not http://');
  });

  it('sends the history kept, and shows its problem next to it with the options open', async () => {
    fx.fake.answer('session:open', () => ({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'session:open: options.history.maxFrames: keep at least 100 frames', path: 'options.history.maxFrames' },
    }));
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/';
    const w = mountFor(tab.id);
    const frames = byLabel(w, 'History kept');
    expect(frames.element).toHaveProperty('value', '1000000');
    await frames.setValue('10');
    await w.get('input[aria-label="Payload kept, MiB"]').setValue('64');
    // An emptied field leaves the draft as it was instead of sending nothing.
    await w.get('input[aria-label="Payload kept, MiB"]').setValue('');
    await button(w, 'Connect').trigger('click');
    await flushPromises();
    expect(openCalls().at(-1)?.arg).toMatchObject({ options: { history: { maxFrames: 10, maxBytes: 64 * 1024 * 1024 } } });
    expect(w.get('button[aria-controls]').attributes('aria-expanded')).toBe('true');
    expect(byLabel(w, 'History kept').attributes('aria-invalid')).toBe('true');
    expect(w.text()).toContain('✖ keep at least 100 frames');
    expect(w.text()).toContain('Keeps 10 frames / 64 MiB');
  });

  it('opens the options when the problem is in a header', async () => {
    fx.fake.answer('session:open', () => ({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'session:open: options.headers.0.name: a header name may contain only letters', path: 'options.headers.0.name' },
    }));
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/';
    tab.draft.headers = [{ name: 'bad name', value: 'x' }];
    const w = mountFor(tab.id);
    await button(w, 'Connect').trigger('click');
    await flushPromises();
    expect(w.get('button[aria-controls]').attributes('aria-expanded')).toBe('true');
    expect(w.get('.headers .problem').text()).toContain('a header name may contain only letters');
  });

  it('refreshes the proxy decision 300 ms after the last change', async () => {
    const tab = fx.store.newTab();
    const w = mountFor(tab.id);
    vi.advanceTimersByTime(0);
    await flushPromises();
    const resolves = () => fx.fake.calls.filter((c) => c.name === 'proxy:resolve');
    expect(resolves()).toHaveLength(1); // the example URL, at once
    expect(w.text()).toContain('e.g. for wss://example.com/');

    await byLabel(w, 'URL').setValue('wss://e');
    await byLabel(w, 'URL').setValue('wss://echo.test/');
    vi.advanceTimersByTime(299);
    expect(resolves()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    await flushPromises();
    expect(resolves()).toHaveLength(2);
    expect(resolves()[1]?.arg).toMatchObject({ url: 'wss://echo.test/', proxy: { mode: 'auto' } });
    expect(w.text()).toContain('via http://proxy.test:3128');
    expect(w.text()).toContain('HTTPS_PROXY is set');
  });

  it('offers every proxy mode, and connects with Environment only as chosen', async () => {
    const tab = fx.store.newTab();
    const w = mountFor(tab.id);
    const options = byLabel(w, 'Proxy').findAll('option').map((o) => [o.attributes('value'), o.text()]);
    expect(options).toEqual([
      ['auto', 'Auto'],
      ['none', 'None (direct)'],
      ['manual', 'Manual'],
      ['pac', 'PAC'],
      ['system', 'System only'],
      ['env', 'Environment only'],
    ]);
    await byLabel(w, 'URL').setValue('ws://echo.test/');
    await byLabel(w, 'Proxy').setValue('env');
    expect(w.text()).toContain('+ Proxy credentials');
    await button(w, 'Connect').trigger('click');
    await flushPromises();
    expect(openCalls()[0]?.arg).toMatchObject({ options: { url: 'ws://echo.test/', proxy: { mode: 'env' } } });
  });

  it('folds to one line once the session is open, unfolds on a click, and folds back', async () => {
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/feed';
    const w = mountFor(tab.id);
    await fx.store.connect(tab.id);
    await flushPromises();
    expect(w.find('[data-testid="setup-folded"]').exists()).toBe(false);
    const sessionId = tab.sessionId ?? '';
    fx.fake.emit({ type: 'proxy-decision', sessionId, decision: { source: 'manual', candidates: [{ url: 'http://proxy.corp:3128', protocol: 'http', host: 'proxy.corp', port: 3128, hasCredentials: false }], reason: 'set' } });
    emitState(fx.fake, sessionId, 'open');
    await flushPromises();

    // One line: the URL (still editable), the route and the options, Disconnect.
    const line = w.get('[data-testid="setup-folded"]');
    expect(line.attributes('aria-expanded')).toBe('false');
    expect(line.text()).toContain('via http://proxy.corp:3128');
    expect(line.text()).toContain('Headers (0)');
    expect(byLabel(w, 'URL').isVisible()).toBe(true);
    expect(button(w, 'Disconnect').isVisible()).toBe(true);
    expect(w.get('.form').isVisible()).toBe(false);

    await line.trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="setup-folded"]').exists()).toBe(false);
    expect(w.get('.form').isVisible()).toBe(true);
    const toggle = w.get('button[aria-label="Fold the connection setup to one line"]');
    expect(toggle.attributes('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(toggle.element);

    await toggle.trigger('click');
    await flushPromises();
    expect(w.get('.form').isVisible()).toBe(false);
    expect(document.activeElement).toBe(w.get('[data-testid="setup-folded"]').element);
  });

  it('stays unfolded when the session fails before it opened', async () => {
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/';
    const w = mountFor(tab.id);
    await fx.store.connect(tab.id);
    emitState(fx.fake, tab.sessionId ?? '', 'failed');
    await flushPromises();
    expect(w.find('[data-testid="setup-folded"]').exists()).toBe(false);
    expect(byLabel(w, 'URL').isVisible()).toBe(true);
  });
});
