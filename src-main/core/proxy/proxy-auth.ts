/**
 * Proxy authentication: the Basic `Proxy-Authorization` value we send, and what a proxy's
 * `Proxy-Authenticate` challenges offer (RFC 9110 §11: several headers, several
 * comma-separated challenges per header, auth-params with quoted values).
 */

import type { ProxyAuthOffer } from '../../shared/model';
import { decodeNtlmOffer } from './ntlm/ntlm-token';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/** `Basic base64(user:password)`, UTF-8 as RFC 7617 recommends. */
export function basicProxyAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export interface AuthChallenges {
  /** The schemes offered, in order, each once (`Basic`, `NTLM`, `Negotiate`, …). */
  schemes: string[];
  /** The realm of the Basic challenge, or else of the first challenge that has one. */
  realm?: string;
}

/** One challenge: its scheme and its auth-params (names lower case, values unquoted), or its token. */
export interface Challenge {
  scheme: string;
  params: Map<string, string>;
  /** The token68 after the scheme (`NTLM TlRMTVNT…`, `Negotiate YII…`), when it carries one instead of params. */
  token?: string;
}

/** Splits on commas that are outside quoted strings. */
function splitElements(value: string): string[] {
  const elements: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i] ?? '';
    if (quoted && ch === '\\' && i + 1 < value.length) {
      current += ch + (value[i + 1] ?? '');
      i += 1;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === ',' && !quoted) {
      elements.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  elements.push(current);
  return elements.map((e) => e.trim()).filter((e) => e !== '');
}

/** `"a \"b\""` → `a "b"`; a bare token stays as it is. */
function paramValue(raw: string): string {
  const text = raw.trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return text;
}

/** `name = value` → [name, value], or undefined when the element is not an auth-param. */
function parseParam(element: string): [string, string] | undefined {
  const name = TOKEN.exec(element)?.[0];
  if (name === undefined) return undefined;
  const rest = element.slice(name.length).trimStart();
  if (!rest.startsWith('=')) return undefined;
  const value = rest.slice(1).trim();
  // `abc==` is a token68 credential (`Negotiate abc==`), not a parameter: params need a value.
  if (value === '' || value.startsWith('=')) return undefined;
  return [name.toLowerCase(), paramValue(value)];
}

/** Every challenge in the header values, in order. */
export function parseChallenges(values: readonly string[]): Challenge[] {
  const challenges: Challenge[] = [];
  for (const value of values) {
    for (const element of splitElements(value)) {
      const param = parseParam(element);
      if (param) {
        // An auth-param continues the challenge before it (`Basic realm="a", charset="UTF-8"`).
        challenges.at(-1)?.params.set(param[0], param[1]);
        continue;
      }
      const scheme = TOKEN.exec(element)?.[0];
      if (scheme === undefined) continue;
      const challenge: Challenge = { scheme, params: new Map() };
      const rest = element.slice(scheme.length).trim();
      const firstParam = rest === '' ? undefined : parseParam(rest);
      if (firstParam) challenge.params.set(firstParam[0], firstParam[1]);
      else if (rest !== '') challenge.token = rest;
      challenges.push(challenge);
    }
  }
  return challenges;
}

/** What the `Proxy-Authenticate` header values (one entry per header line) offer. */
export function parseProxyAuthenticate(values: readonly string[]): AuthChallenges {
  const challenges = parseChallenges(values);
  const schemes: string[] = [];
  for (const { scheme } of challenges) {
    if (!schemes.some((s) => s.toLowerCase() === scheme.toLowerCase())) schemes.push(scheme);
  }
  const basic = challenges.find((c) => c.scheme.toLowerCase() === 'basic' && c.params.has('realm'));
  const realm = (basic ?? challenges.find((c) => c.params.has('realm')))?.params.get('realm');
  return realm === undefined ? { schemes } : { schemes, realm };
}

/** `Basic realm "corp"`, `NTLM, Negotiate`: the offer in words for messages. */
export function describeChallenges(challenges: AuthChallenges): string {
  const schemes = challenges.schemes.join(', ');
  if (challenges.realm === undefined) return schemes;
  return `${schemes} realm "${challenges.realm}"`;
}

export function offersBasic(challenges: AuthChallenges): boolean {
  return challenges.schemes.some((s) => s.toLowerCase() === 'basic');
}

/**
 * Each challenge decoded for the timeline: scheme, realm and, for Digest, algorithm, qop, stale;
 * an NTLM challenge token as its CHALLENGE message (or what is wrong with it).
 */
export function decodeOffers(values: readonly string[]): ProxyAuthOffer[] {
  return parseChallenges(values).map(({ scheme, params, token }) => {
    if (token !== undefined && scheme.toLowerCase() === 'ntlm') return { scheme, ...decodeNtlmOffer(token) };
    const realm = params.get('realm');
    const algorithm = params.get('algorithm');
    const qop = params.get('qop');
    const stale = params.get('stale');
    return {
      scheme,
      ...(realm !== undefined ? { realm } : {}),
      ...(algorithm !== undefined ? { algorithm } : {}),
      ...(qop !== undefined ? { qop } : {}),
      ...(stale !== undefined ? { stale: stale.toLowerCase() === 'true' } : {}),
    };
  });
}
