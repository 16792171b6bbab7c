/**
 * A STOMP message proven to match a query without decoding it (match-proof.ts): the side the
 * probe prefilter (stomp-probe.ts) does not answer, for a query most frames match
 * (`$.command == 'MESSAGE'`, `$.headers.destination =~ /^\/topic\//`, `$.body.price >= 0`).
 * STOMP keeps state (a frame split across messages, the escapes CONNECTED may switch off), so the
 * proof answers only for a message the walk reads with a decoder idle for its direction, and
 * `true` needs all of:
 * - the message is self-contained (raw-prefilter.ts stompFrameBounds: one frame ending at its last
 *   NUL, no backslash or NUL in command and headers, not CONNECTED): decoded alone as in order,
 *   and the decoder keeps nothing of it (the only state it has is the unfinished frame per
 *   direction and CONNECTED's version; receipts and subscriptions are read from each frame's own
 *   value by conversation-of.ts, not remembered by the decoder);
 * - the parser (stomp-frame.ts) would not call it invalid: its command is one it knows, and each
 *   header line holds a ':' and is UTF-8. A header line that starts with a byte order mark is not
 *   proven: with a U+FFFD in it the parser reads it strictly, which drops the mark, so a
 *   `content-length` could appear that the bounds did not check;
 * - every clause holds for what its path selects, read as stomp-probe.ts reads it for the
 *   decoded value (stompFrameProbe without failsWhenAbsent: exact where not UNSURE). A path into a
 *   body of JSON text (`$.body.price`) is followed in the body's bytes (json-path-follow.ts) when
 *   json-text-check.ts says JSON.parse takes them as the decoder's text (strict UTF-8, an object or
 *   array, at most MAX_JSON_TEXT_CHARS), else, and where the follower is UNSURE or shows ±Infinity,
 *   the body's text is parsed.
 * Anything else answers `false` (decoded in order as before): control frames, heart-beats,
 * several frames or part of one, escapes, U+FFFD in a value or body read (UNSURE), `[*]`,
 * `headerList`, an index at the top.
 */
import { isUtf8 } from 'node:buffer';
import { holdsForValue, holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import { MAX_JSON_TEXT_CHARS } from '../../shared/json-text-value';
import { followJsonPath } from './json-path-follow';
import { isJsonContainerText } from './json-text-check';
import type { MatchProof } from './match-proof';
import { exactInUtf8, stompFrameBounds, type StompFrameBounds } from './raw-prefilter';
import { STOMP_COMMANDS } from './stomp-frame';
import { stompFrameProbe, type StompFrameProbe } from './stomp-probe';
import { ABSENT, UNSURE, probeSteps, type ProbeStep, type Probed } from './value-probe';

const LF = 0x0a;
const COLON = 0x3a;

/** The top-level keys a single frame's value may have (stomp-decoder.ts frameValue); headerList is not read. */
const READ_KEYS = new Set(['command', 'headers', 'body']);

interface ProvenClause {
  /** What the decoded value holds at the path (UNSURE: not read). */
  readonly exact: StompFrameProbe;
  /** For `$.body` then steps: the steps, followed in the body's bytes when they are JSON text. */
  readonly bodySteps: readonly ProbeStep[] | undefined;
  readonly test: QueryClause['test'];
}

/** Whether the parser takes the command: one it knows (read as Latin-1, as stomp-frame.ts does). */
function knownCommand(slab: Buffer, start: number, bounds: StompFrameBounds): boolean {
  return STOMP_COMMANDS.has(slab.toString('latin1', start, bounds.commandEnd));
}

/**
 * Whether every header line holds a ':' and is UTF-8 (stomp-frame.ts: else the frame is invalid),
 * and none starts with a byte order mark (see the file comment). Each line in [headersStart,
 * headersEnd) ends with an LF (stompFrameBounds), and a ':' byte on it is before any CR ending it.
 * The block is UTF-8 exactly when each line is (an LF is no part of a multi-byte sequence).
 */
function headersValid(slab: Buffer, bounds: StompFrameBounds): boolean {
  const { headersStart, headersEnd } = bounds;
  let colon = false;
  let high = false;
  let lineStart = headersStart;
  for (let at = headersStart; at < headersEnd; at++) {
    const byte = slab[at] ?? 0;
    if (byte === LF) {
      if (!colon) return false;
      colon = false;
      lineStart = at + 1;
    } else if (byte === COLON) colon = true;
    else if (byte >= 0x80) {
      high = true;
      if (at === lineStart && byte === 0xef && slab[at + 1] === 0xbb && slab[at + 2] === 0xbf) return false;
    }
  }
  return !high || isUtf8(slab.subarray(headersStart, headersEnd));
}

/** Whether a clause surely holds for what its path selects (UNSURE: not proven). */
function surelyHolds(found: Probed, test: QueryClause['test']): boolean {
  if (found === UNSURE) return false;
  return found === ABSENT ? holdsWhenAbsent(test) : holdsForValue(test, found);
}

/** The steps after `$.body` to follow in the body's bytes, or undefined (read from its text). */
function bodyStepsOf(clause: QueryClause): ProbeStep[] | undefined {
  const [first, ...rest] = clause.path;
  if (first?.kind !== 'key' || first.name !== 'body' || rest.length === 0) return undefined;
  const steps = probeSteps(rest);
  // As stomp-probe.ts bodyProbe: a key whose UTF-8 could be read as other text is not followed.
  return steps && !steps.some((step) => step.kind === 'key' && !exactInUtf8(step.name)) ? steps : undefined;
}

/** Body bytes the follower may read: JSON.parse takes their text (see the file comment). */
function bodyIsJsonText(slab: Buffer, bounds: StompFrameBounds): boolean {
  const { bodyStart, bodyEnd } = bounds;
  return bodyEnd - bodyStart <= MAX_JSON_TEXT_CHARS && isJsonContainerText(slab, bodyStart, bodyEnd);
}

/** The proof for this query over STOMP messages, or undefined when it can prove none (see the file comment). */
export function stompMatchProof(query: DecodedQuery): MatchProof | undefined {
  const clauses: ProvenClause[] = [];
  for (const clause of query.clauses) {
    const first = clause.path[0];
    if (first?.kind !== 'key') return undefined;
    // Another name selects nothing in a single frame: only `!=` holds there, read by the probe too.
    if (!READ_KEYS.has(first.name) && !holdsWhenAbsent(clause.test)) return undefined;
    const exact = stompFrameProbe(clause.path, false);
    if (!exact) return undefined;
    clauses.push({ exact, bodySteps: bodyStepsOf(clause), test: clause.test });
  }
  if (clauses.length === 0) return undefined;
  const needsJson = clauses.some((clause) => clause.bodySteps !== undefined);
  return (slab, start, end, opcode) => {
    if (opcode !== 'text' && opcode !== 'binary') return false;
    const bounds = stompFrameBounds(slab, start, end);
    if (!bounds || !knownCommand(slab, start, bounds) || !headersValid(slab, bounds)) return false;
    const json = needsJson && bodyIsJsonText(slab, bounds);
    for (let k = 0; k < clauses.length; k++) {
      const clause = clauses[k];
      if (!clause) continue;
      let found: Probed = UNSURE;
      if (json && clause.bodySteps) found = followJsonPath(slab, bounds.bodyStart, bounds.bodyEnd, clause.bodySteps);
      // The follower shows a number past a double as text; JSON text keeps it a number.
      if (found === UNSURE || found === 'Infinity' || found === '-Infinity') found = clause.exact(slab, start, end, bounds);
      if (!surelyHolds(found, clause.test)) return false;
    }
    return true;
  };
}
