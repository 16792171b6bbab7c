/**
 * Breakpoints of the intercepting proxy: rules that hold matching messages in either direction
 * (direction, type, text contained, a regular expression, the server's host), and the messages
 * held now across every intercepted connection, each under an id to forward (as it was or
 * edited), drop, or release with the rest ("forward all"). Each connection's directions keep
 * their order (direction-gate.ts): what comes behind a held message waits behind it.
 *
 * With no rules a message costs one length check here: the relay passes it on at once.
 */
import { compileSearchRegex } from '../search/safe-regex';
import type { DirectionGate, GateMessage } from './direction-gate';
import type { InterceptEventListener } from './intercept-events';

export type FrameDirection = 'in' | 'out';

export interface BreakpointRule {
  /** `out`: client to server; `in`: server to client; unset: both. */
  direction?: FrameDirection;
  kind?: 'text' | 'binary';
  /** Text the payload (read as UTF-8) contains. */
  text?: string;
  /** A regular expression the payload (read as UTF-8) matches (the search's safe compilation). */
  regex?: string;
  /** The server's host, exactly (case-insensitive). */
  host?: string;
}

interface CompiledRule {
  rule: BreakpointRule;
  regex: RegExp | undefined;
}

export interface HeldMessage {
  id: number;
  sessionId: string;
  direction: FrameDirection;
  kind: 'text' | 'binary';
  payload: Buffer;
}

/** How many characters of a held message the `paused` report shows. */
const PREVIEW_CHARS = 200;

export class InterceptBreakpoints {
  private rules: CompiledRule[] = [];
  private nextId = 1;
  private readonly held = new Map<number, HeldMessage & { gate: DirectionGate }>();

  constructor(private readonly report: InterceptEventListener = () => undefined) {}

  /** Replaces the rules; a regular expression that cannot be used is refused, naming the rule. */
  setRules(rules: readonly BreakpointRule[]): { ok: true } | { ok: false; problem: string } {
    const compiled: CompiledRule[] = [];
    for (const [index, rule] of rules.entries()) {
      let regex: RegExp | undefined;
      if (rule.regex !== undefined) {
        const result = compileSearchRegex(rule.regex, false);
        if (!result.ok) return { ok: false, problem: `breakpoint ${index + 1}: ${result.message}` };
        regex = result.regex;
      }
      compiled.push({ rule, regex });
    }
    this.rules = compiled;
    return { ok: true };
  }

  /**
   * The hold function of one direction of one connection (for its DirectionGate): a matching
   * message is registered under a new id and reported as `paused`.
   */
  holder(sessionId: string, host: string, direction: FrameDirection, gate: () => DirectionGate): (message: GateMessage) => number | undefined {
    const lowerHost = host.toLowerCase();
    return (message) => {
      if (this.rules.length === 0 || !this.rules.some((rule) => matches(rule, lowerHost, direction, message))) return undefined;
      const id = this.nextId++;
      this.held.set(id, { id, sessionId, direction, kind: message.kind, payload: message.payload, gate: gate() });
      this.report({
        type: 'paused',
        sessionId,
        id,
        direction,
        kind: message.kind,
        size: message.payload.length,
        preview: message.kind === 'text' ? message.payload.toString('utf8').slice(0, PREVIEW_CHARS) : message.payload.subarray(0, PREVIEW_CHARS / 2).toString('hex'),
      });
      return id;
    };
  }

  /** Held messages now, oldest first. */
  list(): HeldMessage[] {
    return [...this.held.values()].map(({ gate: _gate, ...held }) => held);
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
  }
}

function matches({ rule, regex }: CompiledRule, host: string, direction: FrameDirection, message: GateMessage): boolean {
  if (rule.direction !== undefined && rule.direction !== direction) return false;
  if (rule.kind !== undefined && rule.kind !== message.kind) return false;
  if (rule.host !== undefined && rule.host.toLowerCase() !== host) return false;
  if (rule.text === undefined && regex === undefined) return true;
  const text = message.payload.toString('utf8');
  if (rule.text !== undefined && !text.includes(rule.text)) return false;
  if (regex !== undefined) {
    regex.lastIndex = 0;
    if (!regex.test(text)) return false;
  }
  return true;
}
