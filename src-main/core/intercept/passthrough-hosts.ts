/**
 * The passthrough list: hosts whose CONNECT tunnels the intercepting proxy passes on untouched
 * (no TLS termination, nothing captured), for clients that pin their server's certificate or
 * traffic that must not be decrypted. A pattern is an exact host name (`api.example.com`), every
 * name under a domain (`*.example.com`: `a.example.com`, `a.b.example.com`, not `example.com`
 * itself), or an IP address (`10.0.0.5`, `::1` or `[::1]`). Names compare without case and
 * without a trailing dot; IPv6 addresses in their canonical form.
 */
import net from 'node:net';

export interface PassthroughPattern {
  /** As the user wrote it (trimmed), for messages and the list file. */
  text: string;
  kind: 'exact' | 'suffix' | 'ip';
  /** exact: the name; suffix: `.example.com`; ip: the canonical address. */
  value: string;
}

export type ParsedPattern = { ok: true; pattern: PassthroughPattern } | { ok: false; problem: string };

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

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

function nameProblem(name: string): string | undefined {
  if (name === '') return 'a host name is missing';
  if (name.length > 253) return 'a host name is at most 253 characters';
  const bad = name.split('.').find((label) => !LABEL.test(label));
  if (bad !== undefined) return bad === '' ? 'a host name has no empty labels (..)' : `"${bad.slice(0, 70)}" is not a host name label (letters, digits, - and _, up to 63)`;
  return undefined;
}

/** `10.0.0.5`, `::1`, `[::1]` → canonical (IPv6 compressed, lower case); a name → undefined. */
function canonicalIp(text: string): string | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const version = net.isIP(bare);
  if (version === 4) return bare;
  if (version === 6) return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return undefined;
}

export class PassthroughList {
  readonly patterns: readonly PassthroughPattern[];

  constructor(patterns: readonly PassthroughPattern[]) {
    this.patterns = patterns;
  }

  /** The first pattern the host matches (the CONNECT's host, a name or an IP address), or undefined. */
  match(host: string): PassthroughPattern | undefined {
    const ip = canonicalIp(host);
    const name = host.toLowerCase().replace(/\.$/, '');
    return this.patterns.find((p) => {
      if (p.kind === 'ip') return ip === p.value;
      if (ip !== undefined) return false;
      return p.kind === 'exact' ? name === p.value : name.endsWith(p.value);
    });
  }

  /** This list with another's patterns after its own (the same text once). */
  with(other: PassthroughList): PassthroughList {
    const seen = new Set(this.patterns.map((p) => `${p.kind}:${p.value}`));
    return new PassthroughList([...this.patterns, ...other.patterns.filter((p) => !seen.has(`${p.kind}:${p.value}`))]);
  }
}
