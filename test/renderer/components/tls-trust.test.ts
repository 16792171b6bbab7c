/**
 * The trust setting in the UI: the open session shows "TLS intercepted by mitmproxy (…)"
 * under the folded handshake timeline, the TLS leg says which store the chain was trusted
 * through, and the TLS settings' Trust choice goes into the connection options.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HandshakeStep, TlsInfo } from '../../../src-main/shared/model';
import HandshakeTimeline from '../../../src-renderer/src/components/HandshakeTimeline.vue';
import TlsDetails from '../../../src-renderer/src/components/TlsDetails.vue';
import TlsSettings from '../../../src-renderer/src/components/TlsSettings.vue';
import { draftToOptions } from '../../../src-renderer/src/connection-form/connection-draft';
import { connectedTab, createFixture, emitState, emitSteps, type Fixture } from './store-fixture';

let fx: Fixture;
beforeEach(() => {
  fx = createFixture();
});

const MITM = 'CN=mitmproxy, O=mitmproxy';
const intercepted: TlsInfo = {
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  alpn: 'http/1.1',
  servername: 'echo.test',
  authorized: true,
  authorizationError: null,
  insecure: false,
  chain: [],
  trust: { setting: 'mozilla+os', trustedThrough: 'os', anchor: MITM },
  interception: {
    product: 'mitmproxy',
    issuer: MITM,
    trustedThrough: 'os',
    reason: `The issuer names mitmproxy; its root (${MITM}) is not one of Mozilla's and was trusted through the OS store.`,
  },
};

describe('interception and trust in the UI', () => {
  it('the open session shows the interception badge while the timeline is folded', async () => {
    const tab = await connectedTab(fx);
    const tlsStep: HandshakeStep = { leg: 'tls', startedAt: 1, ms: 5, ok: true, peer: 'echo.test:443', tls: intercepted };
    emitSteps(fx.fake, tab.sessionId, [{ leg: 'tcp', startedAt: 0, ms: 1, ok: true, peer: 'echo.test:443' }, tlsStep]);
    emitState(fx.fake, tab.sessionId, 'open');
    const w = mount(HandshakeTimeline, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    const badge = w.get('[data-testid="interception-badge"]');
    expect(badge.text()).toContain(`TLS intercepted by mitmproxy (${MITM})`);
    expect(badge.text()).toContain('trusted through the OS store');
    expect(badge.get('.ts-badge').attributes('title')).toContain('The issuer names mitmproxy');
  });

  it('no interception, no badge', async () => {
    const tab = await connectedTab(fx);
    const { interception: _none, ...plain } = intercepted;
    emitSteps(fx.fake, tab.sessionId, [{ leg: 'tls', startedAt: 1, ms: 5, ok: true, tls: { ...plain, trust: { setting: 'mozilla+os', trustedThrough: 'mozilla', anchor: 'CN=ISRG Root X1' } } }]);
    emitState(fx.fake, tab.sessionId, 'open');
    const w = mount(HandshakeTimeline, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    expect(w.find('[data-testid="interception-badge"]').exists()).toBe(false);
  });

  it('the TLS leg says which store the chain was trusted through, a setting other than the default, and the badge', () => {
    const w = mount(TlsDetails, { props: { tls: { ...intercepted, trust: { setting: 'mozilla', trustedThrough: 'ca-file', anchor: MITM } } } });
    expect(w.text()).toContain('certificate verified, trusted through your CA file');
    expect(w.text()).toContain('Trust Mozilla only');
    expect(w.get('[data-testid="tls-interception"]').text()).toBe(`TLS intercepted by mitmproxy (${MITM})`);
  });

  it("the TLS settings' Trust choice goes into the connection options; the default adds nothing", async () => {
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/';
    const w = mount(TlsSettings, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] } });
    const select = w.get('select');
    const element = select.element;
    expect(element instanceof HTMLSelectElement && element.value).toBe('mozilla+os');
    expect(draftToOptions(tab.draft).tls?.trust).toBeUndefined();
    await select.setValue('ca-files');
    expect(tab.draft.trust).toBe('ca-files');
    expect(draftToOptions(tab.draft).tls?.trust).toBe('ca-files');
    expect(w.text()).toContain('Only the extra CA files');
  });
});
