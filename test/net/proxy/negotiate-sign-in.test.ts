/**
 * Negotiate against scripted proxies on 127.0.0.1, with the real GSSAPI library and no ticket
 * (a ccache that does not exist, a krb5.conf of the test's own): a proxy offering Negotiate and
 * NTLM gets NTLM with the credentials given, the round saying it stands in for Negotiate and why;
 * without credentials the Kerberos failure names the proxy's other schemes and offers to enter
 * credentials; Negotiate set but not offered, and a proxy offering nothing but Basic without
 * credentials, end as before. The ticket itself is tested against a real KDC and Squid in
 * test/net/real-proxies/squid-negotiate.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NetError } from '../../../src-main/shared/errors';
import type { HandshakeStep, ProxyAuthScheme } from '../../../src-main/shared/model';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { Deadline } from '../../../src-main/core/net/deadline';
import { importKerberos } from '../../../src-main/core/proxy/negotiate/kerberos-module';
import type { ProxyEndpoint } from '../../../src-main/core/proxy/proxy-endpoint';
import { openTunnel, type TunnelRequest } from '../../../src-main/core/proxy/tunnel';
import { startFakeProxy, startTcpTarget, type FakeProxy, type FakeProxyContext } from '../../support/fake-proxy';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
/** MS-NLMP 4.2.4.3's CHALLENGE message: any NTLM client can answer it. */
const NTLM_CHALLENGE = hex(`
  4e544c4d53535000 02000000 0c000c00 38000000 33828ae2 0123456789abcdef 0000000000000000
  24002400 44000000 060070170000000f
  53006500720076006500720002000c0044006f006d00610069006e0001000c0053006500720076006500720000000000`).toString('base64');
const DEADLINE_MS = 60_000;

const moduleLoad = await importKerberos();
const missing = moduleLoad.ok ? undefined : `the kerberos module cannot be loaded: ${moduleLoad.missing}`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The NTLM message type of a `Proxy-Authorization: NTLM <token>` (read here, not by the code under test). */
function ntlmType(header: string | undefined): number | undefined {
  if (header === undefined || !header.startsWith('NTLM ')) return undefined;
  const bytes = Buffer.from(header.slice(5), 'base64');
  return bytes.length >= 12 && bytes.subarray(0, 8).toString('latin1') === 'NTLMSSP\0' ? bytes.readUInt32LE(8) : undefined;
}

function keep407(context: FakeProxyContext, headers: string): void {
  context.socket.write(`HTTP/1.1 407 Proxy Authentication Required\r\n${headers}Content-Length: 0\r\n\r\n`);
  context.next();
}

/** Offers `offer`; an NTLM NEGOTIATE gets the CHALLENGE, an AUTHENTICATE on that connection the tunnel. */
function corporateProxy(targetPort: number, offer: string): (context: FakeProxyContext) => void {
  return (context) => {
    const type = ntlmType(context.header('proxy-authorization'));
    if (type === 1) keep407(context, `Proxy-Authenticate: NTLM ${NTLM_CHALLENGE}\r\n`);
    else if (type === 3) context.tunnelTo(targetPort, 'HTTP/1.1 200 Connection established\r\n\r\n');
    else keep407(context, offer);
  };
}

async function proxyAndTarget(offer: string): Promise<FakeProxy> {
  const target = await startTcpTarget();
  cleanups.push(() => target.close());
  const proxy = await startFakeProxy(corporateProxy(target.port, offer));
  cleanups.push(() => proxy.close());
  return proxy;
}

function request(port: number, steps: HandshakeStep[], credentials: boolean, authScheme?: ProxyAuthScheme): TunnelRequest {
  const proxy: ProxyEndpoint = {
    protocol: 'http',
    host: '127.0.0.1',
    port,
    displayUrl: `http://127.0.0.1:${port}`,
    credentialsOnChallenge: true,
    ...(credentials ? { username: 'CORP\\alice', password: 'secret' } : {}),
  };
  return {
    proxy,
    target: { host: 'echo.test', port: 443 },
    proxyCa: [],
    deadline: new Deadline(DEADLINE_MS),
    // Only the CONNECT rounds (the TCP step is not a sign-in round).
    onStep: (step) => {
      if (step.leg === 'proxy') steps.push(step);
    },
    ...(authScheme ? { authScheme } : {}),
  };
}

async function failureOf(tunnel: TunnelRequest): Promise<NetError> {
  const outcome = await openTunnel(tunnel).then(
    (socket) => {
      socket.destroy();
      return undefined;
    },
    (error: unknown) => error,
  );
  if (!(outcome instanceof NetFailure)) throw new Error(`expected a NetFailure, got ${String(outcome)}`);
  return outcome.netError;
}

describe.skipIf(missing !== undefined)(`Negotiate without a ticket, against scripted proxies${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dir = '';
  let cache = '';
  const saved = { KRB5_CONFIG: process.env.KRB5_CONFIG, KRB5CCNAME: process.env.KRB5CCNAME };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tunnelscope-no-ticket-'));
    writeFileSync(path.join(dir, 'krb5.conf'), '[libdefaults]\n  default_realm = NO-TICKET.TEST\n  dns_lookup_kdc = false\n  dns_lookup_realm = false\n');
    cache = `FILE:${path.join(dir, 'no-such-ccache')}`;
    process.env.KRB5_CONFIG = path.join(dir, 'krb5.conf');
    process.env.KRB5CCNAME = cache;
  });

  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('Negotiate and NTLM offered, no ticket, credentials given: NTLM signs in, and the round says it stands in for Negotiate', async () => {
    const proxy = await proxyAndTarget('Proxy-Authenticate: Negotiate\r\nProxy-Authenticate: NTLM\r\n');
    const steps: HandshakeStep[] = [];
    const socket = await openTunnel(request(proxy.port, steps, true));
    socket.destroy();
    expect(steps.map((s) => s.auth?.sent?.scheme)).toEqual([undefined, 'NTLM', 'NTLM']);
    expect(steps[0]?.auth?.offered?.map((o) => o.scheme)).toEqual(['Negotiate', 'NTLM']);
    expect(steps[1]?.auth?.sent?.fallback).toEqual({ from: 'Negotiate', reason: `No Kerberos ticket (looked in ${cache}): run kinit to get one` });
    // Said once, on the round that replaced it.
    expect(steps[2]?.auth?.sent?.fallback).toBeUndefined();
    expect(steps.at(-1)?.ok).toBe(true);
  });

  it('Negotiate and Basic offered, no ticket and no credentials: KERBEROS_NO_TICKET naming Basic, with the credentials action', async () => {
    const proxy = await proxyAndTarget('Proxy-Authenticate: Negotiate\r\nProxy-Authenticate: Basic realm="corp"\r\n');
    const steps: HandshakeStep[] = [];
    const error = await failureOf(request(proxy.port, steps, false));
    expect(error.code).toBe('KERBEROS_NO_TICKET');
    expect(error.message).toBe(`No Kerberos ticket (looked in ${cache}): run kinit to get one. The proxy also offers Basic: a user name and password would sign in with it.`);
    expect(error.actions).toEqual(['enter-proxy-credentials']);
    expect(error.details.credentialsCache).toBe(cache);
    expect(proxy.requests.map((r) => r.headers.some(([name]) => name.toLowerCase() === 'proxy-authorization'))).toEqual([false]);
  });

  it('Negotiate set, no ticket, NTLM offered too: no fallback, KERBEROS_NO_TICKET', async () => {
    const proxy = await proxyAndTarget('Proxy-Authenticate: Negotiate\r\nProxy-Authenticate: NTLM\r\n');
    const error = await failureOf(request(proxy.port, [], true, 'negotiate'));
    expect(error.code).toBe('KERBEROS_NO_TICKET');
    expect(proxy.requests).toHaveLength(1);
  });

  it('Negotiate set, the proxy offers only NTLM: PROXY_AUTH_UNSUPPORTED naming the offer', async () => {
    const proxy = await proxyAndTarget('Proxy-Authenticate: NTLM\r\n');
    const error = await failureOf(request(proxy.port, [], true, 'negotiate'));
    expect(error).toMatchObject({ code: 'PROXY_AUTH_UNSUPPORTED', message: 'Proxy sign-in is set to Negotiate (Kerberos), but the proxy offers NTLM.' });
  });

  it('no credentials and no Negotiate offered: the proxy\'s 407 stays the answer, nothing is sent', async () => {
    const proxy = await proxyAndTarget('Proxy-Authenticate: Basic realm="corp"\r\n');
    const steps: HandshakeStep[] = [];
    const error = await failureOf(request(proxy.port, steps, false));
    expect(error.code).toBe('PROXY_AUTH_REQUIRED');
    expect(proxy.requests).toHaveLength(1);
    expect(steps.map((s) => s.auth?.round)).toEqual([1]);
  });
});
