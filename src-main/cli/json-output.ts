/**
 * `--json`: one JSON object per line, each with a `type`:
 *   resolve   {source, proxy, reason, candidates}     proxy: URL without credentials, or null
 *   state     {state}
 *   handshake {leg: proxy|tls|upgrade, ok, request, response, ms, tls?, auth?}   auth: the proxy sign-in round, decoded
 *   frame     {seq, dir, opcode, size, at, text | base64, code?, reason?, truncated?, decoded?}
 *             decoded (--decode): {protocol, summary, value, partial?, guess?} or {protocol, summary, valid: false, problem, guess?}
 *   decode    {protocol, guess, reason}: the protocol frames are decoded as (said once, before the first decoded frame)
 *   error     {stage, code, message, hint, details}
 *   closed    {code, reason, wasClean, initiatedBy, queued?: {messages, bytes} not written when it ended}
 *   send-queue {full, messages, bytes, highWaterMark}: the server stopped reading (full) or reads again
 * Lines are built here and written by the caller; secrets are scrubbed from every string, and
 * characters a terminal could act on are \u-escaped (terminal-text.ts).
 */
import type { EngineEventOf } from '../shared/events';
import type { NetError } from '../shared/errors';
import type { FrameBody, FrameSummary, HandshakeLegName, HandshakeStep, ProxyDecision } from '../shared/model';
import { frameJson } from './frame-json';
import { decodedJson, type CliFrameDecoding } from './frame-decoding';
import { decodedRecord, redactCapture } from '../core';
import { CliFrameMasking } from './frame-masking';
import type { Scrubber } from './scrub';
import type { SessionStats } from '../shared/stats';
import { terminalJson } from './terminal-text';
import { sendQueueFull } from '../shared/send-queue';
import { loggedMarkOf } from '../shared/intercept-control';

/** Only these legs are part of the JSON format; tcp/resolve/proxy-tls timings are in `state`. */
const JSON_LEGS: ReadonlySet<HandshakeLegName> = new Set<HandshakeLegName>(['proxy', 'tls', 'upgrade']);

export type JsonLine = { type: string } & Record<string, unknown>;

/** The first proxy in the decision, without credentials, or null for a direct connection. */
export function decisionProxy(decision: ProxyDecision): string | null {
  const first = decision.candidates[0];
  if (!first || first.protocol === 'direct') return null;
  return withoutCredentials(first.url);
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

export function resolveLine(decision: ProxyDecision): JsonLine {
  return {
    type: 'resolve',
    source: decision.source,
    proxy: decisionProxy(decision),
    reason: decision.reason,
    candidates: decision.candidates.map((c) => (c.protocol === 'direct' ? 'direct' : withoutCredentials(c.url))),
  };
}

export function handshakeLine(step: HandshakeStep): JsonLine | undefined {
  if (!JSON_LEGS.has(step.leg)) return undefined;
  return {
    type: 'handshake',
    leg: step.leg,
    ok: step.ok,
    request: step.request ? redactCapture(step.request) : null,
    response: step.response ? redactCapture(step.response) : null,
    ms: step.ms,
    ...(step.peer !== undefined ? { peer: step.peer } : {}),
    ...(step.tls ? { tls: step.tls } : {}),
    ...(step.auth ? { auth: step.auth } : {}),
  };
}

/** One frame; `body` is the full payload when it could be fetched (it may have been evicted). */
export function frameLine(frame: FrameSummary, body: FrameBody | undefined): JsonLine {
  const line: JsonLine = { type: 'frame', seq: frame.seq, dir: frame.dir, opcode: frame.opcode, size: frame.size, at: frame.at };
  if (frame.opcode === 'close') {
    line.code = frame.closeCode ?? null;
    line.reason = frame.closeReason ?? '';
  } else if (frame.opcode === 'text') {
    if (body?.text !== undefined) line.text = body.text;
    else {
      line.text = frame.preview;
      if (frame.truncated) line.truncated = true;
    }
  } else if (body) {
    line.base64 = body.base64;
  } else {
    // Evicted from the store before it could be fetched: say so rather than invent bytes.
    line.base64 = null;
    line.previewHex = frame.preview;
    line.truncated = true;
  }
  // A frame the intercepting proxy edited, dropped or injected: as the NDJSON log writes it.
  if (frame.intercept) line.intercept = loggedMarkOf(frame.intercept, frame.opcode, body?.original);
  return line;
}

export function errorLine(error: NetError): JsonLine {
  const details = error.details;
  const redacted = {
    ...details,
    ...(details.proxyRequest ? { proxyRequest: redactCapture(details.proxyRequest) } : {}),
    ...(details.proxyResponse ? { proxyResponse: redactCapture(details.proxyResponse) } : {}),
    ...(details.upgradeRequest ? { upgradeRequest: redactCapture(details.upgradeRequest) } : {}),
    ...(details.upgradeResponse ? { upgradeResponse: redactCapture(details.upgradeResponse) } : {}),
  };
  return { type: 'error', stage: error.stage, code: error.code, message: error.message, hint: error.hint, details: redacted };
}

/** The `closed` line; with the session's last statistics, its totals and round trips too. */
export function closedLine(event: EngineEventOf<'closed'>, stats?: SessionStats): JsonLine {
  const line: JsonLine = {
    type: 'closed',
    code: event.code,
    reason: event.reason,
    wasClean: event.wasClean,
    initiatedBy: event.initiatedBy,
    ...(event.diagnosis !== undefined ? { diagnosis: event.diagnosis } : {}),
  };
  if (!stats) return line;
  const { lastMs, minMs, avgMs, maxMs, samples } = stats.rtt;
  return {
    ...line,
    totals: stats.totals,
    rtt: { lastMs, minMs, avgMs, maxMs, samples: samples.length },
    ...(stats.queued ? { queued: { messages: stats.queued.messages, bytes: stats.queued.bytes } } : {}),
    // --reconnect: the totals span these attempts.
    ...(stats.attempts ? { attempts: stats.attempts } : {}),
  };
}

/** `send-queue` {full, messages, bytes, highWaterMark}: when the queue fills (the server is not reading) and when it drains. */
export function sendQueueLine(stats: SessionStats): JsonLine | undefined {
  if (!stats.queued) return undefined;
  const { messages, bytes, highWaterMark } = stats.queued;
  return { type: 'send-queue', full: sendQueueFull(stats), messages, bytes, highWaterMark };
}

export class JsonPrinter {
  /** The latest statistics; the engine sends a last one right before `closed`. */
  private lastStats: SessionStats | undefined;

  constructor(
    private readonly write: (line: string) => void,
    private readonly scrubber: Scrubber,
    /** A frame's full payload, read from the store at once or fetched (frames:get); undefined when it is gone. */
    private readonly fetchBody: (seq: number) => FrameBody | undefined | Promise<FrameBody | undefined>,
    /** --decode: a `decoded` member on frame lines while decoding is wanted. */
    private readonly decoding?: CliFrameDecoding,
  ) {}

  private readonly masking = new CliFrameMasking();

  emit(line: JsonLine): void {
    this.write(terminalJson(this.scrubber.deep(line)));
  }

  decision(event: EngineEventOf<'proxy-decision'>): void {
    this.emit(resolveLine(event.decision));
  }

  state(event: EngineEventOf<'state'>): void {
    this.emit({ type: 'state', state: event.state });
  }

  handshake(event: EngineEventOf<'handshake'>): void {
    this.masking.handshake(event.step);
    const line = handshakeLine(event.step);
    if (line) this.emit(line);
  }

  async frames(event: EngineEventOf<'frames'>): Promise<void> {
    for (const frame of event.frames) {
      // An edited intercepted frame's line carries its original payload, which comes with the body.
      const needsBody = (frame.opcode !== 'close' && (frame.opcode !== 'text' || frame.truncated)) || frame.intercept?.action === 'edited';
      const fetched = needsBody ? this.fetchBody(frame.seq) : undefined;
      // Read at once from an in-process engine: no promise per frame then.
      const body = fetched instanceof Promise ? await fetched : fetched;
      const decoding = this.decoding;
      // Credentials inside the frame: '*' in the raw payload, whatever --decode says (frame-masking.ts).
      const shown = this.masking.mask(frame, body, decoding?.active?.protocol);
      if (!decoding?.wanted) {
        // The same line as emit(frameLine(…)) gives, built without the objects (frame-json.ts).
        this.write(frameJson(shown.frame, shown.body, this.scrubber));
        continue;
      }
      // Decoded from the masked bytes: a message that is not valid as the protocol decoded is quoted in the summary.
      const got = decoding.decode(shown.frame, shown.body);
      const outcome = got instanceof Promise ? await got : got;
      const line = frameJson(shown.frame, shown.body, this.scrubber);
      this.write(outcome ? `${line.slice(0, -1)}${decodedJson(outcome, decoding.active, frame.dir, this.scrubber)}}` : line);
    }
  }

  error(error: NetError): void {
    this.emit(errorLine(error));
  }

  closed(event: EngineEventOf<'closed'>): void {
    const line = closedLine(event, this.lastStats);
    // --decode: each direction's last message, printed with "so far", whose rest never came (as exports write it).
    const unfinished = this.decoding?.unfinishedAtEnd() ?? [];
    const active = this.decoding?.active;
    this.emit(unfinished.length > 0 ? { ...line, unfinished: unfinished.map(({ seq, dir, outcome }) => ({ seq, dir, decoded: decodedRecord(outcome, active, dir) })) } : line);
  }

  stats(event: EngineEventOf<'stats'>): void {
    const wasFull = sendQueueFull(this.lastStats);
    this.lastStats = event.stats;
    const line = sendQueueFull(event.stats) !== wasFull ? sendQueueLine(event.stats) : undefined;
    if (line) this.emit(line);
  }

  /** --reconnect: an attempt ended (its outcome, the wait before the next one or why none follows). */
  attempt(event: EngineEventOf<'attempt'>): void {
    const { record } = event;
    const { error, ...outcome } = record.outcome;
    // --decode: the next attempt decodes afresh; each direction's last message whose rest never came (as `closed` says).
    const unfinished = this.decoding?.attemptEnded(record) ?? [];
    this.masking.attemptEnded(record.afterSeq);
    const active = this.decoding?.active;
    this.emit({
      type: 'attempt',
      attempt: record.attempt,
      afterSeq: record.afterSeq,
      outcome: { ...outcome, ...(error ? { error: error.code } : {}) },
      next: record.next,
      ...(record.stopReason !== undefined ? { stopReason: record.stopReason } : {}),
      ...(unfinished.length > 0 ? { unfinished: unfinished.map(({ seq, dir, outcome }) => ({ seq, dir, decoded: decodedRecord(outcome, active, dir) })) } : {}),
    });
  }

  attemptStarted(event: EngineEventOf<'attempt-started'>): void {
    this.emit({ type: 'attempt-started', attempt: event.attempt });
  }

  /** --reconnect with a profile's resend: what the attempt sent again (the report as the engine gives it, without the session id). */
  resent(event: EngineEventOf<'resent'>): void {
    const { type: _type, sessionId: _sessionId, ...report } = event;
    this.emit({ type: 'resent', ...report });
  }
}
