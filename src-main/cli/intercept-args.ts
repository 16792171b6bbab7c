/**
 * `tunnelscope intercept [--port 8899] [--host 127.0.0.1] [--upstream <proxy-url|none|auto>]
 * [--ca file]… [--trust …] [--deflate keep|strip] [--passthrough pattern]… [--json] [--data-dir …]`
 * or, instead of --upstream/--ca/--trust, `--profile <name>` (the profile's way out and passthrough patterns),
 * `tunnelscope intercept ca-cert [--out file [--force]]` and
 * `tunnelscope intercept passthrough [list | add <pattern> | remove <pattern>] [--profile <name>]`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseEndpointUrl } from '../shared/endpoint-url';
import { TRUST_SETTINGS, type ProxySetting, type TrustSetting } from '../shared/model';
import { parsePassthroughPattern, type BreakpointRule, type DeflateMode, type PassthroughPattern } from '../core';
import { checkReadableFile } from './check-file';
import { INTERCEPT_HELP } from './help-text-intercept';
import { UsageError } from './usage-error';
import { parseTimeoutFlags } from './timeout-flags';
import { parseVariableFlags, type VariableFlags } from './variable-flags';
import type { Timeouts } from '../shared/timeouts';
import { passwordForUrlUser, proxyUserFrom } from './proxy-user-source';
import { carriesSecret, VISIBLE, type VisibleSecret } from './visible-secrets';

export const DEFAULT_INTERCEPT_PORT = 8899;
export const DEFAULT_INTERCEPT_HOST = '127.0.0.1';

export interface InterceptCommand {
  kind: 'intercept';
  action: 'run';
  host: string;
  port: number;
  /** Set when --host is not loopback: the user said so with --allow-remote-clients. */
  remoteClients: boolean;
  upstream: ProxySetting;
  /** How the upstream was given, for the start line and the `session` lines (no password). */
  upstreamText: string;
  upstreamAuth?: { username: string; password: string };
  caFiles: string[];
  trust?: TrustSetting;
  deflate: DeflateMode;
  /** --passthrough: hosts tunnelled untouched for this run, beside the data folder's list. */
  passthrough: PassthroughPattern[];
  /** --profile: the profile (name, id, or name in any case) whose way out and passthrough patterns the run takes. */
  profile?: string;
  /** --env / --var (with --profile): the variables its way out is filled from, as connect --profile takes them. */
  variables?: VariableFlags;
  /** The upstream legs' deadlines (connect's flags); unset: the defaults. */
  timeouts?: Timeouts;
  /** --break / --break-regex / --break-json (each limited to --break-host's host when given): messages held until a line on stdin forwards, edits or drops them. */
  breakpoints: BreakpointRule[];
  json: boolean;
  /** Strings never printed (the upstream proxy's password). */
  secrets: string[];
  /** Secrets typed on the command line itself (visible in `ps`): warned about once. */
  visibleSecrets?: VisibleSecret[];
  dataDir?: string;
}

/** The data folder's passthrough list, or with --profile that profile's: shown, or one pattern added or removed. */
export interface InterceptPassthroughCommand {
  kind: 'intercept';
  action: 'passthrough';
  change: { op: 'list' } | { op: 'add' | 'remove'; pattern: string };
  profile?: string;
  dataDir?: string;
}

export interface InterceptCaCertCommand {
  kind: 'intercept';
  action: 'ca-cert';
  out?: string;
  force: boolean;
  dataDir?: string;
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'allow-remote-clients': { type: 'boolean' },
  upstream: { type: 'string' },
  'proxy-user': { type: 'string' },
  profile: { type: 'string' },
  env: { type: 'string' },
  var: { type: 'string', multiple: true },
  ca: { type: 'string', multiple: true },
  trust: { type: 'string' },
  deflate: { type: 'string' },
  passthrough: { type: 'string', multiple: true },
  break: { type: 'string', multiple: true },
  'break-regex': { type: 'string', multiple: true },
  'break-json': { type: 'string', multiple: true },
  'break-host': { type: 'string' },
  timeout: { type: 'string' },
  'proxy-connect-timeout': { type: 'string' },
  'proxy-answer-timeout': { type: 'string' },
  'tls-timeout': { type: 'string' },
  'upgrade-timeout': { type: 'string' },
  json: { type: 'boolean' },
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const CA_CERT_FLAGS = new Set(['out', 'force', 'data-dir', 'help']);
const PASSTHROUGH_LIST_FLAGS = new Set(['data-dir', 'profile', 'help']);

export function parseIntercept(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): { kind: 'help'; text: string } | InterceptCommand | InterceptCaCertCommand | InterceptPassthroughCommand {
  const { values, positionals } = parseStrict(args);
  if (values.help === true) return { kind: 'help', text: INTERCEPT_HELP };
  const dataDir = values['data-dir'];
  const [action, ...extra] = positionals;
  if (action === 'passthrough') {
    for (const name of Object.keys(values)) {
      if (!PASSTHROUGH_LIST_FLAGS.has(name)) throw new UsageError(`--${name} does not apply to intercept passthrough (it changes the data folder's list, or with --profile a profile's)`, 'intercept');
    }
    const profile = values.profile;
    if (profile !== undefined && profile.trim() === '') throw new UsageError('--profile needs a profile name', 'intercept');
    return {
      kind: 'intercept',
      action: 'passthrough',
      change: passthroughChange(extra),
      ...(profile !== undefined ? { profile } : {}),
      ...(dataDir !== undefined ? { dataDir } : {}),
    };
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}"`, 'intercept');
  if (action === 'ca-cert') {
    for (const name of Object.keys(values)) {
      if (!CA_CERT_FLAGS.has(name)) throw new UsageError(`--${name} does not apply to intercept ca-cert`, 'intercept');
    }
    if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out needs a file name', 'intercept');
    if (values.force === true && values.out === undefined) throw new UsageError('--force only applies with --out <file> (it replaces that file)', 'intercept');
    return { kind: 'intercept', action: 'ca-cert', force: values.force === true, ...(values.out !== undefined ? { out: values.out } : {}), ...(dataDir !== undefined ? { dataDir } : {}) };
  }
  if (action !== undefined) throw new UsageError(`unknown intercept command "${action}" (the proxy runs without one; ca-cert prints its CA, passthrough shows or changes the passthrough list)`, 'intercept');
  if (values.out !== undefined || values.force === true) throw new UsageError('--out and --force apply to intercept ca-cert', 'intercept');

  const port = values.port === undefined ? DEFAULT_INTERCEPT_PORT : parsePort(values.port);
  const host = values.host ?? DEFAULT_INTERCEPT_HOST;
  if (host.trim() === '') throw new UsageError('--host needs an address', 'intercept');
  const remoteClients = values['allow-remote-clients'] === true;
  if (!isLoopbackHost(host) && !remoteClients) {
    throw new UsageError(
      `--host ${host} is not a loopback address: anyone who reaches it could use your way out and read decrypted traffic; add --allow-remote-clients to do it anyway`,
      'intercept',
    );
  }
  const profile = values.profile;
  if (profile !== undefined) {
    if (profile.trim() === '') throw new UsageError('--profile needs a profile name', 'intercept');
    const clash = (['upstream', 'proxy-user', 'ca', 'trust'] as const).find((name) => values[name] !== undefined);
    if (clash !== undefined) throw new UsageError(`--${clash} cannot be used with --profile: the way out and the servers' trust are the profile's (drop --${clash}, or --profile)`, 'intercept');
  } else if (values.env !== undefined || values.var !== undefined) {
    throw new UsageError(`--${values.env !== undefined ? 'env' : 'var'} goes with --profile: it fills the {{variables}} of the profile's way out (--upstream takes a URL as it is)`, 'intercept');
  }
  const secrets: string[] = [];
  const visibleSecrets: VisibleSecret[] = [];
  const variables = values.env === undefined && values.var === undefined ? undefined : parseVariableFlags(values.env, values.var ?? [], 'intercept', { secrets, visible: visibleSecrets });
  const upstream = parseUpstream(values.upstream ?? 'auto', secrets, visibleSecrets);
  const userFlag = values['proxy-user'];
  if (userFlag !== undefined && upstream.upstream.mode === 'none') throw new UsageError('--proxy-user makes no sense with --upstream none', 'intercept');
  // `--upstream http://alice@proxy`: a user without a password takes it from where a password goes (for that user).
  const urlUser = upstream.upstreamAuth?.password === '' ? upstream.upstreamAuth.username : undefined;
  if (userFlag !== undefined && upstream.upstreamAuth !== undefined && urlUser === undefined) throw new UsageError("--proxy-user and a user:password@ in --upstream's URL: give the credentials once", 'intercept');
  // TUNNELSCOPE_PROXY_USER is ambient: going direct or out a profile's way, it is left unused (and a URL's own password wins, as for connect).
  const sought = upstream.upstream.mode !== 'none' && profile === undefined && (upstream.upstreamAuth === undefined || urlUser !== undefined);
  const user = sought ? proxyUserFrom(userFlag, env, 'intercept') : undefined;
  if (user !== undefined) {
    const { username, password } = user;
    if (urlUser !== undefined) passwordForUrlUser(urlUser, user, '--upstream', 'intercept');
    if (password !== '') secrets.push(password);
    if (user.from === 'flag' && carriesSecret(password)) visibleSecrets.push(VISIBLE.proxyUser);
    upstream.upstreamAuth = { username, password };
  }
  const trust = values.trust;
  if (trust !== undefined && !isTrust(trust)) throw new UsageError(`--trust must be one of ${TRUST_SETTINGS.join(', ')} (got "${trust}")`, 'intercept');
  const deflate = values.deflate ?? 'strip';
  if (deflate !== 'strip' && deflate !== 'keep') throw new UsageError(`--deflate must be strip or keep (got "${deflate.slice(0, 40)}")`, 'intercept');
  const passthrough = (values.passthrough ?? []).map((text) => {
    const parsed = parsePassthroughPattern(text);
    if (!parsed.ok) throw new UsageError(`--passthrough: ${parsed.problem}`, 'intercept');
    return parsed.pattern;
  });
  const timeouts = parseTimeoutFlags((name) => {
    if (name === 'timeout' || name === 'proxy-connect-timeout' || name === 'proxy-answer-timeout' || name === 'tls-timeout' || name === 'upgrade-timeout') return values[name];
    return undefined;
  });
  const caFiles = (values.ca ?? []).map((file) => {
    const problem = checkReadableFile(file, 'certificate');
    if (problem !== undefined) throw new UsageError(`--ca: ${problem}`, 'intercept');
    return path.resolve(file);
  });
  return {
    kind: 'intercept',
    action: 'run',
    host,
    port,
    remoteClients,
    ...upstream,
    caFiles,
    ...(trust !== undefined ? { trust } : {}),
    deflate,
    passthrough,
    ...(profile !== undefined ? { profile } : {}),
    ...(variables !== undefined ? { variables } : {}),
    ...(timeouts ? { timeouts } : {}),
    breakpoints: breakRules(values.break ?? [], values['break-regex'] ?? [], values['break-json'] ?? [], values['break-host']),
    json: values.json === true,
    secrets,
    ...(visibleSecrets.length > 0 ? { visibleSecrets } : {}),
    ...(dataDir !== undefined ? { dataDir } : {}),
  };
}

function parseUpstream(value: string, secrets: string[], visible: VisibleSecret[]): Pick<InterceptCommand, 'upstream' | 'upstreamText' | 'upstreamAuth'> {
  const lower = value.trim().toLowerCase();
  if (lower === 'auto') return { upstream: { mode: 'auto' }, upstreamText: 'auto (the proxy variables, else the system settings, else direct)' };
  if (lower === 'none') return { upstream: { mode: 'none' }, upstreamText: 'none (direct)' };
  const parsed = parseEndpointUrl(value, 'proxy');
  if (!parsed.ok) throw new UsageError(`--upstream must be a proxy URL, none or auto: ${parsed.problem}`, 'intercept');
  const { endpoint } = parsed;
  const url = `${endpoint.scheme}://${endpoint.authority}`;
  if (endpoint.username === undefined) return { upstream: { mode: 'manual', url }, upstreamText: url };
  const auth = { username: endpoint.username, password: endpoint.password ?? '' };
  if (auth.password !== '') secrets.push(auth.password);
  if (carriesSecret(auth.password)) visible.push(VISIBLE.proxyUrl('--upstream'));
  return { upstream: { mode: 'manual', url }, upstreamText: url, upstreamAuth: auth };
}

/** `list` (also nothing), `add <pattern>`, `remove <pattern>`: the pattern is checked when the list is changed, with the file's own errors. */
function passthroughChange(words: readonly string[]): InterceptPassthroughCommand['change'] {
  const [op = 'list', pattern, ...more] = words;
  if (op === 'list') {
    if (pattern !== undefined) throw new UsageError(`intercept passthrough list takes no argument (got "${pattern}")`, 'intercept');
    return { op: 'list' };
  }
  if (op !== 'add' && op !== 'remove') throw new UsageError(`intercept passthrough: "${op}" is not list, add or remove`, 'intercept');
  if (pattern === undefined) throw new UsageError(`intercept passthrough ${op} needs a host pattern (api.example.com, *.example.com or an IP address)`, 'intercept');
  if (more.length > 0) throw new UsageError(`intercept passthrough ${op} takes one pattern at a time (got also "${more[0] ?? ''}")`, 'intercept');
  const parsed = parsePassthroughPattern(pattern);
  if (!parsed.ok) throw new UsageError(`intercept passthrough ${op}: ${parsed.problem}`, 'intercept');
  return { op, pattern };
}

/** The rules of --break, --break-regex and --break-json; --break-host limits each to one server (alone: every message to it). */
function breakRules(texts: string[], regexes: string[], paths: string[], host: string | undefined): BreakpointRule[] {
  if (host !== undefined && host.trim() === '') throw new UsageError('--break-host needs the server\'s host name, e.g. --break-host api.example.com', 'intercept');
  const rules = [...texts.map((spec) => breakRule(spec, 'text')), ...regexes.map((spec) => breakRule(spec, 'regex')), ...paths.map((spec) => breakRule(spec, 'jsonPath'))];
  if (host === undefined) return rules;
  return rules.length === 0 ? [{ host: host.trim() }] : rules.map((rule) => ({ ...rule, host: host.trim() }));
}

/** `out:secret` (client → server), `in:error` (server → client) or `token` (both ways). */
function breakRule(spec: string, field: 'text' | 'regex' | 'jsonPath'): BreakpointRule {
  const match = /^(in|out):(.*)$/s.exec(spec);
  const value = match ? (match[2] ?? '') : spec;
  const flag = field === 'text' ? '--break' : field === 'regex' ? '--break-regex' : '--break-json';
  const what = field === 'text' ? 'the text to hold messages on' : field === 'regex' ? 'a regular expression' : 'a JSONPath';
  const example = field === 'jsonPath' ? `${flag} 'out:$[?(@.type == "order")]'` : `${flag} out:secret`;
  if (value === '') throw new UsageError(`${flag} needs ${what}, e.g. ${example}`, 'intercept');
  const direction = match?.[1];
  return { ...(direction === 'in' || direction === 'out' ? { direction } : {}), [field]: value };
}

/** 0 lets the OS choose (the address is printed). */
function parsePort(value: string): number {
  const text = value.trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a port number from 0 to 65535, got "${value}"`, 'intercept');
  return port;
}

/** 127.0.0.0/8, ::1, localhost (the web host's rule). */
function isLoopbackHost(host: string): boolean {
  const lower = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (lower === 'localhost' || lower === '::1') return true;
  const v4 = lower.startsWith('::ffff:') ? lower.slice(7) : lower;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function isTrust(value: string): value is TrustSetting {
  return (TRUST_SETTINGS as readonly string[]).includes(value);
}

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

function parseStrict(args: readonly string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('. ')[0] ?? error.message) : String(error);
    throw new UsageError(message, 'intercept');
  }
}
