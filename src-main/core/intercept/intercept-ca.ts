/**
 * The intercepting proxy's certificate authority: made on first use and kept in the data
 * folder as one file, `intercept-ca.json` (mode 0600), holding the certificate in PEM and the
 * private key encrypted by the same SecretCipher as profile secrets (OS keyring, safeStorage or
 * the key file). The certificate is made with node-forge (Node can read X.509 but not issue
 * it); the RSA key with Node's native generator.
 *
 * A file that cannot be read back (damaged, or its key encrypted by a keyring that is gone) is
 * an error naming the file, never silently replaced: clients that trust the old CA would start
 * rejecting every intercepted host without a word.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { checkDataDir } from '../profiles/data-dir';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, errnoCode } from '../secrets/private-file';
import { SecretError, secretEnvelopeSchema, type SecretCipher } from '../secrets/secret-store';
import { certificateDraft, certificatePem, newRsaKeyPem } from '../tls/certificate-draft';
import { PLAIN_ISSUE_WORDS } from '../../shared/zod-words';

export const CA_FILE_NAME = 'intercept-ca.json';
const DAY_MS = 24 * 60 * 60 * 1000;
/** A root users install once: ten years, as other intercepting proxies do. */
const CA_VALID_DAYS = 3650;

const caFileSchema = z.object({
  version: z.literal(1),
  certPem: z.string().min(1).max(64 * 1024),
  key: secretEnvelopeSchema,
});

export interface InterceptCa {
  certPem: string;
  /** The key in PKCS#8 PEM, decrypted in memory only. */
  keyPem: string;
  /** SHA-256 of the DER certificate (`AB:CD:…`), as browsers show it. */
  fingerprint256: string;
  subject: string;
  validTo: string;
  file: string;
  /** Set when this call made the CA (it did not exist yet). */
  created: boolean;
}

/** The CA cannot be used; the message names the file and what to do. */
export class InterceptCaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterceptCaError';
  }
}

export interface InterceptCaOptions {
  dataDir: string;
  cipher: SecretCipher;
  /** The time the CA's validity starts from (tests: a fixed date). */
  now?: () => Date;
}

/** Reads the stored CA, or makes and stores one when there is none. */
export async function loadOrCreateInterceptCa(options: InterceptCaOptions): Promise<InterceptCa> {
  const file = path.join(options.dataDir, CA_FILE_NAME);
  const stored = await readText(file);
  if (stored !== undefined) return { ...readCaFile(file, stored, options.cipher), created: false };
  checkDataDir(options.dataDir);
  await fs.mkdir(options.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const made = await makeCa((options.now ?? (() => new Date()))());
  const text = JSON.stringify({ version: 1, certPem: made.certPem, key: options.cipher.encrypt(made.keyPem) }, null, 2);
  // Two processes starting at once: the first complete file wins, the other reads it back.
  await writeFileAtomic(file, `${text}\n`, { mode: PRIVATE_FILE_MODE });
  const written = await readText(file);
  if (written === undefined) throw new InterceptCaError(`${file} vanished right after it was written`);
  return { ...readCaFile(file, written, options.cipher), created: true };
}

/** The stored CA certificate without decrypting its key (for `intercept ca-cert`), or undefined when there is none yet. */
export async function readInterceptCaCertificate(dataDir: string): Promise<string | undefined> {
  const file = path.join(dataDir, CA_FILE_NAME);
  const text = await readText(file);
  if (text === undefined) return undefined;
  return parseCaFile(file, text).certPem;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    const text = await fs.readFile(file, 'utf8');
    // An earlier copy or restore may have left it readable by others.
    if (process.platform !== 'win32') await fs.chmod(file, PRIVATE_FILE_MODE);
    return text;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw new InterceptCaError(`the intercept CA ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseCaFile(file: string, text: string): z.infer<typeof caFileSchema> {
  const damaged = `the intercept CA ${file} is damaged`;
  const remedy = 'move it aside to make a new CA (clients must then trust the new one)';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InterceptCaError(`${damaged} (not JSON); ${remedy}`);
  }
  const parsed = caFileSchema.safeParse(json, PLAIN_ISSUE_WORDS);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InterceptCaError(`${damaged} (${issue ? `${issue.path.join('.') || 'the file'}: ${issue.message}` : 'unexpected shape'}); ${remedy}`);
  }
  return parsed.data;
}

function readCaFile(file: string, text: string, cipher: SecretCipher): Omit<InterceptCa, 'created'> {
  const parsed = parseCaFile(file, text);
  let keyPem: string;
  try {
    keyPem = cipher.decrypt(parsed.key);
  } catch (error) {
    const why = error instanceof SecretError ? error.message : String(error);
    throw new InterceptCaError(`the intercept CA's key in ${file} cannot be decrypted (${why}); move the file aside to make a new CA`);
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(parsed.certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new Error('the key does not belong to the certificate');
  } catch (error) {
    throw new InterceptCaError(`the intercept CA ${file} cannot be used (${error instanceof Error ? error.message : String(error)}); move it aside to make a new CA`);
  }
  return { certPem: parsed.certPem, keyPem, fingerprint256: cert.fingerprint256, subject: cert.subject.replace(/\n/g, ', '), validTo: cert.validTo, file };
}

async function makeCa(now: Date): Promise<{ certPem: string; keyPem: string }> {
  const privateKey = await newRsaKeyPem();
  const { key, cert } = certificateDraft(privateKey, now, new Date(now.getTime() + CA_VALID_DAYS * DAY_MS));
  // Each install's CA has its own name, so a user who trusts two of them can tell them apart.
  const subject = [
    { name: 'commonName', value: `Tunnelscope Intercept CA (${os.hostname().slice(0, 24)} ${now.toISOString().slice(0, 10)})` },
    { name: 'organizationName', value: 'Tunnelscope (local intercepting proxy)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    // pathLen 0: it signs leaf certificates only, never another CA.
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { certPem: certificatePem(cert), keyPem: privateKey };
}

