/**
 * A passthrough pattern: a host whose CONNECT tunnels the intercepting proxy passes on untouched
 * (no TLS termination, nothing captured). An exact host name (`api.example.com`), every name
 * under a domain (`*.example.com`: `a.example.com`, `a.b.example.com`, not `example.com`
 * itself), or an IP address (`10.0.0.5`, `::1` or `[::1]`). Names compare without case and
 * without a trailing dot; IPv6 addresses in their canonical form. Shared: the engine matches
 * with it, a profile's `interceptPassthrough` is checked with it, and the renderer checks as
 * the user types (no Node modules here).
 */

export interface PassthroughPattern {
  /** As the user wrote it (trimmed), for messages and the list file. */
  text: string;
  kind: 'exact' | 'suffix' | 'ip';
  /** exact: the name; suffix: `.example.com`; ip: the canonical address. */
  value: string;
}

export type ParsedPattern = { ok: true; pattern: PassthroughPattern } | { ok: false; problem: string };

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const IPV4_PART = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_PART}(?:\\.${IPV4_PART}){3}$`);

export function parsePassthroughPattern(input: string): ParsedPattern {
  const text = input.trim();
  const shown = `"${text.slice(0, 100)}"`;
  if (text === '') return { ok: false, problem: 'an empty host pattern' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { ok: false, problem: `${shown} is a URL: give the host alone (api.example.com)` };
  if (/[\s/?#@]/.test(text)) return { ok: false, problem: `${shown} is not a host: spaces, /, ?, # and @ have no place in one` };
  const ip = canonicalIp(text);
  if (ip !== undefined) return { ok: true, pattern: { text, kind: 'ip', value: ip } };
  if (/:\d+$/.test(text)) return { ok: false, problem: `${shown} has a port: the list is of hosts, every port of a host passes (give ${text.replace(/:\d+$/, '')})` };
  const name = text.toLowerCase().replace(/\.$/, '');
  if (name.startsWith('*.')) {
    const domain = name.slice(2);
    const problem = nameProblem(domain);
    if (problem !== undefined) return { ok: false, problem: `${shown}: after "*." ${problem}` };
    return { ok: true, pattern: { text, kind: 'suffix', value: `.${domain}` } };
  }
  if (name.includes('*')) return { ok: false, problem: `${shown}: a * may only be the whole first label (*.example.com)` };
  const problem = nameProblem(name);
  if (problem !== undefined) return { ok: false, problem: `${shown}: ${problem}` };
  return { ok: true, pattern: { text, kind: 'exact', value: name } };
}

/** Whether two patterns pass the same hosts (`*.Example.com` and `*.example.com`). */
export function samePattern(a: PassthroughPattern, b: PassthroughPattern): boolean {
  return a.kind === b.kind && a.value === b.value;
}

function nameProblem(name: string): string | undefined {
  if (name === '') return 'a host name is missing';
  if (name.length > 253) return 'a host name is at most 253 characters';
  const bad = name.split('.').find((label) => !LABEL.test(label));
  if (bad !== undefined) return bad === '' ? 'a host name has no empty labels (..)' : `"${bad.slice(0, 70)}" is not a host name label (letters, digits, - and _, up to 63)`;
  return undefined;
}

/** `10.0.0.5`, `::1`, `[::1]` → canonical (IPv6 compressed, lower case); a name → undefined. */
export function canonicalIp(text: string): string | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (IPV4.test(bare)) return bare;
  if (!bare.includes(':') || !/^[0-9a-f:.]+$/i.test(bare)) return undefined;
  try {
    // The WHATWG URL parser is the IPv6 parser both Node and the browser have: it refuses what is not one.
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}
