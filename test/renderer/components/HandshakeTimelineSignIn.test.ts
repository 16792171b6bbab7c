import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HandshakeStep } from '../../../src-main/shared/model';
import HandshakeTimeline from '../../../src-renderer/src/components/HandshakeTimeline.vue';
import { connectedTab, createFixture, emitState, emitSteps, type Fixture } from './store-fixture';

let fx: Fixture;

beforeEach(() => {
  fx = createFixture();
});

const T0 = 1_700_000_000_000;
const connect = (extra: Partial<HandshakeStep>): HandshakeStep => ({
  leg: 'proxy',
  startedAt: T0 + 6,
  ms: 3,
  ok: false,
  peer: 'proxy.test:3128',
  request: { startLine: 'CONNECT echo.test:443 HTTP/1.1', headers: [['Host', 'echo.test:443']] },
  ...extra,
});

describe('HandshakeTimeline: Digest sign-in rounds', () => {
  it('each CONNECT row says what the 407 offered and what was sent, decoded, never the credential', async () => {
    const tab = await connectedTab(fx);
    emitSteps(fx.fake, tab.sessionId, [
      { leg: 'tcp', startedAt: T0, ms: 4, ok: true, peer: 'proxy.test:3128' },
      connect({
        response: { startLine: 'HTTP/1.1 407 Proxy Authentication Required', headers: [['Proxy-Authenticate', 'Digest realm="corp", nonce="n", qop="auth"']] },
        auth: { round: 1, offered: [{ scheme: 'Digest', realm: 'corp', qop: 'auth' }] },
      }),
      connect({
        startedAt: T0 + 10,
        ok: true,
        request: { startLine: 'CONNECT echo.test:443 HTTP/1.1', headers: [['Proxy-Authorization', 'Digest ••••••']] },
        response: { startLine: 'HTTP/1.1 200 Connection established', headers: [] },
        auth: { round: 2, sent: { scheme: 'Digest', realm: 'corp', algorithm: 'MD5', qop: 'auth' } },
      }),
    ]);
    emitState(fx.fake, tab.sessionId, 'open');
    const w = mount(HandshakeTimeline, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    await w.get('button.head-toggle').trigger('click');
    for (const row of w.findAll('li[data-leg="proxy"]')) await row.get('button.row-line').trigger('click');
    const lines = w.findAll('[data-part="sign-in"]').map((p) => p.text());
    expect(lines).toEqual([
      'sign-in round 1: the 407 offers Digest realm "corp" qop auth',
      'sign-in round 2: sent Digest realm "corp" algorithm MD5 qop auth',
    ]);
    expect(w.text()).toContain('Proxy-Authorization: Digest ••••••');
    w.unmount();
  });
});

describe('HandshakeTimeline: NTLM sign-in rounds', () => {
  it('shows the three messages on their rounds, decoded (who, which domain, the proxy about itself), never a token', async () => {
    const tab = await connectedTab(fx);
    const flags = ['UNICODE', 'NTLM', 'EXTENDED_SESSIONSECURITY'];
    emitSteps(fx.fake, tab.sessionId, [
      { leg: 'tcp', startedAt: T0, ms: 4, ok: true, peer: 'proxy.test:3128' },
      connect({
        response: { startLine: 'HTTP/1.1 407 Proxy Authentication Required', headers: [['Proxy-Authenticate', 'NTLM']] },
        auth: { round: 1, offered: [{ scheme: 'NTLM' }] },
      }),
      connect({
        startedAt: T0 + 10,
        request: { startLine: 'CONNECT echo.test:443 HTTP/1.1', headers: [['Proxy-Authorization', 'NTLM ••••••']] },
        response: { startLine: 'HTTP/1.1 407 Proxy Authentication Required', headers: [['Proxy-Authenticate', 'NTLM ••••••']] },
        auth: {
          round: 2,
          sent: { scheme: 'NTLM', ntlm: { type: 'negotiate', flags } },
          offered: [{ scheme: 'NTLM', ntlm: { type: 'challenge', flags, targetName: 'CORP', netbiosDomain: 'CORP', netbiosServer: 'PROXY1', dnsDomain: 'corp.example' } }],
        },
      }),
      connect({
        startedAt: T0 + 20,
        ok: true,
        request: { startLine: 'CONNECT echo.test:443 HTTP/1.1', headers: [['Proxy-Authorization', 'NTLM ••••••']] },
        response: { startLine: 'HTTP/1.1 200 Connection established', headers: [] },
        auth: { round: 3, sent: { scheme: 'NTLM', ntlm: { type: 'authenticate', flags, user: 'alice', domain: 'CORP', workstation: 'WS1', response: 'NTLMv2' } } },
      }),
    ]);
    emitState(fx.fake, tab.sessionId, 'open');
    const w = mount(HandshakeTimeline, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] } });
    await flushPromises();
    await w.get('button.head-toggle').trigger('click');
    const rows = w.findAll('li[data-leg="proxy"]');
    expect(rows).toHaveLength(3);
    for (const row of rows) await row.get('button.row-line').trigger('click');
    const lines = w.findAll('[data-part="sign-in"]').map((p) => p.text());
    expect(lines[0]).toBe('sign-in round 1: the 407 offers NTLM');
    expect(lines.find((line) => line.includes('NTLM NEGOTIATE'))).toContain('sign-in round 2');
    expect(lines.find((line) => line.includes('NTLM CHALLENGE'))).toMatch(/target "CORP".*server "PROXY1".*DNS domain "corp.example"/);
    const authenticate = lines.find((line) => line.includes('NTLM AUTHENTICATE')) ?? '';
    expect(authenticate).toContain('sign-in round 3');
    expect(authenticate).toMatch(/user "alice" domain "CORP" workstation "WS1" NTLMv2/);
    expect(w.text()).toContain('Proxy-Authorization: NTLM ••••••');
    w.unmount();
  });
});
