/**
 * Certificate fixtures for TLS tests, made with node-forge: CAs, leaves signed by a CA or
 * self-signed, with chosen names, SANs and validity, all as PEM strings.
 *
 * RSA 2048 key generation costs ~200 ms, so keys come from Node's fast native generator and
 * are cached per label for the whole test process: every CA gets its own key (by name), all
 * server leaves share one, client leaves another. Scenarios are memoized too, so a test file
 * that uses all of them pays for about five keys once.
 *
 *   const s = trustedServer();                   // { ca, cert, key } for 127.0.0.1 + localhost
 *   tls.createServer({ cert: s.cert, key: s.key }); client trusts s.ca
 *   const pems = await writePems({ 'ca.pem': s.ca }); … pems.path('ca.pem') … await pems.cleanup();
 */
import { generateKeyPairSync, randomBytes, createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

/** A certificate and its private key, PEM. */
export interface CertPair {
  cert: string;
  key: string;
}

/** A certificate authority that can sign leaves. `cert` is the PEM a client would trust. */
export interface CertAuthority extends CertPair {
  name: string;
}

/** A server setup: the certificate and key the server presents, and the CA the client is given. */
export interface TlsScenario extends CertPair {
  /** PEM the client should trust. For `selfSigned` and `unknownCa` it did NOT sign `cert`. */
  ca: string;
  /** The CA that really issued `cert` when it is not `ca` (unknownCa), PEM. */
  issuerCa?: string;
  /** The leaf's validity, for assertions on messages. */
  notBefore: Date;
  notAfter: Date;
}

export interface LeafOptions {
  /** Subject CN. */
  cn: string;
  /** subjectAltName DNS entries. */
  dns?: string[];
  /** subjectAltName IP entries (IPv4 or IPv6). */
  ips?: string[];
  /** The issuing CA, or 'self' for a self-signed leaf. Default: the shared test CA. */
  issuer?: CertAuthority | 'self';
  notBefore?: Date;
  notAfter?: Date;
  /** Mark as a client certificate (extKeyUsage clientAuth) instead of a server one. */
  client?: boolean;
  /** Key cache label; leaves with the same label share a key. */
  keyLabel?: string;
  /** Subject O, to exercise "CN=…, O=…" formatting. */
  organization?: string;
}

const DAY = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------

const keyCache = new Map<string, forge.pki.rsa.KeyPair>();

/** An RSA 2048 key pair, generated once per label per process. */
export function pooledKey(label: string): forge.pki.rsa.KeyPair {
  const cached = keyCache.get(label);
  if (cached) return cached;
  // Node's generator is native and ~50x faster than forge's pure-JS one.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const forgePrivate = forge.pki.privateKeyFromPem(privateKey);
  const pair = {
    privateKey: forgePrivate,
    publicKey: forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e),
  };
  keyCache.set(label, pair);
  return pair;
}

/** The key in PEM, encrypted with `passphrase` (PKCS#8, AES-256-CBC) for passphrase tests. */
export function encryptKey(keyPem: string, passphrase: string): string {
  return createPrivateKey(keyPem)
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
    .toString();
}

// ---------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------

function randomSerial(): string {
  // Positive (high bit clear) 16-byte serial, as CAs issue them.
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function subjectAttributes(cn: string, organization?: string): forge.pki.CertificateField[] {
  const attrs: forge.pki.CertificateField[] = [{ name: 'commonName', value: cn }];
  if (organization) attrs.push({ name: 'organizationName', value: organization });
  return attrs;
}

/** A CA certificate (self-signed root) named `name` (its CN), with O=Tunnelscope Tests. */
export function createCa(
  name: string,
  options: { notBefore?: Date; notAfter?: Date } = {},
): CertAuthority {
  const keys = pooledKey(`ca:${name}`);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 2 * DAY);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 3650 * DAY);
  const attrs = subjectAttributes(name, 'Tunnelscope Tests');
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return {
    name,
    cert: forge.pki.certificateToPem(cert),
    key: forge.pki.privateKeyToPem(keys.privateKey),
  };
}

/** A leaf certificate, signed by `issuer` (default: the shared test CA) or self-signed. */
export function createLeaf(options: LeafOptions): CertPair {
  const issuer = options.issuer ?? testCa();
  const selfSigned = issuer === 'self';
  const keys = pooledKey(options.keyLabel ?? (selfSigned ? 'self-signed' : options.client ? 'client' : 'leaf'));
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY);
  cert.setSubject(subjectAttributes(options.cn, options.organization));

  const altNames: { type: number; value?: string; ip?: string }[] = [
    ...(options.dns ?? []).map((value) => ({ type: 2, value })),
    ...(options.ips ?? []).map((ip) => ({ type: 7, ip })),
  ];
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    options.client ? { name: 'extKeyUsage', clientAuth: true } : { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });

  let signingKey: forge.pki.rsa.PrivateKey;
  if (issuer === 'self') {
    cert.setIssuer(cert.subject.attributes);
    signingKey = keys.privateKey;
  } else {
    const caCert = forge.pki.certificateFromPem(issuer.cert);
    cert.setIssuer(caCert.subject.attributes);
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() });
    signingKey = forge.pki.privateKeyFromPem(issuer.key);
  }
  cert.setExtensions(extensions);
  cert.sign(signingKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

// ---------------------------------------------------------------------------------------
// Ready-made scenarios (memoized per process)
// ---------------------------------------------------------------------------------------

function memo<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** The CA the client is given in every scenario. */
export const testCa = memo(() => createCa('Tunnelscope Test CA'));
/** A CA the client is never given. */
export const unknownTestCa = memo(() => createCa('Tunnelscope Unknown CA'));
/** The CA that signs client certificates (give it to the server's `ca` for mTLS). */
export const clientCa = memo(() => createCa('Tunnelscope Client CA'));

const LOCAL_NAMES = { dns: ['localhost'], ips: ['127.0.0.1'] };

function scenario(leaf: Omit<LeafOptions, 'notBefore' | 'notAfter'>, notBefore: Date, notAfter: Date): TlsScenario {
  const pair = createLeaf({ ...leaf, notBefore, notAfter });
  const issuer = leaf.issuer;
  return {
    ...pair,
    ca: testCa().cert,
    ...(issuer && issuer !== 'self' && issuer.cert !== testCa().cert ? { issuerCa: issuer.cert } : {}),
    notBefore,
    notAfter,
  };
}

/** Good: signed by the test CA, for localhost and 127.0.0.1, valid now. */
export const trustedServer = memo(() =>
  scenario({ cn: 'localhost', organization: 'Tunnelscope Tests', ...LOCAL_NAMES }, new Date(Date.now() - DAY), new Date(Date.now() + 365 * DAY)),
);

/** Expired on 2024-01-01 (valid from 2023-01-01), otherwise good. */
export const expiredServer = memo(() =>
  scenario({ cn: 'localhost', ...LOCAL_NAMES }, new Date('2023-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z')),
);

/** Valid from a year from now, otherwise good. */
export const notYetValidServer = memo(() =>
  scenario({ cn: 'localhost', ...LOCAL_NAMES }, new Date(Date.now() + 365 * DAY), new Date(Date.now() + 730 * DAY)),
);

/** Signed by the test CA but only for other.example. */
export const wrongHostServer = memo(() =>
  scenario({ cn: 'other.example', dns: ['other.example'] }, new Date(Date.now() - DAY), new Date(Date.now() + 365 * DAY)),
);

/** Self-signed for localhost and 127.0.0.1 (the client gets the test CA, which did not sign it). */
export const selfSignedServer = memo(() =>
  scenario({ cn: 'localhost', issuer: 'self', ...LOCAL_NAMES }, new Date(Date.now() - DAY), new Date(Date.now() + 365 * DAY)),
);

/** Signed by a CA the client is not given (as a TLS-inspecting proxy's CA would be). */
export const unknownCaServer = memo(() =>
  scenario({ cn: 'localhost', issuer: unknownTestCa(), ...LOCAL_NAMES }, new Date(Date.now() - DAY), new Date(Date.now() + 365 * DAY)),
);

/** Two problems at once: self-signed, and only for other.example. */
export const selfSignedWrongHostServer = memo(() =>
  scenario({ cn: 'other.example', issuer: 'self', dns: ['other.example'] }, new Date(Date.now() - DAY), new Date(Date.now() + 365 * DAY)),
);

/** A client certificate (CN=tunnelscope-client) signed by `clientCa()`; `ca` is that CA's PEM. */
export const clientCertificate = memo(() => {
  const pair = createLeaf({ cn: 'tunnelscope-client', issuer: clientCa(), client: true });
  return { ...pair, ca: clientCa().cert };
});

/** All server scenarios by name, for table tests. */
export const TLS_SCENARIOS = {
  trusted: trustedServer,
  expired: expiredServer,
  notYetValid: notYetValidServer,
  wrongHost: wrongHostServer,
  selfSigned: selfSignedServer,
  unknownCa: unknownCaServer,
  selfSignedWrongHost: selfSignedWrongHostServer,
} as const;

// ---------------------------------------------------------------------------------------
// PEM files on disk (for the file-path options)
// ---------------------------------------------------------------------------------------

export interface PemDir {
  dir: string;
  /** Absolute path of a file written by `writePems`. */
  path(name: string): string;
  cleanup(): Promise<void>;
}

/** Writes `{ 'ca.pem': pem, … }` into a fresh temp dir (mode 0600). Call `cleanup()` after. */
export async function writePems(files: Record<string, string>): Promise<PemDir> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tunnelscope-pem-'));
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), content, { mode: 0o600 });
  }
  return {
    dir,
    path: (name) => path.join(dir, name),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
