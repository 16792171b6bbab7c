/**
 * The Intercept page (issue 13 §1-2) on the fake bridge: the switch starts and stops the
 * engine's proxy with the form's settings and shows its address, a refusal names its field,
 * captured connections are listed and open as tabs marked captured (in the background), plain
 * HTTP is listed compactly, and the CA is downloaded (a browser) or saved by the main process
 * (the desktop app).
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InterceptConnection } from '../../../src-main/shared/intercept-proxy';
import { useInterceptStore } from '../../../src-renderer/src/stores/intercept-store';
import { useAppFixture } from './app-fixture';
import { FAKE_CA_PEM } from '../stores/fake-intercept-proxy';

const fx = useAppFixture();

afterEach(() => {
  vi.restoreAllMocks();
});

async function openPage(w: VueWrapper): Promise<void> {
  await w.get('[data-testid="intercept-entry"]').trigger('click');
  await flushPromises();
}

const DECISION = { source: 'env' as const, candidates: [{ url: 'http://proxy.corp:3128', protocol: 'http' as const, host: 'proxy.corp', port: 3128, hasCredentials: false }], reason: 'HTTPS_PROXY is set' };

function captured(sessionId: string, extra: Partial<InterceptConnection> = {}): InterceptConnection {
  return {
    id: sessionId,
    sessionId,
    kind: 'captured',
    at: Date.UTC(2026, 0, 1, 12, 0, 0),
    clientAddress: '127.0.0.1:51234',
    clientProcess: { pid: 4242, name: 'node' },
    target: 'wss://chat.example/socket',
    ...extra,
  };
}

describe('the Intercept page', () => {
  it('says the proxy is starting while the switch reads Starting…, not that nothing listens', async () => {
    const w = await fx.mountApp();
    await openPage(w);
    const sentence = () => w.get('[data-testid="intercept-sentence"]').text();
    expect(sentence()).toContain('Off: nothing listens');
    useInterceptStore().busy = true;
    await flushPromises();
    expect(w.get('[data-testid="intercept-switch"]').text()).toContain('Starting…');
    expect(sentence()).toBe('Starting: opening the port; clients can point at it once it is on.');
    expect(w.text()).not.toContain('nothing listens');
  });

  it('starts the proxy with the form’s settings, shows where clients point, and stops it', async () => {
    const w = await fx.mountApp();
    expect(w.get('[data-testid="intercept-entry"]').text()).toContain('off');
    await openPage(w);
    expect(w.find('[data-testid="intercept-view"]').exists()).toBe(true);
    // The tab's panel gives way to the page.
    expect(w.find('.tab-panel').exists()).toBe(false);
    await w.get('#intercept-port').setValue('9911');
    await w.get('[data-testid="intercept-upstream-manual"]').setValue(true);
    await w.get('#intercept-upstream-url').setValue('http://proxy.corp:3128');
    await w.get('#intercept-trust').setValue('ca-files');
    await w.get('#intercept-ca-files').setValue('/etc/ssl/corp-root.pem\n\n  /etc/ssl/lab.pem  ');
    await w.get('[data-testid="intercept-switch"]').trigger('click');
    await flushPromises();
    expect(fx.fake.calls.find((call) => call.name === 'intercept-proxy:start')?.arg).toEqual({
      port: 9911,
      host: '127.0.0.1',
      allowRemote: false,
      upstream: { mode: 'manual', url: 'http://proxy.corp:3128' },
      deflate: 'strip',
      serverTrust: { trust: 'ca-files', caFiles: ['/etc/ssl/corp-root.pem', '/etc/ssl/lab.pem'] },
    });
    expect(w.get('[data-testid="intercept-switch"]').attributes('aria-checked')).toBe('true');
    expect(w.get('[data-testid="intercept-address"]').text()).toBe('http://127.0.0.1:9911');
    expect(w.get('[data-testid="intercept-entry"]').text()).toContain('on · 0 open');
    expect(w.text()).toMatch(/servers trusted through .+ \+ \/etc\/ssl\/corp-root\.pem, \/etc\/ssl\/lab\.pem/);
    // Settings are fixed while it runs.
    expect(w.get('#intercept-port').attributes('disabled')).toBeDefined();
    expect(w.get('#intercept-ca-files').attributes('disabled')).toBeDefined();
    await w.get('[data-testid="intercept-switch"]').trigger('click');
    await flushPromises();
    expect(fx.fake.calls.some((call) => call.name === 'intercept-proxy:stop')).toBe(true);
    expect(w.get('[data-testid="intercept-switch"]').attributes('aria-checked')).toBe('false');
    expect(w.find('[data-testid="intercept-address"]').exists()).toBe(false);
  });

  it('a refused start says why next to the field it names; a non-loopback host asks to be allowed first', async () => {
    const w = await fx.mountApp();
    await openPage(w);
    await w.get('#intercept-port').setValue('80x');
    await w.get('[data-testid="intercept-switch"]').trigger('click');
    await flushPromises();
    expect(w.get('[data-testid="intercept-problem"]').text()).toBe('port: the port must be a whole number from 0 to 65535 (got "80x")');
    expect(w.get('#intercept-port').classes()).toContain('invalid');
    expect(fx.fake.calls.some((call) => call.name === 'intercept-proxy:start')).toBe(false);

    await w.get('#intercept-port').setValue('8899');
    await w.get('#intercept-host').setValue('0.0.0.0');
    expect(w.text()).toContain('Listen beyond loopback');
    // Not ticked: the engine's own refusal comes back, worded and placed.
    await w.get('[data-testid="intercept-switch"]').trigger('click');
    await flushPromises();
    expect(w.get('[data-testid="intercept-problem"]').text()).toMatch(/^host: 0\.0\.0\.0 is not a loopback address/);
    expect(w.get('#intercept-host').classes()).toContain('invalid');
  });

  it('lists a captured WebSocket and opens it in a background tab marked captured, with the client’s handshake and no composer', async () => {
    const w = await fx.mountApp();
    const firstTab = fx.store.activeTabId;
    await openPage(w);
    fx.fake.emit({ type: 'session-created', sessionId: 'cap1', url: 'wss://chat.example/socket', at: 1, captured: { clientAddress: '127.0.0.1:51234', clientProcess: { pid: 4242, name: 'node' } } });
    fx.fake.emit({ type: 'intercept-connection', connection: captured('cap1') });
    await flushPromises();
    const row = w.get('[data-testid="intercept-connections"] tbody tr');
    expect(row.text()).toContain('node (pid 4242) at 127.0.0.1:51234');
    expect(row.text()).toContain('wss://chat.example/socket');
    // A tab was opened for it, in the background: the page and the active tab stay.
    expect(fx.store.tabs.map((tab) => tab.sessionId)).toContain('cap1');
    expect(fx.store.activeTabId).toBe(firstTab);
    expect(w.find('[data-testid="intercept-view"]').exists()).toBe(true);
    const capturedTab = w.findAll('.tab').find((tab) => tab.find('.captured').exists());
    expect(capturedTab?.get('.captured').attributes('title')).toBe('captured from node (pid 4242) at 127.0.0.1:51234');

    // Later: its decision and both handshakes.
    fx.fake.emit({
      type: 'intercept-connection',
      connection: captured('cap1', {
        decision: DECISION,
        protocol: 'chat.v1',
        deflate: { client: 'removed from the offer', server: 'not offered (removed)' },
        clientHandshake: {
          request: { startLine: 'GET /socket HTTP/1.1', headers: [['Host', 'chat.example']] },
          response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: [['Upgrade', 'websocket']] },
        },
      }),
    });
    await flushPromises();
    expect(w.findAll('[data-testid="intercept-connections"] tbody tr')).toHaveLength(1);
    expect(w.get('[data-testid="intercept-connections"] tbody tr').text()).toContain('via http://proxy.corp:3128');

    await w.get('[data-testid="intercept-connections"] tbody tr button').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="intercept-view"]').exists()).toBe(false);
    expect(fx.store.activeTab?.sessionId).toBe('cap1');
    const header = w.get('[data-testid="captured-header"]');
    expect(header.text()).toContain('from node (pid 4242) at 127.0.0.1:51234');
    expect(header.text()).toContain('subprotocol chat.v1');
    expect(w.find('.stub-composer').exists()).toBe(false);
    await w.get('[data-testid="captured-client-handshake-toggle"]').trigger('click');
    const transcript = w.get('[data-testid="captured-client-handshake"]').text();
    expect(transcript).toContain('client > proxy');
    expect(transcript).toContain('GET /socket HTTP/1.1');
    expect(transcript).toContain('HTTP/1.1 101 Switching Protocols');
  });

  it('a captured session the Intercept list no longer has shows the client’s handshake the engine kept on the session', async () => {
    const w = await fx.mountApp();
    fx.store.selectTab(fx.store.openSessionTab('cap9', 'wss://chat.example/socket').id);
    // What the engine says of the session when this page subscribes to it (session:list says the same).
    fx.fake.emit({
      type: 'subscribed',
      sessionId: 'cap9',
      info: {
        sessionId: 'cap9',
        url: 'wss://chat.example/socket',
        state: 'closed',
        createdAt: 1,
        framesStored: 0,
        framesDropped: 0,
        lastSeq: 0,
        captured: { clientAddress: '127.0.0.1:51234' },
        clientHandshake: {
          request: { startLine: 'GET /socket?kept=1 HTTP/1.1', headers: [['Host', 'chat.example']] },
          response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: [['Upgrade', 'websocket']] },
        },
      },
    });
    await flushPromises();
    expect(useInterceptStore().connections).toEqual([]);
    await w.get('[data-testid="captured-client-handshake-toggle"]').trigger('click');
    expect(w.get('[data-testid="captured-client-handshake"]').text()).toContain('GET /socket?kept=1 HTTP/1.1');
  });

  it('names two captured WebSockets to the same URL apart: the second tab is "… #2"', async () => {
    const w = await fx.mountApp();
    await openPage(w);
    const client = (port: number) => ({ clientAddress: `127.0.0.1:${port}`, clientProcess: { pid: 5428, name: 'chromium' } });
    for (const [id, port] of [['capA', 50142], ['capB', 50150]] as const) {
      fx.fake.emit({ type: 'session-created', sessionId: id, url: 'wss://127.0.0.1:35525/ws', at: 1, captured: client(port) });
      fx.fake.emit({ type: 'intercept-connection', connection: captured(id, { target: 'wss://127.0.0.1:35525/ws', ...client(port) }) });
    }
    await flushPromises();
    const names = w.findAll('.tab').filter((tab) => tab.find('.captured').exists()).map((tab) => tab.get('.name').text());
    expect(names).toEqual(['127.0.0.1:35525/ws', '127.0.0.1:35525/ws #2']);
    // The sessions list says the same.
    expect(w.text()).toContain('127.0.0.1:35525/ws #2');
  });

  it('does not open tabs when told not to; a client that refused the certificate is listed with the reason', async () => {
    const w = await fx.mountApp();
    await openPage(w);
    await w.get('[data-testid="intercept-open-tabs"]').setValue(false);
    fx.fake.emit({ type: 'intercept-connection', connection: captured('cap2') });
    fx.fake.emit({
      type: 'intercept-connection',
      connection: {
        id: 'c1',
        kind: 'client-tls',
        at: 2,
        clientAddress: '127.0.0.1:5000',
        target: 'pinned.example',
        rejectedCertificate: true,
        evidence: 'TLS alert "unknown ca"',
        detail: 'the client refused the certificate made for pinned.example (TLS alert "unknown ca")',
      },
    });
    await flushPromises();
    expect(fx.store.tabs.some((tab) => tab.sessionId === 'cap2')).toBe(false);
    const rows = w.findAll('[data-testid="intercept-connections"] tbody tr');
    // Newest first.
    expect(rows[0]?.text()).toContain('certificate refused by the client (TLS alert "unknown ca")');
    expect(rows[0]?.text()).toContain('the client refused the certificate made for pinned.example');
    expect(rows[0]?.find('button').text()).toBe('Pass through');
  });

  it('a client that refused the certificate can be passed through from its row, and the list in force shows it', async () => {
    const w = await fx.mountApp();
    await openPage(w);
    await w.get('[data-testid="intercept-switch"]').trigger('click');
    await flushPromises();
    expect(w.get('[data-testid="intercept-passthrough"]').text()).toBe('none: every TLS connection is intercepted');
    fx.fake.emit({
      type: 'intercept-connection',
      connection: { id: 'c9', kind: 'client-tls', at: 2, clientAddress: '127.0.0.1:5000', target: 'pinned.example', rejectedCertificate: true, detail: 'unknown CA' },
    });
    await flushPromises();
    await w.get('[data-testid="intercept-connections"] tbody tr button').trigger('click');
    await flushPromises();
    expect(fx.fake.calls.find((call) => call.name === 'intercept-proxy:passthrough-add')?.arg).toEqual({ host: 'pinned.example', list: 'global' });
    expect(w.text()).toContain('pinned.example is on the global passthrough list: its next connection goes through untouched.');
    expect(w.get('[data-testid="intercept-passthrough"]').text()).toBe('global: pinned.example');
  });

  it('with a profile: the profile’s way out replaces the upstream fields, each list is shown, a passed-through row names its list, and Pass through offers the profile’s list', async () => {
    const saved = fx.fake.profiles.handlers['profiles:save']?.({ profile: { name: 'Corp', url: 'wss://corp.example/', proxy: { mode: 'manual', url: 'http://proxy.corp:3128' }, tls: {}, interceptPassthrough: ['*.bank.example'] } });
    if (!saved?.ok) throw new Error('the profile was not saved');
    const profileId = (saved.value as { id: string }).id;
    const w = await fx.mountApp();
    await openPage(w);
    await w.get('[data-testid="intercept-profile"]').setValue(profileId);
    expect(w.get('[data-testid="intercept-profile-note"]').text()).toMatch(/The way out, its sign-in and the servers' trust are profile Corp's; its passthrough hosts \(\*\.bank\.example\)/);
    expect(w.find('[data-testid="intercept-upstream-manual"]').exists()).toBe(false);
    expect(w.find('#intercept-ca-files').exists()).toBe(false);
    await w.get('[data-testid="intercept-switch"]').trigger('click');
    await flushPromises();
    expect(fx.fake.calls.find((call) => call.name === 'intercept-proxy:start')?.arg).toEqual({
      port: 8899,
      host: '127.0.0.1',
      allowRemote: false,
      upstream: { mode: 'auto' },
      deflate: 'strip',
      serverTrust: { caFiles: [] },
      profileId,
    });
    expect(w.text()).toContain('Running with upstream profile "Corp": none (direct)');
    expect(w.get('[data-testid="intercept-passthrough"] [data-list="profile"]').text()).toBe('profile "Corp": *.bank.example');
    expect(w.get('[data-testid="intercept-passthrough"] [data-list="global"]').text()).toBe('global: none');
    expect(w.get('[data-testid="intercept-profile"]').attributes('disabled')).toBeDefined();

    fx.fake.emit({
      type: 'intercept-connection',
      connection: {
        id: 'c1',
        kind: 'passthrough',
        at: 2,
        clientAddress: '127.0.0.1:5000',
        target: 'login.bank.example:443',
        status: 200,
        passthroughList: { list: 'profile', profile: 'Corp' },
        detail: 'on the profile "Corp" passthrough list (*.bank.example); 10 B sent, 20 B received',
        decision: { source: 'pac', reason: 'PAC returned "PROXY proxy.corp:3128; DIRECT"; http://proxy.corp:3128 failed (PROXY_UNREACHABLE), trying DIRECT', candidates: [{ url: 'http://proxy.corp:3128', protocol: 'http', host: 'proxy.corp', port: 3128, hasCredentials: false }, { url: 'direct', protocol: 'direct', host: '', port: 0, hasCredentials: false }] },
      },
    });
    fx.fake.emit({ type: 'intercept-connection', connection: { id: 'c2', kind: 'passthrough', at: 3, clientAddress: '127.0.0.1:5001', target: 'other.example:443', status: 200, passthroughList: { list: 'global' } } });
    fx.fake.emit({ type: 'intercept-connection', connection: { id: 'c3', kind: 'client-tls', at: 4, clientAddress: '127.0.0.1:5002', target: 'pinned.example', rejectedCertificate: true, detail: 'unknown CA' } });
    await flushPromises();
    const rows = w.findAll('[data-testid="intercept-connections"] tbody tr');
    expect(rows[2]?.get('.outcome').text()).toContain('passed through: profile "Corp"');
    expect(rows[1]?.get('.outcome').text()).toContain('passed through: global');
    // The way out the tunnel took, as a captured row shows it; a tunnel that failed before a decision says so in its title.
    expect(rows[2]?.get('.upstream').text()).toBe('via http://proxy.corp:3128, then direct');
    expect(rows[2]?.get('.upstream').attributes('title')).toBe('PAC script: PAC returned "PROXY proxy.corp:3128; DIRECT"; http://proxy.corp:3128 failed (PROXY_UNREACHABLE), trying DIRECT');
    expect(rows[1]?.get('.upstream').text()).toBe('—');
    expect(rows[1]?.get('.upstream').attributes('title')).toBe('no way out was decided: the tunnel failed before');
    await rows[0]?.get('[data-testid="pass-through"]').trigger('click');
    expect(rows[0]?.get('[data-testid="pass-through-profile"]').text()).toBe('Profile “Corp”');
    expect(rows[0]?.find('[data-testid="pass-through-global"]').exists()).toBe(true);
    await rows[0]?.get('[data-testid="pass-through-profile"]').trigger('click');
    await flushPromises();
    expect(fx.fake.calls.find((call) => call.name === 'intercept-proxy:passthrough-add')?.arg).toEqual({ host: 'pinned.example', list: 'profile' });
    expect(w.text()).toContain('pinned.example is on the passthrough list of profile "Corp": its next connection goes through untouched.');
    expect(w.get('[data-testid="intercept-passthrough"] [data-list="profile"]').text()).toBe('profile "Corp": *.bank.example, pinned.example');
    // The saved profile (its revision went up) is what the profile list holds now.
    expect(fx.fake.profiles.views.get(profileId)?.interceptPassthrough).toEqual(['*.bank.example', 'pinned.example']);
  });

  it('a profile whose environment was deleted: said before the run starts and, from the engine, while it runs', async () => {
    const saved = fx.fake.profiles.handlers['profiles:save']?.({ profile: { name: 'Corp', url: 'wss://corp.example/', proxy: { mode: 'manual', url: 'http://{{proxyHost}}:3128' }, tls: {}, environmentId: 'env-gone' } });
    if (!saved?.ok) throw new Error('the profile was not saved');
    const profileId = (saved.value as { id: string }).id;
    const w = await fx.mountApp();
    await openPage(w);
    expect(w.find('[data-testid="intercept-profile-environment-note"]').exists()).toBe(false);
    await w.get('[data-testid="intercept-profile"]').setValue(profileId);
    await flushPromises();
    expect(w.get('[data-testid="intercept-profile-environment-note"]').text()).toBe('⚠ The environment of profile "Corp" was deleted: intercepting without one until you choose another in the profile.');
    await w.get('[data-testid="intercept-switch"]').trigger('click');
    await flushPromises();
    expect(w.text()).toContain('Running with upstream profile "Corp"');
    // The engine's own words (its CLI note), as a sentence.
    expect(w.get('[data-testid="intercept-profile-environment-note"]').text()).toBe('⚠ The environment of profile "Corp" was deleted; intercepting without one.');
    // Back to none: nothing said.
    await w.get('[data-testid="intercept-switch"]').trigger('click');
    await flushPromises();
    await w.get('[data-testid="intercept-profile"]').setValue('');
    expect(w.find('[data-testid="intercept-profile-environment-note"]').exists()).toBe(false);
  });

  it('a profile whose environment is saved: no note', async () => {
    const environment = await fx.fake.bridge['environments:save']({ environment: { name: 'Staging', variables: [] } });
    if (!environment.ok) throw new Error('the environment was not saved');
    const environmentId = (environment.value as { id: string }).id;
    const saved = fx.fake.profiles.handlers['profiles:save']?.({ profile: { name: 'Corp', url: 'wss://corp.example/', proxy: { mode: 'none' }, tls: {}, environmentId } });
    if (!saved?.ok) throw new Error('the profile was not saved');
    const w = await fx.mountApp();
    await openPage(w);
    await w.get('[data-testid="intercept-profile"]').setValue((saved.value as { id: string }).id);
    await flushPromises();
    await w.get('[data-testid="intercept-switch"]').trigger('click');
    await flushPromises();
    expect(w.text()).toContain('Running with upstream profile "Corp"');
    expect(w.find('[data-testid="intercept-profile-environment-note"]').exists()).toBe(false);
  });

  it('a profile deleted since it was picked is said, and the engine’s refusal names the profile field', async () => {
    const w = await fx.mountApp();
    await openPage(w);
    const store = useInterceptStore();
    store.form.profileId = 'gone';
    await flushPromises();
    expect(w.get('[data-testid="intercept-profile-note"]').text()).toBe('That profile was deleted: choose another, or none.');
    await w.get('[data-testid="intercept-switch"]').trigger('click');
    await flushPromises();
    expect(w.get('[data-testid="intercept-problem"]').text()).toBe('profileId: there is no profile with id gone');
    expect(w.get('[data-testid="intercept-profile"]').classes()).toContain('invalid');
  });

  it('lists plain HTTP compactly: method, host, path, status, size, time', async () => {
    const w = await fx.mountApp();
    await openPage(w);
    fx.fake.emit({ type: 'intercept-http', exchange: { id: 1, at: 3, clientAddress: '127.0.0.1:5001', method: 'GET', host: 'example.com', path: '/index.html', status: 200, size: 2048, ms: 12 } });
    fx.fake.emit({ type: 'intercept-http', exchange: { id: 2, at: 4, clientAddress: '127.0.0.1:5001', method: 'POST', host: 'api.example', path: '/x', status: null, size: null, ms: 5, error: 'ECONNREFUSED' } });
    await flushPromises();
    const cells = w.findAll('[data-testid="intercept-http"] tbody tr').map((row) => row.findAll('td').map((cell) => cell.text()).slice(1));
    expect(cells).toEqual([
      ['POST', 'api.example', '/x', 'no answer', '—', '5 ms'],
      ['GET', 'example.com', '/index.html', '200', '2.0 KiB', '12 ms'],
    ]);
  });

  it('a browser downloads the CA as a PEM file', async () => {
    const w = await fx.mountApp();
    await openPage(w);
    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:ca';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    await w.get('[data-testid="intercept-ca-download"]').trigger('click');
    await flushPromises();
    expect(fx.fake.calls.some((call) => call.name === 'intercept-proxy:ca-cert')).toBe(true);
    expect(clicks).toEqual(['tunnelscope-ca.pem']);
    expect(await created[0]?.text()).toBe(FAKE_CA_PEM);
    expect(w.text()).toContain('Downloaded as tunnelscope-ca.pem');
  });

  it('the desktop app has the main process save it (its dialog), and the steps name the file it was saved to', async () => {
    fx.fake.answer('app:info', () => ({ ok: true, value: { name: 'Tunnelscope', version: '0.0.0', host: 'electron', platform: 'linux', systemProxy: true } }));
    const w = await fx.mountApp();
    await openPage(w);
    await w.get('[data-testid="intercept-ca-download"]').trigger('click');
    await flushPromises();
    expect(fx.fake.calls.some((call) => call.name === 'intercept-proxy:ca-save')).toBe(true);
    expect(fx.fake.calls.some((call) => call.name === 'intercept-proxy:ca-cert')).toBe(false);
    expect(w.text()).toContain('Saved to /home/user/tunnelscope-ca.pem');
    expect(w.get('[data-testid="ca-steps-node"]').text()).toContain('NODE_EXTRA_CA_CERTS=/home/user/tunnelscope-ca.pem');
  });

  it('a page that loads while the proxy runs reads its status and lists', async () => {
    fx.fake.answer('intercept-proxy:status', () => ({
      ok: true,
      value: {
        status: {
          running: true,
          address: { host: '127.0.0.1', port: 8899, url: 'http://127.0.0.1:8899' },
          remote: false,
          upstream: 'none (direct)',
          upstreamMode: 'none',
          deflate: 'strip',
          startedAt: 1,
          counts: { captured: 1, open: 1, refused: 0, clientTls: 0, passthrough: 0, http: 0 },
        },
        connections: [captured('cap3')],
        exchanges: [],
      },
    }));
    const w = await fx.mountApp();
    expect(useInterceptStore().status.running).toBe(true);
    expect(w.get('[data-testid="intercept-entry"]').text()).toContain('on · 1 open');
    await openPage(w);
    expect(w.findAll('[data-testid="intercept-connections"] tbody tr')).toHaveLength(1);
  });
});
