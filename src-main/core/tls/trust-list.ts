/**
 * The roots a TLS connection trusts, per the trust setting, each remembered with the store it
 * came from — so that after the handshake the chain's anchor can be named ("trusted through
 * the OS store") and a root Mozilla does not hold can be called out as interception.
 *
 * The list is always handed to TLS explicitly (`ca`), so what Node would trust by itself
 * (NODE_EXTRA_CA_CERTS, --use-openssl-ca) plays no part.
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { CertSummary, TlsInterception, TlsTrust, TrustSetting, TrustSource } from '../../shared/model';
import { trustSourceText } from '../../shared/trust-text';
import { formatDistinguishedName } from './cert-summary';
import { inspectionProductOf } from './inspection-products';
import type { OsTrustStore } from './os-trust-store';

/** The certificates of one store, indexed for the anchor search. */
export interface TrustPart {
  source: TrustSource;
  pems: string[];
  byFingerprint: Map<string, X509Certificate>;
  bySubject: Map<string, X509Certificate[]>;
}

export interface TrustList {
  setting: TrustSetting;
  /** In the order a store is named when a root is in more than one. */
  parts: TrustPart[];
  /** Every PEM, for `tls.createSecureContext({ ca })`. */
  ca: string[];
  /** What of the OS store could not be read. */
  notes: string[];
  /** Whether any CA file (or proxy CA file) was given. */
  caFilesGiven: boolean;
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const MAX_CHAIN = 16;

function indexPart(source: TrustSource, pems: readonly string[]): TrustPart {
  const part: TrustPart = { source, pems: [], byFingerprint: new Map(), bySubject: new Map() };
  for (const pem of pems) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      continue; // checked when the file was loaded; a damaged block cannot anchor anything
    }
    part.pems.push(pem);
    part.byFingerprint.set(cert.fingerprint256, cert);
    const same = part.bySubject.get(cert.subject);
    if (same) same.push(cert);
    else part.bySubject.set(cert.subject, [cert]);
  }
  return part;
}

let mozilla: TrustPart | undefined;
/** Node's bundled Mozilla roots, indexed once. */
export function mozillaPart(): TrustPart {
  mozilla ??= indexPart('mozilla', tls.rootCertificates);
  return mozilla;
}

const osParts = new WeakMap<OsTrustStore, TrustPart>();
function osPart(store: OsTrustStore): TrustPart {
  let part = osParts.get(store);
  if (!part) {
    part = indexPart('os', store.certificates);
    osParts.set(store, part);
  }
  return part;
}

/** Every certificate block of the given PEM files. */
function splitPems(files: readonly Buffer[]): string[] {
  return files.flatMap((file) => file.toString('latin1').match(CERT_BLOCK) ?? []);
}

export interface TrustInputs {
  setting: TrustSetting;
  /** The CA files given (already checked to be PEM). */
  caFiles: readonly Buffer[];
  /** Whether they are the user's CA files or an https:// proxy's CA files. */
  caSource: 'ca-file' | 'proxy-ca';
  /** The OS store, needed for `mozilla+os`. */
  os?: OsTrustStore;
}

export function buildTrustList(inputs: TrustInputs): TrustList {
  const parts: TrustPart[] = [];
  if (inputs.setting !== 'ca-files') parts.push(mozillaPart());
  const own = splitPems(inputs.caFiles);
  if (own.length > 0) parts.push(indexPart(inputs.caSource, own));
  const notes: string[] = [];
  if (inputs.setting === 'mozilla+os' && inputs.os) {
    parts.push(osPart(inputs.os));
    for (const problem of inputs.os.problems) notes.push(`${problem.where}: ${problem.message}`);
  }
  return { setting: inputs.setting, parts, ca: parts.flatMap((part) => part.pems), notes, caFilesGiven: own.length > 0 };
}

/** The certificates of Node's detailed peer certificate, leaf first (as summarizeChain walks it). */
export function chainCertificates(leaf: unknown): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<unknown>();
  let current: unknown = leaf;
  while (typeof current === 'object' && current !== null && !seen.has(current) && chain.length < MAX_CHAIN) {
    seen.add(current);
    const raw: unknown = Reflect.get(current, 'raw');
    if (!Buffer.isBuffer(raw)) break;
    try {
      const cert = new X509Certificate(raw);
      if (chain.some((known) => known.fingerprint256 === cert.fingerprint256)) break;
      chain.push(cert);
    } catch {
      break;
    }
    current = Reflect.get(current, 'issuerCertificate');
  }
  return chain;
}

export interface Anchor {
  source: TrustSource;
  cert: X509Certificate;
}

function issuedBy(cert: X509Certificate, candidate: X509Certificate): boolean {
  try {
    return cert.checkIssued(candidate) && cert.verify(candidate.publicKey);
  } catch {
    return false;
  }
}

/**
 * The trusted certificate the chain ends in: walking up from the leaf, the first certificate
 * that is itself in a store, or whose issuer is (OpenSSL prefers trusted certificates the same way).
 */
export function findAnchor(chain: readonly X509Certificate[], list: TrustList): Anchor | null {
  for (const cert of chain) {
    for (const part of list.parts) {
      const hit = part.byFingerprint.get(cert.fingerprint256);
      if (hit) return { source: part.source, cert: hit };
    }
    for (const part of list.parts) {
      const issuer = part.bySubject.get(cert.issuer)?.find((candidate) => issuedBy(cert, candidate));
      if (issuer) return { source: part.source, cert: issuer };
    }
  }
  return null;
}

/** X509Certificate's "C=US\nO=x\nCN=y" in the transcript's "CN=y, O=x, C=US" form. */
export function displayName(multiline: string): string {
  const fields: Record<string, string[]> = {};
  for (const line of multiline.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at);
    (fields[key] ??= []).push(line.slice(at + 1));
  }
  return formatDistinguishedName(fields);
}

/** The first issuer in the chain that names an inspection product, with the product. */
function productInChain(chain: readonly CertSummary[]): { product: string; issuer: string } | undefined {
  for (const cert of chain) {
    for (const name of [cert.issuer, cert.subject]) {
      const product = inspectionProductOf(name);
      if (product) return { product, issuer: cert.issuer !== '' ? cert.issuer : name };
    }
  }
  return undefined;
}

export interface TrustJudgement {
  trust: TlsTrust;
  interception?: TlsInterception;
}

/**
 * After the handshake: which store the chain was trusted through, and whether it shows
 * interception — a root Mozilla does not hold, or an issuer naming an inspection product.
 * `checkInterception` is false for an https:// proxy's own certificate (its private CA is no
 * interception of anything).
 */
export function judgeTrust(
  list: TrustList,
  chain: readonly X509Certificate[],
  summaries: readonly CertSummary[],
  verified: boolean,
  checkInterception: boolean,
): TrustJudgement {
  const anchor = verified ? findAnchor(chain, list) : null;
  const trust: TlsTrust = {
    setting: list.setting,
    trustedThrough: anchor?.source ?? null,
    anchor: anchor ? displayName(anchor.cert.subject) : null,
    ...(list.notes.length > 0 ? { notes: list.notes } : {}),
  };
  if (!checkInterception) return { trust };
  const named = productInChain(summaries);
  const leafIssuer = summaries[0]?.issuer ?? '';
  // A server certificate trusted as itself (a pinned self-signed one) was re-signed by nobody.
  const anchoredInLeaf = anchor !== null && chain[0]?.fingerprint256 === anchor.cert.fingerprint256;
  const privateRoot = anchor !== null && !anchoredInLeaf && !mozillaPart().byFingerprint.has(anchor.cert.fingerprint256);
  if (!named && !privateRoot) return { trust };
  const issuer = named?.issuer ?? (leafIssuer !== '' ? leafIssuer : trust.anchor ?? '');
  const reasons: string[] = [];
  if (named) reasons.push(`the issuer names ${named.product}`);
  if (anchor && privateRoot) reasons.push(`its root (${trust.anchor ?? 'unnamed'}) is not one of Mozilla's and was trusted through ${trustSourceText(anchor.source)}`);
  else if (anchor) reasons.push(`it was trusted through ${trustSourceText(anchor.source)}`);
  else reasons.push('it was not trusted');
  return {
    trust,
    interception: {
      ...(named ? { product: named.product } : {}),
      issuer,
      trustedThrough: anchor?.source ?? null,
      reason: capitalize(reasons.join('; ')) + '.',
    },
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
