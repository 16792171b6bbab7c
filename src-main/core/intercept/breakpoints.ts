/**
 * Breakpoints of the intercepting proxy: rules that hold matching messages in either direction
 * (direction, type, text contained, a regular expression, a JSONPath, the server's host), the
 * messages held now across every intercepted connection, each under an id to forward (as it
 * was or edited), drop, or release with the rest ("forward all"), and each connection's relay
 * (to inject a message or close a side). Each connection's directions keep their order
 * (direction-gate.ts): what comes behind a held message waits behind it.
 *
 * With no rules a message costs one length check here: the relay passes it on at once (and,
 * while no enabled rule concerns its direction and host, as the bytes it came in: mayHold).
 */
import type { BreakpointRule, InterceptDirection, MessageKind, WaitingCounts } from '../../shared/intercept-control';
import { compileJsonPath } from '../search/json-path';
import { compileSearchRegex } from '../search/safe-regex';
import type { DirectionGate, GateMessage } from './direction-gate';
import type { InterceptEventListener } from './intercept-events';

export type FrameDirection = InterceptDirection;
export type { BreakpointRule };

interface CompiledRule {
  rule: BreakpointRule;
  regex: RegExp | undefined;
  jsonPath: ((json: unknown) => boolean) | undefined;
}

export interface HeldMessage {
  id: number;
  sessionId: string;
  direction: FrameDirection;
  kind: MessageKind;
  payload: Buffer;
  /** Epoch milliseconds when it was held. */
  at: number;
}

/** What a connection's relay offers the commands: inject, close a side, its queue's counts. */
export interface RelayHandle {
  /** A message typed in Tunnelscope, behind what waits in that direction; false when the connection is not relaying. */
  inject(direction: FrameDirection, kind: MessageKind, payload: Buffer): boolean;
  /** Closes one side with a code; false when that side is not open. */
  closeSide(side: 'client' | 'server', code: number, reason: string): boolean;
  waiting(): WaitingCounts;
}

/** Where a rule cannot be used: `rules.<index>.<field>` and why. */
export type RulesResult = { ok: true } | { ok: false; problem: string; path: string };

/** How many characters of a held message the `paused` report shows. */
const PREVIEW_CHARS = 200;

export class InterceptBreakpoints {
  private compiled: CompiledRule[] = [];
  private nextId = 1;
  private readonly held = new Map<number, HeldMessage & { gate: DirectionGate }>();
  private readonly relays = new Map<string, RelayHandle>();
  private readonly reports = new Set<InterceptEventListener>();
  private readonly queueListeners = new Set<(sessionId: string) => void>();

  constructor(
    report?: InterceptEventListener,
    private readonly now: () => number = Date.now,
  ) {
    if (report) this.reports.add(report);
  }

  /** Hears each `paused` report (the CLI prints them); returns the way to stop. */
  listen(report: InterceptEventListener): () => void {
    this.reports.add(report);
    return () => this.reports.delete(report);
  }

  /** Hears that a connection's queue changed (held, released, waiting); returns the way to stop. */
  onQueueChange(listener: (sessionId: string) => void): () => void {
    this.queueListeners.add(listener);
    return () => this.queueListeners.delete(listener);
  }

  /** The relay's gates call this when a direction's queue changed. */
  queueChanged(sessionId: string): void {
    for (const listener of this.queueListeners) listener(sessionId);
  }

  /** Replaces the rules; a regular expression or JSONPath that cannot be used is refused, naming the rule. */
  setRules(rules: readonly BreakpointRule[]): RulesResult {
    const compiled: CompiledRule[] = [];
    for (const [index, rule] of rules.entries()) {
      let regex: RegExp | undefined;
      let jsonPath: ((json: unknown) => boolean) | undefined;
      if (rule.regex !== undefined) {
        const result = compileSearchRegex(rule.regex, false);
        if (!result.ok) return { ok: false, problem: `breakpoint ${index + 1}: ${result.message}`, path: `rules.${index}.regex` };
        regex = result.regex;
      }
      if (rule.jsonPath !== undefined) {
        const result = compileJsonPath(rule.jsonPath);
        if (!result.ok) return { ok: false, problem: `breakpoint ${index + 1}: ${result.message}`, path: `rules.${index}.jsonPath` };
        jsonPath = result.matches;
      }
      compiled.push({ rule: { ...rule }, regex, jsonPath });
    }
    this.compiled = compiled;
    return { ok: true };
  }

  /**
   * Whether any enabled rule could hold a message of this direction to this host (the relay's
   * fast path asks per frame: a rule added mid-connection takes the next frame out of it).
   * `lowerHost`: the server's host in lower case.
   */
  mayHold(lowerHost: string, direction: FrameDirection): boolean {
    for (const { rule } of this.compiled) {
      if (rule.enabled === false) continue;
      if (rule.direction !== undefined && rule.direction !== direction) continue;
      if (rule.host !== undefined && rule.host.toLowerCase() !== lowerHost) continue;
      return true;
    }
    return false;
  }

  rules(): BreakpointRule[] {
    return this.compiled.map(({ rule }) => ({ ...rule }));
  }

  /** A connection's relay is up: injections and closes reach it by its session id. */
  attach(sessionId: string, relay: RelayHandle): void {
    this.relays.set(sessionId, relay);
  }

  relay(sessionId: string): RelayHandle | undefined {
    return this.relays.get(sessionId);
  }

  /**
   * The hold function of one direction of one connection (for its DirectionGate): a matching
   * message is registered under a new id and reported as `paused`.
   */
  holder(sessionId: string, host: string, direction: FrameDirection, gate: () => DirectionGate): (message: GateMessage) => number | undefined {
    const lowerHost = host.toLowerCase();
    return (message) => {
      if (this.compiled.length === 0) return undefined;
      const payload = new PayloadReading(message.payload);
      if (!this.compiled.some((rule) => matches(rule, lowerHost, direction, message.kind, payload))) return undefined;
      const id = this.nextId++;
      this.held.set(id, { id, sessionId, direction, kind: message.kind, payload: message.payload, at: this.now(), gate: gate() });
      const report = {
        type: 'paused' as const,
        sessionId,
        id,
        direction,
        kind: message.kind,
        size: message.payload.length,
        preview: preview(message.kind, message.payload),
      };
      for (const listener of this.reports) listener(report);
      return id;
    };
  }

  /** Held messages now (of one connection, or all), oldest first. */
  list(sessionId?: string): HeldMessage[] {
    const all = [...this.held.values()].map(({ gate: _gate, ...held }) => held);
    return sessionId === undefined ? all : all.filter((held) => held.sessionId === sessionId);
  }

  /** The connections that hold or queue something, or have a relay. */
  sessionIds(): string[] {
    return [...new Set([...this.relays.keys(), ...[...this.held.values()].map((held) => held.sessionId)])];
  }

  get(id: number): HeldMessage | undefined {
    const held = this.held.get(id);
    if (!held) return undefined;
    const { gate: _gate, ...message } = held;
    return message;
  }

  /** Lets a held message go, edited when `payload` is given; false when nothing is held under `id`. */
  forward(id: number, payload?: Buffer): boolean {
    const held = this.held.get(id);
    if (!held) return false;
    this.held.delete(id);
    return held.gate.forward(id, payload);
  }

  drop(id: number): boolean {
    const held = this.held.get(id);
    if (!held) return false;
    this.held.delete(id);
    return held.gate.drop(id);
  }

  /** Lets every held message go as it is (of one connection, or of all); returns how many. */
  forwardAll(sessionId?: string): number {
    const gates = new Set<DirectionGate>();
    for (const held of this.held.values()) if (sessionId === undefined || held.sessionId === sessionId) gates.add(held.gate);
    let released = 0;
    for (const gate of gates) {
      for (const id of gate.forwardAll()) {
        this.held.delete(id);
        released += 1;
      }
    }
    return released;
  }

  /** A connection ended: what it held can no longer go anywhere. */
  forget(sessionId: string): void {
    for (const [id, held] of this.held) if (held.sessionId === sessionId) this.held.delete(id);
    this.relays.delete(sessionId);
    this.queueChanged(sessionId);
  }
}

/** Text: the first 200 characters; binary: the first 100 bytes in hex. */
export function preview(kind: MessageKind, payload: Buffer): string {
  return kind === 'text' ? payload.toString('utf8', 0, PREVIEW_CHARS * 4).slice(0, PREVIEW_CHARS) : payload.subarray(0, PREVIEW_CHARS / 2).toString('hex');
}

/** A message's payload as the rules read it: decoded and parsed once, whatever the number of rules. */
class PayloadReading {
  private decoded: string | undefined;
  private parsed: { json: unknown } | null | undefined;

  constructor(private readonly payload: Buffer) {}

  get text(): string {
    this.decoded ??= this.payload.toString('utf8');
    return this.decoded;
  }

  /** The JSON value, or null when the payload is not JSON. */
  get json(): { json: unknown } | null {
    if (this.parsed === undefined) {
      try {
        this.parsed = { json: JSON.parse(this.text) as unknown };
      } catch {
        this.parsed = null;
      }
    }
    return this.parsed;
  }
}

function matches({ rule, regex, jsonPath }: CompiledRule, host: string, direction: FrameDirection, kind: MessageKind, payload: PayloadReading): boolean {
  if (rule.enabled === false) return false;
  if (rule.direction !== undefined && rule.direction !== direction) return false;
  if (rule.kind !== undefined && rule.kind !== kind) return false;
  if (rule.host !== undefined && rule.host.toLowerCase() !== host) return false;
  if (rule.text !== undefined && !payload.text.includes(rule.text)) return false;
  if (regex !== undefined) {
    regex.lastIndex = 0;
    if (!regex.test(payload.text)) return false;
  }
  if (jsonPath !== undefined) {
    // Not JSON: a JSONPath rule does not hold it.
    const parsed = payload.json;
    if (parsed === null || !jsonPath(parsed.json)) return false;
  }
  return true;
}
