/**
 * Through a real tinyproxy (started per file, stopped in afterAll): ws:// and wss:// echo, its
 * BasicAuth (a 407 on HTTP/1.0 that closes the connection, then success with credentials), and
 * a ConnectPort rule refusing the port.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/core/engine';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import { startTinyproxy, tinyproxyMissing, type RunningTinyproxy, type TinyproxyOptions } from '../../support/tinyproxy';
import { closeSession, echo, newEngine, openSession, watchUnhandled, startEchoTargets, type EchoTargets, type Opened } from './session-driver';

const PROXY_TIMEOUT_MS = 3000;
const USER = 'bob';
const PASSWORD = 'tiny-secret-99';

const title = `tinyproxy, through the engine${tinyproxyMissing ? ` (skipped: ${tinyproxyMissing})` : ''}`;

describe.skipIf(tinyproxyMissing !== undefined)(title, () => {
  const proxies: { open?: RunningTinyproxy; auth?: RunningTinyproxy; only443?: RunningTinyproxy } = {};
  let targets: EchoTargets | undefined;
  let engine: Engine;
  const unhandled = watchUnhandled();

  const started = (name: keyof typeof proxies): RunningTinyproxy => {
    const proxy = proxies[name];
    if (!proxy) throw new Error(`tinyproxy "${name}" did not start`);
    return proxy;
  };
  const servers = (): EchoTargets => {
    if (!targets) throw new Error('echo servers did not start');
    return targets;
  };

  beforeAll(async () => {
    const variants: [keyof typeof proxies, TinyproxyOptions][] = [
      ['open', {}],
      ['auth', { auth: { username: USER, password: PASSWORD } }],
      ['only443', { connectPorts: [443] }],
    ];
    const results = await Promise.allSettled(variants.map(async ([name, options]) => (proxies[name] = await startTinyproxy(options))));
    targets = await startEchoTargets();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });

  afterAll(async () => {
    await Promise.allSettled([...Object.values(proxies).map((p) => p.stop()), targets?.close()]);
    unhandled.stop();
  });

  beforeEach(() => {
    engine = newEngine();
  });

  afterEach(async () => {
    await engine.dispose();
    expect(unhandled.list).toEqual([]);
  });

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
    await expectEcho(await openSession(engine, options(ws.url, proxy.url)), proxy, ws.port);
  });

  it('wss:// echo, verified with the test CA', async () => {
    const { wss, ca } = servers();
    const proxy = started('open');
    await expectEcho(await openSession(engine, options(wss.url, proxy.url, { tls: { caFiles: [ca] } })), proxy, wss.port);
  });

  it('BasicAuth: 407 without credentials → PROXY_AUTH_REQUIRED', async () => {
    const { ws } = servers();
    const session = await openSession(engine, options(ws.url, started('auth').url));
    expect(session.opened).toBe(false);
    expect(session.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_AUTH_REQUIRED' });
    expect(session.error?.details.proxyResponse?.startLine).toMatch(/ 407 /);
    expect(session.ms).toBeLessThan(PROXY_TIMEOUT_MS);
  });

  it('BasicAuth: right credentials → wss:// echo works, the password appears nowhere', async () => {
    const { wss, ca } = servers();
    const proxy = started('auth');
    const session = await openSession(engine, options(wss.url, proxy.url, { proxyAuth: { username: USER, password: PASSWORD }, tls: { caFiles: [ca] } }));
    await expectEcho(session, proxy, wss.port);
    expect(JSON.stringify(session.events)).not.toContain(PASSWORD);
  });

  it('ConnectPort 443 only: another port → PROXY_REFUSED with the 403', async () => {
    const { ws } = servers();
    const session = await openSession(engine, options(ws.url, started('only443').url));
    expect(session.opened).toBe(false);
    expect(session.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_REFUSED' });
    expect(session.error?.details.proxyResponse?.startLine).toMatch(/^HTTP\/1\.[01] 403 /);
    expect(session.ms).toBeLessThan(PROXY_TIMEOUT_MS);
  });
});
