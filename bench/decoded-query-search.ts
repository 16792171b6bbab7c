/**
 * (11) Searches over decoded frames that no prefilter helps (a JSONPath query): for the GraphQL,
 * MQTT 5 and Socket.IO streams of decoded-streams.ts (a million frames each, stateful: results
 * named by their subscribe, topic aliases, binary events), the query searched forward from the
 * oldest frame, the same search again, and backward from the newest on a decoding that has not
 * searched. Each goes through the search's own in-order walk (in-order-match-walk.ts), so every
 * count must equal decoding every frame in order, done here for reference with one decoder and
 * the query. No time target: the figure is the cost of that walk (linear in the frames).
 * BENCH_DECODED_FRAMES=<n> and BENCH_QUERY_STREAMS=graphql,mqtt5 as in part (10).
 */
import { DecodeCommands } from '../src-main/core/decode-commands';
import { createDecoder } from '../src-main/core/decode/decoder-registry';
import { FrameStore } from '../src-main/core/session/frame-store';
import { matchesDecodedQuery, parseDecodedQuery } from '../src-main/shared/decoded-query';
import { DECODED_STREAMS, type DecodedStream } from './decoded-streams';
import { timedDecodedSearch as search, type DecodedSearchSession, type TimedSearch } from './timed-decoded-search';
import { formatNumber, type BenchRow } from './stats';

const FRAMES = Number(process.env.BENCH_DECODED_FRAMES ?? 1_000_000);
const QUERIES: Record<string, string> = {
  graphql: "$.operation.name == 'OnPrice7'",
  mqtt5: "$.topic == 'sensors/7/temp'",
  socketio: "$.event == 'chat'",
};
const STREAMS = (process.env.BENCH_QUERY_STREAMS ?? Object.keys(QUERIES).join(',')).split(',');

type Session = DecodedSearchSession;
type Timed = TimedSearch;

/** The query's matches when one decoder reads every frame in order. */
function referenceCount(store: FrameStore, stream: DecodedStream, query: string): number {
  const parsed = parseDecodedQuery(query);
  if (!parsed.ok) throw new Error(parsed.error);
  const decoder = createDecoder(stream.choice, stream.choice === 'socketio' ? { engineVersion: 4 } : {});
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

async function benchStream(name: string, stream: DecodedStream, query: string): Promise<BenchRow> {
  const store = new FrameStore();
  stream.fill(FRAMES, (frame) => store.push(frame.dir, frame.opcode, frame.bytes));
  const session: Session = { id: name, url: stream.url, frames: store, handshakeSteps: () => [] };
  const decodingFor = (): DecodeCommands => {
    const decodes = new DecodeCommands();
    const state = decodes.state(session, { sessionId: session.id, choice: stream.choice });
    if (!state.ok) throw new Error(state.error.message);
    return decodes;
  };
  const decodes = decodingFor();
  const first = await search(store, decodes, session, { query }, false);
  const again = await search(store, decodes, session, { query }, false);
  const backward = await search(store, decodingFor(), session, { query }, true);
  const expected = referenceCount(store, stream, query);
  const count = store.count || FRAMES;
  store.release();
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
  for (const name of STREAMS) {
    const stream = (DECODED_STREAMS as Record<string, DecodedStream | undefined>)[name];
    const query = QUERIES[name];
    if (!stream || query === undefined) throw new Error(`BENCH_QUERY_STREAMS: no stream '${name}' (there are ${Object.keys(QUERIES).join(', ')})`);
    rows.push(await benchStream(name, stream, query));
  }
  return rows;
}
