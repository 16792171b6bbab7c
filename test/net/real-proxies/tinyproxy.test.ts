/**
 * Through a real tinyproxy (started per file, stopped in afterAll): ws:// and wss:// echo, its
 * BasicAuth (a 407 on HTTP/1.0 that closes the connection, then success with credentials), and
 * a ConnectPort rule refusing the port.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import { startTinyproxy, tinyproxyMissing, type RunningTinyproxy } from '../../support/tinyproxy';
import { useRealProxies } from './real-proxy-fixture';
import { closeSession, echo, openSession, type Opened } from './session-driver';

const PROXY_TIMEOUT_MS = 3000;
const USER = 'bob';
const PASSWORD = 'tiny-secret-99';

const title = `tinyproxy, through the engine${tinyproxyMissing ? ` (skipped: ${tinyproxyMissing})` : ''}`;

describe.skipIf(tinyproxyMissing !== undefined)(title, () => {
  const fixture = useRealProxies('tinyproxy', {
    open: () => startTinyproxy({}),
    auth: () => startTinyproxy({ auth: { username: USER, password: PASSWORD } }),
    only443: () => startTinyproxy({ connectPorts: [443] }),
  });
  const started = fixture.proxy;
  const servers = fixture.servers;

  function options(url: string, proxyUrl: string, extra: Partial<ConnectionOptionsInput> = {}): ConnectionOptionsInput {
    return { url, proxy: { mode: 'manual', url: proxyUrl }, proxyTimeoutMs: PROXY_TIMEOUT_MS, openTimeoutMs: 6000, ...extra };
  }

  async function expectEcho(session: Opened, proxy: RunningTinyproxy, targetPort: number): Promise<void> {
    expect(session.error, `did not open: ${JSON.stringify(session.error)}\n${proxy.logs()}`).toBeUndefined();
    expect(session.opened).toBe(true);
    await echo(session, 'hello through tinyproxy');
    expect(await closeSession(session)).toMatchObject({ code: 1000, wasClean: true });
    expect(proxy.logs()).toContain(`CONNECT 127.0.0.1:${targetPort}`);
  }

  it('ws:// echo', async () => {
    const { ws } = servers();
    const proxy = started('open');
    await expectEcho(await openSession(fixture.engine(), options(ws.url, proxy.url)), proxy, ws.port);
  });

  it('wss:// echo, verified with the test CA', async () => {
    const { wss, ca } = servers();
    const proxy = started('open');
    await expectEcho(await openSession(fixture.engine(), options(wss.url, proxy.url, { tls: { caFiles: [ca] } })), proxy, wss.port);
  });

  it('BasicAuth: 407 without credentials → PROXY_AUTH_REQUIRED', async () => {
    const { ws } = servers();
    const session = await openSession(fixture.engine(), options(ws.url, started('auth').url));
    expect(session.opened).toBe(false);
    expect(session.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_AUTH_REQUIRED' });
    expect(session.error?.details.proxyResponse?.startLine).toMatch(/ 407 /);
    expect(session.ms).toBeLessThan(PROXY_TIMEOUT_MS);
  });

  it('BasicAuth: right credentials → wss:// echo works, the password appears nowhere', async () => {
    const { wss, ca } = servers();
    const proxy = started('auth');
    const session = await openSession(fixture.engine(), options(wss.url, proxy.url, { proxyAuth: { username: USER, password: PASSWORD }, tls: { caFiles: [ca] } }));
    await expectEcho(session, proxy, wss.port);
    expect(JSON.stringify(session.events)).not.toContain(PASSWORD);
  });

  it('ConnectPort 443 only: another port → PROXY_REFUSED with the 403', async () => {
    const { ws } = servers();
    const session = await openSession(fixture.engine(), options(ws.url, started('only443').url));
    expect(session.opened).toBe(false);
    expect(session.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_REFUSED' });
    expect(session.error?.details.proxyResponse?.startLine).toMatch(/^HTTP\/1\.[01] 403 /);
    expect(session.ms).toBeLessThan(PROXY_TIMEOUT_MS);
  });
});
