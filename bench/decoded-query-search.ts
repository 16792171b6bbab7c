/**
 * (11) JSONPath query searches over decoded frames: for the GraphQL, MQTT 5, Socket.IO and STOMP
 * streams of decoded-streams.ts (a million frames each, stateful: results named by their subscribe,
 * topic aliases, binary events) and the payload formats of payload-streams.ts (MessagePack,
 * CBOR, Protocol Buffers without and with a schema, SignalR MessagePack, gzip, deflate, brotli,
 * Base64), the query searched forward from the oldest frame, the same search again, and backward
 * from the newest on a decoding that has not searched. Each goes through the search's own
 * in-order walk (in-order-match-walk.ts), which passes over the frames the query's prefilter
 * rules out (query-prefilter.ts; none for a schema, compressed or Base64), so every count must
 * equal decoding every frame in order, done here for reference with one decoder and the query.
 * BENCH_DECODED_FRAMES=<n> as in part (10); BENCH_QUERY_STREAMS=graphql,mqtt5,gzip (default the
 * first three and the unwrapped payload formats; `all` adds gzip, deflate, deflate-raw, brotli and base64).
 * BENCH_QUERY=<query> searches that query in every chosen stream instead of its own (e.g.
 * `$.seq > 999990` in msgpack,cbor: a query no prefilter can use, so every frame is decoded).
 * BENCH_QUERY_DENSE=1 also searches a query most messages match in each payload stream
 * (`$.seq >= 0`, `$.payload.seq >= 0`) and in GraphQL, MQTT 5, Socket.IO, STOMP and SignalR
 * (`$.type == 'next'`, `$.cmd == 'publish'`, `$.event != 'x'`, `$.command == 'MESSAGE'`,
 * `$.type == 1`), counted in full:
 * what a match proof (match-proof.ts) saves, where a protocol has one.
 * BENCH_QUERY_MORE=1 also searches each stream's further queries (more-queries.ts: other fields,
 * MQTT 5 properties, ids, `[*]`), first search forward only, each count checked as above.
 */
import { DecodeCommands } from '../src-main/core/decode-commands';
import { createDecoder, type DecoderSettings } from '../src-main/core/decode/decoder-registry';
import { protobufChoiceSettings } from '../src-main/core/decode/protobuf-choice';
import type { ProtobufChoice } from '../src-main/shared/decoding';
import { FrameStore } from '../src-main/core/session/frame-store';
import { matchesDecodedQuery, parseDecodedQuery } from '../src-main/shared/decoded-query';
import { DECODED_STREAMS, type StreamFrame } from './decoded-streams';
import { MORE_QUERIES } from './more-queries';
import { PAYLOAD_STREAMS } from './payload-streams';
import { timedDecodedSearch as search, type DecodedSearchSession, type TimedSearch } from './timed-decoded-search';
import { formatNumber, type BenchRow } from './stats';

const FRAMES = Number(process.env.BENCH_DECODED_FRAMES ?? 1_000_000);
/** Part (10)'s streams (by name) and the query searched in each. */
const QUERIES: Record<string, { stream: keyof typeof DECODED_STREAMS; query: string; dense?: string }> = {
  graphql: { stream: 'graphql', query: "$.operation.name == 'OnPrice7'", dense: "$.type == 'next'" },
  // A path into the results' data (GraphQL's JSON-string rule), not the operation.
  'graphql-data': { stream: 'graphql', query: "$.payload.data.price.sym == 'S7'" },
  mqtt5: { stream: 'mqtt5', query: "$.topic == 'sensors/7/temp'", dense: "$.cmd == 'publish'" },
  socketio: { stream: 'socketio', query: "$.event == 'chat'", dense: "$.event != 'x'" },
  // An event argument (one event in 10 is in room r3): Socket.IO's payload rule.
  'socketio-args': { stream: 'socketio', query: "$.args[0].room == 'r3'" },
  // A regular expression on a header (no string for the string rule): STOMP's probe (stomp-probe.ts).
  stomp: { stream: 'stomp', query: '$.headers.destination =~ /^\\/topic\\/p7$/', dense: "$.command == 'MESSAGE'" },
  // SignalR's JSON hub protocol: one target in 97 (the target rule), and every invocation.
  signalr: { stream: 'signalr', query: "$.target == 'Send'", dense: '$.type == 1' },
};
const WRAPPED = ['gzip', 'deflate', 'deflate-raw', 'brotli', 'base64'];
const DEFAULT_STREAMS = [...Object.keys(QUERIES), ...Object.keys(PAYLOAD_STREAMS).filter((name) => !WRAPPED.includes(name))];
const chosen = process.env.BENCH_QUERY_STREAMS ?? DEFAULT_STREAMS.join(',');
const STREAMS = chosen === 'all' ? [...DEFAULT_STREAMS, ...WRAPPED] : chosen.split(',');

/** One stream to search: its decoder choice and the frames. */
interface QueryStream {
  choice: Parameters<typeof createDecoder>[0];
  protobuf?: ProtobufChoice;
  url: string;
  query: string;
  dense?: string;
  fill(count: number, push: (frame: StreamFrame) => void): void;
}

function streamNamed(name: string): QueryStream {
  const payload = PAYLOAD_STREAMS[name];
  if (payload) return payload;
  const chosen = QUERIES[name];
  if (!chosen) throw new Error(`BENCH_QUERY_STREAMS: no stream '${name}' (there are ${[...DEFAULT_STREAMS, ...WRAPPED].join(', ')}, or all)`);
  const stream = DECODED_STREAMS[chosen.stream];
  return { choice: stream.choice, url: stream.url, query: chosen.query, ...(chosen.dense !== undefined ? { dense: chosen.dense } : {}), fill: (count, push) => stream.fill(count, push) };
}

function settingsOf(stream: QueryStream): DecoderSettings {
  if (stream.choice === 'socketio') return { engineVersion: 4 };
  if (!stream.protobuf) return {};
  const made = protobufChoiceSettings(stream.protobuf);
  if ('problem' in made) throw new Error(`protobuf.${made.field}: ${made.problem}`);
  return made.settings;
}

type Session = DecodedSearchSession;
type Timed = TimedSearch;

/** The query's matches when one decoder reads every frame in order. */
function referenceCount(store: FrameStore, stream: QueryStream, query: string): number {
  const parsed = parseDecodedQuery(query);
  if (!parsed.ok) throw new Error(parsed.error);
  const decoder = createDecoder(stream.choice, settingsOf(stream));
  let count = 0;
  for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
    const stored = store.entry(seq);
    if (!stored) continue;
    const outcome = decoder.decode({ seq, dir: stored.dir, opcode: stored.opcode, bytes: new Uint8Array(stored.payload) });
    if (outcome && outcome.kind !== 'invalid' && matchesDecodedQuery(parsed.query, outcome.value)) count++;
  }
  return count;
}

const timed = (t: Timed): string => `${formatNumber(t.ms, 0)} ms (${formatNumber(t.cpuMs, 0)} ms CPU)`;

const DENSE = process.env.BENCH_QUERY_DENSE === '1';
const MORE = process.env.BENCH_QUERY_MORE === '1';

async function benchStream(name: string, stream: QueryStream): Promise<BenchRow[]> {
  const queries = [process.env.BENCH_QUERY ?? stream.query, ...(DENSE && stream.dense !== undefined ? [stream.dense] : [])];
  const store = new FrameStore();
  stream.fill(FRAMES, (frame) => store.push(frame.dir, frame.opcode, frame.bytes));
  const session: Session = { id: name, url: stream.url, frames: store, handshakeSteps: () => [] };
  const decodingFor = (): DecodeCommands => {
    const decodes = new DecodeCommands();
    const state = decodes.state(session, { sessionId: session.id, choice: stream.choice, ...(stream.protobuf ? { protobuf: stream.protobuf } : {}) });
    if (!state.ok) throw new Error(state.error.message);
    return decodes;
  };
  const rows: BenchRow[] = [];
  for (const query of queries) {
    const decodes = decodingFor();
    const first = await search(store, decodes, session, { query }, false);
    const again = await search(store, decodes, session, { query }, false);
    const backward = await search(store, decodingFor(), session, { query }, true);
    const expected = referenceCount(store, stream, query);
    rows.push(queryRow(name, query, store.count || FRAMES, [first, again, backward], expected));
  }
  for (const query of MORE ? (MORE_QUERIES[name] ?? []) : []) {
    const first = await search(store, decodingFor(), session, { query }, false);
    rows.push(moreRow(name, query, store.count || FRAMES, first, referenceCount(store, stream, query)));
  }
  store.release();
  return rows;
}

function moreRow(name: string, query: string, count: number, first: Timed, expected: number): BenchRow {
  const agree = first.total === expected;
  return {
    name: `(11) more: ${query} over ${formatNumber(count)} ${name} frames`,
    value: `first ${timed(first)}`,
    target: '= decoding every frame in order',
    met: agree,
    note: `found ${formatNumber(first.total)}; decoding every frame in order finds ${formatNumber(expected)}${agree ? '' : ' — DIFFERENT'}; ${formatNumber((first.cpuMs * 1000) / count, 2)} µs of CPU a frame`,
  };
}

function queryRow(name: string, query: string, count: number, [first, again, backward]: [Timed, Timed, Timed], expected: number): BenchRow {
  const agree = [first, again, backward].every((t) => t.total === expected);
  return {
    name: `(11) ${query} over ${formatNumber(count)} ${name} frames`,
    value: `first ${timed(first)}, again ${timed(again)}, backward first ${timed(backward)}`,
    target: '= decoding every frame in order',
    met: agree,
    note: `found ${formatNumber(first.total)}/${formatNumber(again.total)}/${formatNumber(backward.total)}; decoding every frame in order finds ${formatNumber(expected)}${agree ? '' : ' — DIFFERENT'}; ${formatNumber((first.cpuMs * 1000) / count, 2)} µs of CPU a frame first`,
  };
}

export async function benchDecodedQuerySearch(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const name of STREAMS) rows.push(...(await benchStream(name, streamNamed(name))));
  return rows;
}
