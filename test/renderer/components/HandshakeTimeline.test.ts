import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HandshakeStep } from '../../../src-main/shared/model';
import HandshakeTimeline from '../../../src-renderer/src/components/HandshakeTimeline.vue';
import { connectedTab, createFixture, emitFailure, emitState, emitSteps, type Fixture } from './store-fixture';

let fx: Fixture;

beforeEach(() => {
  fx = createFixture();
});

const T0 = 1_700_000_000_000;

const CONNECT_407: HandshakeStep = {
  leg: 'proxy',
  startedAt: T0 + 6,
  ms: 41,
  ok: false,
  peer: 'proxy.test:3128',
  request: {
    startLine: 'CONNECT echo.test:443 HTTP/1.1',
    headers: [
      ['Host', 'echo.test:443'],
      ['Proxy-Authorization', 'Basic ••••••'],
    ],
  },
  response: { startLine: 'HTTP/1.1 407 Proxy Authentication Required', headers: [['Proxy-Authenticate', 'Basic realm="corp"']] },
};

describe('HandshakeTimeline', () => {
  it('waits for the first leg of a live session; an imported log without legs says it holds none', async () => {
    const tab = await connectedTab(fx);
    const live = mount(HandshakeTimeline, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    expect(live.get('li.empty').text()).toBe('Waiting for the first leg…');
    fx.fake.emit({ type: 'session-created', sessionId: 'imported-1', url: 'wss://feed.test/prices', at: 1, readOnly: true, name: 'prices.ndjson' });
    await flushPromises();
    const imported = mount(HandshakeTimeline, { props: { sessionId: 'imported-1' }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    expect(imported.get('li.empty').text()).toBe('An imported log: it holds no handshake legs.');
  });

  it('folds an imported log whose legs all went through (the log needs the room), not one with a failed leg', async () => {
    const legs: HandshakeStep[] = [
      { leg: 'tcp', startedAt: T0, ms: 4, ok: true, peer: 'proxy.test:3128' },
      { leg: 'upgrade', startedAt: T0 + 5, ms: 9, ok: true, request: { startLine: 'GET /prices HTTP/1.1', headers: [] }, response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: [] } },
    ];
    fx.fake.emit({ type: 'session-created', sessionId: 'imported-ok', url: 'wss://feed.test/prices', at: 1, readOnly: true, name: 'prices.ndjson' });
    emitSteps(fx.fake, 'imported-ok', legs);
    fx.fake.emit({ type: 'session-created', sessionId: 'imported-failed', url: 'wss://feed.test/prices', at: 1, readOnly: true, name: 'refused.ndjson' });
    emitSteps(fx.fake, 'imported-failed', [legs[0] as HandshakeStep, { ...(legs[1] as HandshakeStep), ok: false }]);
    await flushPromises();
    const whole = mount(HandshakeTimeline, { props: { sessionId: 'imported-ok' }, global: { plugins: [fx.pinia] } });
    const failed = mount(HandshakeTimeline, { props: { sessionId: 'imported-failed' }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    expect(whole.findAll('li.row')).toHaveLength(2);
    expect(whole.get('ol.rows').attributes('style') ?? '').toContain('display: none');
    expect(failed.get('ol.rows').attributes('style') ?? '').not.toContain('display: none');
    expect(failed.findAll('li.row').map((r) => r.attributes('data-status'))).toContain('failed');
  });

  it('shows a 407 answered on a new connection as "asked to sign in", not as a failure', async () => {
    const tab = await connectedTab(fx);
    const withCredentials: HandshakeStep = { ...CONNECT_407, startedAt: T0 + 52, ok: true, response: { startLine: 'HTTP/1.1 200 Connection established', headers: [] } };
    emitSteps(fx.fake, tab.sessionId, [
      { leg: 'tcp', startedAt: T0, ms: 4, ok: true, peer: 'proxy.test:3128' },
      { ...CONNECT_407, request: { startLine: 'CONNECT echo.test:443 HTTP/1.1', headers: [['Host', 'echo.test:443']] } },
      { leg: 'tcp', startedAt: T0 + 48, ms: 4, ok: true, peer: 'proxy.test:3128' },
      withCredentials,
    ]);
    emitState(fx.fake, tab.sessionId, 'open');
    const w = mount(HandshakeTimeline, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    expect(w.findAll('li.row').map((r) => r.attributes('data-status'))).toEqual(['ok', 'retried', 'ok', 'ok']);
    const retried = w.get('li[data-status="retried"]');
    expect(retried.get('.word').text()).toContain('asked to sign in');
    expect(retried.classes()).not.toContain('row--failed');
  });

  it('marks the failed leg and expands it to the CONNECT transcript', async () => {
    const tab = await connectedTab(fx);
    emitSteps(fx.fake, tab.sessionId, [
      { leg: 'resolve', startedAt: T0, ms: 2, ok: true },
      { leg: 'tcp', startedAt: T0 + 2, ms: 4, ok: true, peer: 'proxy.test:3128' },
      CONNECT_407,
    ]);
    emitFailure(fx.fake, tab.sessionId, {
      kind: 'net',
      stage: 'tunnel',
      code: 'PROXY_AUTH_REQUIRED',
      message: 'credentials needed',
      hint: 'h',
      details: {},
    });
    const w = mount(HandshakeTimeline, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    await flushPromises();

    const rows = w.findAll('li.row');
    expect(rows.map((r) => r.attributes('data-leg'))).toEqual(['resolve', 'tcp', 'proxy']);
    expect(rows.map((r) => r.attributes('data-status'))).toEqual(['ok', 'ok', 'failed']);
    const failed = w.get('li[data-leg="proxy"]');
    expect(failed.classes()).toContain('row--failed');
    expect(failed.get('.word').text()).toContain('failed');
    expect(failed.get('.leg').text()).toBe('CONNECT');
    expect(failed.get('.ms').text()).toBe('41 ms');

    const toggle = failed.get('button.row-line');
    expect(toggle.attributes('aria-expanded')).toBe('false');
    expect(failed.find('.detail').exists()).toBe(false);
    await toggle.trigger('click');
    expect(toggle.attributes('aria-expanded')).toBe('true');
    const detail = failed.get('.detail').text();
    expect(detail).toContain('client > proxy');
    expect(detail).toContain('CONNECT echo.test:443 HTTP/1.1');
    expect(detail).toContain('Proxy-Authorization: Basic ••••••');
    expect(detail).toContain('proxy > client');
    expect(detail).toContain('HTTP/1.1 407 Proxy Authentication Required');
    w.unmount();
  });

  it('adds the failed leg from the error stage when no step reported it, with the chain', async () => {
    const tab = await connectedTab(fx);
    emitSteps(fx.fake, tab.sessionId, [
      { leg: 'resolve', startedAt: T0, ms: 1, ok: true },
      { leg: 'tcp', startedAt: T0 + 1, ms: 3, ok: true, peer: 'echo.test:443' },
    ]);
    emitFailure(fx.fake, tab.sessionId, {
      kind: 'net',
      stage: 'tls',
      code: 'TLS_CERT_EXPIRED',
      message: 'expired',
      hint: 'h',
      details: {
        target: 'echo.test:443',
        certChain: [
          {
            subject: 'CN=echo.test',
            issuer: 'CN=Test CA',
            validFrom: '2020-01-01T00:00:00.000Z',
            validTo: '2020-06-01T00:00:00.000Z',
            fingerprint256: '12:34',
            subjectAltNames: ['DNS:echo.test'],
            serialNumber: '01',
            selfSigned: false,
          },
        ],
      },
    });
    const w = mount(HandshakeTimeline, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    const tls = w.get('li[data-leg="tls"]');
    expect(tls.attributes('data-status')).toBe('failed');
    expect(tls.get('.peer').text()).toBe('echo.test:443');
    await tls.get('button.row-line').trigger('click');
    // The chain is shown once, in the error panel: the leg says why and points there.
    const detail = tls.get('.detail');
    expect(detail.text()).toContain('expired');
    expect(detail.text()).toContain('The certificate chain it sent (1 certificate) is in the error panel below.');
    expect(detail.find('.chain').exists()).toBe(false);
    w.unmount();
  });

  it('shows the running leg while connecting, and the TLS details once done', async () => {
    const tab = await connectedTab(fx);
    emitSteps(fx.fake, tab.sessionId, [{ leg: 'resolve', startedAt: T0, ms: 2, ok: true }]);
    emitState(fx.fake, tab.sessionId, 'connecting', Date.now());
    const w = mount(HandshakeTimeline, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    const running = w.get('li[data-status="running"]');
    expect(running.attributes('data-leg')).toBe('tcp');
    expect(running.get('.word').text()).toContain('running');

    emitSteps(fx.fake, tab.sessionId, [
      { leg: 'tcp', startedAt: T0 + 2, ms: 3, ok: true, peer: 'echo.test:443' },
      {
        leg: 'tls',
        startedAt: T0 + 5,
        ms: 20,
        ok: true,
        peer: 'echo.test:443',
        tls: {
          protocol: 'TLSv1.3',
          cipher: 'TLS_AES_128_GCM_SHA256',
          alpn: 'http/1.1',
          servername: 'echo.test',
          authorized: false,
          authorizationError: 'CERT_HAS_EXPIRED',
          insecure: true,
          chain: [],
        },
      },
    ]);
    emitState(fx.fake, tab.sessionId, 'open', Date.now());
    await flushPromises();
    expect(w.find('li[data-status="running"]').exists()).toBe(false);
    const tls = w.get('li[data-leg="tls"]');
    await tls.get('button.row-line').trigger('click');
    expect(tls.get('.detail').text()).toContain('INSECURE');
    expect(tls.get('.detail').text()).toContain('TLSv1.3');
    expect(tls.get('.detail').text()).toContain('CERT_HAS_EXPIRED');
    w.unmount();
  });

  it('folds to one line of legs once the session is open, and unfolds on demand', async () => {
    const tab = await connectedTab(fx);
    emitSteps(fx.fake, tab.sessionId, [
      { leg: 'resolve', startedAt: T0, ms: 2, ok: true },
      { leg: 'tcp', startedAt: T0 + 2, ms: 3, ok: true, peer: 'echo.test:80' },
    ]);
    emitState(fx.fake, tab.sessionId, 'upgrading', Date.now());
    const w = mount(HandshakeTimeline, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    await flushPromises();
    const toggle = w.get('button.head-toggle');
    // While connecting every leg is shown.
    expect(toggle.attributes('aria-expanded')).toBe('true');
    expect(w.get('ol.rows').isVisible()).toBe(true);

    emitSteps(fx.fake, tab.sessionId, [{ leg: 'upgrade', startedAt: T0 + 5, ms: 9, ok: true, peer: 'echo.test:80' }]);
    emitState(fx.fake, tab.sessionId, 'open', Date.now());
    await flushPromises();
    expect(toggle.attributes('aria-expanded')).toBe('false');
    expect(w.get('ol.rows').isVisible()).toBe(false);
    // The one line: each leg with its time.
    const legs = w.get('button.legs').text();
    expect(legs).toContain('Resolve proxy');
    expect(legs).toContain('TCP');
    expect(legs).toContain('Upgrade');
    expect(legs).toContain('9 ms');

    await toggle.trigger('click');
    expect(toggle.attributes('aria-expanded')).toBe('true');
    expect(w.get('ol.rows').isVisible()).toBe(true);
    expect(w.find('button.legs').exists()).toBe(false);
    w.unmount();
  });
});
