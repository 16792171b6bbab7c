/**
 * The preflight of a connection's local files: every file the settings name (extra CA files,
 * the client certificate and key, the https:// proxy's CA files) is read once and checked
 * before any leg touches the network, so a typo costs no proxy round trip and every bad file
 * is named at once. What is read is what the TLS legs then use.
 */
import type { ErrorStage } from '../../shared/errors';
import { setting, text, type HintPart, type HintSetting } from '../../shared/hint-parts';
import type { ConnectionOptions } from '../../shared/model';
import { NetFailure } from '../errors/net-failure';
import { clientCertError } from './classify-tls-error';
import { findClientCertProblem } from './client-cert';
import { checkPemFileAsync, type PemKind, type TlsMaterial } from './tls-material';

/** What a connection reads from disk, loaded. */
export interface LocalFiles {
  /** The server's TLS material; undefined for a ws:// target (nothing is read for it). */
  tls: TlsMaterial | undefined;
  /** The https:// proxy's extra CAs (empty when none are set or no https:// proxy can be used). */
  proxyCa: Buffer[];
}

type Role = 'CA file' | 'client certificate file' | 'client key file' | 'proxy CA file';

const ROLES: Record<Role, { stage: ErrorStage; setting: HintSetting; plural: string }> = {
  'CA file': { stage: 'tls', setting: 'tls.caFiles', plural: 'extra CA files' },
  'client certificate file': { stage: 'tls', setting: 'tls.clientCert', plural: 'client certificate and key' },
  'client key file': { stage: 'tls', setting: 'tls.clientCert', plural: 'client certificate and key' },
  'proxy CA file': { stage: 'proxy-tls', setting: 'proxyCaFiles', plural: 'proxy CA files' },
};

interface Wanted {
  path: string;
  kind: PemKind;
  role: Role;
}

/** One bad file: its path and what is wrong, worded to follow "the CA file". */
export interface LocalFileProblem {
  path: string;
  role: Role;
  /** `"/a.pem" does not exist`, `"/a.pem": it is not PEM …`. */
  problem: string;
  notPem: boolean;
  cause?: string;
}

/** The connection's target: whether it is secure, and its authority for a client certificate error. */
export interface LocalFilesTarget {
  host: string;
  port: number;
  secure: boolean;
}

/** The connection options the preflight reads. */
export type LocalFileOptions = Pick<ConnectionOptions, 'tls' | 'proxyCaFiles' | 'proxy'>;

/** Whether the proxy setting can lead to an https:// proxy (a manual http:// proxy or no proxy cannot). */
function mayUseHttpsProxy(proxy: LocalFileOptions['proxy']): boolean {
  if (proxy.mode === 'none') return false;
  if (proxy.mode === 'manual') return !/^http:\/\//i.test(proxy.url.trim());
  return true;
}

/** The one failure for every bad file: the first one's stage and path in the details. */
export function localFilesFailure(problems: readonly [LocalFileProblem, ...LocalFileProblem[]]): NetFailure {
  const [first] = problems;
  const message =
    problems.length === 1
      ? `The ${first.role} could not be used: ${first.problem}.`
      : `${problems.length} local files could not be used: ${problems.map((p) => `the ${p.role} ${p.problem}`).join('; ')}.`;
  const hint: HintPart[] = [text('Fix or remove ')];
  const settings = [...new Set(problems.map((p) => ROLES[p.role].setting))];
  settings.forEach((name, index) => {
    const role = problems.find((p) => ROLES[p.role].setting === name)?.role ?? first.role;
    if (index > 0) hint.push(text(index === settings.length - 1 ? ' and ' : ', '));
    hint.push(text(`the ${ROLES[role].plural}`), setting(name));
  });
  hint.push(text('. Check each path and that the file is readable by this user'));
  if (problems.some((p) => p.notPem)) {
    const key = problems.some((p) => p.notPem && p.role === 'client key file');
    hint.push(text(`; give PEM files (text starting with "-----BEGIN CERTIFICATE-----"${key ? ', or "-----BEGIN PRIVATE KEY-----" for a key' : ''})`));
  }
  hint.push(text('.'));
  return NetFailure.of(ROLES[first.role].stage, 'LOCAL_FILE_UNREADABLE', { file: first.path, ...(first.cause ? { cause: first.cause } : {}) }, { message, hint });
}

/**
 * Reads every file the connection to `target` needs, each once; rejects with one
 * LOCAL_FILE_UNREADABLE naming every bad file, or TLS_CLIENT_CERT_INVALID when the files read
 * but the key does not fit the certificate (or its passphrase is wrong). With no file to read
 * the answer is not a promise.
 */
export function loadLocalFiles(options: LocalFileOptions, target: LocalFilesTarget): LocalFiles | Promise<LocalFiles> {
  const wanted = wantedFiles(options, target.secure);
  // No file to read: the answer comes at once, so the caller goes on in the same turn.
  return wanted.length === 0 ? materialOf(options, target.secure, new Map()) : readLocalFiles(options, target, wanted);
}

function wantedFiles(options: LocalFileOptions, secure: boolean): Wanted[] {
  const { tls } = options;
  const wanted: Wanted[] = [];
  if (secure) {
    for (const path of tls.caFiles) wanted.push({ path, kind: 'certificate', role: 'CA file' });
    if (tls.certFile) wanted.push({ path: tls.certFile, kind: 'certificate', role: 'client certificate file' });
    if (tls.keyFile) wanted.push({ path: tls.keyFile, kind: 'private-key', role: 'client key file' });
  }
  if (mayUseHttpsProxy(options.proxy)) {
    for (const path of options.proxyCaFiles) wanted.push({ path, kind: 'certificate', role: 'proxy CA file' });
  }
  return wanted;
}

async function readLocalFiles(options: LocalFileOptions, target: LocalFilesTarget, wanted: readonly Wanted[]): Promise<LocalFiles> {
  const { tls } = options;
  const checks = await Promise.all(wanted.map((file) => checkPemFileAsync(file.path, file.kind)));
  const problems: LocalFileProblem[] = [];
  const read = new Map<Role, Buffer[]>();
  checks.forEach((check, index) => {
    const file = wanted[index];
    if (!file) return;
    if (check.ok) read.set(file.role, [...(read.get(file.role) ?? []), check.data]);
    else problems.push({ path: file.path, role: file.role, problem: check.message, notPem: check.reason === 'not-pem', ...(check.cause ? { cause: check.cause } : {}) });
  });
  const cert = read.get('client certificate file')?.[0];
  const key = read.get('client key file')?.[0];
  // The pair is judged only when both files were read (a bad one is already listed).
  const pairProblem = cert && key ? findClientCertProblem(cert, key, tls.passphrase) : undefined;
  const [firstProblem, ...moreProblems] = problems;
  if (firstProblem) {
    if (pairProblem && tls.keyFile) {
      moreProblems.push({ path: tls.keyFile, role: 'client key file', problem: `"${tls.keyFile}": ${pairProblem.problem}`, notPem: false });
    }
    throw localFilesFailure([firstProblem, ...moreProblems]);
  }
  if (pairProblem) {
    // What the TLS leg would say, said before the network (URL hosts keep IPv6 brackets).
    const host = target.host.replace(/^\[(.*)\]$/, '$1');
    throw new NetFailure(clientCertError('tls', host, target.port, pairProblem.problem, pairProblem.cause));
  }
  return materialOf(options, target.secure, read);
}

/** What the TLS legs use, from the files read (by role, in the settings' order). */
function materialOf(options: LocalFileOptions, secure: boolean, read: ReadonlyMap<Role, Buffer[]>): LocalFiles {
  const { tls } = options;
  const cert = read.get('client certificate file')?.[0];
  const key = read.get('client key file')?.[0];
  return {
    tls: secure
      ? {
          ca: read.get('CA file') ?? [],
          insecure: tls.insecure,
          ...(tls.trust ? { trust: tls.trust } : {}),
          ...(cert ? { cert } : {}),
          ...(key ? { key } : {}),
          ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
        }
      : undefined,
    proxyCa: read.get('proxy CA file') ?? [],
  };
}
