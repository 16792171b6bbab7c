/**
 * Turns the command line into a checked command, or a UsageError that says exactly what was
 * wrong (exit status 2). Everything that can be known before connecting is checked here: flags,
 * values, the URL's scheme, and that every named file can be read.
 *
 * `util.parseArgs` runs non-strict with tokens, and the strict checks are made here on the
 * tokens: that way `--send -1` is a message (strict mode calls it "ambiguous"), and every
 * mistake gets our own message naming the flag, not Node's.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { connectionOptionsSchema, HISTORY_DEFAULTS, HISTORY_LIMITS, MIB, type ConnectionOptionsInput, type Header, type HistorySetting, type ProxySetting } from '../shared/model';
import { KEEPALIVE_DEFAULTS, KEEPALIVE_LIMITS, type KeepaliveSetting } from '../shared/model';
import { TRUST_SETTINGS, type TrustSetting } from '../shared/model';
import { looksLikeCredentialHeader } from '../shared/secret-headers';
import { headerIssueText } from './handshake-header-notes';
import { passwordInUrl as urlPassword } from '../shared/url-password';
import { parseEndpointUrl, type EndpointUrlKind } from '../shared/endpoint-url';
import { redactProxyUrlText } from '../core';
import { checkReadableFile, type PemKind } from './check-file';
import { readMessageFile } from './message-file';
import { wholeNumberFlag } from './whole-number-flag';
import { CONNECT_HELP, MAIN_HELP, RESOLVE_HELP } from './help-text';
import { parseProfiles, takeDataDir, type ProfilesCommand } from './profiles-args';
import { parseIntercept, type InterceptCaCertCommand, type InterceptCommand, type InterceptPassthroughCommand } from './intercept-args';
import { fileProblem, UsageError } from './usage-error';
import { parseExportFlag, type ExportTarget } from './export-flag';
import { parseReconnectFlags } from './reconnect-flags';
import { parseDecodeFlag } from './decode-flag';
import type { DecodeChoice, DecoderSettings } from '../core';
import { parseTimeoutFlags, TIMEOUT_FLAG_NAMES } from './timeout-flags';
import { parseRepeatFlags, type RepeatFlag } from './repeat-flags';
import { variableFlagsField, type VariableFlags } from './variable-flags';
import { hasTemplate } from '../shared/builtin-variables';
import { wsUrlTemplateSchema } from '../shared/model';
import { parseProxyAuthFlag } from './proxy-auth-flag';
import { parseServicePrincipal } from '../shared/service-principal';
import { PLAIN_ISSUE_WORDS } from '../shared/zod-words';
import { passwordForUrlUser, PROXY_USER_ENV, proxyUserFrom } from './proxy-user-source';
import { fileReference, readSecretFile } from './secret-file';
import { carriesSecret, VISIBLE, type VisibleSecret } from './visible-secrets';

export { UsageError } from './usage-error';

/** A message to send once the session is open, in command-line order. */
export type OutgoingMessage =
  /** verbatim: from a file (--send-file), sent as it is, with no built-ins replaced. */
  | { kind: 'text'; data: string; verbatim?: true }
  | { kind: 'binary'; data: string /* base64 */ };

export interface ProxyChoice {
  setting: ProxySetting;
  proxyAuth?: { username: string; password: string; domain?: string };
  proxyCaFiles: string[];
}

export interface ConnectCommand {
  kind: 'connect';
  /** The connection from the flags; absent with --profile. */
  options?: ConnectionOptionsInput;
  /** --profile: a saved profile's name (or id); the engine decrypts its secrets itself. */
  profile?: string;
  /** --data-dir (global or after the command): where profiles are kept. */
  dataDir?: string;
  outgoing: OutgoingMessage[];
  /** --repeat / --interval: each outgoing message sent count times, intervalMs apart. */
  repeat?: RepeatFlag;
  /** Close normally after this many incoming data messages. */
  count?: number;
  /** Ignore stdin and stay connected until the server closes or Ctrl-C. */
  listen: boolean;
  json: boolean;
  /** Strings that must never be printed (passwords, secret header values). */
  secrets: string[];
  /** Secrets typed on the command line itself (visible in `ps`): warned about once. */
  visibleSecrets?: VisibleSecret[];
  /** --export: write the session's log to this file when it ends. */
  exportLog?: ExportTarget;
  /** --env and --var: where the connection's {{name}}s come from (absent: neither given). */
  variables?: VariableFlags;
  /** --decode: which protocol frames are decoded as (absent: auto). */
  decode?: DecodeChoice;
  /** --decode protobuf:<file>#<Type>: the schema's message type, loaded. */
  decodeSettings?: DecoderSettings;
  /** Why `decode` names a protocol when not from --decode (connect --profile: the profile's). */
  decodeReason?: string;
}

export interface ResolveCommand {
  kind: 'resolve';
  url: string;
  proxy: ProxySetting;
  json: boolean;
  secrets: string[];
  /** Secrets typed on the command line itself (visible in `ps`): warned about once. */
  visibleSecrets?: VisibleSecret[];
}

export type CliCommand =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | ConnectCommand
  | ResolveCommand
  | ProfilesCommand
  | InterceptCommand
  | InterceptCaCertCommand
  | InterceptPassthroughCommand;

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

const PROXY_OPTIONS = {
  proxy: { type: 'string' },
  'no-proxy': { type: 'boolean' },
  pac: { type: 'string' },
  'system-proxy': { type: 'boolean' },
  'env-proxy': { type: 'boolean' },
  'proxy-user': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies OptionSpec;

const CONNECT_OPTIONS = {
  ...PROXY_OPTIONS,
  'proxy-auth': { type: 'string' },
  'proxy-domain': { type: 'string' },
  'proxy-spn': { type: 'string' },
  'proxy-ca': { type: 'string', multiple: true },
  header: { type: 'string', short: 'H', multiple: true },
  subprotocol: { type: 'string', multiple: true },
  origin: { type: 'string' },
  ca: { type: 'string', multiple: true },
  trust: { type: 'string' },
  insecure: { type: 'boolean' },
  cert: { type: 'string' },
  key: { type: 'string' },
  send: { type: 'string', multiple: true },
  'send-binary': { type: 'string', multiple: true },
  'send-file': { type: 'string', multiple: true },
  'send-binary-file': { type: 'string', multiple: true },
  repeat: { type: 'string' },
  interval: { type: 'string' },
  count: { type: 'string' },
  timeout: { type: 'string' },
  'proxy-connect-timeout': { type: 'string' },
  'proxy-answer-timeout': { type: 'string' },
  'tls-timeout': { type: 'string' },
  'upgrade-timeout': { type: 'string' },
  keepalive: { type: 'string' },
  'no-engineio-heartbeat': { type: 'boolean' },
  'no-mqtt-keepalive': { type: 'boolean' },
  reconnect: { type: 'boolean' },
  'reconnect-max': { type: 'string' },
  'reconnect-delay': { type: 'string' },
  'reconnect-normal-close': { type: 'boolean' },
  'keep-frames': { type: 'string' },
  'keep-mb': { type: 'string' },
  listen: { type: 'boolean' },
  export: { type: 'string' },
  profile: { type: 'string' },
  'data-dir': { type: 'string' },
  env: { type: 'string' },
  var: { type: 'string', multiple: true },
  decode: { type: 'string' },
  'export-decoded': { type: 'boolean' },
} satisfies OptionSpec;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The environment the parser reads: TUNNELSCOPE_PROXY_USER (proxy-user-source.ts). */
export type CliEnv = Readonly<Record<string, string | undefined>>;

export function parseCommandLine(argv: readonly string[], env: CliEnv = {}): CliCommand {
  // `--data-dir <dir>` may come before the command (a global option).
  const { dataDir, rest: afterGlobal } = takeDataDir(argv);
  const parsed = parseCommand(afterGlobal, env);
  if (dataDir === undefined) return parsed;
  if (parsed.kind === 'connect' || parsed.kind === 'profiles' || parsed.kind === 'intercept') {
    if (parsed.dataDir !== undefined) throw new UsageError('--data-dir was given twice; give it once', parsed.kind);
    return { ...parsed, dataDir };
  }
  return parsed;
}

function parseCommand(argv: readonly string[], env: CliEnv): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { kind: 'help', text: MAIN_HELP };
  }
  if (command === '--version' || command === '-V') return { kind: 'version' };
  if (command === 'connect') return parseConnect(rest, env);
  if (command === 'resolve') return parseResolve(rest, env);
  if (command === 'profiles') return parseProfiles(rest);
  if (command === 'intercept') return parseIntercept(rest, env);
  if (command.startsWith('-')) {
    throw new UsageError(`${command} must come after a command: tunnelscope connect <url> ${command} …`);
  }
  throw new UsageError(`unknown command "${command}" (the commands are connect, resolve, profiles and intercept)`);
}

// ---------------------------------------------------------------------------------------
// Tokens → values, with the strict checks
// ---------------------------------------------------------------------------------------

interface Parsed {
  /** Every option occurrence in order: name → values (booleans as 'true'). */
  order: { name: string; value: string }[];
  positionals: string[];
}

function tokenize(args: readonly string[], spec: OptionSpec, command: 'connect' | 'resolve'): Parsed {
  const { tokens } = parseArgs({ args: [...args], options: spec, strict: false, allowPositionals: true, tokens: true });
  const order: Parsed['order'] = [];
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const option = Object.prototype.hasOwnProperty.call(spec, token.name) ? spec[token.name] : undefined;
    if (!option) throw new UsageError(`unknown option ${token.rawName}`, command);
    if (option.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value (got "${token.value}")`, command);
      order.push({ name: token.name, value: 'true' });
      continue;
    }
    // Non-strict parseArgs takes the next word as the value even when it is another flag.
    const looksLikeFlag = !token.inlineValue && token.value !== undefined && isKnownFlag(token.value, spec);
    if (token.value === undefined || looksLikeFlag) {
      throw new UsageError(`${token.rawName} needs a value`, command);
    }
    order.push({ name: token.name, value: token.value });
  }
  return { order, positionals };
}

function isKnownFlag(word: string, spec: OptionSpec): boolean {
  if (word.startsWith('--')) {
    const name = word.slice(2).split('=')[0] ?? '';
    return Object.prototype.hasOwnProperty.call(spec, name);
  }
  if (/^-[A-Za-z]$/.test(word)) return Object.values(spec).some((option) => option.short === word.slice(1));
  return false;
}

function all(parsed: Parsed, name: string): string[] {
  return parsed.order.filter((entry) => entry.name === name).map((entry) => entry.value);
}

/** The single value of a flag; given twice is a mistake, not "last one wins". */
function single(parsed: Parsed, name: string, command: 'connect' | 'resolve'): string | undefined {
  const values = all(parsed, name);
  if (values.length > 1) throw new UsageError(`--${name} was given ${values.length} times; give it once`, command);
  return values[0];
}

function flag(parsed: Parsed, name: string): boolean {
  return all(parsed, name).length > 0;
}

// ---------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------

function parseWsUrl(positionals: readonly string[], command: 'connect' | 'resolve'): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs a URL, e.g. tunnelscope ${command} wss://echo.example/`, command);
  if (positionals.length > 1) {
    throw new UsageError(`${command} takes one URL, got ${positionals.length}: ${positionals.join(' ')}`, command);
  }
  const raw = positionals[0] ?? '';
  // A URL with {{variables}} is checked whole once the engine has filled them in.
  if (command === 'connect' && hasTemplate(raw)) {
    const templated = wsUrlTemplateSchema.safeParse(raw, PLAIN_ISSUE_WORDS);
    if (!templated.success) throw new UsageError(`the URL ${JSON.stringify(raw.slice(0, 200))}: ${templated.error.issues[0]?.message ?? 'invalid'}`, command);
    return raw;
  }
  const problem = endpointProblem(raw, 'server');
  if (problem !== undefined) throw new UsageError(`the URL ${problem}`, command);
  return raw;
}

/** The user name of a proxy URL that has one and no password (`http://alice@proxy:3128`), decoded. */
function userWithoutPassword(raw: string): string | undefined {
  const parsed = parseEndpointUrl(raw, 'proxy');
  if (!parsed.ok || parsed.endpoint.username === undefined || parsed.endpoint.password !== '') return undefined;
  return parsed.endpoint.username;
}

/**
 * What is wrong with a URL that decides where a secret goes, by the engine's own parser
 * (shared/endpoint-url.ts), as `"<url, credentials hidden>": <problem>`; undefined when fine.
 */
function endpointProblem(raw: string, kind: EndpointUrlKind): string | undefined {
  const parsed = parseEndpointUrl(raw, kind);
  return parsed.ok ? undefined : `${JSON.stringify(redactProxyUrlText(raw).slice(0, 200))}: ${parsed.problem}`;
}

/** `--pac http(s)://…` is a URL, `file:` a file URL, anything else a path that must be readable. */
function parsePac(value: string, command: 'connect' | 'resolve'): ProxySetting {
  if (/^https?:\/\//i.test(value)) {
    const problem = endpointProblem(value, 'pac');
    if (problem !== undefined) throw new UsageError(`--pac ${problem}`, command);
    return { mode: 'pac', source: { kind: 'url', url: value } };
  }
  let filePath = value;
  if (/^file:/i.test(value)) {
    try {
      filePath = fileURLToPath(value);
    } catch {
      throw new UsageError(`--pac: "${value}" is not a valid file: URL`, command);
    }
  }
  const problem = checkReadableFile(filePath, 'any');
  if (problem) throw new UsageError(`--pac: ${problem}`, command);
  return { mode: 'pac', source: { kind: 'file', path: path.resolve(filePath) } };
}

/** The password inside a proxy URL (`http://u:p@host`), to keep it out of every output. */
function passwordInUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.password === '' ? undefined : decodeURIComponent(url.password);
  } catch {
    return undefined;
  }
}

/** The password in a ws:// or PAC URL and the Basic token it goes out as, to keep them out of every output. */
function urlCredentialSecrets(value: string): string[] {
  const password = urlPassword(value);
  if (password === undefined) return [];
  let username = '';
  try {
    username = decodeURIComponent(new URL(value).username);
  } catch {
    // A malformed escape: the password is still kept out; only the token may differ.
  }
  return [password, Buffer.from(`${username}:${password}`).toString('base64')];
}

function parseProxyChoice(parsed: Parsed, command: 'connect' | 'resolve', env: CliEnv, secrets: string[], visible: VisibleSecret[]): ProxyChoice {
  const proxy = single(parsed, 'proxy', command);
  const noProxy = flag(parsed, 'no-proxy');
  const pac = single(parsed, 'pac', command);
  const systemProxy = flag(parsed, 'system-proxy');
  const envProxy = flag(parsed, 'env-proxy');
  const chosen = [proxy !== undefined && '--proxy', noProxy && '--no-proxy', pac !== undefined && '--pac', systemProxy && '--system-proxy', envProxy && '--env-proxy'].filter(
    (name): name is string => typeof name === 'string',
  );
  if (chosen.length > 1) throw new UsageError(`${chosen.join(' and ')} cannot be combined: choose one way to pick the proxy`, command);

  const userPass = single(parsed, 'proxy-user', command);
  const proxyCaFiles = command === 'connect' ? all(parsed, 'proxy-ca') : [];
  if (noProxy && userPass !== undefined) throw new UsageError('--proxy-user makes no sense with --no-proxy', command);
  if (noProxy && proxyCaFiles.length > 0) throw new UsageError('--proxy-ca makes no sense with --no-proxy', command);
  // Each --proxy-ca file is checked with the other file flags (checkFileFlags), so one run names every bad file.

  let setting: ProxySetting;
  if (proxy !== undefined) {
    if (proxy.trim() === '') throw new UsageError('--proxy needs a URL such as http://proxy:3128', command);
    const problem = endpointProblem(proxy, 'proxy');
    if (problem !== undefined) throw new UsageError(`--proxy ${problem}`, command);
    const password = passwordInUrl(proxy);
    if (password) {
      secrets.push(password);
      if (carriesSecret(password)) visible.push(VISIBLE.proxyUrl('--proxy'));
      // The URL's credentials would win over --proxy-user's (resolve.ts): both typed is a mistake.
      if (userPass !== undefined) throw new UsageError("--proxy-user and a user:password@ in --proxy's URL: give the credentials once", command);
    }
    setting = { mode: 'manual', url: proxy };
  } else if (noProxy) {
    setting = { mode: 'none' };
  } else if (pac !== undefined) {
    const pacSecrets = urlCredentialSecrets(pac);
    secrets.push(...pacSecrets);
    if (pacSecrets[0] !== undefined && carriesSecret(pacSecrets[0])) visible.push(VISIBLE.pacUrl);
    setting = parsePac(pac, command);
  } else if (systemProxy) {
    setting = { mode: 'system' };
  } else if (envProxy) {
    setting = { mode: 'env' };
  } else {
    // The proxy variables when one is set, else the OS settings, else direct (resolve.ts).
    setting = { mode: 'auto' };
  }

  const choice: ProxyChoice = { setting, proxyCaFiles: proxyCaFiles.map((file) => path.resolve(file)) };
  // TUNNELSCOPE_PROXY_USER is ambient: with --no-proxy it is left unused, not refused.
  const user = proxyUserFrom(userPass, noProxy ? {} : env, command);
  if (user !== undefined) {
    const { username, password } = user;
    if (password !== '') secrets.push(password);
    if (user.from === 'flag' && carriesSecret(password)) visible.push(VISIBLE.proxyUser);
    choice.proxyAuth = { username, password };
  }
  // `--proxy http://alice@proxy`: the URL's user wins over proxyAuth (resolve.ts), so its password goes beside it.
  const urlUser = setting.mode === 'manual' ? userWithoutPassword(setting.url) : undefined;
  const password = urlUser === undefined ? undefined : passwordForUrlUser(urlUser, user, '--proxy', command);
  if (setting.mode === 'manual' && urlUser !== undefined && password !== undefined) choice.setting = { ...setting, username: urlUser, password };
  return choice;
}

// ---------------------------------------------------------------------------------------
// connect
// ---------------------------------------------------------------------------------------

/** `-H 'Name: value'`, or `-H @file`: a header a line (blank lines skipped), so secret ones stay out of the process list. */
function parseHeaderFlag(value: string): Header[] {
  const file = fileReference(value);
  if (file === undefined) return [parseHeader(value)];
  const lines = readSecretFile('-H', file, 'connect').split(/\r?\n/);
  return lines.flatMap((line, index) => {
    if (line.trim() === '') return [];
    // Said without the line itself: it may hold a secret.
    const where = `-H @${file} line ${index + 1}`;
    const colon = line.indexOf(':');
    if (colon <= 0) throw fileProblem(`${where}: not a header; each line must be 'Name: value'`, 'connect');
    const name = line.slice(0, colon).trim();
    if (!TOKEN.test(name)) throw fileProblem(`${where}: "${name.slice(0, 100)}" is not a valid header name`, 'connect');
    return [parseHeader(line)];
  });
}

function parseHeader(value: string): Header {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new UsageError(`-H/--header must be 'Name: value', got "${value}"`, 'connect');
  const name = value.slice(0, colon).trim();
  const headerValue = value.slice(colon + 1).trim();
  if (!TOKEN.test(name)) throw new UsageError(`-H/--header: "${name}" is not a valid header name`, 'connect');
  if (/[\r\n\0]/.test(headerValue)) throw new UsageError(`-H/--header: the value of ${name} contains CR, LF or NUL`, 'connect');
  // The same rule as Copy as command and the engine's redaction by value (shared/secret-headers.ts).
  return looksLikeCredentialHeader(name)
    ? { name, value: headerValue, secret: true }
    : { name, value: headerValue };
}

function parseHex(value: string): string {
  const compact = value.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (compact === '' || !/^(?:[0-9a-fA-F]{2})+$/.test(compact)) {
    throw new UsageError(
      `--send-binary: "${value}" is not hex bytes (two hex digits per byte, e.g. 48656c6c6f or "48 65 6c")`,
      'connect',
    );
  }
  return Buffer.from(compact, 'hex').toString('base64');
}

function parsePositiveInt(value: string, flagName: string, max: number, unit: string): number {
  return wholeNumberFlag(value, flagName, 1, max, unit);
}

/** --keep-frames and --keep-mb: the session's history (either alone keeps the other's default). */
function parseHistory(parsed: Parsed): HistorySetting | undefined {
  const framesRaw = single(parsed, 'keep-frames', 'connect');
  const megabytesRaw = single(parsed, 'keep-mb', 'connect');
  if (framesRaw === undefined && megabytesRaw === undefined) return undefined;
  const maxFrames = framesRaw === undefined ? HISTORY_DEFAULTS.maxFrames : wholeNumberFlag(framesRaw, 'keep-frames', HISTORY_LIMITS.minFrames, HISTORY_LIMITS.maxFrames, 'frames');
  const megabytes =
    megabytesRaw === undefined
      ? HISTORY_DEFAULTS.maxBytes / MIB
      : wholeNumberFlag(megabytesRaw, 'keep-mb', HISTORY_LIMITS.minBytes / MIB, HISTORY_LIMITS.maxBytes / MIB, 'MiB');
  return { maxFrames, maxBytes: megabytes * MIB };
}

interface FileFlag {
  value: string;
  flagName: 'ca' | 'cert' | 'key' | 'proxy-ca';
  kind: PemKind;
}

/** Checks every file flag before failing, so one usage error names every bad file (as the engine's preflight does). */
function checkFileFlags(files: readonly FileFlag[]): void {
  const problems = files.flatMap(({ value, flagName, kind }) => {
    const problem = checkReadableFile(value, kind);
    return problem === undefined ? [] : [`--${flagName}: ${problem}`];
  });
  if (problems.length > 0) throw new UsageError(problems.join('; '), 'connect');
}

/** `--keepalive` alone: ping every 30 s (the UI's default). */
const KEEPALIVE_FLAG_DEFAULT_SECONDS = KEEPALIVE_DEFAULTS.intervalMs / 1000;

/**
 * `--keepalive` takes an optional value: a bare `--keepalive` (followed by anything but a
 * number, or by nothing) becomes `--keepalive=30`, so the URL after it stays the URL.
 */
function withKeepaliveValue(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    out.push(arg === '--keepalive' && (next === undefined || !/^[-+.]?\d/.test(next)) ? `--keepalive=${KEEPALIVE_FLAG_DEFAULT_SECONDS}` : arg);
  }
  return out;
}

/** --keepalive [seconds]: off unless given; the pong deadline is the contract's default (10 s). */
function parseKeepalive(parsed: Parsed): KeepaliveSetting | undefined {
  const raw = single(parsed, 'keepalive', 'connect');
  if (raw === undefined) return undefined;
  const seconds = wholeNumberFlag(raw, 'keepalive', KEEPALIVE_LIMITS.minIntervalMs / 1000, KEEPALIVE_LIMITS.maxIntervalMs / 1000, 'seconds');
  return { intervalMs: seconds * 1000, pongTimeoutMs: KEEPALIVE_DEFAULTS.pongTimeoutMs };
}

/** --trust mozilla+os|mozilla|ca-files; unset: the contract's default (mozilla+os). */
function parseTrust(parsed: Parsed): TrustSetting | undefined {
  const raw = single(parsed, 'trust', 'connect');
  if (raw === undefined) return undefined;
  const setting = TRUST_SETTINGS.find((name) => name === raw);
  if (setting === undefined) throw new UsageError(`--trust: "${raw}" is not one of ${TRUST_SETTINGS.join(', ')}`, 'connect');
  return setting;
}

/** `--proxy-spn HTTP@proxy.corp.example`: the Negotiate service principal, checked as the contract checks it. */
function parseProxySpnFlag(value: string | undefined, mode: ProxySetting['mode']): string | undefined {
  if (value === undefined) return undefined;
  if (mode === 'none') throw new UsageError('--proxy-spn makes no sense with --no-proxy', 'connect');
  const parsed = parseServicePrincipal(value);
  if (!parsed.ok) throw new UsageError(`--proxy-spn: ${parsed.problem}`, 'connect');
  return value.trim();
}

function parseConnect(args: readonly string[], env: CliEnv): CliCommand {
  const parsed = tokenize(withKeepaliveValue(args), CONNECT_OPTIONS, 'connect');
  if (flag(parsed, 'help')) return { kind: 'help', text: CONNECT_HELP };
  const profile = single(parsed, 'profile', 'connect');
  const dataDir = single(parsed, 'data-dir', 'connect');
  if (profile !== undefined) return parseConnectProfile(parsed, profile, dataDir);
  const url = parseWsUrl(parsed.positionals, 'connect');
  const secrets: string[] = urlCredentialSecrets(url);
  const visibleSecrets: VisibleSecret[] = [];
  if (secrets[0] !== undefined && carriesSecret(secrets[0])) visibleSecrets.push(VISIBLE.url);
  const proxy = parseProxyChoice(parsed, 'connect', env, secrets, visibleSecrets);
  const proxyAuthFlag = single(parsed, 'proxy-auth', 'connect');
  if (proxyAuthFlag !== undefined && proxy.setting.mode === 'none') throw new UsageError('--proxy-auth makes no sense with --no-proxy', 'connect');
  const proxyAuthScheme = proxyAuthFlag === undefined ? undefined : parseProxyAuthFlag(proxyAuthFlag);
  const domain = single(parsed, 'proxy-domain', 'connect');
  if (domain !== undefined) {
    if (proxy.proxyAuth === undefined) throw new UsageError(`--proxy-domain needs --proxy-user (or ${PROXY_USER_ENV}): the domain is that user's`, 'connect');
    if (domain.trim() === '') throw new UsageError('--proxy-domain needs a domain name such as CORP', 'connect');
    proxy.proxyAuth = { ...proxy.proxyAuth, domain };
  }
  const servicePrincipal = parseProxySpnFlag(single(parsed, 'proxy-spn', 'connect'), proxy.setting.mode);

  const headerArgs = all(parsed, 'header');
  const headers = headerArgs.flatMap(parseHeaderFlag);
  for (const header of headers) if (header.secret && header.value.length > 0) secrets.push(header.value);
  for (const header of headerArgs.filter((arg) => fileReference(arg) === undefined).map(parseHeader)) {
    if (header.secret && carriesSecret(header.value)) visibleSecrets.push(VISIBLE.header(header.name));
  }
  const variables = variableFlagsField(single(parsed, 'env', 'connect'), all(parsed, 'var'), { secrets, visible: visibleSecrets });
  const subprotocols = all(parsed, 'subprotocol');
  for (const protocol of subprotocols) {
    if (!TOKEN.test(protocol) && !hasTemplate(protocol)) throw new UsageError(`--subprotocol: "${protocol}" is not a valid subprotocol token`, 'connect');
  }

  const caArgs = all(parsed, 'ca');
  const cert = single(parsed, 'cert', 'connect');
  const key = single(parsed, 'key', 'connect');
  if ((cert === undefined) !== (key === undefined)) {
    throw new UsageError('a client certificate needs both --cert <file> and --key <file>', 'connect');
  }
  checkFileFlags([
    ...caArgs.map((value): FileFlag => ({ value, flagName: 'ca', kind: 'certificate' })),
    ...(cert !== undefined && key !== undefined
      ? [{ value: cert, flagName: 'cert', kind: 'certificate' } satisfies FileFlag, { value: key, flagName: 'key', kind: 'key' } satisfies FileFlag]
      : []),
    ...all(parsed, 'proxy-ca').map((value): FileFlag => ({ value, flagName: 'proxy-ca', kind: 'certificate' })),
  ]);
  const caFiles = caArgs.map((file) => path.resolve(file));
  const insecure = flag(parsed, 'insecure');
  const trust = parseTrust(parsed);

  const { outgoing, count, repeat } = parseMessages(parsed);
  const timeouts = parseTimeoutFlags((name) => single(parsed, name, 'connect'));
  const origin = single(parsed, 'origin', 'connect');
  const history = parseHistory(parsed);
  const keepalive = parseKeepalive(parsed);
  const reconnect = parseReconnectFlags({
    reconnect: flag(parsed, 'reconnect'),
    max: single(parsed, 'reconnect-max', 'connect'),
    delay: single(parsed, 'reconnect-delay', 'connect'),
    normalClose: flag(parsed, 'reconnect-normal-close'),
  });

  const options: ConnectionOptionsInput = {
    url,
    proxy: proxy.setting,
    proxyCaFiles: proxy.proxyCaFiles,
    headers,
    subprotocols,
    tls: {
      caFiles,
      insecure,
      ...(trust !== undefined ? { trust } : {}),
      ...(cert !== undefined && key !== undefined
        ? { certFile: path.resolve(cert), keyFile: path.resolve(key) }
        : {}),
    },
    ...(proxy.proxyAuth ? { proxyAuth: proxy.proxyAuth } : {}),
    ...(proxyAuthScheme !== undefined ? { proxyAuthScheme } : {}),
    ...(servicePrincipal !== undefined ? { proxyAuthServicePrincipal: servicePrincipal } : {}),
    ...(origin !== undefined ? { origin } : {}),
    ...(timeouts !== undefined ? { timeouts } : {}),
    ...(history !== undefined ? { history } : {}),
    ...(keepalive !== undefined ? { keepalive } : {}),
    // Engine.IO's pings are answered unless asked not to (the option's unset value is on).
    ...(flag(parsed, 'no-engineio-heartbeat') ? { engineioHeartbeat: false } : {}),
    // So is MQTT's keep-alive (PINGREQ when due).
    ...(flag(parsed, 'no-mqtt-keepalive') ? { mqttKeepalive: false } : {}),
    ...(reconnect !== undefined ? { reconnect } : {}),
  };
  // Last line of defence: whatever the contract would reject is a usage error too.
  const checked = connectionOptionsSchema.safeParse(options, PLAIN_ISSUE_WORDS);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const header = issue ? headerIssueText(headers, issue.path, issue.message) : undefined;
    if (header !== undefined) throw new UsageError(header, 'connect');
    const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    throw new UsageError(`${where}${issue?.message ?? 'invalid options'}`, 'connect');
  }

  return {
    kind: 'connect',
    options,
    outgoing,
    ...(repeat !== undefined ? { repeat } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(dataDir !== undefined ? { dataDir } : {}),
    listen: flag(parsed, 'listen'),
    json: flag(parsed, 'json'),
    secrets,
    ...(visibleSecrets.length > 0 ? { visibleSecrets } : {}),
    ...parseExportFlag(single(parsed, 'export', 'connect'), flag(parsed, 'export-decoded'), single(parsed, 'decode', 'connect')),
    ...variables,
    ...parseDecodeFlag(single(parsed, 'decode', 'connect')),
  };
}

/** --send, --send-binary, --send-file, --send-binary-file (in command-line order), --repeat, --interval and --count. */
function parseMessages(parsed: Parsed): { outgoing: OutgoingMessage[]; count?: number; repeat?: RepeatFlag } {
  const outgoing: OutgoingMessage[] = parsed.order.flatMap((entry): OutgoingMessage[] => {
    if (entry.name === 'send') return [{ kind: 'text', data: entry.value }];
    if (entry.name === 'send-binary') return [{ kind: 'binary', data: parseHex(entry.value) }];
    if (entry.name === 'send-file') return [{ kind: 'text', data: readMessageFile(entry.value, 'text'), verbatim: true }];
    if (entry.name === 'send-binary-file') return [{ kind: 'binary', data: readMessageFile(entry.value, 'binary') }];
    return [];
  });
  const repeat = parseRepeatFlags(single(parsed, 'repeat', 'connect'), single(parsed, 'interval', 'connect'), outgoing);
  const countRaw = single(parsed, 'count', 'connect');
  return {
    outgoing,
    ...(repeat !== undefined ? { repeat } : {}),
    ...(countRaw !== undefined ? { count: parsePositiveInt(countRaw, 'count', 1_000_000_000, 'messages') } : {}),
  };
}

/** Flags that describe the connection: the profile has its own, so they cannot be combined with --profile. */
const CONNECTION_FLAGS = ['proxy', 'no-proxy', 'pac', 'system-proxy', 'env-proxy', 'proxy-user', 'proxy-auth', 'proxy-domain', 'proxy-spn', 'proxy-ca', 'header', 'subprotocol', 'origin', 'ca', 'insecure', 'cert', 'key', ...TIMEOUT_FLAG_NAMES, 'keep-frames', 'keep-mb', 'keepalive', 'no-engineio-heartbeat', 'no-mqtt-keepalive', 'reconnect', 'reconnect-max', 'reconnect-delay', 'reconnect-normal-close'];

/** `connect --profile <name>`: the connection comes from the saved profile; only what to send and the output are flags. */
function parseConnectProfile(parsed: Parsed, profile: string, dataDir: string | undefined): CliCommand {
  if (profile.trim() === '') throw new UsageError('--profile needs the name of a saved profile (see tunnelscope profiles list)', 'connect');
  if (parsed.positionals.length > 0) {
    throw new UsageError(`--profile takes no URL: the profile "${profile}" has its own (got ${parsed.positionals.join(' ')})`, 'connect');
  }
  const clash = [...CONNECTION_FLAGS, 'trust'].find((name) => flag(parsed, name));
  if (clash !== undefined) {
    throw new UsageError(`--${clash} cannot be combined with --profile: the profile sets the connection (change it in the app, or connect without --profile)`, 'connect');
  }
  const { outgoing, count, repeat } = parseMessages(parsed);
  const secrets: string[] = [];
  const visibleSecrets: VisibleSecret[] = [];
  const variables = variableFlagsField(single(parsed, 'env', 'connect'), all(parsed, 'var'), { secrets, visible: visibleSecrets });
  return {
    kind: 'connect',
    profile,
    outgoing,
    ...(repeat !== undefined ? { repeat } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(dataDir !== undefined ? { dataDir } : {}),
    listen: flag(parsed, 'listen'),
    json: flag(parsed, 'json'),
    secrets,
    ...(visibleSecrets.length > 0 ? { visibleSecrets } : {}),
    ...parseExportFlag(single(parsed, 'export', 'connect'), flag(parsed, 'export-decoded'), single(parsed, 'decode', 'connect')),
    ...variables,
    ...parseDecodeFlag(single(parsed, 'decode', 'connect')),
  };
}

// ---------------------------------------------------------------------------------------
// resolve
// ---------------------------------------------------------------------------------------

function parseResolve(args: readonly string[], env: CliEnv): CliCommand {
  const parsed = tokenize(args, PROXY_OPTIONS, 'resolve');
  if (flag(parsed, 'help')) return { kind: 'help', text: RESOLVE_HELP };
  const url = parseWsUrl(parsed.positionals, 'resolve');
  const secrets: string[] = urlCredentialSecrets(url);
  const visibleSecrets: VisibleSecret[] = [];
  if (secrets[0] !== undefined && carriesSecret(secrets[0])) visibleSecrets.push(VISIBLE.url);
  const choice = parseProxyChoice(parsed, 'resolve', env, secrets, visibleSecrets);
  // proxy:resolve has no separate credentials: a manual proxy carries them itself, so the
  // decision can say whether they will be sent.
  const proxy: ProxySetting =
    choice.setting.mode === 'manual' && choice.proxyAuth
      ? { ...choice.setting, username: choice.proxyAuth.username, password: choice.proxyAuth.password }
      : choice.setting;
  return { kind: 'resolve', url, proxy, json: flag(parsed, 'json'), secrets, ...(visibleSecrets.length > 0 ? { visibleSecrets } : {}) };
}
