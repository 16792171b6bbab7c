import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NetError } from '../../../src-main/shared/errors';
import ErrorPanel from '../../../src-renderer/src/components/ErrorPanel.vue';
import { connectedTab, createFixture, emitFailure, type Fixture } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

async function mountFailed(error: NetError, url = 'wss://echo.test/') {
  const tab = await connectedTab(fx, url);
  emitFailure(fx.fake, tab.sessionId, error);
  wrapper = mount(ErrorPanel, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
  await flushPromises();
  return { tab, w: wrapper };
}

function button(w: VueWrapper, text: string) {
  const found = w.findAll('button').find((b) => b.text().trim() === text);
  if (!found) throw new Error(`no button "${text}"`);
  return found;
}

function byLabel(w: VueWrapper, text: string) {
  const label = w.findAll('label').find((l) => l.text().trim() === text);
  const id = label?.attributes('for');
  if (!id) throw new Error(`no label "${text}"`);
  return w.get(`[id="${id}"]`);
}

const AUTH_REQUIRED: NetError = {
  kind: 'net',
  stage: 'tunnel',
  code: 'PROXY_AUTH_REQUIRED',
  message: 'The proxy http://proxy.test:3128 requires credentials (407).',
  hint: 'Enter the proxy user name and password.',
  actions: ['enter-proxy-credentials'],
  details: {
    target: 'echo.test:443',
    proxy: 'http://proxy.test:3128',
    proxyResponse: {
      startLine: 'HTTP/1.1 407 Proxy Authentication Required',
      headers: [
        ['Proxy-Authenticate', 'Basic realm="corp"'],
        ['Content-Length', '0'],
      ],
    },
    authSchemes: ['Basic'],
    authRealm: 'corp',
  },
};

const HTML_BODY = '<html><head><title>Error</title></head><body><h1>Handshake failed</h1><p>The SSL handshake failed.</p></body></html>';

const GATEWAY_500: NetError = {
  kind: 'net',
  stage: 'tunnel',
  code: 'PROXY_REFUSED',
  message: 'The proxy answered CONNECT with 500 handshakefailed.',
  hint: 'This gateway inspects TLS; ask its administrators to allow echo.test:443.',
  actions: ['trust-ca-file'],
  details: {
    target: 'echo.test:443',
    proxy: 'http://proxy.test:3128',
    proxyResponse: {
      startLine: 'HTTP/1.0 500 handshakefailed',
      headers: [
        ['Via', '1.0 10.0.0.1 (McAfee Web Gateway 7.2.0.1.0.13253)'],
        ['Content-Type', 'text/html'],
      ],
      bodyPreview: HTML_BODY,
      bodyBytes: HTML_BODY.length,
    },
  },
};

const UNTRUSTED: NetError = {
  kind: 'net',
  stage: 'tls',
  code: 'TLS_UNTRUSTED_CERT',
  message: "The server's certificate is not signed by a trusted authority.",
  hint: 'Add its CA certificate (PEM) as an extra CA file.',
  actions: ['trust-ca-file', 'connect-insecure'],
  details: {
    target: 'echo.test:443',
    certChain: [
      {
        subject: 'CN=echo.test',
        issuer: 'CN=Corp Root',
        validFrom: '2020-01-01T00:00:00.000Z',
        validTo: '2021-01-01T00:00:00.000Z',
        fingerprint256: 'AA:BB',
        subjectAltNames: ['DNS:echo.test'],
        serialNumber: '01',
        selfSigned: false,
      },
    ],
  },
};

describe('ErrorPanel', () => {
  it('says which leg failed, highlights Proxy-Authenticate and offers a credentials form (407)', async () => {
    const { tab, w } = await mountFailed(AUTH_REQUIRED);
    const alert = w.get('[role="alert"]');
    expect(alert.get('h2').text()).toBe('The proxy asked for credentials (CONNECT → 407 Proxy Authentication Required)');
    expect(alert.text()).toContain('PROXY_AUTH_REQUIRED');
    expect(alert.text()).toContain('proxy > client');
    const header = alert.get('[data-header="proxy-authenticate"]');
    expect(header.classes()).toContain('highlighted');
    expect(header.text()).toContain('Basic realm="corp"');
    expect(alert.get('[data-header="content-length"]').classes()).not.toContain('highlighted');
    expect(alert.text()).toContain('What to do: Enter the proxy user name and password.');

    await byLabel(w, 'Proxy username').setValue('alice');
    const password = byLabel(w, 'Proxy password');
    expect(password.attributes('type')).toBe('password');
    await password.setValue('s3cret');
    await button(w, 'Retry with credentials').trigger('submit');
    await flushPromises();
    expect(tab.draft.proxyUsername).toBe('alice');
    expect(fx.fake.calls.filter((c) => c.name === 'session:open').at(-1)?.arg).toMatchObject({
      options: { proxyAuth: { username: 'alice', password: 's3cret' } },
    });
  });

  it('the credentials form takes the sign-in scheme and, for NTLM or Auto, the domain; Negotiate needs no user name', async () => {
    const { tab, w } = await mountFailed(AUTH_REQUIRED);
    expect(byLabel(w, 'Sign-in').element).toBeInstanceOf(HTMLSelectElement);
    const options = byLabel(w, 'Sign-in').findAll('option').map((o) => o.text());
    expect(options).toEqual(['Auto', 'Negotiate (Kerberos)', 'NTLM', 'Digest', 'Basic']);
    // Auto may pick NTLM: the domain is offered.
    expect(byLabel(w, 'Domain').element).toBeInstanceOf(HTMLInputElement);
    await byLabel(w, 'Sign-in').setValue('digest');
    expect(w.findAll('label').some((l) => l.text().trim() === 'Domain')).toBe(false);
    await byLabel(w, 'Sign-in').setValue('negotiate');
    expect(button(w, 'Retry with credentials').attributes('disabled')).toBeUndefined();
    await byLabel(w, 'Sign-in').setValue('ntlm');
    expect(button(w, 'Retry with credentials').attributes('disabled')).toBeDefined();

    await byLabel(w, 'Proxy username').setValue('alice');
    await byLabel(w, 'Proxy password').setValue('s3cret');
    await byLabel(w, 'Domain').setValue('CORP');
    await button(w, 'Retry with credentials').trigger('submit');
    await flushPromises();
    expect([tab.draft.proxyAuthScheme, tab.draft.proxyDomain]).toEqual(['ntlm', 'CORP']);
    expect(fx.fake.calls.filter((c) => c.name === 'session:open').at(-1)?.arg).toMatchObject({
      options: { proxyAuth: { username: 'alice', password: 's3cret', domain: 'CORP' }, proxyAuthScheme: 'ntlm' },
    });
  });

  it('notes the gateway on Via and shows an HTML body as literal text, never as markup (500)', async () => {
    const { w } = await mountFailed(GATEWAY_500);
    const alert = w.get('[role="alert"]');
    expect(alert.get('h2').text()).toBe('The proxy refused the tunnel (CONNECT → 500 handshakefailed)');
    const via = alert.get('[data-header="via"]');
    expect(via.classes()).toContain('highlighted');
    expect(via.text()).toContain('McAfee Web Gateway');
    expect(via.text()).toContain('← the gateway that answered');
    // The body's markup is text: no element from it exists in the DOM.
    expect(w.findAll('h1')).toHaveLength(0);
    expect(w.findAll('title')).toHaveLength(0);
    expect(w.findAll('p').some((p) => p.text() === 'The SSL handshake failed.')).toBe(false);
    // Shown as the page's text; its source on request.
    expect(alert.get('pre').text()).toContain('Handshake failed');
    expect(alert.get('pre').text()).not.toContain('<h1>');
    await button(w, 'Source').trigger('click');
    expect(alert.get('pre').text()).toContain('<h1>Handshake failed</h1>');
  });

  it('cuts a long body and shows all of it on request', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n');
    const error: NetError = {
      ...GATEWAY_500,
      details: { ...GATEWAY_500.details, proxyResponse: { startLine: 'HTTP/1.1 502 Bad Gateway', headers: [], bodyPreview: long } },
    };
    const { w } = await mountFailed(error);
    expect(w.get('pre').text()).not.toContain('line 40');
    const showAll = button(w, 'Show all');
    expect(showAll.attributes('aria-expanded')).toBe('false');
    await showAll.trigger('click');
    expect(w.get('pre').text()).toContain('line 40');
  });

  it('trusts a CA file: patches the draft and reconnects', async () => {
    const { tab, w } = await mountFailed(UNTRUSTED);
    expect(w.get('[role="alert"] h2').text()).toBe('The TLS handshake with the server failed');
    expect(w.text()).toContain('CN=Corp Root');
    expect(w.text()).toContain('expired');
    await byLabel(w, 'CA file (PEM)').setValue('/etc/ssl/corp-root.pem');
    await button(w, 'Trust and retry').trigger('submit');
    await flushPromises();
    expect(tab.draft.caFiles).toEqual(['/etc/ssl/corp-root.pem']);
    expect(fx.fake.calls.filter((c) => c.name === 'session:open').at(-1)?.arg).toMatchObject({
      options: { tls: { caFiles: ['/etc/ssl/corp-root.pem'] } },
    });
  });

  it('sends a proxy-tls CA to the proxy CA files', async () => {
    const error: NetError = { ...UNTRUSTED, stage: 'proxy-tls', code: 'PROXY_TLS_UNTRUSTED_CERT', actions: ['trust-ca-file'] };
    const { tab, w } = await mountFailed(error);
    await byLabel(w, 'Proxy CA file (PEM)').setValue('/etc/proxy-ca.pem');
    await button(w, 'Trust and retry').trigger('submit');
    await flushPromises();
    expect(tab.draft.proxyCaFiles).toEqual(['/etc/proxy-ca.pem']);
    expect(tab.draft.caFiles).toEqual([]);
  });

  it('offers connecting without verification as a red, unsafe action', async () => {
    const { tab, w } = await mountFailed(UNTRUSTED);
    const unsafe = button(w, '⚠ Connect without verification (unsafe)');
    expect(unsafe.classes()).toContain('ts-btn--danger');
    await unsafe.trigger('click');
    await flushPromises();
    expect(tab.draft.insecure).toBe(true);
    expect(fx.fake.calls.filter((c) => c.name === 'session:open').at(-1)?.arg).toMatchObject({ options: { tls: { insecure: true } } });
  });

  it('offers no actions the error does not list', async () => {
    const { w } = await mountFailed({ ...AUTH_REQUIRED, actions: undefined });
    expect(w.find('form').exists()).toBe(false);
  });
});
