/**
 * Which Protocol Buffers message type a WebSocket message is, when one type does not fit all
 * (a request type out and a reply type in, an envelope told by its first byte, another type on
 * another URL or subprotocol): rules from the user's choice (shared/decoding.ts
 * ProtobufTypeRule), checked against the compiled schema once, then asked per message. The first
 * rule whose conditions all hold gives the type; else the choice's own type; else none (the
 * message is read without a schema). URL and subprotocol are the connection's, known once its
 * handshake is; a rule that needs one not known does not hold. Every user (the app's sessions,
 * exports, `connect --profile`, `connect --decode`) gives the session's URL and the rules read it
 * through protobufRuleUrl, so one URL picks one type wherever it is decoded.
 */
import type { ProtobufTypeRule } from '../../shared/decoding';
import type { WireFrame } from './decoded-frame';
import type { CompiledProtobuf, ProtobufSchema } from './protobuf-schema';

/** A rule with its type compiled. */
export interface ProtobufRule {
  readonly dir?: WireFrame['dir'];
  readonly firstByte?: number;
  readonly urlIncludes?: string;
  readonly subprotocol?: string;
  readonly schema: ProtobufSchema;
}

/** What the rules may ask of the connection. */
export interface ConnectionSigns {
  /** The session's URL (variables filled in); rules read it as protobufRuleUrl writes it. */
  readonly url?: string;
  /** The subprotocol the server chose. */
  readonly subprotocol?: string;
}

/**
 * The rules' types looked up in the schema: the compiled rules, or the first rule whose type is
 * not there (its place, counted from 0, for the field path; protobuf-choice.ts names it "type rule N", counted from 1).
 */
export function compileProtobufRules(compiled: CompiledProtobuf, rules: readonly ProtobufTypeRule[]): { rules: ProtobufRule[] } | { problem: string; index: number } {
  const out: ProtobufRule[] = [];
  for (const [index, rule] of rules.entries()) {
    const typed = compiled.schemaOf(rule.type);
    if ('problem' in typed) return { problem: typed.problem, index };
    out.push({
      ...(rule.dir !== undefined ? { dir: rule.dir } : {}),
      ...(rule.firstByte !== undefined ? { firstByte: rule.firstByte } : {}),
      ...(rule.urlIncludes !== undefined ? { urlIncludes: rule.urlIncludes } : {}),
      ...(rule.subprotocol !== undefined ? { subprotocol: rule.subprotocol } : {}),
      schema: typed.schema,
    });
  }
  return { rules: out };
}

/**
 * The URL a rule's `urlIncludes` is looked for in: the session's URL as the WHATWG parser writes
 * it (scheme and host in lower case, a default port left out, the path percent-encoded), without
 * its fragment (never sent). Undefined for text that is not an absolute URL (a request target
 * alone): a URL condition then does not hold, rather than hold in one place and not in another.
 */
export function protobufRuleUrl(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.href;
}

/** The one test of a rule's URL condition: a plain, case-sensitive part of protobufRuleUrl(url). */
export function urlConditionHolds(urlIncludes: string, url: string | undefined): boolean {
  return protobufRuleUrl(url)?.includes(urlIncludes) ?? false;
}

function holdsForConnection(rule: ProtobufRule, signs: ConnectionSigns): boolean {
  if (rule.urlIncludes !== undefined && !urlConditionHolds(rule.urlIncludes, signs.url)) return false;
  if (rule.subprotocol !== undefined && signs.subprotocol?.toLowerCase() !== rule.subprotocol.toLowerCase()) return false;
  return true;
}

/**
 * Per message: the type the first rule that holds gives, else `fallback` (undefined: read
 * without a schema). The connection's conditions are settled here, once per decoder.
 */
export function protobufTypeChooser(rules: readonly ProtobufRule[], fallback: ProtobufSchema | undefined, signs: ConnectionSigns): (frame: WireFrame) => ProtobufSchema | undefined {
  const live = rules.filter((rule) => holdsForConnection(rule, signs));
  if (live.length === 0) return () => fallback;
  return (frame) => {
    for (const rule of live) {
      if (rule.dir !== undefined && rule.dir !== frame.dir) continue;
      if (rule.firstByte !== undefined && (frame.bytes.byteLength === 0 || frame.bytes[0] !== rule.firstByte)) continue;
      return rule.schema;
    }
    return fallback;
  };
}
