/**
 * "Copy as command": a connection's options as a `tunnelscope connect`, `websocat` or `wscat`
 * command line for a POSIX shell, proxy included, secrets left out (a placeholder such as
 * `<password>` stands where the user must type one). Whatever a tool cannot express is said
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
import { looksLikeCredentialHeader } from './secret-headers';
import { KEEPALIVE_DEFAULTS } from './model';

export type CommandTool = 'tunnelscope' | 'websocat' | 'wscat';
export const COMMAND_TOOLS: readonly CommandTool[] = ['tunnelscope', 'websocat', 'wscat'];

export interface CopiedCommand {
  tool: CommandTool;
  /** The command line alone. */
  command: string;
  /** What the tool cannot express, or what the user must fill in. */
  notes: string[];
  /** The notes as `# …` comment lines, then the command: what goes on the clipboard. */
  text: string;
}

export const PASSWORD_PLACEHOLDER = '<password>';
export const SECRET_PLACEHOLDER = '<secret>';
export const USER_PLACEHOLDER = '<user>';

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

export function copyAsCommand(tool: CommandTool, options: ConnectionOptionsInput, decision?: ProxyDecision): CopiedCommand {
  const notes: string[] = [];
  const plan = planProxy(options, decision, tool, notes);
  const words =
    tool === 'tunnelscope' ? tunnelscopeWords(options, plan, notes) : tool === 'wscat' ? wscatWords(options, plan, notes) : websocatWords(options, plan, notes);
  const command = words.join(' ');
  const cleanNotes = notes.map((note) => note.replace(/[\u0000-\u001f\u007f]+/g, ' '));
  const text = [...cleanNotes.map((note) => `# ${note}`), command].join('\n');
  return { tool, command, notes: cleanNotes, text };
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
      notes.push(`the proxy URL "${setting.url}" could not be read: the command goes without a proxy`);
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

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `http://user:<password>@host:port` (credentials only when there are some). */
function proxyUrl(proxy: ProxyTarget, withCredentials: boolean): string {
  const host = proxy.host.includes(':') && !proxy.host.startsWith('[') ? `[${proxy.host}]` : proxy.host;
  const user = proxy.username !== undefined ? encodeURIComponent(proxy.username) : proxy.hasPassword ? USER_PLACEHOLDER : undefined;
  const credentials = withCredentials && user !== undefined ? `${user}${proxy.hasPassword ? `:${PASSWORD_PLACEHOLDER}` : ''}@` : '';
  return `${proxy.protocol}://${credentials}${host}:${proxy.port}`;
}

function passwordNote(proxy: ProxyTarget, notes: string[]): void {
  if (proxy.hasPassword) notes.push(`replace ${PASSWORD_PLACEHOLDER} with the proxy password (it is never copied)`);
}

// ---------------------------------------------------------------------------------------
// Pieces every tool shares
// ---------------------------------------------------------------------------------------

function headerText(header: Header, notes: string[]): string {
  if (header.secret === true) {
    notes.push(`replace ${SECRET_PLACEHOLDER} with the value of the ${header.name} header (it is secret and never copied)`);
    return `${header.name}: ${SECRET_PLACEHOLDER}`;
  }
  return `${header.name}: ${header.value}`;
}

/** The URL without user info (ws:// user:password@ is sent as Basic auth: a secret). */
function targetUrl(raw: string, notes: string[]): string {
  try {
    const url = new URL(raw);
    if (url.password !== '') notes.push('the password in the URL is left out: add it back or pass it another way');
    url.password = '';
    url.hash = '';
    return url.href;
  } catch {
    return raw;
  }
}

function timeoutNotes(tool: string, options: ConnectionOptionsInput, notes: string[], openTimeout: boolean): void {
  if (!openTimeout && options.openTimeoutMs !== undefined) notes.push(`${tool} has no option for the ${options.openTimeoutMs} ms open deadline`);
  if (options.handshakeTimeoutMs !== undefined && options.handshakeTimeoutMs !== 10_000) {
    notes.push(`${tool} has no option for the ${options.handshakeTimeoutMs} ms handshake deadline`);
  }
  if (options.proxyTimeoutMs !== undefined && options.proxyTimeoutMs !== 15_000) {
    notes.push(`${tool} has no option for the ${options.proxyTimeoutMs} ms proxy deadline`);
  }
}

// ---------------------------------------------------------------------------------------
// tunnelscope connect
// ---------------------------------------------------------------------------------------

function tunnelscopeWords(options: ConnectionOptionsInput, plan: ProxyPlan, notes: string[]): string[] {
  const words = ['tunnelscope', 'connect', shellQuote(targetUrl(options.url, notes))];
  if (plan.kind === 'none') words.push('--no-proxy');
  else if (plan.kind === 'proxy') {
    words.push('--proxy', shellQuote(proxyUrl(plan.proxy, false)));
    if (plan.proxy.username !== undefined || plan.proxy.hasPassword) {
      words.push('--proxy-user', shellQuote(`${plan.proxy.username ?? USER_PLACEHOLDER}:${PASSWORD_PLACEHOLDER}`));
      notes.push(`replace ${PASSWORD_PLACEHOLDER} with the proxy password (it is never copied)`);
    }
  } else if (plan.kind === 'pac') {
    if (plan.source.kind === 'url') words.push('--pac', shellQuote(plan.source.url));
    else if (plan.source.kind === 'file') words.push('--pac', shellQuote(plan.source.path));
    else {
      notes.push('an inline PAC script cannot be given on the command line: save it to a file and put its path for <pac-file>');
      words.push('--pac', shellQuote('<pac-file>'));
    }
  } else if (plan.kind === 'unresolved') {
    notes.push(`the command line has no system proxy resolver: this uses the environment (HTTPS_PROXY, NO_PROXY …) instead of the ${plan.mode} setting`);
  }
  for (const file of options.proxyCaFiles ?? []) words.push('--proxy-ca', shellQuote(file));
  for (const header of options.headers ?? []) words.push('-H', shellQuote(headerText(header, notes)));
  for (const protocol of options.subprotocols ?? []) words.push('--subprotocol', shellQuote(protocol));
  if (options.origin !== undefined) words.push('--origin', shellQuote(options.origin));
  const tls = options.tls;
  for (const file of tls?.caFiles ?? []) words.push('--ca', shellQuote(file));
  if (tls?.insecure === true) words.push('--insecure');
  if (tls?.certFile !== undefined && tls.keyFile !== undefined) words.push('--cert', shellQuote(tls.certFile), '--key', shellQuote(tls.keyFile));
  if (tls?.passphrase !== undefined && tls.passphrase !== '') notes.push('tunnelscope connect has no option for the key passphrase: use a key without one');
  if (options.openTimeoutMs !== undefined) words.push('--timeout', String(options.openTimeoutMs));
  timeoutNotes('tunnelscope connect', options, notes, true);
  historyWords(options, words, notes);
  if (options.compression === true) notes.push('tunnelscope connect has no option for permessage-deflate compression');
  return words;
}

/** --keep-frames / --keep-mb for a history other than the default (the other tools keep none). */
function historyWords(options: ConnectionOptionsInput, words: string[], notes: string[]): void {
  const maxFrames = options.history?.maxFrames;
  const maxBytes = options.history?.maxBytes;
  if (maxFrames !== undefined && maxFrames !== HISTORY_DEFAULTS.maxFrames) words.push('--keep-frames', String(maxFrames));
  if (maxBytes === undefined || maxBytes === HISTORY_DEFAULTS.maxBytes) return;
  const megabytes = Math.max(1, Math.round(maxBytes / MIB));
  words.push('--keep-mb', String(megabytes));
  if (megabytes * MIB !== maxBytes) notes.push(`the history's ${maxBytes}-byte budget is rounded to ${megabytes} MB (--keep-mb takes whole MB)`);
}

// ---------------------------------------------------------------------------------------
// wscat
// ---------------------------------------------------------------------------------------

function wscatWords(options: ConnectionOptionsInput, plan: ProxyPlan, notes: string[]): string[] {
  const words = ['wscat', '-c', shellQuote(targetUrl(options.url, notes))];
  if (plan.kind === 'proxy') {
    if (plan.proxy.protocol === 'socks5') {
      notes.push(`wscat cannot use a SOCKS5 proxy (${plan.proxy.host}:${plan.proxy.port}): the command connects without it`);
    } else {
      words.push('--proxy', shellQuote(proxyUrl(plan.proxy, true)));
      passwordNote(plan.proxy, notes);
    }
  } else if (plan.kind === 'unresolved' || plan.kind === 'env' || plan.kind === 'pac') {
    notes.push('wscat does not resolve proxies (no PAC, no system or environment settings): connect once first, or choose a manual proxy');
  }
  if ((options.proxyCaFiles ?? []).length > 0) notes.push('wscat has no option for the https:// proxy\'s CA files');
  for (const header of options.headers ?? []) words.push('-H', shellQuote(headerText(header, notes)));
  for (const protocol of options.subprotocols ?? []) words.push('-s', shellQuote(protocol));
  if (options.origin !== undefined) words.push('-o', shellQuote(options.origin));
  const tls = options.tls;
  const caFiles = tls?.caFiles ?? [];
  const firstCa = caFiles[0];
  if (firstCa !== undefined) words.push('--ca', shellQuote(firstCa));
  if (caFiles.length > 1) notes.push(`wscat takes one --ca file: ${caFiles.length - 1} more are left out (join them into one PEM file)`);
  if (tls?.certFile !== undefined && tls.keyFile !== undefined) words.push('--cert', shellQuote(tls.certFile), '--key', shellQuote(tls.keyFile));
  if (tls?.passphrase !== undefined && tls.passphrase !== '') words.push('--passphrase'); // wscat prompts for it
  if (tls?.insecure === true) words.push('-n');
  timeoutNotes('wscat', options, notes, false);
  return words;
}

// ---------------------------------------------------------------------------------------
// websocat
// ---------------------------------------------------------------------------------------

function websocatWords(options: ConnectionOptionsInput, plan: ProxyPlan, notes: string[]): string[] {
  const url = targetUrl(options.url, notes);
  const words = ['websocat'];
  for (const header of options.headers ?? []) words.push(shellQuote(`-H=${headerText(header, notes)}`));
  const protocols = options.subprotocols ?? [];
  if (protocols.length > 0) words.push('--protocol', shellQuote(protocols.join(', ')));
  if (options.origin !== undefined) words.push('--origin', shellQuote(options.origin));
  const tls = options.tls;
  if (tls?.insecure === true) words.push('-k');
  if ((tls?.caFiles ?? []).length > 0) notes.push('websocat has no option for extra CA files: set SSL_CERT_FILE to a PEM bundle that includes them');
  if (tls?.certFile !== undefined) notes.push('websocat takes a client certificate only as PKCS#12 (--client-pkcs12-der): convert the PEM files with openssl pkcs12 -export');
  if ((options.proxyCaFiles ?? []).length > 0) notes.push('websocat has no option for the https:// proxy\'s CA files');
  timeoutNotes('websocat', options, notes, false);

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
    words.push('--socks5', shellQuote(`${bracketed(proxy.host)}:${proxy.port}`), shellQuote(url));
    return words;
  }
  if (proxy.protocol === 'https') {
    notes.push(`websocat (through socat) cannot speak TLS to an https:// proxy (${proxy.host}:${proxy.port}): the command connects without it`);
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
    socatOptions.push(`proxyauth=${user}:${PASSWORD_PLACEHOLDER}`);
    if (user === USER_PLACEHOLDER) notes.push(`replace ${USER_PLACEHOLDER} with the proxy user name (socat cannot take it as written)`);
    passwordNote(proxy, notes);
  }
  if (host.includes(':') || proxy.host.includes(':')) notes.push('socat\'s proxy: address does not take IPv6 literals: use a host name');
  const inner = `socat - ${shellQuote(`proxy:${proxy.host}:${host}:${port},${socatOptions.join(',')}`)}`;
  words.push('-t', shellQuote(`--ws-c-uri=${url}`));
  if (secure) words.push(shellQuote(`--tls-domain=${host}`));
  words.push('-', shellQuote(`ws-c:${secure ? 'ssl-connect:' : ''}cmd:${inner}`));
  return words;
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
  keepaliveWords(options, words, notes);
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

  if (options.keepalive !== undefined) notes.push('wscat has no keep-alive option: the command sends no pings');
  if (options.keepalive !== undefined) {
    // websocat's own keep-alive: a ping every interval, and the connection dropped without a pong.
    words.push('--ping-interval', String(keepaliveSeconds(options.keepalive.intervalMs, 'interval', notes)));
    words.push('--ping-timeout', String(keepaliveSeconds(options.keepalive.pongTimeoutMs ?? KEEPALIVE_DEFAULTS.pongTimeoutMs, 'pong deadline', notes)));
  }
