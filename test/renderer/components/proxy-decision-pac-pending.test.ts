// QA L4: in PAC mode, while the PAC preview was loading (spinner), the line beside the Proxy menu
// still showed Auto's decision ("direct — no proxy variable is set …"). It says the PAC file is
// being read and evaluated until the PAC's own decision comes.
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ProxyDecisionLine from '../../../src-renderer/src/components/ProxyDecisionLine.vue';
import { createFixture, type Fixture, settle } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | null = null;

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

const direct = { url: 'direct', protocol: 'direct' as const, host: '', port: 0, hasCredentials: false };
const autoDecision = { source: 'env' as const, candidates: [direct], reason: 'no proxy variable is set for wss://' };
const pacDecision = { source: 'pac' as const, candidates: [direct], reason: 'PAC returned DIRECT' };

describe('the proxy line in PAC mode', () => {
  it('says the PAC file is being read while its decision is pending, not Auto’s', async () => {
    const tab = fx.store.newTab();
    tab.draft.proxyMode = 'pac';
    tab.draft.pacKind = 'location';
    tab.draft.pacLocation = 'http://wpad.test/proxy.pac';
    tab.preview = { decision: autoDecision, error: null, pending: true, forUrl: 'wss://example.com/', example: true };
    wrapper = mount(ProxyDecisionLine, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] } });
    await settle();
    expect(wrapper.text()).toContain('Reading the PAC file http://wpad.test/proxy.pac and evaluating it…');
    expect(wrapper.text()).not.toContain('no proxy variable is set');
    expect(wrapper.find('.ts-spinner').exists()).toBe(true);

    tab.draft.pacKind = 'script';
    tab.draft.pacScript = 'function FindProxyForURL() { return "DIRECT"; }';
    await settle();
    expect(wrapper.text()).toContain('Evaluating the PAC script…');

    tab.preview = { decision: pacDecision, error: null, pending: false, forUrl: 'wss://example.com/', example: true };
    await settle();
    expect(wrapper.text()).toContain('PAC returned DIRECT');
    expect(wrapper.find('[data-testid="pac-pending"]').exists()).toBe(false);
  });

  it('leaves Auto’s pending line as it was', async () => {
    const tab = fx.store.newTab();
    tab.preview = { decision: autoDecision, error: null, pending: true, forUrl: 'wss://example.com/', example: true };
    wrapper = mount(ProxyDecisionLine, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] } });
    await settle();
    expect(wrapper.text()).toContain('no proxy variable is set');
  });
});
