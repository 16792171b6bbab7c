/**
 * A real Squid for tests: `squid -N -f <conf>` with its config, pid file, logs and password
 * file in a fresh temp dir, listening on 127.0.0.1:<free port>. Variants:
 *  - `connectPorts: 'any'`: CONNECT allowed to every port (the echo servers are on high ports);
 *  - `connectPorts: 'stock'`: the stock rule `http_access deny CONNECT !SSL_ports` with
 *    SSL_ports = 443, so CONNECT to any other port is refused with a 403;
 *  - `auth`: Basic auth through basic_ncsa_auth and an apr1 password file; with `schemes`
 *    Digest (digest_file_auth, a `user:realm:HA1` file) and Negotiate (negotiate_kerberos_auth
 *    with `kerberos`: a keytab, its principal and KRB5_CONFIG) and NTLM (ntlm_fake_auth: the real
 *    three-message exchange, any password accepted) too or instead, offered in that order.
 * Running as root, Squid drops to the user `proxy`, so the temp dir is handed to that user
 * and the password file is world-readable (it holds only a hash).
 *
 * Always `await squid.stop()` in afterAll: it kills by pid and waits for the exit.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { findBinary, freePort, spawnProxy, stopProcess, waitForPort } from './proxy-process';

export const squidBinary = findBinary('squid', ['/usr/sbin/squid']);
export const ncsaAuthHelper = findBinary('basic_ncsa_auth', ['/usr/lib/squid/basic_ncsa_auth', '/usr/lib64/squid/basic_ncsa_auth']);
export const digestAuthHelper = findBinary('digest_file_auth', ['/usr/lib/squid/digest_file_auth', '/usr/lib64/squid/digest_file_auth']);
export const negotiateKerberosHelper = findBinary('negotiate_kerberos_auth', ['/usr/lib/squid/negotiate_kerberos_auth', '/usr/lib64/squid/negotiate_kerberos_auth']);
export const ntlmFakeAuthHelper = findBinary('ntlm_fake_auth', ['/usr/lib/squid/ntlm_fake_auth', '/usr/lib64/squid/ntlm_fake_auth']);
const opensslBinary = findBinary('openssl', ['/usr/bin/openssl']);

/** Why the Squid tests cannot run here, or undefined when they can. */
export const squidMissing: string | undefined = !squidBinary
  ? 'squid not installed'
  : !ncsaAuthHelper
    ? 'basic_ncsa_auth (squid) not installed'
    : !opensslBinary
      ? 'openssl not installed (needed for the password file)'
      : undefined;

/** Why the Digest Squid tests cannot run here, or undefined when they can. */
export const squidDigestMissing: string | undefined = squidMissing ?? (!digestAuthHelper ? 'digest_file_auth (squid) not installed' : undefined);

/** Why the NTLM Squid tests cannot run here, or undefined when they can. */
export const squidNtlmMissing: string | undefined = squidMissing ?? (!ntlmFakeAuthHelper ? 'ntlm_fake_auth (squid) not installed' : undefined);

/** Why the Negotiate (Kerberos) Squid tests cannot run here, or undefined when they can. */
export const squidNegotiateMissing: string | undefined = squidMissing ?? (!negotiateKerberosHelper ? 'negotiate_kerberos_auth (squid) not installed' : undefined);

export const SQUID_REALM = 'Tunnelscope Squid';

export type SquidAuthScheme = 'basic' | 'digest' | 'negotiate' | 'ntlm';

/** Negotiate through negotiate_kerberos_auth: the proxy's keytab and principal, and the realm's krb5.conf. */
export interface SquidKerberos {
  keytab: string;
  /** `HTTP/127.0.0.1@TUNNELSCOPE.TEST`. */
  principal: string;
  /** Passed to Squid (and so to its helper) as KRB5_CONFIG. */
  krb5Config: string;
}

export interface SquidOptions {
  connectPorts: 'any' | 'stock';
  /** `schemes`: which Squid offers, in that order (default Basic only). */
  auth?: { username: string; password: string; schemes?: SquidAuthScheme[] };
  /** Needed when `auth.schemes` has `negotiate`. */
  kerberos?: SquidKerberos;
}

export interface RunningSquid {
  port: number;
  /** `http://127.0.0.1:PORT` (no credentials). */
  url: string;
  dir: string;
  /** cache.log and access.log, for failure messages. */
  logs(): string;
  /**
   * The logs once the access log has a line matching `pattern` (Squid writes a tunnel's line when
   * the tunnel ends, a moment after the client closed), or as they are after `budgetMs`.
   */
  logsOnceLogged(pattern: RegExp, budgetMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** The uid/gid of `proxy` when we are root (Squid switches to it), else undefined. */
export function squidUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('proxy:'));
    const fields = line?.split(':');
    const uid = Number(fields?.[2]);
    const gid = Number(fields?.[3]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

function squidConf(dir: string, port: number, options: SquidOptions): string {
  const lines = [
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${dir}/squid.pid`,
    `cache_log ${dir}/cache.log`,
    `access_log stdio:${dir}/access.log`,
    `coredump_dir ${dir}`,
    'cache deny all',
    'cache_mem 8 MB',
    'pinger_enable off',
    // Stop at once on SIGTERM instead of waiting 30 s for clients.
    'shutdown_lifetime 0 seconds',
    'visible_hostname tunnelscope-test-squid',
    'acl CONNECT method CONNECT',
    options.connectPorts === 'stock' ? 'acl SSL_ports port 443' : 'acl SSL_ports port 1-65535',
  ];
  if (options.auth) {
    for (const scheme of options.auth.schemes ?? ['basic']) {
      if (scheme === 'basic') {
        lines.push(
          `auth_param basic program ${ncsaAuthHelper ?? 'basic_ncsa_auth'} ${dir}/passwd`,
          'auth_param basic children 2',
          `auth_param basic realm ${SQUID_REALM}`,
        );
      } else if (scheme === 'ntlm') {
        // The NTLM exchange is bound to the client connection; Squid keeps it (keep_alive).
        lines.push(`auth_param ntlm program ${ntlmFakeAuthHelper ?? 'ntlm_fake_auth'}`, 'auth_param ntlm children 2', 'auth_param ntlm keep_alive on');
      } else if (scheme === 'negotiate') {
        if (!options.kerberos) throw new Error('a Negotiate Squid needs options.kerberos (keytab, principal, krb5.conf)');
        // -s: the one principal accepted; -c: the replay cache in our dir (the helper runs as proxy).
        lines.push(
          `auth_param negotiate program ${negotiateKerberosHelper ?? 'negotiate_kerberos_auth'} -k ${options.kerberos.keytab} -s ${options.kerberos.principal} -c ${dir}`,
          'auth_param negotiate children 2',
          'auth_param negotiate keep_alive on',
        );
      } else {
        // -c: the file holds user:realm:HA1, not the password.
        lines.push(
          `auth_param digest program ${digestAuthHelper ?? 'digest_file_auth'} -c ${dir}/digest_passwd`,
          'auth_param digest children 2',
          `auth_param digest realm ${SQUID_REALM}`,
        );
      }
    }
    lines.push('acl authenticated proxy_auth REQUIRED');
  }
  lines.push('http_access deny CONNECT !SSL_ports');
  if (options.auth) lines.push('http_access deny !authenticated');
  lines.push('http_access allow localhost', 'http_access deny all', '');
  return lines.join('\n');
}

let instanceCount = 0;

export async function startSquid(options: SquidOptions): Promise<RunningSquid> {
  if (!squidBinary) throw new Error('squid is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'tunnelscope-squid-'));
  chmodSync(dir, 0o755);
  const user = squidUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const port = await freePort();
  writeFileSync(path.join(dir, 'squid.conf'), squidConf(dir, port, options), { mode: 0o644 });
  if (options.auth) {
    const hash = execFileSync(opensslBinary ?? 'openssl', ['passwd', '-apr1', options.auth.password], { encoding: 'utf8' }).trim();
    writeFileSync(path.join(dir, 'passwd'), `${options.auth.username}:${hash}\n`, { mode: 0o644 });
    // digest_file_auth's hashed format (RFC 7616 HA1 for MD5, the algorithm Squid uses).
    const ha1 = createHash('md5').update(`${options.auth.username}:${SQUID_REALM}:${options.auth.password}`).digest('hex');
    writeFileSync(path.join(dir, 'digest_passwd'), `${options.auth.username}:${SQUID_REALM}:${ha1}\n`, { mode: 0o644 });
  }

  const logs = (): string => {
    const read = (name: string): string => {
      try {
        return readFileSync(path.join(dir, name), 'utf8');
      } catch {
        return '';
      }
    };
    return `--- cache.log\n${read('cache.log').slice(-4000)}\n--- access.log\n${read('access.log').slice(-2000)}`;
  };

  // Squid names its shared-memory segments after the service name (`/squid-cf__metadata.shm`
  // by default), so instances started together, or next to a distro Squid, collide on them
  // ("shm_open … File exists"). A service name of its own keeps each instance apart.
  const serviceName = `tunnelscope${process.pid}n${++instanceCount}`;
  const env = options.kerberos ? { ...process.env, KRB5_CONFIG: options.kerberos.krb5Config } : undefined;
  const proc = spawnProxy(squidBinary, ['-N', '-n', serviceName, '-f', path.join(dir, 'squid.conf')], dir, env);
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
  const logsOnceLogged = async (pattern: RegExp, budgetMs = 30_000): Promise<string> => {
    for (const end = Date.now() + budgetMs; !pattern.test(logs()) && Date.now() < end; ) await new Promise((resolve) => setTimeout(resolve, 50));
    return logs();
  };
  return { port, url: `http://127.0.0.1:${port}`, dir, logs, logsOnceLogged, stop };
}
