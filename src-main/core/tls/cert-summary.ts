/**
 * Turns the peer certificate chain Node gives (`getPeerCertificate(true)`) into CertSummary
 * values, leaf first. The detailed object links each certificate to its issuer and points a
 * self-issued root at itself, so the walk stops at a repeat; the objects are read field by
 * field without trusting their shape (they describe what the peer sent).
 */
import type { CertSummary } from '../../shared/model';

/** Longer chains than this are not real; stop rather than follow a broken structure. */
const MAX_CHAIN = 16;

/** Attribute order for display: the most telling first, the rest as the certificate has them. */
const PREFERRED_ORDER = ['CN', 'O', 'OU', 'L', 'ST', 'C'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** `{ CN: 'x', O: ['a', 'b'] }` → `CN=x, O=a, O=b`. */
export function formatDistinguishedName(name: unknown): string {
  if (!isRecord(name)) return '';
  const keys = Object.keys(name);
  const ordered = [
    ...PREFERRED_ORDER.filter((key) => keys.includes(key)),
    ...keys.filter((key) => !PREFERRED_ORDER.includes(key)),
  ];
  const parts: string[] = [];
  for (const key of ordered) {
    const value = name[key];
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) if (typeof item === 'string') parts.push(`${key}=${item}`);
  }
  return parts.join(', ');
}

/** Node's `Jan  1 00:00:00 2024 GMT` → ISO 8601; the raw text if it does not parse. */
function isoDate(value: unknown): string {
  const raw = text(value);
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? raw : new Date(ms).toISOString();
}

/** `DNS:a, IP Address:1.2.3.4` → `['DNS:a', 'IP Address:1.2.3.4']`. */
function splitAltNames(value: unknown): string[] {
  const raw = text(value);
  if (raw === '') return [];
  // Entries are joined with ", "; a new entry always starts with a type label and a colon.
  return raw.split(/, (?=[A-Za-z][A-Za-z ]*:)/).map((entry) => entry.trim()).filter((entry) => entry !== '');
}

function summarize(cert: Record<string, unknown>, selfSigned: boolean): CertSummary {
  return {
    subject: formatDistinguishedName(cert.subject),
    issuer: formatDistinguishedName(cert.issuer),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    fingerprint256: text(cert.fingerprint256),
    subjectAltNames: splitAltNames(cert.subjectaltname),
    serialNumber: text(cert.serialNumber),
    selfSigned,
  };
}

/** A certificate object is one only if it has a fingerprint (`{}` means "no certificate"). */
function isCertificate(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value.fingerprint256 === 'string' && value.fingerprint256 !== '';
}

/**
 * The chain from the leaf up, as far as the peer sent it (plus what the local trust store
 * completed). A certificate is `selfSigned` when its issuer link points back at itself, or
 * when it is the last one and names itself as its issuer.
 */
export function summarizeChain(leaf: unknown): CertSummary[] {
  const chain: CertSummary[] = [];
  const seen = new Set<string>();
  let current: unknown = leaf;
  while (isCertificate(current) && chain.length < MAX_CHAIN) {
    const fingerprint = text(current.fingerprint256);
    if (seen.has(fingerprint)) break;
    seen.add(fingerprint);
    const next = current.issuerCertificate;
    const pointsAtItself =
      next === current || (isCertificate(next) && text(next.fingerprint256) === fingerprint);
    const subject = formatDistinguishedName(current.subject);
    const namesItself = subject !== '' && subject === formatDistinguishedName(current.issuer);
    const isLast = !isCertificate(next) || pointsAtItself;
    chain.push(summarize(current, pointsAtItself || (isLast && namesItself)));
    if (isLast) break;
    current = next;
  }
  return chain;
}
