/**
 * A throw-away MIT Kerberos realm for tests: `krb5kdc -n` on 127.0.0.1:<free port> with its own
 * krb5.conf and kdc.conf (KRB5_CONFIG, KRB5_KDC_PROFILE) and database in a fresh temp dir
 * (`kdb5_util create -s`, a random master password), a user principal and service principals
 * (`HTTP/127.0.0.1` by default) with keytabs (`kadmin.local … ktadd`), and the user's ticket
 * from `kinit -k -t` into a ccache of the test's choosing. Host names are taken as written
 * (dns_canonicalize_hostname = false, rdns = false), so `HTTP@127.0.0.1` asks for
 * `HTTP/127.0.0.1@TUNNELSCOPE.TEST`.
 *
 * The KDC is a child process: always `await realm.stop()` in afterAll (by pid, then the dir
 * goes). The GSSAPI library in the test process reads KRB5_CONFIG and KRB5CCNAME from the
 * process environment: `realm.useInThisProcess(ccache)` sets both before use.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBinary, freePort, spawnProxy, stopProcess, waitForPort } from './proxy-process';

const SBIN = ['/usr/sbin', '/usr/bin'];
const krb5kdc = findBinary('krb5kdc', SBIN.map((dir) => `${dir}/krb5kdc`));
const kdb5Util = findBinary('kdb5_util', SBIN.map((dir) => `${dir}/kdb5_util`));
const kadminLocal = findBinary('kadmin.local', SBIN.map((dir) => `${dir}/kadmin.local`));
const kinit = findBinary('kinit', SBIN.map((dir) => `${dir}/kinit`));

/** Why a test realm cannot be made here, or undefined when it can. */
export const kerberosRealmMissing: string | undefined = !krb5kdc
  ? 'krb5kdc not installed (Debian: krb5-kdc)'
  : !kdb5Util || !kadminLocal
    ? 'kdb5_util / kadmin.local not installed (Debian: krb5-kdc, krb5-admin-server)'
    : !kinit
      ? 'kinit not installed (Debian: krb5-user)'
      : undefined;

export const TEST_REALM = 'TUNNELSCOPE.TEST';

export interface KerberosRealmOptions {
  /** The user whose ticket signs in (default `alice`). */
  user?: string;
  /** Service principals to create, each with its own keytab (default `HTTP/127.0.0.1`). */
  services?: string[];
  /** The uid/gid that must read the service keytabs (Squid's helpers run as `proxy`). */
  keytabOwner?: { uid: number; gid: number };
}

export interface KerberosRealm {
  realm: string;
  port: number;
  dir: string;
  /** The realm's krb5.conf: KRB5_CONFIG for anything that uses it. */
  krb5Config: string;
  /** `alice@TUNNELSCOPE.TEST`. */
  userPrincipal: string;
  /** The keytab of a service principal given without the realm (`HTTP/127.0.0.1`). */
  keytab(service: string): string;
  /** A new ccache (`FILE:…`) holding the user's ticket, from `kinit -k -t`. */
  ticketCache(): string;
  /** A ccache (`FILE:…`) that does not exist: "no ticket". */
  emptyCache(): string;
  /** Points this process's Kerberos library at the realm and the given ccache. */
  useInThisProcess(ccache: string): void;
  /** Gives a service principal a new random key: its keytab goes stale (an old key version), as after a missed keytab update. */
  rotateKey(service: string): void;
  /** The KDC's log, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

function run(binary: string, args: string[], env: NodeJS.ProcessEnv, input?: string): string {
  return execFileSync(binary, args, { env, input, encoding: 'utf8', timeout: 30_000, stdio: ['pipe', 'pipe', 'pipe'] });
}

let caches = 0;

export async function startKerberosRealm(options: KerberosRealmOptions = {}): Promise<KerberosRealm> {
  if (!krb5kdc || !kdb5Util || !kadminLocal || !kinit) throw new Error(kerberosRealmMissing ?? 'Kerberos tools missing');
  const kdcBinary = krb5kdc;
  const kinitBinary = kinit;
  const kadmin = kadminLocal;
  const dir = mkdtempSync(path.join(tmpdir(), 'tunnelscope-krb5-'));
  // Squid's helper (user proxy) reads the keytab and krb5.conf in here.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const realm = TEST_REALM;
  const krb5Config = path.join(dir, 'krb5.conf');
  const kdcConfig = path.join(dir, 'kdc.conf');
  writeFileSync(
    krb5Config,
    [
      '[libdefaults]',
      `  default_realm = ${realm}`,
      '  dns_lookup_kdc = false',
      '  dns_lookup_realm = false',
      // Names as written: no DNS lookup turns 127.0.0.1 into "localhost".
      '  dns_canonicalize_hostname = false',
      '  rdns = false',
      // TCP only: the KDC's readiness is checked on its TCP port.
      '  udp_preference_limit = 1',
      '[realms]',
      `  ${realm} = {`,
      `    kdc = 127.0.0.1:${port}`,
      '  }',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  writeFileSync(
    kdcConfig,
    [
      '[kdcdefaults]',
      `  kdc_listen = 127.0.0.1:${port}`,
      `  kdc_tcp_listen = 127.0.0.1:${port}`,
      '[realms]',
      `  ${realm} = {`,
      `    database_name = ${dir}/principal`,
      `    key_stash_file = ${dir}/stash`,
      `    acl_file = ${dir}/kadm5.acl`,
      `    kdc_listen = 127.0.0.1:${port}`,
      `    kdc_tcp_listen = 127.0.0.1:${port}`,
      '  }',
      '[logging]',
      `  kdc = FILE:${dir}/kdc.log`,
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', KRB5_CONFIG: krb5Config, KRB5_KDC_PROFILE: kdcConfig };
  const logs = (): string => {
    try {
      return readFileSync(path.join(dir, 'kdc.log'), 'utf8').slice(-4000);
    } catch {
      return '(no kdc.log)';
    }
  };

  const user = options.user ?? 'alice';
  const userPrincipal = `${user}@${realm}`;
  const services = options.services ?? ['HTTP/127.0.0.1'];
  const keytabs = new Map<string, string>();
  const userKeytab = path.join(dir, 'user.keytab');
  try {
    run(kdb5Util, ['create', '-s', '-r', realm, '-P', randomBytes(24).toString('hex')], env);
    const commands = [`addprinc -randkey ${userPrincipal}`, `ktadd -k ${userKeytab} ${userPrincipal}`];
    for (const service of services) {
      const file = path.join(dir, `${service.replace(/[^A-Za-z0-9.-]/g, '_')}.keytab`);
      keytabs.set(service, file);
      commands.push(`addprinc -randkey ${service}@${realm}`, `ktadd -k ${file} ${service}@${realm}`);
    }
    run(kadminLocal, ['-r', realm], env, `${commands.join('\n')}\n`);
    for (const file of keytabs.values()) {
      if (options.keytabOwner) chownSync(file, options.keytabOwner.uid, options.keytabOwner.gid);
      chmodSync(file, 0o600);
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not create the test realm: ${error instanceof Error ? error.message : String(error)}`);
  }

  // -n: in the foreground, so the child's pid is the KDC's.
  const proc = spawnProxy(kdcBinary, ['-n', '-r', realm], dir, env);
  const stop = async (): Promise<void> => {
    await stopProcess(proc);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(proc, port, 20_000, () => `${proc.output()}\n${logs()}`);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    realm,
    port,
    dir,
    krb5Config,
    userPrincipal,
    keytab(service) {
      const file = keytabs.get(service);
      if (file === undefined) throw new Error(`no keytab for ${service}: the realm made ${[...keytabs.keys()].join(', ')}`);
      return file;
    },
    ticketCache() {
      caches += 1;
      const cache = `FILE:${path.join(dir, `ccache-${caches}`)}`;
      run(kinitBinary, ['-k', '-t', userKeytab, '-c', cache, userPrincipal], env);
      return cache;
    },
    emptyCache() {
      caches += 1;
      return `FILE:${path.join(dir, `no-ticket-${caches}`)}`;
    },
    useInThisProcess(ccache) {
      process.env.KRB5_CONFIG = krb5Config;
      process.env.KRB5CCNAME = ccache;
    },
    rotateKey(service) {
      if (!keytabs.has(service)) throw new Error(`no principal ${service} in the test realm`);
      run(kadmin, ['-r', realm, '-q', `cpw -randkey ${service}@${realm}`], env);
    },
    logs,
    stop,
  };
}
