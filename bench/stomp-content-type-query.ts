/**
 * Body queries over a STOMP stream whose every frame carries a `content-type` (bench (11)'s STOMP
 * stream has none): what reading each frame's content-type costs the query search (the charset
 * gate, stomp-charset-gate.ts; the probe's and the match proof's reading, stomp-probe.ts,
 * stomp-match-proof.ts). The frames are bench (11)'s (decoded-streams.ts STOMP_STREAM: a JSON
 * body, one destination in 97), each with one content-type line after its destination.
 *
 * `npx tsx bench/stomp-content-type-query.ts [frames] [type,…] [query|…]` prints, per content-type and
 * query, the first search forward's µs of CPU a frame and its count, checked against one decoder
 * reading every frame in order. Types: `none`, `json` (application/json), `json-utf8`
 * (application/json;charset=utf-8), `text-utf8` (text/plain; charset="UTF-8"), `latin1`
 * (text/plain;charset=iso-8859-1, ASCII bodies), `utf16` (application/json;charset=utf-16le, the
 * body in UTF-16: decoded in order, for scale). Default: every type but utf16, the four queries
 * below.
 */
import { pathToFileURL } from 'node:url';
import { DecodeCommands } from '../src-main/core/decode-commands';
import { createDecoder } from '../src-main/core/decode/decoder-registry';
import { FrameStore } from '../src-main/core/session/frame-store';
import { matchesDecodedQuery, parseDecodedQuery } from '../src-main/shared/decoded-query';
import { formatNumber } from './stats';
import { timedDecodedSearch, type DecodedSearchSession } from './timed-decoded-search';

const TYPES: Record<string, { header: string | undefined; utf16?: boolean }> = {
  none: { header: undefined },
  json: { header: 'application/json' },
  'json-utf8': { header: 'application/json;charset=utf-8' },
  'text-utf8': { header: 'text/plain; charset="UTF-8"' },
  latin1: { header: 'text/plain;charset=iso-8859-1' },
  utf16: { header: 'application/json;charset=utf-16le', utf16: true },
};

const QUERIES = ['$.body.price > 9990', '$.body =~ /price/', "$.body.sym == 'ABC7'", '$.body.price >= 0'];

function fill(store: FrameStore, count: number, type: { header: string | undefined; utf16?: boolean }): void {
  const typeLine = type.header === undefined ? '' : `content-type:${type.header}\n`;
  for (let i = 1; i <= count; i++) {
    const text = `{"sym":"ABC${i % 97}","price":${(i * 7) % 10_000}}`;
    const body = Buffer.from(text, type.utf16 === true ? 'utf16le' : 'utf8');
    const head = `MESSAGE\ndestination:/topic/p${i % 97}\n${typeLine}subscription:sub-0\nmessage-id:${i}\ncontent-length:${body.length}\n\n`;
    store.push('in', 'text', Buffer.concat([Buffer.from(head, 'utf8'), body, Buffer.from([0])]));
  }
}

function referenceCount(store: FrameStore, query: string): number {
  const parsed = parseDecodedQuery(query);
  if (!parsed.ok) throw new Error(parsed.error);
  const decoder = createDecoder('stomp', {});
  let count = 0;
  for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
    const stored = store.entry(seq);
    if (!stored) continue;
    const outcome = decoder.decode({ seq, dir: stored.dir, opcode: stored.opcode, bytes: new Uint8Array(stored.payload) });
    if (outcome && outcome.kind !== 'invalid' && matchesDecodedQuery(parsed.query, outcome.value)) count++;
  }
  return count;
}

async function main(): Promise<void> {
  const frames = Number(process.argv[2] ?? 1_000_000);
  const types = (process.argv[3] ?? 'none,json,json-utf8,text-utf8,latin1').split(',');
  const queries = process.argv[4] !== undefined ? process.argv[4].split('|') : QUERIES;
  for (const name of types) {
    const type = TYPES[name];
    if (!type) throw new Error(`no type '${name}' (there are ${Object.keys(TYPES).join(', ')})`);
    const store = new FrameStore();
    fill(store, frames, type);
    const session: DecodedSearchSession = { id: name, url: 'ws://broker/stomp', frames: store, handshakeSteps: () => [] };
    for (const query of queries) {
      const decodes = new DecodeCommands();
      const state = decodes.state(session, { sessionId: session.id, choice: 'stomp' });
      if (!state.ok) throw new Error(state.error.message);
      const first = await timedDecodedSearch(store, decodes, session, { query }, false);
      const expected = referenceCount(store, query);
      const same = first.total === expected ? '' : ` DIFFERENT: decoding in order finds ${expected}`;
      console.log(`${name.padEnd(10)} ${query.padEnd(24)} ${formatNumber((first.cpuMs * 1000) / frames, 2)} µs of CPU a frame (${formatNumber(first.ms, 0)} ms wall), found ${formatNumber(first.total)}${same}`);
    }
    store.release();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
