/**
 * Negotiate (Kerberos) through a real Squid (negotiate_kerberos_auth) against a real MIT KDC
 * (test/support/kerberos-realm.ts), both started for this file and stopped by pid afterwards:
 * the user's ticket from kinit opens the tunnel with nothing typed, and the transcript's
 * Negotiate round names the realm and the principal (never the token). Without a ticket, with a
 * principal the KDC does not know, each ends in its own code, before any deadline. A Squid that
 * offers Negotiate and NTLM (ntlm_fake_auth) gets the ticket when there is one, and NTLM with
 * the credentials given when there is none, the round saying why.
 * The GSSAPI library in this process reads KRB5_CONFIG and KRB5CCNAME from the environment:
 * each test points KRB5CCNAME at the ccache it needs.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKerberos } from '../../../src-main/core/proxy/negotiate/kerberos-module';
import type { ConnectionOptionsInput, HandshakeStep } from '../../../src-main/shared/model';
import { kerberosRealmMissing, startKerberosRealm, TEST_REALM, type KerberosRealm } from '../../support/kerberos-realm';
import { squidNegotiateMissing, squidNtlmMissing, squidUser, startSquid } from '../../support/squid';
import { useRealProxies } from './real-proxy-fixture';
import { closeSession, echo, openSession, type Opened } from './session-driver';

const PROXY_TIMEOUT_MS = 5000;
const OPEN_TIMEOUT_MS = 8000;
const SERVICE = 'HTTP/127.0.0.1';
/** A principal whose key is changed after Squid got its keytab: Squid cannot read the tickets for it. */
const STALE_SERVICE = 'HTTP/stalehost';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const moduleLoad = await importKerberos();
const missing = squidNegotiateMissing ?? kerberosRealmMissing ?? (moduleLoad.ok ? undefined : `the kerberos module cannot be loaded: ${moduleLoad.missing}`);
const title = `Squid with Negotiate (Kerberos) and a real KDC, through the engine${missing ? ` (skipped: ${missing})` : ''}`;

function proxySteps(session: Opened): HandshakeStep[] {
  return session.events.flatMap((e) => (e.type === 'handshake' && e.step.leg === 'proxy' ? [e.step] : []));
}

describe.skipIf(missing !== undefined)(title, () => {
  let realm: KerberosRealm | undefined;
  let realmStarted: Promise<KerberosRealm> | undefined;
  const startRealm = (): Promise<KerberosRealm> => {
    realmStarted ??= startKerberosRealm({ services: [SERVICE, STALE_SERVICE], ...(squidUser() ? { keytabOwner: squidUser() } : {}) }).then((started) => {
      started.rotateKey(STALE_SERVICE);
      realm = started;
      return started;
    });
    return realmStarted;
  };
  const savedEnv = { KRB5_CONFIG: process.env.KRB5_CONFIG, KRB5CCNAME: process.env.KRB5CCNAME };

  beforeAll(async () => {
    await startRealm();
  });

  afterAll(async () => {
    await realm?.stop();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const fixture = useRealProxies('squid', {
    negotiate: async () => {
      const started = await startRealm();
      return startSquid({
        connectPorts: 'any',
        auth: { username: 'unused', password: 'unused', schemes: ['negotiate'] },
        kerberos: { keytab: started.keytab(SERVICE), principal: `${SERVICE}@${started.realm}`, krb5Config: started.krb5Config },
      });
    },
    stale: async () => {
      const started = await startRealm();
      return startSquid({
        connectPorts: 'any',
        auth: { username: 'unused', password: 'unused', schemes: ['negotiate'] },
        kerberos: { keytab: started.keytab(STALE_SERVICE), principal: `${STALE_SERVICE}@${started.realm}`, krb5Config: started.krb5Config },
      });
    },
    // Squid offers them in this order: Negotiate, then NTLM.
    both: async () => {
      const started = await startRealm();
      return startSquid({
        connectPorts: 'any',
        auth: { username: 'unused', password: 'unused', schemes: squidNtlmMissing ? ['negotiate'] : ['negotiate', 'ntlm'] },
        kerberos: { keytab: started.keytab(SERVICE), principal: `${SERVICE}@${started.realm}`, krb5Config: started.krb5Config },
      });
    },
  });

  function theRealm(): KerberosRealm {
    if (!realm) throw new Error('the test realm did not start');
    return realm;
  }

  function options(url: string, proxyUrl: string, extra: Partial<ConnectionOptionsInput> = {}): ConnectionOptionsInput {
    return { url, proxy: { mode: 'manual', url: proxyUrl }, proxyTimeoutMs: PROXY_TIMEOUT_MS, openTimeoutMs: OPEN_TIMEOUT_MS, ...extra };
  }

  it('the ticket from kinit opens the tunnel with no password; the Negotiate round names the realm and the principal, and the echo works', async () => {
    const { ws } = fixture.servers();
    const squid = fixture.proxy('negotiate');
    theRealm().useInThisProcess(theRealm().ticketCache());
    const session = await openSession(fixture.engine(), options(ws.url, squid.url));
    expect(session.error, `did not open: ${JSON.stringify(session.error)}\n${squid.logs()}\n${theRealm().logs()}`).toBeUndefined();
    const steps = proxySteps(session);
    expect(steps.map((s) => s.auth?.sent?.scheme)).toEqual([undefined, 'Negotiate']);
    expect(steps[0]?.auth?.offered?.map((o) => o.scheme)).toEqual(['Negotiate']);
    expect(steps.at(-1)?.response?.startLine).toMatch(/^HTTP\/1\.[01] 200\b/);
    expect(steps.at(-1)?.auth?.sent).toEqual({
      scheme: 'Negotiate',
      mechanism: 'Kerberos',
      spn: 'HTTP@127.0.0.1',
      realm: TEST_REALM,
      ticketPrincipal: SERVICE,
    });
    // The token itself never leaves the session.
    const header = steps.at(-1)?.request?.headers.find(([name]) => name.toLowerCase() === 'proxy-authorization')?.[1];
    expect(header).toMatch(/^Negotiate •+$/);
    expect((await echo(session, 'hello through kerberos squid')).dir).toBe('in');
    await closeSession(session);
  });

  it('no ticket: KERBEROS_NO_TICKET naming the ccache that was looked at, not a deadline', async () => {
    const { ws } = fixture.servers();
    const empty = theRealm().emptyCache();
    theRealm().useInThisProcess(empty);
    const session = await openSession(fixture.engine(), options(ws.url, fixture.proxy('negotiate').url));
    expect(session.opened).toBe(false);
    expect(session.error).toMatchObject({ stage: 'tunnel', code: 'KERBEROS_NO_TICKET' });
    expect(session.error?.message).toBe(`No Kerberos ticket (looked in ${empty}): run kinit to get one.`);
    expect(session.error?.details).toMatchObject({ authScheme: 'Negotiate', servicePrincipal: 'HTTP@127.0.0.1', credentialsCache: empty });
    expect(session.error?.details.deadline).toBeUndefined();
    // Nothing was sent after the 407: the sign-in ended at the first round.
    expect(proxySteps(session).map((s) => s.auth?.sent?.scheme)).toEqual([undefined]);
  });

  it('a service principal the KDC does not know (--proxy-spn): KERBEROS_UNKNOWN_SPN naming it', async () => {
    const { ws } = fixture.servers();
    theRealm().useInThisProcess(theRealm().ticketCache());
    const session = await openSession(fixture.engine(), options(ws.url, fixture.proxy('negotiate').url, { proxyAuthServicePrincipal: 'HTTP@proxyhost' }));
    expect(session.error).toMatchObject({ stage: 'tunnel', code: 'KERBEROS_UNKNOWN_SPN' });
    expect(session.error?.message).toBe(`The Kerberos KDC does not know the service principal HTTP/proxyhost@${TEST_REALM} (asked for as HTTP@proxyhost).`);
    expect(session.error?.details.servicePrincipal).toBe('HTTP@proxyhost');
  });

  it("a host whose domain puts it in a realm the KDC has no path to: KERBEROS_UNKNOWN_SPN saying so", async () => {
    const { ws } = fixture.servers();
    theRealm().useInThisProcess(theRealm().ticketCache());
    const session = await openSession(fixture.engine(), options(ws.url, fixture.proxy('negotiate').url, { proxyAuthServicePrincipal: 'HTTP@proxy.unknown.test' }));
    expect(session.error).toMatchObject({ stage: 'tunnel', code: 'KERBEROS_UNKNOWN_SPN' });
    expect(session.error?.message).toBe(
      `The Kerberos KDC of ${TEST_REALM} cannot issue a ticket for HTTP@proxy.unknown.test: the host's domain puts it in the realm UNKNOWN.TEST, which ${TEST_REALM} has no path to (krbtgt/UNKNOWN.TEST@${TEST_REALM} not found).`,
    );
  });

  it('the service principal set to the one Squid holds (HTTP/127.0.0.1 spelling) opens as well', async () => {
    const { ws } = fixture.servers();
    theRealm().useInThisProcess(theRealm().ticketCache());
    const session = await openSession(fixture.engine(), options(ws.url, fixture.proxy('negotiate').url, { proxyAuthServicePrincipal: SERVICE, proxyAuthScheme: 'negotiate' }));
    expect(session.error, JSON.stringify(session.error)).toBeUndefined();
    expect(proxySteps(session).at(-1)?.auth?.sent).toMatchObject({ scheme: 'Negotiate', spn: 'HTTP@127.0.0.1', realm: TEST_REALM });
    await closeSession(session);
  });

  it.skipIf(squidNtlmMissing !== undefined)(`Negotiate and NTLM offered: the ticket when there is one, NTLM with the credentials given when there is none, saying why${squidNtlmMissing ? ` (skipped: ${squidNtlmMissing})` : ''}`, async () => {
    const { ws } = fixture.servers();
    const squid = fixture.proxy('both');
    const credentials = { proxyAuth: { username: 'CORP\\alice', password: 'not-needed-by-ntlm_fake_auth' } };

    theRealm().useInThisProcess(theRealm().ticketCache());
    const withTicket = await openSession(fixture.engine(), options(ws.url, squid.url, credentials));
    expect(withTicket.error, `did not open: ${JSON.stringify(withTicket.error)}\n${squid.logs()}`).toBeUndefined();
    const ticketSteps = proxySteps(withTicket);
    expect(ticketSteps[0]?.auth?.offered?.map((o) => o.scheme)).toEqual(['Negotiate', 'NTLM']);
    // Under Auto nothing goes with the first CONNECT, even for credentials set for the proxy itself: the 407 decides.
    expect(ticketSteps.map((s) => s.auth?.sent?.scheme)).toEqual([undefined, 'Negotiate']);
    await closeSession(withTicket);

    const empty = theRealm().emptyCache();
    theRealm().useInThisProcess(empty);
    const noTicket = await openSession(fixture.engine(), options(ws.url, squid.url, credentials));
    expect(noTicket.error, `did not open: ${JSON.stringify(noTicket.error)}\n${squid.logs()}`).toBeUndefined();
    const steps = proxySteps(noTicket);
    expect(steps.map((s) => s.auth?.sent?.scheme)).toEqual([undefined, 'NTLM', 'NTLM']);
    expect(steps[1]?.auth?.sent?.fallback).toEqual({ from: 'Negotiate', reason: `No Kerberos ticket (looked in ${empty}): run kinit to get one` });
    expect((await echo(noTicket, 'hello through ntlm after negotiate')).dir).toBe('in');
    await closeSession(noTicket);
  });

  it('the CLI as a process, with KRB5_CONFIG and KRB5CCNAME in its environment: connects with no --proxy-user and prints the Negotiate round', async () => {
    const { ws } = fixture.servers();
    const squid = fixture.proxy('negotiate');
    const env: NodeJS.ProcessEnv = { KRB5_CONFIG: theRealm().krb5Config, KRB5CCNAME: theRealm().ticketCache() };
    for (const [name, value] of Object.entries(process.env)) if (!/_proxy$|^KRB5/i.test(name)) env[name] = value;
    const args = ['--import', 'tsx', path.join(ROOT, 'src-main/cli/index.ts'), 'connect', ws.url, '--proxy', squid.url, '--send', 'via cli with a ticket', '--count', '1'];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('close', (exit) => {
        clearTimeout(timer);
        resolve(exit);
      });
    });
    expect(code, `${stdout}\n${stderr}\n${squid.logs()}`).toBe(0);
    expect(stdout).toContain('sign-in round 1: the 407 offers Negotiate');
    expect(stdout).toContain(`sign-in round 2: sent Negotiate (Kerberos) for HTTP@127.0.0.1: ticket ${SERVICE} realm "${TEST_REALM}"`);
    expect(stdout).toMatch(/Proxy-Authorization: Negotiate •+/);
    expect(stdout).toContain('via cli with a ticket');
    // Squid's access log names the Kerberos user it let through.
    const tunnelLine = /TCP_TUNNEL\/200 .* alice@TUNNELSCOPE\.TEST /;
    expect(await squid.logsOnceLogged(tunnelLine)).toMatch(tunnelLine);
  });

  it("a proxy whose keytab is stale rejects the ticket: PROXY_AUTH_FAILED naming Negotiate after one token, no loop", async () => {
    const { ws } = fixture.servers();
    const squid = fixture.proxy('stale');
    theRealm().useInThisProcess(theRealm().ticketCache());
    const session = await openSession(fixture.engine(), options(ws.url, squid.url, { proxyAuthServicePrincipal: 'HTTP@stalehost' }));
    expect(session.opened).toBe(false);
    expect(session.error, JSON.stringify(session.error)).toMatchObject({ stage: 'tunnel', code: 'PROXY_AUTH_FAILED', details: { authScheme: 'Negotiate' } });
    expect(session.error?.message).toBe('The proxy rejected the Kerberos ticket (Negotiate) (407 after it was sent; it asks for Negotiate).');
    expect(proxySteps(session).map((s) => s.auth?.sent?.scheme)).toEqual([undefined, 'Negotiate']);
    expect(proxySteps(session).at(-1)?.auth?.sent).toMatchObject({ spn: 'HTTP@stalehost', ticketPrincipal: 'HTTP/stalehost', realm: TEST_REALM });
  });
});
