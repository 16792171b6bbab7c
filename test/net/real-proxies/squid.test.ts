/**
 * Through a real Squid (started per file, stopped in afterAll): ws:// and wss:// echo without
 * auth, Basic auth (407 without credentials, wrong credentials, right ones), and stock Squid's
 * refusal of CONNECT to a port other than 443.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import { SQUID_REALM, squidMissing, startSquid, type RunningSquid } from '../../support/squid';
import { useRealProxies } from './real-proxy-fixture';
import { closeSession, echo, newEngine, openSession, type Opened } from './session-driver';

const PROXY_TIMEOUT_MS = 3000;
const OPEN_TIMEOUT_MS = 6000;
const USER = 'alice';
const PASSWORD = 'correct-horse-42';

const title = `Squid, through the engine${squidMissing ? ` (skipped: ${squidMissing})` : ''}`;

/** The last CONNECT leg (after a 407 there are two). */
function proxyStep(session: Opened): Extract<EngineEvent, { type: 'handshake' }>['step'] | undefined {
  let last: Extract<EngineEvent, { type: 'handshake' }>['step'] | undefined;
  for (const event of session.events) if (event.type === 'handshake' && event.step.leg === 'proxy') last = event.step;
  return last;
}

async function accessLogShows(squid: RunningSquid, needle: string): Promise<boolean> {
  // Squid writes the line when the tunnel ends; give it a moment.
  for (let i = 0; i < 20; i++) {
    if (squid.logs().includes(needle)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe.skipIf(squidMissing !== undefined)(title, () => {
  const fixture = useRealProxies('squid', {
    open: () => startSquid({ connectPorts: 'any' }),
    auth: () => startSquid({ connectPorts: 'any', auth: { username: USER, password: PASSWORD } }),
    stock: () => startSquid({ connectPorts: 'stock' }),
  });
  const started = fixture.proxy;
  const servers = fixture.servers;

  function options(url: string, proxyUrl: string, extra: Partial<ConnectionOptionsInput> = {}): ConnectionOptionsInput {
    return {
      url,
      proxy: { mode: 'manual', url: proxyUrl },
      proxyTimeoutMs: PROXY_TIMEOUT_MS,
      openTimeoutMs: OPEN_TIMEOUT_MS,
      ...extra,
    };
  }

  async function expectEcho(session: Opened, squid: RunningSquid, targetPort: number): Promise<void> {
    expect(session.error, `did not open: ${JSON.stringify(session.error)}\n${squid.logs()}`).toBeUndefined();
    expect(session.opened).toBe(true);
    const step = proxyStep(session);
    expect(step?.request?.startLine).toBe(`CONNECT 127.0.0.1:${targetPort} HTTP/1.1`);
    expect(step?.response?.startLine).toMatch(/^HTTP\/1\.[01] 200\b/);
    const back = await echo(session, 'hello through squid');
    expect(back.dir).toBe('in');
    const closed = await closeSession(session);
    expect(closed).toMatchObject({ code: 1000, wasClean: true, initiatedBy: 'client' });
    expect(await accessLogShows(squid, `CONNECT 127.0.0.1:${targetPort}`)).toBe(true);
  }

  describe('without auth', () => {
    it('ws:// echo goes through a CONNECT tunnel', async () => {
      const { ws } = servers();
      const squid = started('open');
      const session = await openSession(fixture.engine(), options(ws.url, squid.url));
      const decision = session.events.find((e) => e.type === 'proxy-decision');
      expect(decision?.type === 'proxy-decision' ? decision.decision.candidates[0]?.url : undefined).toBe(squid.url);
      await expectEcho(session, squid, ws.port);
    });

    it('wss:// echo: TLS inside the tunnel, verified with the test CA', async () => {
      const { wss, ca } = servers();
      const squid = started('open');
      const session = await openSession(fixture.engine(), options(wss.url, squid.url, { tls: { caFiles: [ca] } }));
      const tlsStep = session.events.find((e) => e.type === 'handshake' && e.step.leg === 'tls');
      expect(tlsStep?.type === 'handshake' ? tlsStep.step.tls?.authorized : undefined).toBe(true);
      await expectEcho(session, squid, wss.port);
    });
  });

  describe('with Basic auth', () => {
    it('407 without credentials → PROXY_AUTH_REQUIRED with the realm and scheme offered', async () => {
      const { ws } = servers();
      const session = await openSession(fixture.engine(), options(ws.url, started('auth').url));
      expect(session.opened).toBe(false);
      expect(session.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_AUTH_REQUIRED' });
      expect(session.error?.details.authRealm).toBe(SQUID_REALM);
      expect(session.error?.details.authSchemes?.map((s) => s.toLowerCase())).toContain('basic');
      expect(session.error?.details.proxyResponse?.startLine).toMatch(/ 407 /);
      expect(session.ms).toBeLessThan(PROXY_TIMEOUT_MS);
    });

    it('wrong credentials → PROXY_AUTH_FAILED, and the password appears nowhere in the events', async () => {
      const { ws } = servers();
      const wrong = 'wrong-password-17';
      const session = await openSession(fixture.engine(), options(ws.url, started('auth').url, { proxyAuth: { username: USER, password: wrong } }));
      expect(session.opened).toBe(false);
      expect(session.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_AUTH_FAILED' });
      expect(session.ms).toBeLessThan(PROXY_TIMEOUT_MS);
      const all = JSON.stringify(session.events);
      expect(all).not.toContain(wrong);
      expect(all).not.toContain(Buffer.from(`${USER}:${wrong}`).toString('base64'));
    });

    it('right credentials → ws:// echo works; Proxy-Authorization is redacted in the capture', async () => {
      const { ws } = servers();
      const squid = started('auth');
      const session = await openSession(fixture.engine(), options(ws.url, squid.url, { proxyAuth: { username: USER, password: PASSWORD } }));
      const auth = proxyStep(session)?.request?.headers.find(([name]) => name.toLowerCase() === 'proxy-authorization');
      expect(auth?.[1]).toMatch(/^Basic •+$/);
      await expectEcho(session, squid, ws.port);
      const all = JSON.stringify(session.events);
      expect(all).not.toContain(PASSWORD);
      expect(all).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
    });

    it('credentials for whichever proxy is chosen (environment): sent only after Squid\'s 407, on the connection it kept, then the echo works', async () => {
      const { ws } = servers();
      const squid = started('auth');
      const environment = newEngine({ HTTP_PROXY: squid.url });
      try {
        const session = await openSession(
          environment,
          options(ws.url, squid.url, { proxy: { mode: 'env' }, proxyAuth: { username: USER, password: PASSWORD } }),
        );
        const proxyLegs = session.events.flatMap((e) => (e.type === 'handshake' && e.step.leg === 'proxy' ? [e.step] : []));
        expect(proxyLegs.map((step) => step.response?.startLine.split(' ')[1])).toEqual(['407', '200']);
        // Squid keeps the connection after its 407 (keep-alive, a body of known length): one TCP leg.
        expect(session.events.flatMap((e) => (e.type === 'handshake' ? [e.step.leg] : []))).toEqual(['resolve', 'tcp', 'proxy', 'proxy', 'upgrade']);
        expect(proxyLegs[0]?.request?.headers.map(([name]) => name.toLowerCase())).not.toContain('proxy-authorization');
        expect(proxyLegs[1]?.request?.headers.find(([name]) => name.toLowerCase() === 'proxy-authorization')?.[1]).toMatch(/^Basic •+$/);
        await expectEcho(session, squid, ws.port);
        expect(JSON.stringify(session.events)).not.toContain(PASSWORD);
      } finally {
        await environment.dispose();
      }
    });

    it('right credentials in the proxy URL → wss:// echo works', async () => {
      const { wss, ca } = servers();
      const squid = started('auth');
      const withCredentials = `http://${USER}:${PASSWORD}@127.0.0.1:${squid.port}`;
      const session = await openSession(fixture.engine(), options(wss.url, withCredentials, { tls: { caFiles: [ca] } }));
      await expectEcho(session, squid, wss.port);
      expect(JSON.stringify(session.events)).not.toContain(PASSWORD);
    });
  });

  describe('stock CONNECT rules (SSL_ports = 443)', () => {
    it('CONNECT to another port → PROXY_REFUSED with the 403, its body, and a hint about SSL_ports', async () => {
      const { ws } = servers();
      const session = await openSession(fixture.engine(), options(ws.url, started('stock').url));
      expect(session.opened).toBe(false);
      expect(session.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_REFUSED' });
      const response = session.error?.details.proxyResponse;
      expect(response?.startLine).toBe('HTTP/1.1 403 Forbidden');
      expect(response?.headers.some(([name, value]) => name.toLowerCase() === 'server' && /squid/i.test(value))).toBe(true);
      expect(response?.bodyPreview ?? '').toMatch(/access/i);
      expect(session.error?.hint).toContain('SSL_ports');
      expect(session.ms).toBeLessThan(PROXY_TIMEOUT_MS);
    });
  });
});
