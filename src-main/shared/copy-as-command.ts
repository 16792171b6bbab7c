/**
 * "Copy as command": a connection's options as a `tunnelscope connect`, `websocat` or `wscat`
 * command line for a POSIX shell, proxy included, secrets left out (a placeholder such as
 * `<password>` stands where the user must type one). tunnelscope connect gets the proxy's
 * user:password in TUNNELSCOPE_PROXY_USER, set before the command, never in --proxy-user
 * (a password there shows in the process list). Whatever a tool cannot express is said
 * in a comment line above the command, so a pasted command never silently does something
 * else. Pure TypeScript: the renderer runs it.
 *
 * - wscat: `--proxy` (http:// or https:// proxies, through https-proxy-agent), `-H`, `-s`,
 *   `-o`, one `--ca`, `--cert`/`--key`, `--passphrase` without a value (wscat then prompts),
 *   `-n` for no certificate check. No SOCKS.
 * - websocat 1.x: no HTTP proxy option of its own; its documented way through one is to let
 *   `socat` open the CONNECT tunnel (`--ws-c-uri=… - ws-c:cmd:'socat - proxy:…'`, with a
 *   `ssl-connect:` overlay and `--tls-domain` for wss://). `--socks5 host:port` for SOCKS5
 *   (no authentication). `-H=`, `--protocol`, `--origin`, `-k`. No extra CA files.
 */
import { HISTORY_DEFAULTS, MIB, type ConnectionOptionsInput, type Header, type ProxyDecision, type ProxySetting } from './model';
import { bracketHost, formatHostPort } from './host-port';
import { headerIsSecret } from './secret-headers';
import { KEEPALIVE_DEFAULTS } from './model';
import { DEFAULT_TRUST } from './model';
import { RECONNECT_DEFAULTS } from './model';
import { trustSettingText } from './trust-text';
import { DEADLINE_TEXT, nonDefaultTimeouts } from './timeouts';
import { sendingWords, type CopySending } from './copy-sends';
import { prepareVariables, type CopyVariables } from './copy-variables';
import { decodeWords, type CopyDecode } from './copy-decode';
import { PROXY_USER_ENV } from './proxy-user-env';

export type CommandTool = 'tunnelscope' | 'websocat' | 'wscat';
export const COMMAND_TOOLS: readonly CommandTool[] = ['tunnelscope', 'websocat', 'wscat'];

export interface CopiedCommand {
  tool: CommandTool;
  /** The command line alone. */
  command: string;
  /** What the tool cannot express, or what the user must fill in. */
  notes: string[];
  /**
   * Every secret the connection carries, left out of the command (the same list for every
   * tool): where the tool has a place for it, that place holds `placeholder`.
   */
  secretsLeftOut: SecretLeftOut[];
  /** The notes as `# …` comment lines, then the command: what goes on the clipboard. */
  text: string;
}

/**
 * A header as Copy as command gets it: `plainByChoice` when the user unticked "secret" on a
 * credential-like name in the profile (shared/secret-headers.ts), so it is copied in clear.
 */
export type CopyHeader = Header & { plainByChoice?: boolean | undefined };
/** The connection's options, each header with the user's choice of secrecy. */
export type CopyOptions = Omit<ConnectionOptionsInput, 'headers'> & { headers?: CopyHeader[] | undefined };

export const PASSWORD_PLACEHOLDER = '<password>';
export const SECRET_PLACEHOLDER = '<secret>';
export const USER_PLACEHOLDER = '<user>';
export const URL_PASSWORD_PLACEHOLDER = '<url-password>';
export const PAC_PASSWORD_PLACEHOLDER = '<pac-password>';
export const PASSPHRASE_PLACEHOLDER = '<passphrase>';

export interface SecretLeftOut {
  /** `the proxy password`, `the value of the Authorization header` … */
  what: string;
  placeholder: string;
  /** Whether the command holds the placeholder (else the note says why the tool has no place for it). */
  placed: boolean;
}

/**
 * The secrets of one connection and what became of each in one tool's command. Built from the
 * options alone, so every tool leaves out the same secrets; each tool marks the ones it has a
 * place for (`place`) or says why it has none (`unplaced`), and every one gets a note.
 */
class SecretLedger {
  private readonly entries = new Map<string, { what: string; placeholder: string; placed: boolean; why?: string }>();
  /** Lower-case names of the headers the user made plain on purpose (every header of that name). */
  private readonly plainNames: ReadonlySet<string>;

  constructor(options: ConnectionOptionsInput, decision: ProxyDecision | undefined, plainNames: ReadonlySet<string>) {
    this.plainNames = plainNames;
    const setting: ProxySetting = options.proxy ?? { mode: 'auto' };
    const proxyPassword =
      (options.proxyAuth?.password ?? '') !== '' ||
      (setting.mode === 'manual' && ((setting.password ?? '') !== '' || urlPassword(setting.url))) ||
      (setting.mode !== 'manual' && setting.mode !== 'none' && decision?.candidates[0]?.hasCredentials === true);
    if (proxyPassword) this.add('proxy', 'the proxy password', PASSWORD_PLACEHOLDER);
    if (urlPassword(options.url)) this.add('url', 'the password in the server URL', URL_PASSWORD_PLACEHOLDER);
    if (setting.mode === 'pac' && setting.source.kind === 'url' && urlPassword(setting.source.url)) {
      this.add('pac', 'the password in the PAC URL', PAC_PASSWORD_PLACEHOLDER);
    }
    for (const header of options.headers ?? []) {
      if (this.isSecretHeader(header)) this.add(headerKey(header), `the value of the ${header.name} header`, SECRET_PLACEHOLDER);
    }
    if ((options.tls?.passphrase ?? '') !== '') this.add('passphrase', "the client key's passphrase", PASSPHRASE_PLACEHOLDER);
  }

  /** Secret when marked so, or when its name says it is a credential (Authorization, Cookie, X-Api-Key …) and the user did not untick it. */
  isSecretHeader(header: Header): boolean {
    return headerIsSecret({ name: header.name, secret: header.secret === true, plainByChoice: this.plainNames.has(header.name.toLowerCase()) });
  }

  private add(key: string, what: string, placeholder: string): void {
    this.entries.set(key, { what, placeholder, placed: false });
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The placeholder now stands in the command for this secret. */
  place(key: string): string {
    const entry = this.entries.get(key);
    if (entry) entry.placed = true;
    return entry?.placeholder ?? '';
  }

  /** The tool has no place for this secret; `why` goes into its note. */
  unplaced(key: string, why: string): void {
    const entry = this.entries.get(key);
    if (entry && !entry.placed) entry.why ??= why;
  }

  notes(tool: CommandTool): string[] {
    return [...this.entries.values()].map((entry) =>
      entry.placed
        ? `replace ${entry.placeholder} with ${entry.what} (it is secret and never copied)`
        : `${entry.what} is left out (it is secret and never copied): ${entry.why ?? `${TOOL_NAMES[tool]} has no option for it`}`,
    );
  }

  leftOut(): SecretLeftOut[] {
    return [...this.entries.values()].map(({ what, placeholder, placed }) => ({ what, placeholder, placed }));
  }
}

const TOOL_NAMES: Record<CommandTool, string> = { tunnelscope: 'tunnelscope connect', websocat: 'websocat', wscat: 'wscat' };

/**
 * The names whose every header was unticked on purpose (a name is one secret in the ledger, so
 * one header of it left secret keeps them all masked).
 */
function plainByChoiceNames(headers: readonly CopyHeader[]): Set<string> {
  const plain = new Set<string>();
  const secret = new Set<string>();
  for (const header of headers) {
    const name = header.name.toLowerCase();
    if (header.plainByChoice === true && header.secret !== true) plain.add(name);
    else secret.add(name);
  }
  for (const name of secret) plain.delete(name);
  return plain;
}

function headerKey(header: Header): string {
  return `header:${header.name.toLowerCase()}`;
}

function urlPassword(raw: string): boolean {
  try {
    return new URL(raw.includes('://') ? raw : `http://${raw}`).password !== '';
  } catch {
    return false;
  }
}

/**
 * The URL with `placeholder` where its password was (`wss://bob:<url-password>@host/`);
 * unchanged without one. Built as text: URL would percent-encode the angle brackets.
 */
function withPasswordPlaceholder(raw: string, placeholder: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  if (url.password === '') return raw;
  url.password = '';
  const user = url.username;
  url.username = '';
  const bare = url.href;
  const start = `${url.protocol}//`;
  return bare.startsWith(start) ? `${start}${user}:${placeholder}@${bare.slice(start.length)}` : bare;
}

/** Characters a POSIX shell word may hold unquoted (as Python's shlex.quote decides). */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for a POSIX shell: as it is when safe, else in single quotes (a quote inside as '\''). */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A proxy as the command needs it: where, and whether credentials go with it. */
interface ProxyTarget {
  protocol: 'http' | 'https' | 'socks5';
  host: string;
  port: number;
  username?: string;
  hasPassword: boolean;
}

type ProxyPlan =
  | { kind: 'none' }
  | { kind: 'proxy'; proxy: ProxyTarget }
  | { kind: 'pac'; source: Extract<ProxySetting, { mode: 'pac' }>['source'] }
  | { kind: 'env' }
  | { kind: 'unresolved'; mode: string };

/**
 * `sending`: the composer's message and its repeat (copy-sends.ts), when the command should send it.
 * `variables`: keep the `{{names}}` (tunnelscope gets --env) or resolve them (copy-variables.ts).
 * `decode`: the tab's Decode choice, as --decode when it is not auto (copy-decode.ts).
 */
export function copyAsCommand(
  tool: CommandTool,
  given: CopyOptions,
  decision?: ProxyDecision,
  sending?: CopySending,
  variables?: CopyVariables,
  decode?: CopyDecode,
): CopiedCommand {
  const prepared = variables ? prepareVariables(tool, given, variables, shellQuote) : { options: given, words: [], notes: [] };
  const options = prepared.options;
  const notes: string[] = [...prepared.notes];
  const secrets = new SecretLedger(options, decision, plainByChoiceNames(given.headers ?? []));
  const plan = planProxy(options, decision, tool, notes);
  const words =
    tool === 'tunnelscope'
      ? tunnelscopeWords(options, plan, notes, secrets)
      : tool === 'wscat'
        ? wscatWords(options, plan, notes, secrets)
        : websocatWords(options, plan, notes, secrets);
  if (tool === 'tunnelscope') words.push(...prepared.words);
  if (decode !== undefined) decodeWords(tool, decode, words, notes, shellQuote);
  if (sending !== undefined) sendingWords(tool, sending, words, notes, shellQuote);
  const command = words.join(' ');
  // What the user must fill in comes first.
  const cleanNotes = [...secrets.notes(tool), ...notes].map((note) => note.replace(/[\u0000-\u001f\u007f]+/g, ' '));
  const text = [...cleanNotes.map((note) => `# ${note}`), command].join('\n');
  return { tool, command, notes: cleanNotes, text, secretsLeftOut: secrets.leftOut() };
}

// ---------------------------------------------------------------------------------------
// The proxy
// ---------------------------------------------------------------------------------------

function planProxy(options: ConnectionOptionsInput, decision: ProxyDecision | undefined, tool: CommandTool, notes: string[]): ProxyPlan {
  const setting: ProxySetting = options.proxy ?? { mode: 'auto' };
  const auth = options.proxyAuth;
  if (setting.mode === 'none') return { kind: 'none' };
  if (setting.mode === 'manual') {
    const target = parseProxyUrl(setting.url);
    if (!target) {
      notes.push(`the proxy URL "${withoutUserInfo(setting.url)}" could not be read: the command goes without a proxy`);
      return { kind: 'none' };
    }
    const username = target.username ?? setting.username ?? auth?.username;
    const hasPassword = target.hasPassword || (setting.password ?? '') !== '' || (auth?.password ?? '') !== '';
    return { kind: 'proxy', proxy: { ...target, ...(username !== undefined && username !== '' ? { username } : {}), hasPassword } };
  }
  if (tool === 'tunnelscope') {
    if (setting.mode === 'pac') return { kind: 'pac', source: setting.source };
    if (setting.mode === 'env') return { kind: 'env' };
  }
  // auto / system / env / pac for tools that cannot decide themselves: use what was decided.
  const chosen = decision?.candidates[0];
  if (chosen && chosen.protocol !== 'direct') {
    const target = parseProxyUrl(chosen.url);
    if (target) {
      notes.push(`the proxy was chosen by ${decision.source} (${decision.reason}); the command names it directly`);
      const username = auth?.username;
      return {
        kind: 'proxy',
        proxy: { ...target, ...(username ? { username } : {}), hasPassword: chosen.hasCredentials || (auth?.password ?? '') !== '' },
      };
    }
  }
  if (chosen && chosen.protocol === 'direct') {
    notes.push(`the proxy setting (${setting.mode}) decided on a direct connection; the command connects directly`);
    return { kind: 'none' };
  }
  return { kind: 'unresolved', mode: setting.mode };
}

function parseProxyUrl(raw: string): ProxyTarget | undefined {
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  const protocol = scheme === 'https' ? 'https' : scheme === 'socks5' || scheme === 'socks5h' || scheme === 'socks' ? 'socks5' : scheme === 'http' ? 'http' : undefined;
  if (!protocol || url.hostname === '') return undefined;
  const port = url.port !== '' ? Number(url.port) : protocol === 'https' ? 443 : protocol === 'socks5' ? 1080 : 80;
  const username = url.username !== '' ? safeDecode(url.username) : undefined;
  return { protocol, host: url.hostname, port, ...(username !== undefined ? { username } : {}), hasPassword: url.password !== '' };
}

/** A URL that could not be parsed, quoted without anything before an `@` in its authority (it may hold a password). */
function withoutUserInfo(raw: string): string {
  return raw.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#]*@/, '$1');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `http://user:<password>@host:port` (credentials only when there are some). */
function proxyUrl(proxy: ProxyTarget, secrets: SecretLedger | undefined): string {
  const host = bracketHost(proxy.host);
  const user = proxy.username !== undefined ? encodeURIComponent(proxy.username) : proxy.hasPassword ? USER_PLACEHOLDER : undefined;
  const credentials = secrets && user !== undefined ? `${user}${proxy.hasPassword ? `:${secrets.place('proxy')}` : ''}@` : '';
  return `${proxy.protocol}://${credentials}${host}:${proxy.port}`;
}

// ---------------------------------------------------------------------------------------
// Pieces every tool shares
// ---------------------------------------------------------------------------------------

function headerText(header: Header, secrets: SecretLedger): string {
  if (secrets.isSecretHeader(header)) return `${header.name}: ${secrets.place(headerKey(header))}`;
  return `${header.name}: ${header.value}`;
}

/** The URL without its fragment, a placeholder for its password (ws:// user:password@ is sent as Basic auth: a secret). */
function targetUrl(raw: string, secrets: SecretLedger): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  url.hash = '';
  // {{variables}} kept, or a <secret> placeholder: as written (re-serialising would %-encode them).
  if (url.password === '' && /[{}<>]/.test(raw)) return raw.replace(/#.*$/s, '');
  if (url.password === '') return url.href;
  return withPasswordPlaceholder(url.href, secrets.place('url'));
}

/** The proxy password where the command has no proxy to give it to. */
function proxyPasswordUnplaced(tool: string, plan: ProxyPlan, secrets: SecretLedger): void {
  if (plan.kind === 'proxy') return;
  secrets.unplaced('proxy', plan.kind === 'none' ? 'the command connects without a proxy' : `${tool} does not resolve proxies, so the command names none`);
}

/** The deadlines changed from their defaults that `tool` cannot be told (tunnelscope connect takes them all). */
function timeoutNotes(tool: string, options: ConnectionOptionsInput, notes: string[], carried: boolean): void {
  if (carried) return;
  for (const { name, ms } of nonDefaultTimeouts(options)) notes.push(`${tool} has no option for the ${ms} ms ${DEADLINE_TEXT[name].words} deadline`);
}

// ---------------------------------------------------------------------------------------
// tunnelscope connect
// ---------------------------------------------------------------------------------------

/** `--proxy-domain <domain>` beside the proxy user, when the NTLM domain is set apart from the user name. */
function domainWords(options: ConnectionOptionsInput): string[] {
  const domain = options.proxyAuth?.domain;
  return domain !== undefined && domain !== '' ? ['--proxy-domain', shellQuote(domain)] : [];
}

/**
 * The proxy's user:password as `TUNNELSCOPE_PROXY_USER='…' ` before the command: on the command
 * line (--proxy-user) the password would show in `ps`, and the CLI warns of it. The value alone
 * is quoted, so the shell still reads the word as an assignment.
 */
function proxyUserAssignment(userPass: string): string {
  return `${PROXY_USER_ENV}=${shellQuote(userPass)}`;
}

function tunnelscopeWords(options: ConnectionOptionsInput, plan: ProxyPlan, notes: string[], secrets: SecretLedger): string[] {
  const words = ['tunnelscope', 'connect', shellQuote(targetUrl(options.url, secrets))];
  let proxyUser: string | undefined;
  if (plan.kind === 'none') words.push('--no-proxy');
  else if (plan.kind === 'proxy') {
    words.push('--proxy', shellQuote(proxyUrl(plan.proxy, undefined)));
    if (plan.proxy.username !== undefined || plan.proxy.hasPassword) {
      proxyUser = `${plan.proxy.username ?? USER_PLACEHOLDER}:${secrets.place('proxy')}`;
      words.push(...domainWords(options));
    }
  } else if (plan.kind === 'pac') {
    if (plan.source.kind === 'url') words.push('--pac', shellQuote(withPasswordPlaceholder(plan.source.url, secrets.has('pac') ? secrets.place('pac') : '')));
    else if (plan.source.kind === 'file') words.push('--pac', shellQuote(plan.source.path));
    else {
      notes.push('an inline PAC script cannot be given on the command line: save it to a file and put its path for <pac-file>');
      words.push('--pac', shellQuote('<pac-file>'));
    }
  } else if (plan.kind === 'env') {
    // The command line's default is auto (variables, then the system settings): say env only.
    words.push('--env-proxy');
  } else if (plan.kind === 'unresolved') {
    if (plan.mode === 'system') words.push('--system-proxy');
    notes.push(
      plan.mode === 'system'
        ? "the command reads the system proxy settings itself (GNOME, KDE, macOS, Windows), not through Chromium's resolver"
        : "the command decides itself, as its auto: the proxy variables (HTTPS_PROXY, NO_PROXY …), then the system proxy settings, not through Chromium's resolver",
    );
  }
  // Credentials for whichever proxy PAC or the environment chooses (the variable works with every mode).
  const auth = options.proxyAuth;
  if (plan.kind !== 'proxy' && plan.kind !== 'none' && auth !== undefined && auth.username !== '') {
    proxyUser = `${auth.username}:${auth.password !== '' ? secrets.place('proxy') : ''}`;
    words.push(...domainWords(options));
  }
  if (proxyUser !== undefined) words.unshift(proxyUserAssignment(proxyUser));
  secrets.unplaced(
    'proxy',
    plan.kind === 'none' ? 'the command connects without a proxy' : 'tunnelscope connect takes the chosen proxy\'s credentials from where the app did (the environment or the PAC answer)',
  );
  if (plan.kind !== 'none' && options.proxyAuthScheme !== undefined && options.proxyAuthScheme !== 'auto') words.push('--proxy-auth', options.proxyAuthScheme);
  if (plan.kind !== 'none' && options.proxyAuthServicePrincipal !== undefined) words.push('--proxy-spn', shellQuote(options.proxyAuthServicePrincipal));
  for (const file of options.proxyCaFiles ?? []) words.push('--proxy-ca', shellQuote(file));
  for (const header of options.headers ?? []) words.push('-H', shellQuote(headerText(header, secrets)));
  for (const protocol of options.subprotocols ?? []) words.push('--subprotocol', shellQuote(protocol));
  if (options.origin !== undefined) words.push('--origin', shellQuote(options.origin));
  const tls = options.tls;
  for (const file of tls?.caFiles ?? []) words.push('--ca', shellQuote(file));
  if (tls?.trust !== undefined && tls.trust !== DEFAULT_TRUST) words.push('--trust', tls.trust);
  if (tls?.insecure === true) words.push('--insecure');
  if (tls?.certFile !== undefined && tls.keyFile !== undefined) words.push('--cert', shellQuote(tls.certFile), '--key', shellQuote(tls.keyFile));
  secrets.unplaced('passphrase', 'tunnelscope connect has no option for the key passphrase: use a key without one');
  // Every deadline changed from its default, by its own flag (older fields included).
  for (const { name, ms } of nonDefaultTimeouts(options)) words.push(DEADLINE_TEXT[name].flag, String(ms));
  timeoutNotes('tunnelscope connect', options, notes, true);
  historyWords(options, words, notes);
  keepaliveWords(options, words, notes);
  // On unless turned off, in the app and in tunnelscope connect alike.
  if (options.engineioHeartbeat === false) words.push('--no-engineio-heartbeat');
  if (options.mqttKeepalive === false) words.push('--no-mqtt-keepalive');
  reconnectWords(options, words, notes);
  if (options.compression === true) notes.push('tunnelscope connect has no option for permessage-deflate compression');
  return words;
}

/** --reconnect with what differs from its defaults (the longest wait follows the first one). */
function reconnectWords(options: ConnectionOptionsInput, words: string[], notes: string[]): void {
  const reconnect = options.reconnect;
  if (reconnect === undefined) return;
  words.push('--reconnect');
  if (reconnect.maxAttempts !== undefined && reconnect.maxAttempts !== RECONNECT_DEFAULTS.maxAttempts) words.push('--reconnect-max', String(reconnect.maxAttempts));
  const initial = reconnect.initialDelayMs ?? RECONNECT_DEFAULTS.initialDelayMs;
  if (initial !== RECONNECT_DEFAULTS.initialDelayMs) words.push('--reconnect-delay', String(initial));
  const longest = reconnect.maxDelayMs ?? RECONNECT_DEFAULTS.maxDelayMs;
  const cliLongest = Math.max(initial, RECONNECT_DEFAULTS.maxDelayMs);
  if (longest !== cliLongest) notes.push(`tunnelscope connect has no option for the longest wait between reconnects (${longest} ms): it waits at most ${cliLongest} ms`);
  if (reconnect.retryNormalClose === true) words.push('--reconnect-normal-close');
  // The CLI has its own way (connect-command.ts onReopen): every --send message again, not only the opening.
  if (reconnect.resend !== undefined && reconnect.resend !== 'none') {
    notes.push('tunnelscope connect has no option to send again what opened the protocol session (a CONNECT, a connection_init, the subscriptions): with --reconnect it sends all its --send messages again on each attempt');
  }
}

/** The other tools connect once. */
function reconnectNote(tool: string, options: ConnectionOptionsInput, notes: string[]): void {
  if (options.reconnect !== undefined) notes.push(`${tool} has no reconnect with backoff: the command connects once (tunnelscope connect --reconnect does)`);
}

/** --keep-frames / --keep-mb for a history other than the default (the other tools keep none). */
function historyWords(options: ConnectionOptionsInput, words: string[], notes: string[]): void {
  const maxFrames = options.history?.maxFrames;
  const maxBytes = options.history?.maxBytes;
  if (maxFrames !== undefined && maxFrames !== HISTORY_DEFAULTS.maxFrames) words.push('--keep-frames', String(maxFrames));
  if (maxBytes === undefined || maxBytes === HISTORY_DEFAULTS.maxBytes) return;
  const megabytes = Math.max(1, Math.round(maxBytes / MIB));
  words.push('--keep-mb', String(megabytes));
  if (megabytes * MIB !== maxBytes) notes.push(`the history's ${maxBytes}-byte budget is rounded to ${megabytes} MiB (--keep-mb takes whole MiB)`);
}

/** Whole seconds for a command-line flag (at least 1), with a note when a deadline was rounded. */
function keepaliveSeconds(ms: number, what: string, notes: string[]): number {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds * 1000 !== ms) notes.push(`the keep-alive ${what} of ${ms} ms is rounded to ${seconds} s (the option takes whole seconds)`);
  return seconds;
}

/** --keepalive <seconds> (tunnelscope connect is without keep-alive unless asked). */
function keepaliveWords(options: ConnectionOptionsInput, words: string[], notes: string[]): void {
  const keepalive = options.keepalive;
  if (keepalive === undefined) return;
  words.push('--keepalive', String(keepaliveSeconds(keepalive.intervalMs, 'interval', notes)));
  const pongTimeoutMs = keepalive.pongTimeoutMs ?? KEEPALIVE_DEFAULTS.pongTimeoutMs;
  if (pongTimeoutMs !== KEEPALIVE_DEFAULTS.pongTimeoutMs) {
    notes.push(`tunnelscope connect has no option for the ${pongTimeoutMs / 1000} s pong deadline: it waits ${KEEPALIVE_DEFAULTS.pongTimeoutMs / 1000} s`);
  }
}

// ---------------------------------------------------------------------------------------
// wscat
// ---------------------------------------------------------------------------------------

function wscatWords(options: ConnectionOptionsInput, plan: ProxyPlan, notes: string[], secrets: SecretLedger): string[] {
  const words = ['wscat', '-c', shellQuote(targetUrl(options.url, secrets))];
  if (plan.kind === 'proxy') {
    if (plan.proxy.protocol === 'socks5') {
      notes.push(`wscat cannot use a SOCKS5 proxy (${plan.proxy.host}:${plan.proxy.port}): the command connects without it`);
      secrets.unplaced('proxy', 'wscat cannot use the SOCKS5 proxy');
    } else {
      words.push('--proxy', shellQuote(proxyUrl(plan.proxy, secrets)));
    }
  } else if (plan.kind === 'unresolved' || plan.kind === 'env' || plan.kind === 'pac') {
    notes.push('wscat does not resolve proxies (no PAC, no system or environment settings): connect once first, or choose a manual proxy');
  }
  proxyPasswordUnplaced('wscat', plan, secrets);
  secrets.unplaced('pac', 'wscat does not read PAC files');
  if ((options.proxyCaFiles ?? []).length > 0) notes.push('wscat has no option for the https:// proxy\'s CA files');
  for (const header of options.headers ?? []) words.push('-H', shellQuote(headerText(header, secrets)));
  for (const protocol of options.subprotocols ?? []) words.push('-s', shellQuote(protocol));
  if (options.origin !== undefined) words.push('-o', shellQuote(options.origin));
  const tls = options.tls;
  const caFiles = tls?.caFiles ?? [];
  const firstCa = caFiles[0];
  if (firstCa !== undefined) words.push('--ca', shellQuote(firstCa));
  if (caFiles.length > 1) notes.push(`wscat takes one --ca file: ${caFiles.length - 1} more are left out (join them into one PEM file)`);
  if (tls?.certFile !== undefined && tls.keyFile !== undefined) words.push('--cert', shellQuote(tls.certFile), '--key', shellQuote(tls.keyFile));
  if (secrets.has('passphrase')) {
    // Without a value wscat asks for it: safer than a placeholder the user would fill in on the command line.
    words.push('--passphrase');
    secrets.unplaced('passphrase', 'wscat asks for it when it starts (--passphrase without a value)');
  }
  if (tls?.insecure === true) words.push('-n');
  trustNote('wscat', options, notes);
  timeoutNotes('wscat', options, notes, false);
  if (options.keepalive !== undefined) notes.push('wscat has no keep-alive option: the command sends no pings');
  reconnectNote('wscat', options, notes);
  return words;
}

/** A trust setting other than the default has no counterpart in the other tools. */
function trustNote(tool: string, options: ConnectionOptionsInput, notes: string[]): void {
  const trust = options.tls?.trust;
  if (trust === undefined || trust === DEFAULT_TRUST || options.tls?.insecure === true) return;
  notes.push(`${tool} has no trust setting like "${trustSettingText(trust)}": it checks certificates against its own default roots`);
}

// ---------------------------------------------------------------------------------------
// websocat
// ---------------------------------------------------------------------------------------

function websocatWords(options: ConnectionOptionsInput, plan: ProxyPlan, notes: string[], secrets: SecretLedger): string[] {
  const url = targetUrl(options.url, secrets);
  const words = ['websocat'];
  for (const header of options.headers ?? []) words.push(shellQuote(`-H=${headerText(header, secrets)}`));
  const protocols = options.subprotocols ?? [];
  if (protocols.length > 0) words.push('--protocol', shellQuote(protocols.join(', ')));
  if (options.origin !== undefined) words.push('--origin', shellQuote(options.origin));
  const tls = options.tls;
  if (tls?.insecure === true) words.push('-k');
  trustNote('websocat', options, notes);
  if ((tls?.caFiles ?? []).length > 0) notes.push('websocat has no option for extra CA files: set SSL_CERT_FILE to a PEM bundle that includes them');
  if (tls?.certFile !== undefined) notes.push('websocat takes a client certificate only as PKCS#12 (--client-pkcs12-der): convert the PEM files with openssl pkcs12 -export');
  secrets.unplaced('passphrase', 'websocat takes the client key only inside a PKCS#12 file');
  secrets.unplaced('pac', 'websocat does not read PAC files');
  proxyPasswordUnplaced('websocat', plan, secrets);
  if ((options.proxyCaFiles ?? []).length > 0) notes.push('websocat has no option for the https:// proxy\'s CA files');
  timeoutNotes('websocat', options, notes, false);
  reconnectNote('websocat', options, notes);
  if (options.keepalive !== undefined) {
    // websocat's own keep-alive: a ping every interval, and the connection dropped without a pong.
    words.push('--ping-interval', String(keepaliveSeconds(options.keepalive.intervalMs, 'interval', notes)));
    words.push('--ping-timeout', String(keepaliveSeconds(options.keepalive.pongTimeoutMs ?? KEEPALIVE_DEFAULTS.pongTimeoutMs, 'pong deadline', notes)));
  }

  if (plan.kind === 'unresolved' || plan.kind === 'env' || plan.kind === 'pac') {
    notes.push('websocat does not resolve proxies (no PAC, no system or environment settings): connect once first, or choose a manual proxy');
  }
  if (plan.kind !== 'proxy') {
    words.push(shellQuote(url));
    return words;
  }
  const proxy = plan.proxy;
  if (proxy.protocol === 'socks5') {
    if (proxy.hasPassword || proxy.username !== undefined) notes.push('websocat\'s SOCKS5 client has no authentication: the credentials are left out');
    secrets.unplaced('proxy', 'websocat\'s SOCKS5 client has no authentication');
    words.push('--socks5', shellQuote(formatHostPort(proxy.host, proxy.port)), shellQuote(url));
    return words;
  }
  if (proxy.protocol === 'https') {
    notes.push(`websocat (through socat) cannot speak TLS to an https:// proxy (${proxy.host}:${proxy.port}): the command connects without it`);
    secrets.unplaced('proxy', 'websocat cannot use the https:// proxy');
    words.push(shellQuote(url));
    return words;
  }
  // Through socat's CONNECT client: websocat speaks WebSocket (and TLS for wss://) over it.
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    words.push(shellQuote(url));
    return words;
  }
  const secure = target.protocol === 'wss:';
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = target.port !== '' ? Number(target.port) : secure ? 443 : 80;
  const socatOptions = [`proxyport=${proxy.port}`];
  if (proxy.username !== undefined || proxy.hasPassword) {
    const user = proxy.username !== undefined && /^[A-Za-z0-9._~-]+$/.test(proxy.username) ? proxy.username : USER_PLACEHOLDER;
    socatOptions.push(`proxyauth=${user}:${proxy.hasPassword ? secrets.place('proxy') : ''}`);
    if (user === USER_PLACEHOLDER) notes.push(`replace ${USER_PLACEHOLDER} with the proxy user name (socat cannot take it as written)`);
  }
  if (host.includes(':') || proxy.host.includes(':')) notes.push('socat\'s proxy: address does not take IPv6 literals: use a host name');
  const inner = `socat - ${shellQuote(`proxy:${proxy.host}:${host}:${port},${socatOptions.join(',')}`)}`;
  words.push('-t', shellQuote(`--ws-c-uri=${url}`));
  if (secure) words.push(shellQuote(`--tls-domain=${host}`));
  words.push('-', shellQuote(`ws-c:${secure ? 'ssl-connect:' : ''}cmd:${inner}`));
  return words;
}
