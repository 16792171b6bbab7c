/**
 * The operating system's trust store, as PEM certificates, for the "Mozilla + OS" trust
 * setting. Where it is read from:
 *
 * - `TUNNELSCOPE_OS_CA_BUNDLE` (a PEM file or a directory of PEM files) replaces the lookup on
 *   every platform — for tests and for machines whose store lives elsewhere. A problem with it
 *   is an error (the user named it); a problem with a store found by the lookup is a note.
 * - The runtime's own API where it has one (`tls.getCACertificates('system')`, Node 22.15+,
 *   which Electron 45 brings): Linux, macOS and Windows alike. If it fails or gives nothing,
 *   the store is read as below.
 * - Otherwise Linux (and the BSDs): `SSL_CERT_FILE` or the first distribution bundle that
 *   exists, plus the hashed files of `SSL_CERT_DIR` or `/etc/ssl/certs` (what OpenSSL reads).
 * - macOS: `security find-certificate -a -p` of the system roots, the System keychain and the
 *   login keychain (their trust settings, e.g. "Never Trust", are not read).
 * - Windows without the runtime API: not read (a note says so; add the CA with --ca).
 *
 * The result is cached: on Linux until a bundle or directory read changes (mtime), elsewhere
 * for the process.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { errorMessage } from '../errors/net-failure';

export type Env = Readonly<Record<string, string | undefined>>;

/** The override of the store's location (a PEM file or a directory of PEM files). */
export const OS_CA_BUNDLE_ENV = 'TUNNELSCOPE_OS_CA_BUNDLE';

/** Distribution bundles, in the order Go's crypto/x509 tries them; the first that exists is read. */
const LINUX_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Gentoo, Arch
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL 6
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/pki/tls/cacert.pem', // OpenELEC
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // CentOS, RHEL 7
  '/etc/ssl/cert.pem', // Alpine
] as const;
const LINUX_CERT_DIR = '/etc/ssl/certs';

/** The keychains `security` is asked about, in order. */
export function macKeychains(home: string): string[] {
  return [
    '/System/Library/Keychains/SystemRootCertificates.keychain',
    '/Library/Keychains/System.keychain',
    path.join(home, 'Library/Keychains/login.keychain-db'),
  ];
}

export interface OsStoreProblem {
  /** The file, directory or command concerned. */
  where: string;
  message: string;
  /** The user named this location (the override): the connection must not go on without it. */
  fatal: boolean;
}

export interface OsTrustStore {
  /** One PEM per certificate, checked to parse, without duplicates. */
  certificates: string[];
  /** Where they came from, e.g. "/etc/ssl/certs/ca-certificates.crt", "the runtime (tls.getCACertificates)". */
  readFrom: string[];
  problems: OsStoreProblem[];
}

export interface OsTrustOptions {
  env?: Env;
  platform?: NodeJS.Platform;
  /** Runs `security` with these arguments and answers its stdout (tests pass a recording). */
  runSecurity?: (args: string[]) => Promise<string>;
  /** The runtime's API, when it has one (default: feature-detected on node:tls). */
  runtimeApi?: (() => unknown) | null;
}

/** No store file is this large; refuse rather than read a wrong path into memory. */
const MAX_STORE_BYTES = 32 * 1024 * 1024;
const CERT_BLOCK = /-----BEGIN (?:TRUSTED )?CERTIFICATE-----[\s\S]*?-----END (?:TRUSTED )?CERTIFICATE-----/g;
/** OpenSSL's hashed names: 8 hex digits, a dot, a counter (`.r0` are CRLs, not read). */
const HASHED_NAME = /^[0-9a-f]{8}\.\d+$/;

/** Collects certificates without duplicates, and what went wrong on the way. */
class Collector {
  readonly certificates: string[] = [];
  readonly readFrom: string[] = [];
  readonly problems: OsStoreProblem[] = [];
  private readonly seen = new Set<string>();

  /** Adds the certificates of a PEM text; a damaged block is a problem, the rest are kept. */
  addPem(text: string, where: string, fatal: boolean): number {
    const blocks = text.match(CERT_BLOCK) ?? [];
    let added = 0;
    for (const [index, block] of blocks.entries()) {
      // "TRUSTED CERTIFICATE" (OpenSSL's aux format) is read as the plain certificate it starts with.
      const plain = block.replace(/(BEGIN|END) TRUSTED CERTIFICATE/g, '$1 CERTIFICATE');
      try {
        const fingerprint = new X509Certificate(plain).fingerprint256;
        added += 1;
        if (this.seen.has(fingerprint)) continue;
        this.seen.add(fingerprint);
        this.certificates.push(plain);
      } catch {
        this.problems.push({ where, message: `certificate ${index + 1} in it is damaged (its base64 content does not parse)`, fatal });
      }
    }
    if (blocks.length === 0) {
      this.problems.push({ where, message: 'it holds no PEM certificate ("-----BEGIN CERTIFICATE-----")', fatal });
    }
    return added;
  }

  /** Names a location that gave certificates. */
  read(where: string): void {
    this.readFrom.push(where);
  }

  problem(where: string, message: string, fatal: boolean): void {
    this.problems.push({ where, message, fatal });
  }

  result(): OsTrustStore {
    return { certificates: this.certificates, readFrom: this.readFrom, problems: this.problems };
  }
}

/** Parses what `security find-certificate -a -p` printed (PEM blocks, one per certificate). */
export function parseSecurityOutput(output: string, keychain: string): OsTrustStore {
  const collector = new Collector();
  if (output.trim() !== '' && collector.addPem(output, keychain, false) > 0) collector.read(keychain);
  return collector.result();
}

async function readStoreFile(file: string): Promise<string> {
  const info = await stat(file);
  if (!info.isFile()) throw new Error('it is not a regular file');
  if (info.size > MAX_STORE_BYTES) throw new Error(`it is larger than ${MAX_STORE_BYTES / 1024 / 1024} MiB`);
  return readFile(file, 'latin1');
}

function readProblem(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'it does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'it is not readable by this user (permission denied)';
  return `it could not be read (${errorMessage(error)})`;
}

/** A file or every PEM of a directory; `hashedOnly` keeps OpenSSL's hashed names only. */
async function readLocation(collector: Collector, where: string, fatal: boolean, hashedOnly: boolean): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(where)).isDirectory();
  } catch (error) {
    collector.problem(where, readProblem(error), fatal);
    return;
  }
  if (!isDirectory) {
    try {
      if (collector.addPem(await readStoreFile(where), where, fatal) > 0) collector.read(where);
    } catch (error) {
      collector.problem(where, error instanceof Error && !('code' in error) ? error.message : readProblem(error), fatal);
    }
    return;
  }
  let names: string[];
  try {
    names = (await readdir(where)).sort();
  } catch (error) {
    collector.problem(where, readProblem(error), fatal);
    return;
  }
  const wanted = names.filter((name) => (hashedOnly ? HASHED_NAME.test(name) : /\.(pem|crt|cer)$/i.test(name)));
  let added = 0;
  for (const name of wanted) {
    const file = path.join(where, name);
    try {
      const text = await readStoreFile(file);
      // A file in a directory that is not a certificate is skipped quietly, as OpenSSL does.
      if ((text.match(CERT_BLOCK) ?? []).length > 0) added += collector.addPem(text, file, false);
    } catch (error) {
      collector.problem(file, readProblem(error), false);
    }
  }
  if (added === 0) collector.problem(where, 'no certificate was found in this directory', fatal);
  else collector.read(where);
}

async function readLinux(collector: Collector, env: Env): Promise<void> {
  const file = env.SSL_CERT_FILE;
  if (file !== undefined && file !== '') {
    await readLocation(collector, file, false, false);
  } else {
    const found = await firstExisting(LINUX_BUNDLES);
    if (found) await readLocation(collector, found, false, false);
  }
  const dirs = env.SSL_CERT_DIR !== undefined && env.SSL_CERT_DIR !== '' ? env.SSL_CERT_DIR.split(':') : [LINUX_CERT_DIR];
  for (const dir of dirs.filter((entry) => entry !== '')) {
    const before = collector.problems.length;
    await readLocation(collector, dir, false, true);
    // A missing default directory is normal on some distributions: no note for it.
    if (dir === LINUX_CERT_DIR) {
      const added = collector.problems.slice(before).filter((problem) => !(problem.where === dir && problem.message === 'it does not exist'));
      collector.problems.length = before;
      collector.problems.push(...added);
    }
  }
  if (collector.certificates.length === 0 && collector.problems.length === 0) {
    collector.problem(LINUX_CERT_DIR, `no bundle was found (${LINUX_BUNDLES.join(', ')}) and no hashed certificate in ${LINUX_CERT_DIR}`, false);
  }
}

async function firstExisting(files: readonly string[]): Promise<string | undefined> {
  for (const file of files) {
    try {
      if ((await stat(file)).isFile()) return file;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

function runSecurityCommand(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/security', args, { maxBuffer: MAX_STORE_BYTES, timeout: 20_000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });
}

async function readMac(collector: Collector, env: Env, runSecurity: (args: string[]) => Promise<string>): Promise<void> {
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  for (const keychain of macKeychains(home)) {
    let output: string;
    try {
      output = await runSecurity(['find-certificate', '-a', '-p', keychain]);
    } catch (error) {
      collector.problem(`security find-certificate -a -p ${keychain}`, `it failed (${errorMessage(error)})`, false);
      continue;
    }
    if (output.trim() !== '' && collector.addPem(output, keychain, false) > 0) collector.read(keychain);
  }
}

/** `tls.getCACertificates` when this runtime has it (Node 22.15+), else null. */
function detectRuntimeApi(): (() => unknown) | null {
  const api: unknown = Reflect.get(tls, 'getCACertificates');
  if (typeof api !== 'function') return null;
  return () => Reflect.apply(api, tls, ['system']);
}

/** Whether the runtime's API gave certificates (if not, the store is read as without it). */
function readRuntime(collector: Collector, api: () => unknown): boolean {
  const where = 'the runtime (tls.getCACertificates)';
  let answer: unknown;
  try {
    answer = api();
  } catch (error) {
    collector.problem(where, `it failed (${errorMessage(error)})`, false);
    return false;
  }
  if (!Array.isArray(answer)) {
    collector.problem(where, 'it answered something other than a list of certificates', false);
    return false;
  }
  const pems = answer.filter((entry): entry is string => typeof entry === 'string');
  if (pems.length === 0 || collector.addPem(pems.join('\n'), where, false) === 0) return false;
  collector.read(where);
  return true;
}

/** Reads the store once, without the cache. */
export async function readOsTrustStore(options: OsTrustOptions = {}): Promise<OsTrustStore> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const collector = new Collector();
  const override = env[OS_CA_BUNDLE_ENV];
  if (override !== undefined && override !== '') {
    await readLocation(collector, override, true, false);
    // Name the variable, so the message says where the path came from.
    for (const problem of collector.problems) if (problem.where === override) problem.where = `${OS_CA_BUNDLE_ENV}=${override}`;
    return collector.result();
  }
  const api = options.runtimeApi === undefined ? detectRuntimeApi() : options.runtimeApi;
  if (api && readRuntime(collector, api)) return collector.result();
  if (platform === 'darwin') {
    await readMac(collector, env, options.runSecurity ?? runSecurityCommand);
  } else if (platform === 'win32') {
    collector.problem(
      'the Windows certificate store',
      'this runtime cannot read it (it needs tls.getCACertificates, Node 22.15 or later); add the CA you need as a CA file (--ca)',
      false,
    );
  } else {
    await readLinux(collector, env);
  }
  return collector.result();
}

interface CacheEntry {
  key: string;
  stamp: string;
  store: Promise<OsTrustStore>;
}
let cache: CacheEntry | undefined;

/** What makes a Linux read stale: the mtimes of the locations it would read. */
async function stampOf(env: Env, platform: NodeJS.Platform): Promise<string> {
  if (platform === 'darwin' || platform === 'win32') return '';
  const override = env[OS_CA_BUNDLE_ENV];
  const locations =
    override !== undefined && override !== ''
      ? [override]
      : [env.SSL_CERT_FILE ?? '', ...LINUX_BUNDLES, ...(env.SSL_CERT_DIR ?? LINUX_CERT_DIR).split(':')];
  const parts: string[] = [];
  for (const location of locations.filter((entry) => entry !== '')) {
    try {
      const info = await stat(location);
      parts.push(`${location}:${info.mtimeMs}:${info.size}`);
    } catch {
      parts.push(`${location}:-`);
    }
  }
  return parts.join('|');
}

/** The OS store, read at most once until what it was read from changes. */
export async function loadOsTrustStore(env: Env = process.env): Promise<OsTrustStore> {
  const platform = process.platform;
  const key = [platform, env[OS_CA_BUNDLE_ENV] ?? '', env.SSL_CERT_FILE ?? '', env.SSL_CERT_DIR ?? '', env.HOME ?? ''].join('\n');
  const stamp = await stampOf(env, platform);
  if (cache && cache.key === key && cache.stamp === stamp) return cache.store;
  const store = readOsTrustStore({ env, platform });
  cache = { key, stamp, store };
  return store;
}
