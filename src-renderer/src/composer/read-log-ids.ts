/**
 * Reads the session's log into the composer's id ledger (composer-ids.ts noteLogFrame), from
 * where it left off or the attempt under way's first frame, to the newest frame. Only the frames
 * that can open or close an id are fetched: the engine's decoded search finds them (a query on
 * the protocol's type field, which its prefilters answer from the bytes: about 1 µs a frame, see
 * bench/composer-log-ids.ts), then they alone are decoded with values and read (log-ids.ts).
 * Decoding every frame instead cost 300 µs a frame on a GraphQL or STOMP stream (each stream
 * item's request is looked for up to 256 frames back).
 *
 * A search cancels the session's search under way (search-registry.ts), so reads happen only
 * when a proposal is made (the form shown, a message picked, a send), not as frames come, and
 * each page waits until the log's filter and search have none to run (log-search-busy.ts
 * `LogSearchGate`): the log's search is never the one cancelled. A page of this read that the
 * log's (or the user's) search cancelled is asked again once the log is done; after
 * MAX_CANCELLED such pages the read ends, and the next one takes it up. Frames the store dropped
 * are skipped (their ids cannot be known); a refused answer, or a session no protocol decodes
 * yet, ends the read too.
 */
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import type { TunnelscopeBridge } from '../../../src-main/shared/bridge';
import { MAX_DECODE_FRAMES } from '../../../src-main/shared/decoding';
import type { FrameSummary } from '../../../src-main/shared/model';
import { SEARCH_MAX_LIMIT } from '../../../src-main/shared/search';
import { currentAttemptStart } from '../util/attempt-of-frame';
import { noteAttemptStart, noteLogFrame, type IdLedger } from './composer-ids';
import { idEventsOfFrame, logEventsOfFrame } from './log-ids';
import type { LogSearchGate } from './log-search-gate';

export interface LogIdsSession {
  id: string;
  /** Oldest and newest seq stored (0 while none). */
  firstSeq: number;
  lastSeq: number;
  attempts: readonly AttemptRecord[];
}

/** The field that says what a part is, and the values that open or close an id (log-ids.ts), per protocol. */
function idQuery(protocol: string): { field: string; values: string; needs?: string } | null {
  if (protocol.startsWith('graphql')) return { field: 'type', values: 'subscribe|start|complete|error|stop' };
  if (protocol === 'stomp') return { field: 'command', values: 'SUBSCRIBE|UNSUBSCRIBE' };
  if (protocol === 'mqtt') return { field: 'cmd', values: 'subscribe|unsubscribe|publish|puback|pubcomp|suback|unsuback', needs: 'messageId' };
  if (protocol === 'socketio') return { field: 'type', values: 'EVENT|BINARY_EVENT|ACK|BINARY_ACK', needs: 'id' };
  if (protocol === 'signalr') return { field: 'messageType', values: 'Invocation|StreamInvocation|Completion|CancelInvocation', needs: 'invocationId' };
  return null;
}

/** The queries: on the value, and on each part of a message that holds several (valueParts' lists). */
export function queriesFor(protocol: string): string[] {
  const q = idQuery(protocol);
  if (!q) return [];
  return ['$', '$.frames[*]', '$.packets[*]', '$.messages[*]'].map((at) => `${q.needs ? `${at}.${q.needs} && ` : ''}${at}.${q.field} =~ /^(${q.values})$/`);
}

/**
 * The frames that carry what else the composer says before a send (log-ids.ts logEventsOfFrame):
 * a STOMP client frame's receipt, a Socket.IO CONNECT, DISCONNECT or CONNECT_ERROR, an MQTT PUBREC or PUBREL.
 */
export function otherQueriesFor(protocol: string): string[] {
  const at = ['$', '$.frames[*]', '$.packets[*]', '$.messages[*]'];
  if (protocol === 'stomp') return at.map((a) => `${a}.headers.receipt`);
  if (protocol === 'socketio') return at.map((a) => `${a}.type =~ /^(CONNECT|DISCONNECT|CONNECT_ERROR)$/`);
  // The rest of a QoS 2 exchange (the id queries find PUBLISH, PUBACK, PUBCOMP, SUBSCRIBE, UNSUBSCRIBE).
  if (protocol === 'mqtt') return at.map((a) => `${a}.messageId && ${a}.cmd =~ /^(pubrec|pubrel)$/`);
  return [];
}

/** Whether the ledger still follows this session (a tab that connected again follows another). */
function following(ledger: IdLedger, sessionId: string): boolean {
  return ledger.sessionId === sessionId;
}

/** A log without a filter or search of its own (tests of the engine's side): never busy. */
const NO_LOG_SEARCH: LogSearchGate = { busy: () => false, idle: () => Promise.resolve() };

/** Pages of one read the log's (or the user's) search may cancel before the read gives up until the next. */
export const MAX_CANCELLED = 20;

/** The frames in [from, to] a query finds, or null when a page was refused (or cancelled MAX_CANCELLED times). */
async function found(bridge: TunnelscopeBridge, gate: LogSearchGate, sessionId: string, query: string, from: number, to: number): Promise<FrameSummary[] | null> {
  const out: FrameSummary[] = [];
  let fromSeq: number | null = from;
  let cancelled = 0;
  while (fromSeq !== null && fromSeq <= to) {
    // Asked right before the page is sent: a page sent while the log has one to run would cancel it.
    while (gate.busy()) await gate.idle();
    const page = await bridge['frames:search']({ sessionId, searchId: `composer-ids-${sessionId}`, filter: { decoded: { query } }, fromSeq, limit: SEARCH_MAX_LIMIT });
    if (!page.ok) return null;
    if (page.value.cancelled) {
      cancelled += 1;
      if (cancelled >= MAX_CANCELLED) return null;
      continue;
    }
    out.push(...page.value.matches.filter((m) => m.seq <= to));
    fromSeq = page.value.nextSeq;
  }
  return out;
}

export async function readLogIds(bridge: TunnelscopeBridge, ledger: IdLedger, session: LogIdsSession, gate: LogSearchGate = NO_LOG_SEARCH): Promise<void> {
  const sessionId = session.id;
  noteAttemptStart(ledger, sessionId, currentAttemptStart(session.attempts));
  const from = Math.max(ledger.scannedTo + 1, ledger.attemptStart, session.firstSeq, 1);
  const to = session.lastSeq;
  if (from > to) return;
  const decoding = await bridge['session:decoding']({ sessionId });
  // No protocol found yet (or decoding set to none): nothing to read ids from; read once one is.
  const protocol = decoding.ok ? decoding.value.active?.protocol : undefined;
  if (protocol === undefined) return;
  const frames = new Map<number, FrameSummary>();
  for (const query of [...queriesFor(protocol), ...otherQueriesFor(protocol)]) {
    const list = await found(bridge, gate, sessionId, query, from, to);
    if (list === null) return;
    for (const frame of list) frames.set(frame.seq, frame);
  }
  const seqs = [...frames.keys()].sort((a, b) => a - b);
  for (let i = 0; i < seqs.length; i += MAX_DECODE_FRAMES) {
    const decoded = await bridge['frames:decode']({ sessionId, seqs: seqs.slice(i, i + MAX_DECODE_FRAMES), values: true });
    if (!decoded.ok || !following(ledger, sessionId)) return;
    for (const frame of decoded.value.frames) {
      const dir = frames.get(frame.seq)?.dir;
      if (dir && frame.kind === 'decoded') noteLogFrame(ledger, sessionId, frame.seq, idEventsOfFrame(frame.protocol, dir, frame.value), logEventsOfFrame(frame.protocol, dir, frame.value));
    }
  }
  // Every frame up to `to` is read (those the searches did not find open or close nothing).
  if (following(ledger, sessionId)) {
    noteLogFrame(ledger, sessionId, to, []);
    // The attempt's frames all read (none dropped): a namespace no frame connected is not connected.
    ledger.namespacesKnown = session.firstSeq <= ledger.attemptStart;
  }
}
