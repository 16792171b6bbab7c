/**
 * WPAD by DNS, for settings that ask for auto-detection: the DNS search domains of
 * /etc/resolv.conf (`search`, else `domain`), each walked up to its last two labels, most
 * specific first (eng.corp.example: wpad.eng.corp.example, then wpad.corp.example; never
 * wpad.example). The names are looked up together, each with a short deadline; the most
 * specific one that has an address is asked for http://wpad.<domain>/wpad.dat, read and run
 * as a PAC file. Windows keeps its search domains elsewhere: there WPAD is skipped, and the
 * steps say so.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { NetFailure, errorMessage } from '../../errors/net-failure';
import { systemClock, type Clock } from '../../net/clock';
import { Deadline, raceDeadline } from '../../net/deadline';
import type { PacEvaluation } from '../pac-script';
import { quoted } from './system-settings';

const RESOLV_CONF = '/etc/resolv.conf';
const WPAD_LOOKUP_TIMEOUT_MS = 2_000;
const MAX_CANDIDATES = 12;

export interface WpadDeps {
  platform: NodeJS.Platform;
  readResolvConf: () => Promise<string>;
  /** One address of `name` (production: dns.lookup). */
  lookup: (name: string) => Promise<string>;
  /** Loads and runs a PAC URL for the connection's target (production: the PAC loader). */
  loadPac: (url: string) => Promise<PacEvaluation>;
  clock?: Clock;
  lookupTimeoutMs?: number;
}

export type WpadResult =
  | { found: true; url: string; evaluation: PacEvaluation; steps: string[] }
  | { found: false; steps: string[] };

export const realWpadLookups = {
  readResolvConf: () => readFile(RESOLV_CONF, 'utf8'),
  lookup: async (name: string) => (await dnsLookup(name)).address,
} satisfies Pick<WpadDeps, 'readResolvConf' | 'lookup'>;

export async function findWpad(deps: WpadDeps): Promise<WpadResult> {
  if (deps.platform === 'win32') {
    return { found: false, steps: ['WPAD: not tried on Windows (Tunnelscope reads DNS search domains only from /etc/resolv.conf)'] };
  }
  let conf: string;
  try {
    conf = await deps.readResolvConf();
  } catch (error) {
    return { found: false, steps: [`WPAD: ${RESOLV_CONF} could not be read (${errorMessage(error).slice(0, 200)})`] };
  }
  const { domains, notes } = searchDomains(conf);
  const steps = notes.map((note) => `WPAD: ${note}`);
  const names = wpadNames(domains);
  if (names.length === 0) return { found: false, steps: [...steps, `WPAD: ${RESOLV_CONF} names no DNS search domain`] };

  const timeoutMs = deps.lookupTimeoutMs ?? WPAD_LOOKUP_TIMEOUT_MS;
  const clock = deps.clock ?? systemClock;
  const answers = await Promise.all(names.map((name) => lookupOne(deps.lookup, name, new Deadline(timeoutMs, undefined, clock))));
  const tried: string[] = [];
  for (const [index, name] of names.entries()) {
    const answer = answers[index] ?? 'no answer';
    if (answer !== true) {
      tried.push(`${name} (${answer})`);
      continue;
    }
    const url = `http://${name}/wpad.dat`;
    try {
      const evaluation = await deps.loadPac(url);
      return { found: true, url, evaluation, steps: [...steps, `WPAD: found ${url}`] };
    } catch (error) {
      if (!(error instanceof NetFailure)) throw error;
      steps.push(`WPAD: found ${url} but could not use it: ${error.message}`);
    }
  }
  if (tried.length > 0) steps.push(`WPAD: no wpad host found (${tried.join(', ')})`);
  return { found: false, steps };
}

/** true when `name` has an address, else why not in a few words. */
async function lookupOne(lookup: WpadDeps['lookup'], name: string, deadline: Deadline): Promise<true | string> {
  try {
    const pending = Promise.resolve().then(() => lookup(name));
    const address: unknown = await raceDeadline(pending, deadline, () => new Error(`no answer within ${deadline.ms} ms`));
    if (typeof address === 'string' && isIP(address) !== 0) return true;
    return `the lookup answered ${typeof address === 'string' ? quoted(address, 60) : typeof address}, not an address`;
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    if (code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'ENODATA') return 'not found';
    return errorMessage(error).slice(0, 120);
  }
}

/** The `search` list (or the `domain`) of resolv.conf: the last such line wins, as for the resolver. */
export function searchDomains(conf: string): { domains: string[]; notes: string[] } {
  let words: string[] = [];
  for (const rawLine of conf.split(/\r?\n/)) {
    const line = rawLine.replace(/[#;].*$/, '').trim();
    const match = /^(search|domain)\s+(.*)$/.exec(line);
    if (match?.[2] !== undefined) words = match[2].split(/\s+/).filter((word) => word !== '');
  }
  const domains: string[] = [];
  const notes: string[] = [];
  for (const word of words) {
    const domain = word.toLowerCase().replace(/\.$/, '');
    if (domain === '' || domain.length > 253 || !/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(domain)) {
      notes.push(`search domain ${quoted(word, 60)} skipped: not a domain name`);
      continue;
    }
    if (!domains.includes(domain)) domains.push(domain);
  }
  return { domains, notes };
}

/** wpad.<domain> for each domain and its parents down to two labels, most specific first. */
export function wpadNames(domains: readonly string[]): string[] {
  const names: string[] = [];
  for (const domain of domains) {
    const labels = domain.split('.');
    for (let start = 0; start === 0 || labels.length - start >= 2; start += 1) {
      const name = `wpad.${labels.slice(start).join('.')}`;
      if (!names.includes(name)) names.push(name);
    }
  }
  return names.slice(0, MAX_CANDIDATES);
}
