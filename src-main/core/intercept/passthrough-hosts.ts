/**
 * The passthrough list: hosts whose CONNECT tunnels the intercepting proxy passes on untouched
 * (no TLS termination, nothing captured), for clients that pin their server's certificate or
 * traffic that must not be decrypted. The patterns are shared/passthrough-pattern.ts's. A list
 * may be the global one (the data folder's), a profile's, or this run's (`--passthrough`): each
 * pattern keeps where it came from, so a match can say which list passed the host.
 */
import { canonicalIp, type PassthroughPattern as Pattern } from '../../shared/passthrough-pattern';

export { parsePassthroughPattern, type ParsedPattern } from '../../shared/passthrough-pattern';

/** Which list a pattern is on: the data folder's (global), a profile's, or `--passthrough` for one run. */
export type PassthroughSource = { list: 'global' } | { list: 'profile'; profile: string } | { list: 'run' };

export interface PassthroughPattern extends Pattern {
  /** Absent: the global list (the data folder's). */
  source?: PassthroughSource;
}

/** The pattern's list in words: `profile "Corp"`, `global`, `--passthrough`. */
export function passthroughSourceText(source: PassthroughSource | undefined): string {
  if (source === undefined || source.list === 'global') return 'global';
  return source.list === 'profile' ? `profile "${source.profile}"` : '--passthrough';
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

  /** This list with another's patterns after its own (the same text once: the first list's, so its source wins). */
  with(other: PassthroughList): PassthroughList {
    const seen = new Set(this.patterns.map(patternKey));
    return new PassthroughList([...this.patterns, ...other.patterns.filter((p) => !seen.has(patternKey(p)))]);
  }

  /** The same patterns, each marked as on `source`'s list. */
  from(source: PassthroughSource): PassthroughList {
    return new PassthroughList(this.patterns.map((p) => ({ ...p, source })));
  }
}

function patternKey(pattern: Pattern): string {
  return `${pattern.kind}:${pattern.value}`;
}
