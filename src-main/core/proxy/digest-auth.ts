/**
 * HTTP Digest for a proxy (RFC 7616): reading a `Proxy-Authenticate: Digest …` challenge and
 * computing the `Proxy-Authorization` that answers it. MD5, SHA-256 and their `-sess` variants,
 * qop `auth` (or none, RFC 2069 style), `userhash`. Pure: the cnonce comes from the caller.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseChallenges, type Challenge } from './proxy-auth';

export const DIGEST_ALGORITHMS = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: DigestAlgorithm;
  /** `auth` when the proxy offers it; undefined when it names no qop (RFC 2069). */
  qop?: 'auth';
  /** The proxy says the nonce expired, not that the credentials were wrong. */
  stale: boolean;
  userhash: boolean;
}

/** The Digest challenge to answer, or why none of those offered can be used. */
export type DigestPick = { ok: true; challenge: DigestChallenge } | { ok: false; reason: string };

/** Whether any challenge in the header values is a Digest one (usable or not). */
export function offersDigest(values: readonly string[]): boolean {
  return parseChallenges(values).some(isDigest);
}

/** The first usable Digest challenge (RFC 7616 §3.7: the proxy lists them by preference). */
export function pickDigestChallenge(values: readonly string[]): DigestPick {
  const digests = parseChallenges(values).filter(isDigest);
  if (digests.length === 0) return { ok: false, reason: 'the proxy offers no Digest challenge' };
  const reasons: string[] = [];
  for (const challenge of digests) {
    const read = readDigestChallenge(challenge);
    if (read.ok) return read;
    reasons.push(read.reason);
  }
  return { ok: false, reason: reasons.join('; ') };
}

function isDigest(challenge: Challenge): boolean {
  return challenge.scheme.toLowerCase() === 'digest';
}

/** Checks one Digest challenge's params and names the first thing wrong with it. */
function readDigestChallenge({ params }: Challenge): DigestPick {
  const realm = params.get('realm');
  if (realm === undefined) return { ok: false, reason: 'the Digest challenge has no realm' };
  const nonce = params.get('nonce');
  if (nonce === undefined || nonce === '') return { ok: false, reason: `the Digest challenge (realm "${realm}") has no nonce` };
  const algorithmText = params.get('algorithm') ?? 'MD5';
  const algorithm = DIGEST_ALGORITHMS.find((a) => a.toLowerCase() === algorithmText.toLowerCase());
  if (algorithm === undefined) {
    return { ok: false, reason: `the Digest challenge (realm "${realm}") asks for algorithm "${algorithmText}", which is not supported (MD5, SHA-256 and their -sess variants are)` };
  }
  const qopText = params.get('qop');
  let qop: 'auth' | undefined;
  if (qopText !== undefined) {
    const offered = qopText.split(',').map((q) => q.trim().toLowerCase());
    if (!offered.includes('auth')) {
      return { ok: false, reason: `the Digest challenge (realm "${realm}") offers qop "${qopText}", without "auth" (the only one supported)` };
    }
    qop = 'auth';
  }
  const opaque = params.get('opaque');
  const challenge: DigestChallenge = {
    realm,
    nonce,
    algorithm,
    stale: params.get('stale')?.toLowerCase() === 'true',
    userhash: params.get('userhash')?.toLowerCase() === 'true',
    ...(opaque !== undefined ? { opaque } : {}),
    ...(qop ? { qop } : {}),
  };
  return { ok: true, challenge };
}

export interface DigestAnswerInput {
  challenge: DigestChallenge;
  username: string;
  password: string;
  method: string;
  /** The request-target: `host:port` for CONNECT. */
  uri: string;
  /** Fresh per request; `newCnonce()` unless a test fixes it. */
  cnonce: string;
  /** How many requests used this nonce, counting this one. */
  nc: number;
}

/** The `Proxy-Authorization` value, and the bare response hash (for tests). */
export function digestAuthorization(input: DigestAnswerInput): { header: string; response: string } {
  const { challenge, username, password, method, uri, cnonce } = input;
  const h = hasher(challenge.algorithm);
  const nc = input.nc.toString(16).padStart(8, '0');
  let ha1 = h(`${username}:${challenge.realm}:${password}`);
  if (challenge.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const response = challenge.qop ? h(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${challenge.qop}:${ha2}`) : h(`${ha1}:${challenge.nonce}:${ha2}`);

  const parts: string[] = [];
  if (challenge.userhash) parts.push(`username="${h(`${username}:${challenge.realm}`)}"`);
  else if (isQuotable(username)) parts.push(`username=${quote(username)}`);
  // RFC 7616 §3.4.4: a name a quoted string cannot carry goes as an RFC 8187 ext-value.
  else parts.push(`username*=UTF-8''${encodeRfc8187(username)}`);
  parts.push(`realm=${quote(challenge.realm)}`, `uri=${quote(uri)}`, `algorithm=${challenge.algorithm}`, `nonce=${quote(challenge.nonce)}`);
  if (challenge.qop) parts.push(`nc=${nc}`, `cnonce=${quote(cnonce)}`, `qop=${challenge.qop}`);
  parts.push(`response="${response}"`);
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  if (challenge.userhash) parts.push('userhash=true');
  return { header: `Digest ${parts.join(', ')}`, response };
}

/** A client nonce: 16 random bytes, hex. */
export function newCnonce(): string {
  return randomBytes(16).toString('hex');
}

function hasher(algorithm: DigestAlgorithm): (text: string) => string {
  const name = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  return (text) => createHash(name).update(text, 'utf8').digest('hex');
}

/** Printable ASCII only: anything else in a quoted string is read differently by each proxy. */
function isQuotable(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

function encodeRfc8187(text: string): string {
  return encodeURIComponent(text).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
