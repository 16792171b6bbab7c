/**
 * The proxy's HTML error page under "What the proxy said" is shown as its text (the same
 * shared/html-text.ts the CLI prints with), its source one click away; the new CONNECT codes get
 * titles of their own.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { NetError } from '../../../src-main/shared/errors';
import ErrorPanel from '../../../src-renderer/src/components/ErrorPanel.vue';
import BodyText from '../../../src-renderer/src/components/BodyText.vue';
import { connectedTab, emitFailure, useFixture } from './store-fixture';

const fx = useFixture();
let wrapper: VueWrapper;

// The shape of Squid 5's ERR_CONNECT_FAIL page.
const SQUID_PAGE = `<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<meta type="copyright" content="Copyright (C) 1996-2021 The Squid Software Foundation and contributors">
<title>ERROR: The requested URL could not be retrieved</title>
<style type="text/css"><!--
 body { font-family: verdana; }
--></style>
</head><body id="ERR_CONNECT_FAIL">
<div id="titles"><h1>ERROR</h1><h2>The requested URL could not be retrieved</h2></div>
<hr>
<div id="content">
<blockquote id="error"><p><b>Connection to 127.0.0.1 failed.</b></p></blockquote>
<p id="sysmsg">The system returned: <i>(111) Connection refused</i></p>
<p>The remote host or network may be down. Please try the request again.</p>
</div>
</body></html>
`;

const SERVER_DOWN: NetError = {
  kind: 'net',
  stage: 'tunnel',
  code: 'PROXY_UPSTREAM_UNREACHABLE',
  message: "The proxy could not reach the server (CONNECT → 503 Service Unavailable): Squid's ERR_CONNECT_FAIL 111: 127.0.0.1:39999 refused the proxy's connection (nothing listens on that port).",
  hint: 'Check that the server at 127.0.0.1:39999 is running and listening on that port.',
  details: {
    target: '127.0.0.1:39999',
    proxy: 'http://127.0.0.1:3128',
    proxyResponse: {
      startLine: 'HTTP/1.1 503 Service Unavailable',
      headers: [
        ['Server', 'squid/5.7'],
        ['Content-Type', 'text/html;charset=utf-8'],
        ['X-Squid-Error', 'ERR_CONNECT_FAIL 111'],
      ],
      bodyPreview: SQUID_PAGE,
      bodyBytes: SQUID_PAGE.length,
    },
  },
};

function button(w: VueWrapper, text: string) {
  const found = w.findAll('button').find((b) => b.text().trim() === text);
  if (!found) throw new Error(`no button "${text}"`);
  return found;
}

describe('the proxy\'s HTML page in the error panel', () => {
  it('reads as text, the source on request, and the title says the server was not reached', async () => {
    const tab = await connectedTab(fx, 'ws://127.0.0.1:39999/down');
    emitFailure(fx.fake, tab.sessionId, SERVER_DOWN);
    wrapper = fx.keep(mount(ErrorPanel, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body }));
    await flushPromises();
    const alert = wrapper.get('[role="alert"]');
    expect(alert.get('h2').text()).toBe('The proxy could not reach the server (CONNECT → 503 Service Unavailable)');
    // The message under the title starts where the title ends.
    expect(alert.text()).toContain("Squid's ERR_CONNECT_FAIL 111: 127.0.0.1:39999 refused the proxy's connection");
    expect(alert.text().split('The proxy could not reach the server').length).toBe(2);
    const pre = (): string => alert.get('pre').text();
    // The text is short enough to show whole (the source would be cut after 8 lines).
    expect(wrapper.findAll('button').map((b) => b.text().trim())).not.toContain('Show all');
    expect(pre()).toContain('Connection to 127.0.0.1 failed.');
    expect(pre()).toContain('The system returned: (111) Connection refused');
    expect(pre()).not.toMatch(/<|DOCTYPE|font-family/);
    expect(alert.text()).toContain('body (HTML, ');
    expect(alert.text()).toContain('shown as text');
    const source = button(wrapper, 'Source');
    expect(source.attributes('aria-pressed')).toBe('false');
    await source.trigger('click');
    expect(source.attributes('aria-pressed')).toBe('true');
    await button(wrapper, 'Show all').trigger('click');
    expect(pre()).toContain('<blockquote id="error"><p><b>Connection to 127.0.0.1 failed.</b></p></blockquote>');
    expect(alert.text()).toContain('its source');
  });

  it('a PROXY_NO_CONNECT failure has its own title', async () => {
    const tab = await connectedTab(fx, 'ws://127.0.0.1:9/');
    emitFailure(fx.fake, tab.sessionId, {
      kind: 'net',
      stage: 'tunnel',
      code: 'PROXY_NO_CONNECT',
      message: 'x',
      hint: 'Check the proxy address and port.',
      details: { proxyResponse: { startLine: "HTTP/1.0 501 Unsupported method ('CONNECT')", headers: [] } },
    });
    wrapper = fx.keep(mount(ErrorPanel, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body }));
    await flushPromises();
    expect(wrapper.get('[role="alert"] h2').text()).toBe("The address is not a proxy that accepts CONNECT (CONNECT → 501 Unsupported method ('CONNECT'))");
  });
});

describe('BodyText', () => {
  it('plain text stays as it is, with no Source button', () => {
    wrapper = fx.keep(mount(BodyText, { props: { text: 'Access denied <b>here</b>', contentType: 'text/plain' } }));
    expect(wrapper.get('pre').text()).toBe('Access denied <b>here</b>');
    expect(wrapper.findAll('button').map((b) => b.text())).not.toContain('Source');
  });
  it('HTML without a Content-Type is known by its start', () => {
    wrapper = fx.keep(mount(BodyText, { props: { text: '<html><body><h1>Denied</h1><p>a &amp; b</p></body></html>' } }));
    expect(wrapper.get('pre').text()).toBe('Denied\na & b');
  });
  it('HTML with no text at all is shown as its source', () => {
    wrapper = fx.keep(mount(BodyText, { props: { text: '<html><head><title>x</title></head></html>', contentType: 'text/html' } }));
    expect(wrapper.get('pre').text()).toBe('<html><head><title>x</title></head></html>');
  });
});
