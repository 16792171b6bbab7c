/**
 * Output for people: the proxy decision, each leg as a transcript (`client > proxy`, …), the
 * TLS summary, frames one per line, and a failure in plain words with what the other side said
 * and what to do. Pure formatting: every function returns lines; the printer only writes them.
 */
import { authRoundLines } from '../shared/proxy-auth-text';
import type { EngineEventOf } from '../shared/events';
import { describeAttempt } from '../shared/attempts';
import { resentLine } from './reconnect-resent-line';
import { decisionRoute } from '../shared/decision-route';
import type { NetError } from '../shared/errors';
import { hintFor } from '../shared/hint-text';
import { DEADLINE_TEXT } from '../shared/timeouts';
import type { CertSummary, FrameSummary, HandshakeStep, HttpCapture, ProxyDecision, TlsInfo } from '../shared/model';
import { DEFAULT_TRUST } from '../shared/model';
import { legRow } from '../shared/pipeline-legs';
import { interceptionLabel, trustSettingText, trustSourceText } from '../shared/trust-text';
import { redactCapture, type DecodeOutcome } from '../core';
import type { Scrubber } from './scrub';
import type { CliFrameDecoding } from './frame-decoding';
import { CliFrameMasking } from './frame-masking';
import { proxyCredentialsFlag } from './proxy-auth-flag';
import type { SessionStats } from '../shared/stats';
import { sendQueueFull, sendQueueNotice } from '../shared/send-queue';
import { printable } from './terminal-text';
import { formatBytes } from '../shared/format-bytes';
import { htmlToText } from '../shared/html-text';

// ---------------------------------------------------------------------------------------
// Colours (only for a terminal, and never with NO_COLOR set: https://no-color.org)
// ---------------------------------------------------------------------------------------

export interface Palette {
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  /** White on red: the INSECURE marker. */
  alarm(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

export const PLAIN: Palette = {
  dim: (t) => t,
  bold: (t) => t,
  red: (t) => t,
  green: (t) => t,
  yellow: (t) => t,
  cyan: (t) => t,
  alarm: (t) => t,
};

export const COLOURS: Palette = {
  dim: sgr(2, 22),
  bold: sgr(1, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
  alarm: (t) => `\x1b[1;97;41m${t}\x1b[0m`,
};

export function choosePalette(isTty: boolean | undefined, env: Readonly<Record<string, string | undefined>>): Palette {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return isTty === true && !noColor ? COLOURS : PLAIN;
}

// ---------------------------------------------------------------------------------------
// The proxy decision
// ---------------------------------------------------------------------------------------

export function formatDecision(decision: ProxyDecision, p: Palette): string[] {
  // The app's words (shared/decision-route.ts): "via A, then B", so a fallback's line names the proxy used too.
  const onlyDirect = decision.candidates.every((c) => c.protocol === 'direct');
  const route = onlyDirect ? 'none (direct connection)' : p.cyan(printable(decisionRoute(decision)));
  return [`${p.bold('Proxy')}    ${route}  ${p.dim(`[${decision.source}]`)}`, `         ${printable(decision.reason)}`];
}

// ---------------------------------------------------------------------------------------
// Handshake legs
// ---------------------------------------------------------------------------------------

// Every piece of outside text below goes through printable (terminal-text.ts).
export { printable };

/** `client > proxy   CONNECT …` lines for one HTTP message, with a capped body. */
function formatTranscript(prefix: string, capture: HttpCapture, p: Palette, bodyLines = 8): string[] {
  const safe = redactCapture(capture);
  // Both directions of a leg line up: `client > proxy   …` / `proxy > client   …`.
  const pad = `${prefix.padEnd(15)}  `;
  const lines = [`${p.dim(pad)}${p.bold(printable(safe.startLine))}`];
  for (const [name, value] of safe.headers) lines.push(`${p.dim(pad)}${printable(name)}: ${printable(value)}`);
  const body = bodyPreview(safe, bodyLines);
  if (body.length > 0) {
    lines.push(p.dim(pad));
    for (const line of body) lines.push(`${p.dim(pad)}${p.dim(line)}`);
  }
  return lines;
}

/** The body as a few readable lines: HTML is reduced to its text, long bodies are cut. */
export function bodyPreview(capture: HttpCapture, maxLines: number): string[] {
  const raw = capture.bodyPreview ?? '';
  if (raw.trim() === '') return [];
  const contentType = capture.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  const isHtml = /html/i.test(contentType) || /^\s*<(!doctype|html)/i.test(raw);
  const text = isHtml ? htmlToText(raw) : raw;
  const all = text
    .split(/\r?\n/)
    .map((line) => printable(line.trimEnd()))
    .filter((line) => line.trim() !== '')
    .map((line) => (line.length > 160 ? `${line.slice(0, 159)}…` : line));
  const shown = all.slice(0, maxLines);
  const total = capture.bodyBytes ?? raw.length;
  const cut = all.length > maxLines || capture.bodyTruncated === true;
  if (cut) shown.push(`… (${total} bytes in all${isHtml ? ', shown as text' : ''})`);
  else if (isHtml) shown.push(`(${total} bytes of HTML, shown as text)`);
  return shown;
}

// One HTML → text for the CLI and the app (shared/html-text.ts); exported here as before.
export { htmlToText };

function formatDate(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z').replace('T', ' ');
}

function formatCert(cert: CertSummary, index: number, p: Palette): string[] {
  const role = index === 0 ? 'leaf' : `#${index + 1}`;
  const lines = [
    `  ${p.dim(`cert ${role}:`)} ${printable(cert.subject)}${cert.selfSigned ? p.yellow(' (self-signed)') : ''}`,
    `    issuer   ${printable(cert.issuer)}`,
    `    valid    ${printable(formatDate(cert.validFrom))} → ${printable(formatDate(cert.validTo))}`,
    `    SHA-256  ${printable(cert.fingerprint256)}`,
  ];
  if (cert.subjectAltNames.length > 0) lines.push(`    names    ${printable(cert.subjectAltNames.join(', '))}`);
  return lines;
}

export function formatTls(title: string, tls: TlsInfo, ms: number, p: Palette): string[] {
  const lines: string[] = [];
  if (tls.insecure) {
    lines.push(p.alarm(' INSECURE ') + p.red(p.bold(' certificate verification is OFF (--insecure): anyone in between could read and change this connection')));
  }
  const why = tls.authorizationError ? ` (${printable(tls.authorizationError)})` : '';
  const verdict = tls.authorized
    ? p.green('certificate verified')
    : tls.insecure
      ? p.red(`NOT verified${why}, accepted because of --insecure`)
      : p.red(`NOT verified${why}`);
  lines.push(
    `${p.bold(title)}  ${printable(tls.protocol ?? '?')}  ${printable(tls.cipher ?? '?')}  ALPN ${printable(tls.alpn ?? 'none')}  SNI ${printable(tls.servername ?? 'none (IP address)')}  ${p.dim(`${Math.round(ms)} ms`)}`,
  );
  lines.push(`  ${verdict}${trustText(tls, p)}`);
  if (tls.interception) {
    lines.push(`  ${p.yellow(p.bold(printable(interceptionLabel(tls.interception))))}`);
    lines.push(`    ${printable(tls.interception.reason)}`);
  }
  for (const note of tls.trust?.notes ?? []) lines.push(`  ${p.dim(`OS trust store: ${printable(note)}`)}`);
  tls.chain.forEach((cert, i) => lines.push(...formatCert(cert, i, p)));
  return lines;
}

/** ", trusted through the OS store (CN=…)" and the setting when it is not the default. */
function trustText(tls: TlsInfo, p: Palette): string {
  const trust = tls.trust;
  if (!trust) return '';
  const through = trust.trustedThrough
    ? `, trusted through ${trustSourceText(trust.trustedThrough)}${trust.anchor ? ` (${printable(trust.anchor)})` : ''}`
    : '';
  const setting = trust.setting === DEFAULT_TRUST ? '' : p.dim(`  trust: ${trustSettingText(trust.setting)}`);
  return through + setting;
}

export function formatStep(step: HandshakeStep, p: Palette): string[] {
  const peer = step.peer !== undefined ? printable(step.peer) : undefined;
  const ms = p.dim(`${Math.round(step.ms)} ms`);
  const mark = step.ok ? '' : p.red(' failed');
  // How a leg's step reads, and its name, are the pipeline table's (shared/pipeline-legs.ts).
  const leg = legRow(step.leg);
  switch (leg.display) {
    case 'decision':
      return []; // the decision itself is printed from the proxy-decision event
    case 'connection':
      return [`${p.bold(leg.label)}      ${step.ok ? 'connected to' : p.red('could not connect to')} ${peer ?? '?'}  ${ms}`];
    case 'tls': {
      if (step.tls) return formatTls(leg.label, step.tls, step.ms, p);
      return [`${p.bold(leg.label)}      with ${peer ?? '?'}${mark}  ${ms}`];
    }
    case 'exchange': {
      const [out, back] = leg.toProxy ? ['client > proxy', 'proxy > client'] : ['client > server', 'server > client'];
      const lines = [`${p.bold(leg.label)}  ${peer ?? ''}${mark}  ${ms}`];
      if (step.auth) lines.push(...authRoundLines(step.auth).map((line) => `  ${p.dim(printable(line))}`));
      if (step.request) lines.push(...formatTranscript(out, step.request, p, 0));
      if (step.response) lines.push(...formatTranscript(back, step.response, p));
      return lines;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Frames
// ---------------------------------------------------------------------------------------

/** The last time formatted: a flood has hundreds of frames in each millisecond. */
let lastClockAt = Number.NaN;
let lastClock = '';

function clock(at: number): string {
  if (at === lastClockAt) return lastClock;
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  lastClockAt = at;
  lastClock = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  return lastClock;
}

/**
 * The session's traffic in one line, from its last statistics: frames and bytes both ways
 * (control frames included) and the ping round trips, when there were any.
 */
export function formatTraffic(stats: SessionStats, p: Palette): string {
  const count = (n: number): string => n.toLocaleString('en-US');
  const { totals, rtt } = stats;
  const way = (arrow: string, t: { messages: number; bytes: number }): string => `${arrow} ${count(t.messages)} ${t.messages === 1 ? 'frame' : 'frames'} ${formatBytes(t.bytes)}`;
  let line = `${p.bold('Traffic')}  ${way('←', totals.in)} · ${way('→', totals.out)}`;
  if (rtt.lastMs !== null) {
    const ms = (v: number | null): string => (v === null ? '–' : v.toFixed(1));
    line += ` · round trip ${ms(rtt.lastMs)} ms ${p.dim(`(min ${ms(rtt.minMs)}, avg ${ms(rtt.avgMs)}, max ${ms(rtt.maxMs)}; ${rtt.samples.length} recent)`)}`;
  }
  return line;
}

/** With --decode, `decoded` replaces the payload by its protocol summary (not valid: in yellow; part of a frame: dim). */
export function formatFrame(frame: FrameSummary, p: Palette, decoded?: DecodeOutcome): string {
  const arrow = frame.dir === 'out' ? p.cyan('→') : p.green('←');
  const head = `${arrow} ${p.dim(clock(frame.at))} ${frame.opcode.padEnd(6)} ${formatBytes(frame.size).padStart(9)}`;
  // A control frame keeps its own words; what it cut short (not valid) follows them.
  if (decoded && (frame.opcode === 'text' || frame.opcode === 'binary')) {
    const summary = printable(decoded.summary);
    return `${head}  ${decoded.kind === 'invalid' ? p.yellow(summary) : decoded.kind === 'partial' ? p.dim(summary) : summary}`;
  }
  let body: string;
  if (frame.opcode === 'close') {
    const code = frame.closeCode !== undefined ? String(frame.closeCode) : 'no code';
    const reason = frame.closeReason ?? '';
    body = reason === '' ? code : `${code} "${printable(reason)}"`;
  } else if (frame.opcode === 'text') {
    body = printable(frame.preview);
  } else {
    body = p.dim(frame.preview === '' ? '' : `hex ${frame.preview}`);
  }
  const cutShort = decoded ? `  ${p.yellow(printable(decoded.summary))}` : '';
  return `${head}  ${body}${frame.truncated ? p.dim('…') : ''}${cutShort}`;
}

// ---------------------------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------------------------

/** The failed leg as a human phrase: what the user should read first. */
export function failureHeadline(error: NetError): string {
  switch (error.code) {
    case 'PROXY_AUTH_REQUIRED':
      return 'The proxy asked for credentials';
    case 'PROXY_AUTH_FAILED':
      return 'The proxy rejected the credentials';
    case 'PROXY_AUTH_UNSUPPORTED':
      return 'The proxy asks for a sign-in that cannot be given';
    case 'PROXY_AUTH_CONNECTION_CLOSED':
      return 'The proxy closed the connection during its sign-in';
    case 'PROXY_AUTH_BAD_CHALLENGE':
      return "The proxy's sign-in challenge is malformed";
    case 'KERBEROS_UNAVAILABLE':
    case 'KERBEROS_NO_TICKET':
    case 'KERBEROS_UNKNOWN_SPN':
    case 'KERBEROS_CLOCK_SKEW':
    case 'KERBEROS_KDC_UNREACHABLE':
    case 'KERBEROS_FAILED':
      return 'The Kerberos (Negotiate) sign-in to the proxy could not be made';
    case 'PROXY_REFUSED':
      return 'The proxy refused the tunnel';
    case 'PROXY_UPSTREAM_UNREACHABLE':
      return 'The proxy could not reach the server';
    case 'PROXY_NO_CONNECT':
      return 'The address is not a proxy that accepts CONNECT';
    case 'OPEN_TIMEOUT':
      return 'The connection did not open in time';
    default:
      break;
  }
  switch (error.stage) {
    case 'resolve':
      return 'Choosing the proxy failed';
    case 'proxy-connect':
      return 'Could not connect to the proxy';
    case 'proxy-tls':
      return 'The TLS handshake with the proxy failed';
    case 'tunnel':
      return 'The proxy did not open the tunnel';
    case 'connect':
      return 'Could not connect to the server';
    case 'tls':
      return 'The TLS handshake with the server failed';
    case 'upgrade':
      return 'The server did not accept the WebSocket upgrade';
    case 'protocol':
      return 'The server broke the WebSocket protocol';
    case 'transport':
      return 'The connection broke';
  }
}

export function formatError(error: NetError, p: Palette): string[] {
  const d = error.details;
  const lines = [`${p.red(p.bold(`✗ ${failureHeadline(error)}`))}  ${p.dim(`[stage ${error.stage}, ${error.code}]`)}`, `  ${printable(error.message)}`];
  const facts: string[] = [];
  if (d.target) facts.push(`target ${printable(d.target)}`);
  if (d.proxy) facts.push(`proxy ${printable(d.proxy)}`);
  if (d.timeoutMs !== undefined) facts.push(`${d.deadline !== undefined ? `${DEADLINE_TEXT[d.deadline].words} deadline` : 'deadline'} ${d.timeoutMs} ms`);
  if (d.file) facts.push(`file ${printable(d.file)}`);
  if (d.cause) facts.push(`cause ${printable(d.cause)}`);
  if (facts.length > 0) lines.push(`  ${p.dim(facts.join(' · '))}`);
  if (d.authSchemes && d.authSchemes.length > 0) {
    lines.push(`  The proxy offers: ${printable(d.authSchemes.join(', '))}${d.authRealm !== undefined ? ` (realm "${printable(d.authRealm)}")` : ''}`);
  }
  if (d.proxyResponse) {
    lines.push('  The proxy said:');
    lines.push(...indent(formatTranscript('proxy > client', tellingHeadersOnly(d.proxyResponse), p, 12)));
  }
  if (d.upgradeResponse) {
    lines.push('  The server said:');
    lines.push(...indent(formatTranscript('server > client', tellingHeadersOnly(d.upgradeResponse), p, 12)));
  }
  if (d.certChain && d.certChain.length > 0) {
    lines.push('  The certificate presented:');
    d.certChain.forEach((cert, i) => lines.push(...indent(formatCert(cert, i, p))));
  }
  if (d.closeCode !== undefined) lines.push(`  Close code ${d.closeCode}${d.closeReason ? ` "${printable(d.closeReason)}"` : ''}`);
  // The cause, unless the message already quotes it (a PAC script's "Line 2: Unexpected end of input").
  if (d.causeMessage && !d.proxyResponse && !d.upgradeResponse && !error.message.includes(d.causeMessage)) lines.push(`  ${p.dim(`(${printable(d.causeMessage)})`)}`);
  // The CLI's words: flags for settings, "the answer above" when it was printed above.
  const hint = hintFor(error, { host: 'cli', answerShown: d.proxyResponse !== undefined || d.upgradeResponse !== undefined });
  lines.push(`  ${p.yellow(p.bold('Hint:'))} ${printable(hint)}`);
  const flags = actionFlags(error);
  if (flags.length > 0) lines.push(`  ${p.dim(`On the command line: ${flags.join('; ')}`)}`);
  return lines;
}

/** Headers that tell who answered and why; the full list is in the transcript above. */
const TELLING_HEADERS = new Set([
  'server',
  'via',
  'proxy-authenticate',
  'www-authenticate',
  'content-type',
  'x-squid-error',
  'location',
  'retry-after',
  'sec-websocket-accept',
  'sec-websocket-protocol',
  'upgrade',
  'connection',
]);

function tellingHeadersOnly(capture: HttpCapture): HttpCapture {
  return { ...capture, headers: capture.headers.filter(([name]) => TELLING_HEADERS.has(name.toLowerCase())) };
}

/** The error's suggested actions as the flags that do them here, then the flags its hint points at. */
export function actionFlags(error: NetError): string[] {
  const flags: string[] = [];
  for (const action of error.actions ?? []) {
    if (action === 'enter-proxy-credentials') flags.push(proxyCredentialsFlag(error));
    if (action === 'trust-ca-file') flags.push(error.stage === 'proxy-tls' ? "--proxy-ca <the proxy's CA.pem>" : '--ca <CA.pem>');
    if (action === 'connect-insecure') flags.push('--insecure (skips verification: only if you accept the risk)');
  }
  const hinted = HINTED_FLAGS[error.code];
  if (hinted !== undefined) flags.push(hinted);
  return flags;
}

const PROXY_FLAGS = '--proxy <url> or --pac <url|file> (if this network needs a proxy)';

/**
 * What a hint asks for in words ("set the service principal", "sign in with Digest or Basic")
 * said as the flag that does it; hints naming a CA file, trust or a deadline say their flag
 * themselves (shared/hint-text.ts).
 */
const HINTED_FLAGS: Partial<Record<NetError['code'], string>> = {
  KERBEROS_UNKNOWN_SPN: '--proxy-spn HTTP@<proxy host> (its full DNS name)',
  KERBEROS_UNAVAILABLE: '--proxy-auth ntlm, digest or basic (where the proxy offers it) with --proxy-user @<file>',
  PROXY_AUTH_CONNECTION_CLOSED: '--proxy-auth digest or basic (where the proxy offers it)',
  PROXY_AUTH_BAD_CHALLENGE: '--proxy-auth <another scheme the proxy offers>',
  SYSTEM_PROXY_FAILED: '--proxy <url>, --pac <url|file> or --env-proxy',
  DNS_FAILED: PROXY_FLAGS,
  HOST_UNREACHABLE: PROXY_FLAGS,
  CONNECT_TIMEOUT: PROXY_FLAGS,
  UPGRADE_UNREQUESTED_SUBPROTOCOL: '--subprotocol <the one the server chose>',
  UPGRADE_MISSING_SUBPROTOCOL: 'leave out --subprotocol',
  CONNECTION_RESET: '--reconnect (connects again by itself)',
  PEER_UNRESPONSIVE: '--reconnect (connects again by itself)',
};

function indent(lines: string[]): string[] {
  return lines.map((line) => `  ${line}`);
}

// ---------------------------------------------------------------------------------------
// The printer: events in, lines out
// ---------------------------------------------------------------------------------------

export interface LineWriter {
  out(line: string): void;
  err(line: string): void;
}

export class HumanPrinter {
  private lastDropped = 0;
  /** Credentials inside frames: '*' in what is printed, as --json and exports show them (frame-masking.ts). */
  private readonly masking = new CliFrameMasking();
  private openedAt: number | undefined;
  /** The latest statistics; the engine sends a last one right before `closed`. */
  private lastStats: SessionStats | undefined;

  constructor(
    private readonly writer: LineWriter,
    private readonly palette: Palette,
    private readonly scrubber: Scrubber,
    /**
     * --decode: frames shown by their protocol summary while it is wanted; also the way to a
     * frame's bytes for the masking (connect always gives one: without it, only a whole text
     * frame's preview can be masked).
     */
    private readonly decoding?: CliFrameDecoding,
  ) {}

  private out(lines: string[]): void {
    for (const line of lines) this.writer.out(this.scrubber.text(line));
  }

  decision(event: EngineEventOf<'proxy-decision'>): void {
    this.out(formatDecision(event.decision, this.palette));
  }

  state(event: EngineEventOf<'state'>): void {
    const p = this.palette;
    if (event.state === 'open') {
      this.openedAt = event.at;
      this.out([p.green(p.bold('Open')) + '     WebSocket connected; frames follow ' + p.dim('(→ sent, ← received)')]);
    }
  }

  handshake(event: EngineEventOf<'handshake'>): void {
    this.masking.handshake(event.step);
    this.out(formatStep(event.step, this.palette));
  }

  frames(event: EngineEventOf<'frames'>): void | Promise<void> {
    if (event.dropped > this.lastDropped) {
      this.out([this.palette.dim(`(${event.dropped - this.lastDropped} older frames dropped from memory)`)]);
      this.lastDropped = event.dropped;
    }
    const decoding = this.decoding;
    // A plain flood once recognition is over (no protocol that carries credentials, no decoding): the previews as they are.
    if (!decoding?.wanted && !this.masking.reading(decoding?.active?.protocol)) {
      this.out(event.frames.map((frame) => formatFrame(frame, this.palette)));
      return;
    }
    return this.maskedFrames(event.frames, decoding);
  }

  /**
   * The frames masked, each in order (a credential may continue in the next message), and decoded
   * from the masked bytes, so no summary can quote a credential (a message that is not valid as
   * the protocol decoded is quoted). Bytes are read at once in process: a promise only for frames:get.
   */
  private async maskedFrames(frames: readonly FrameSummary[], decoding: CliFrameDecoding | undefined): Promise<void> {
    const lines: string[] = [];
    for (const frame of frames) {
      const fetched = decoding && this.masking.needsBody(frame, decoding.active?.protocol) ? decoding.body(frame.seq) : undefined;
      const body = fetched instanceof Promise ? await fetched : fetched;
      const shown = this.masking.mask(frame, body, decoding?.active?.protocol);
      const got = decoding?.wanted ? decoding.decode(shown.frame, shown.body) : undefined;
      const outcome = got instanceof Promise ? await got : got;
      lines.push(formatFrame(shown.frame, this.palette, outcome));
    }
    this.out(lines);
  }

  /** Failures go to stderr: that is where a script looks for what went wrong. */
  error(error: NetError): void {
    for (const line of formatError(error, this.palette)) this.writer.err(this.scrubber.text(line));
  }

  closed(event: EngineEventOf<'closed'>): void {
    // A session that never opened has nothing to close: the failure above says it all.
    if (this.openedAt === undefined) return;
    const p = this.palette;
    const code = event.code === null ? 'without a close frame' : `with ${event.code}${event.reason ? ` "${printable(event.reason)}"` : ''}`;
    const who = event.initiatedBy === 'client' ? 'we closed' : event.initiatedBy === 'server' ? 'the server closed' : 'closed';
    const lasted = p.dim(`  after ${((event.at - this.openedAt) / 1000).toFixed(1)} s`);
    this.out([`${p.bold('Closed')}   ${who} ${code}${event.wasClean ? '' : p.yellow(' (not clean)')}${lasted}`]);
    if (event.diagnosis !== undefined) this.out([`         ${p.yellow(printable(event.diagnosis))}`]);
    // --decode: a last message printed with "so far" whose rest never came.
    for (const { dir, outcome } of this.decoding?.unfinishedAtEnd() ?? []) {
      const arrow = dir === 'out' ? p.cyan('→') : p.green('←');
      this.out([`         ${arrow} the last message ${dir === 'out' ? 'sent' : 'received'}: ${p.yellow(printable(outcome.summary))}`]);
    }
    if (this.lastStats) this.out([formatTraffic(this.lastStats, p)]);
  }

  stats(event: EngineEventOf<'stats'>): void {
    const wasFull = sendQueueFull(this.lastStats);
    this.lastStats = event.stats;
    // Said once when the queue fills and once when it drains, not every second.
    const notice = sendQueueNotice(event.stats);
    if (notice !== undefined && !wasFull) this.notice(`Warning: ${notice}; sending waits until it drains.`);
    if (notice === undefined && wasFull) this.notice('The server is reading again: the send queue drained.');
  }

  notice(text: string): void {
    this.writer.err(this.palette.dim(printable(this.scrubber.text(text))));
  }

  /** --reconnect: the separator between attempts, e.g. "↻ attempt 1 failed: CONNECTION_REFUSED · reconnect 1 in 1.0 s". */
  attempt(event: EngineEventOf<'attempt'>): void {
    const line = `↻ ${printable(describeAttempt(event.record))}`;
    this.out([event.record.next ? this.palette.yellow(line) : this.palette.dim(line)]);
    // The next attempt is a new connection: nothing it sends continues what this one's left under way.
    this.masking.attemptEnded(event.record.afterSeq);
    // --decode: the next attempt decodes afresh; a last message printed with "so far" whose rest never came.
    const p = this.palette;
    for (const { dir, outcome } of this.decoding?.attemptEnded(event.record) ?? []) {
      const arrow = dir === 'out' ? p.cyan('→') : p.green('←');
      this.out([`         ${arrow} the last message ${dir === 'out' ? 'sent' : 'received'}: ${p.yellow(printable(outcome.summary))}`]);
    }
  }

  attemptStarted(event: EngineEventOf<'attempt-started'>): void {
    this.out([this.palette.dim(`↻ attempt ${event.attempt}: connecting again`)]);
  }

  /** --reconnect with a profile's resend: what the attempt sent again (as the app's notice says it); what was not, in yellow. */
  resent(event: EngineEventOf<'resent'>): void {
    const line = printable(resentLine(event));
    this.out([event.notSent.length > 0 ? this.palette.yellow(line) : this.palette.dim(line)]);
  }
}
