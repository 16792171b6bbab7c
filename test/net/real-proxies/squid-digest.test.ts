/**
 * Digest sign-in through a real Squid (digest_file_auth, started per file, stopped in afterAll):
 * the right password opens and echoes, a wrong one ends in PROXY_AUTH_FAILED naming Digest, and
 * Auto picks Digest over Basic when Squid offers both. The stale-nonce retry is covered by the
 * scripted proxies (test/net/proxy/digest-sign-in.test.ts): each sign-in here starts from a fresh nonce.
 */
import { describe, expect, it } from 'vitest';
import type { HandshakeStep, ConnectionOptionsInput } from '../../../src-main/shared/model';
import { SQUID_REALM, squidDigestMissing, startSquid } from '../../support/squid';
import { useRealProxies } from './real-proxy-fixture';
import { closeSession, echo, newEngine, openSession, type Opened } from './session-driver';

const PROXY_TIMEOUT_MS = 3000;
const OPEN_TIMEOUT_MS = 6000;
const USER = 'mufasa';
const PASSWORD = 'Circle of Life 7';

const title = `Squid with Digest, through the engine${squidDigestMissing ? ` (skipped: ${squidDigestMissing})` : ''}`;

function proxySteps(session: Opened): HandshakeStep[] {
  return session.events.flatMap((e) => (e.type === 'handshake' && e.step.leg === 'proxy' ? [e.step] : []));
}

describe.skipIf(squidDigestMissing !== undefined)(title, () => {
  const fixture = useRealProxies('squid', {
    digest: () => startSquid({ connectPorts: 'any', auth: { username: USER, password: PASSWORD, schemes: ['digest'] } }),
    both: () => startSquid({ connectPorts: 'any', auth: { username: USER, password: PASSWORD, schemes: ['basic', 'digest'] } }),
  });

  function options(url: string, proxyUrl: string, password: string, extra: Partial<ConnectionOptionsInput> = {}): ConnectionOptionsInput {
    return {
      url,
      proxy: { mode: 'manual', url: proxyUrl },
      proxyAuth: { username: USER, password },
      proxyTimeoutMs: PROXY_TIMEOUT_MS,
      openTimeoutMs: OPEN_TIMEOUT_MS,
      ...extra,
    };
  }

  it('the right password (set for the proxy itself), Auto: nothing before the 407 (never Basic), Digest (MD5, qop auth) opens, and the echo works', async () => {
    const { ws } = fixture.servers();
    const squid = fixture.proxy('digest');
    const session = await openSession(fixture.engine(), options(ws.url, squid.url, PASSWORD));
    expect(session.error, `did not open: ${JSON.stringify(session.error)}\n${squid.logs()}`).toBeUndefined();
    const steps = proxySteps(session);
    expect(steps.at(-1)?.response?.startLine).toMatch(/^HTTP\/1\.[01] 200\b/);
    expect(steps.at(-1)?.auth?.sent).toMatchObject({ scheme: 'Digest', realm: SQUID_REALM, algorithm: 'MD5', qop: 'auth' });
    expect(steps.at(-1)?.request?.headers.find(([name]) => name.toLowerCase() === 'proxy-authorization')?.[1]).toMatch(/^Digest •+$/);
    expect(steps.map((s) => s.auth?.sent?.scheme)).toEqual([undefined, 'Digest']);
    expect(steps.at(-2)?.auth?.offered?.map((o) => o.scheme)).toEqual(['Digest']);
    expect((await echo(session, 'hello through digest squid')).dir).toBe('in');
    await closeSession(session);
    expect(JSON.stringify(session.events)).not.toContain(PASSWORD);
  });

  it('a wrong password: PROXY_AUTH_FAILED naming Digest, within the deadline', async () => {
    const { ws } = fixture.servers();
    const wrong = 'wrong-password-17';
    const session = await openSession(fixture.engine(), options(ws.url, fixture.proxy('digest').url, wrong, { proxyAuthScheme: 'digest' }));
    expect(session.opened).toBe(false);
    expect(session.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_AUTH_FAILED' });
    expect(session.error?.details.authScheme).toBe('Digest');
    expect(session.error?.message).toContain('Digest');
    // Set to Digest: nothing before Squid's 407, then one Digest answer.
    expect(proxySteps(session).map((s) => s.auth?.sent?.scheme)).toEqual([undefined, 'Digest']);
    expect(JSON.stringify(session.events)).not.toContain(wrong);
  });

  it('Squid offering Basic and Digest to credentials for whichever proxy is chosen: Auto answers its 407 with Digest', async () => {
    const { ws } = fixture.servers();
    const squid = fixture.proxy('both');
    const environment = newEngine({ HTTP_PROXY: squid.url });
    try {
      const session = await openSession(environment, options(ws.url, squid.url, PASSWORD, { proxy: { mode: 'env' } }));
      expect(session.error, `did not open: ${JSON.stringify(session.error)}\n${squid.logs()}`).toBeUndefined();
      const steps = proxySteps(session);
      expect(steps[0]?.auth?.offered?.map((o) => o.scheme.toLowerCase())).toEqual(['basic', 'digest']);
      expect(steps.map((s) => s.auth?.sent?.scheme)).toEqual([undefined, 'Digest']);
      await closeSession(session);
    } finally {
      await environment.dispose();
    }
  });
});
