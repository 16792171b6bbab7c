/**
 * Checks one file a TLS setting names (an extra CA, the client certificate or key): that it is
 * a readable PEM file of the right kind, and if not, why (missing, a directory, no permission,
 * not PEM). The connection preflight (local-files.ts) reads every file through it; the CLI's
 * usage checks use `checkPemFile`, so both refuse the same files.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import type { TrustSetting } from '../../shared/model';
import { errorMessage, systemErrorCode } from '../errors/net-failure';

/** What startTls takes. */
export interface TlsMaterial {
  ca: Buffer[];
  cert?: Buffer;
  key?: Buffer;
  passphrase?: string;
  insecure: boolean;
  /** Which roots are trusted (unset: DEFAULT_TRUST); `ca` always adds. */
  trust?: TrustSetting;
}

/** `certificate`: CA or client certificate files; `private-key`: a key file. */
export type PemKind = 'certificate' | 'private-key';

export type PemFileCheck =
  | { ok: true; data: Buffer }
  | { ok: false; reason: 'missing' | 'not-a-file' | 'permission' | 'too-large' | 'unreadable' | 'not-pem'; message: string; cause?: string };

/** No certificate or key file is this large; refuse rather than read a wrong path into memory. */
const MAX_PEM_BYTES = 10 * 1024 * 1024;

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /-----BEGIN (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----[\s\S]*?-----END (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----/;

function readProblem(path: string, error: unknown): PemFileCheck {
  const cause = systemErrorCode(error);
  const withCause = cause ? { cause } : {};
  switch (cause) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { ok: false, reason: 'missing', message: `"${path}" does not exist`, ...withCause };
    case 'EISDIR':
      return { ok: false, reason: 'not-a-file', message: `"${path}" is a directory, not a file`, ...withCause };
    case 'EACCES':
    case 'EPERM':
      return { ok: false, reason: 'permission', message: `"${path}" is not readable by this user (permission denied)`, ...withCause };
    default:
      return { ok: false, reason: 'unreadable', message: `"${path}" could not be read (${errorMessage(error)})`, ...withCause };
  }
}

/** Whether `data` holds what a file of this kind must hold; the reason when it does not. */
function inspectPem(data: Buffer, kind: PemKind): string | undefined {
  const text = data.toString('latin1');
  if (!text.includes('-----BEGIN ')) {
    // DER certificates start with an ASN.1 SEQUENCE (0x30); say how to convert them.
    return data[0] === 0x30
      ? 'it is not PEM (it looks like binary DER; convert it with `openssl x509 -inform der -in FILE -out FILE.pem`)'
      : 'it is not PEM (no "-----BEGIN" line)';
  }
  if (kind === 'private-key') {
    return KEY_BLOCK.test(text) ? undefined : 'it is PEM but holds no private key ("-----BEGIN PRIVATE KEY-----")';
  }
  const blocks = text.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) return 'it is PEM but holds no certificate ("-----BEGIN CERTIFICATE-----")';
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return `certificate ${index + 1} in it is damaged (its base64 content does not parse)`;
    }
  }
  return undefined;
}

/** Refuses what is not a regular file (a directory, a FIFO, /dev/zero) before reading it. */
function checkStats(path: string, stats: Stats): PemFileCheck | undefined {
  if (stats.isDirectory()) return { ok: false, reason: 'not-a-file', message: `"${path}" is a directory, not a file` };
  if (!stats.isFile()) return { ok: false, reason: 'not-a-file', message: `"${path}" is not a regular file` };
  if (stats.size > MAX_PEM_BYTES) {
    return { ok: false, reason: 'too-large', message: `"${path}" is larger than ${MAX_PEM_BYTES / 1024 / 1024} MiB, too large for a PEM file` };
  }
  return undefined;
}

function checkData(path: string, data: Buffer, kind: PemKind): PemFileCheck {
  const problem = inspectPem(data, kind);
  return problem === undefined ? { ok: true, data } : { ok: false, reason: 'not-pem', message: `"${path}": ${problem}` };
}

/** Reads and checks a PEM file without throwing (synchronous: for usage checks). */
export function checkPemFile(path: string, kind: PemKind = 'certificate'): PemFileCheck {
  let data: Buffer;
  try {
    const refused = checkStats(path, statSync(path));
    if (refused) return refused;
    data = readFileSync(path);
  } catch (error) {
    return readProblem(path, error);
  }
  return checkData(path, data, kind);
}

/** The same check, asynchronous: what the connection preflight (local-files.ts) reads. */
export async function checkPemFileAsync(path: string, kind: PemKind): Promise<PemFileCheck> {
  let data: Buffer;
  try {
    const refused = checkStats(path, await stat(path));
    if (refused) return refused;
    data = await readFile(path);
  } catch (error) {
    return readProblem(path, error);
  }
  return checkData(path, data, kind);
}
