/**
 * The composer reading the session's log for ids (src-renderer/src/composer/read-log-ids.ts),
 * engine CPU per frame on part (10)'s streams (decoded-streams.ts), a decoding that has read
 * nothing before: as it reads (the decoded searches of queriesFor, then `frames:decode` with
 * values of the frames found) and, for comparison, decoding every frame with values in ranges
 * of 1,000 (its first version: `frames:decode` looks for each stream item's request up to 256
 * frames back). Both ledgers are compared (the exactness itself is
 * test/unit/composer/composer-log-ids-exactness.test.ts). BENCH_LOG_IDS_FRAMES=<n> (default 100,000).
 */
import { DecodeCommands } from '../src-main/core/decode-commands';
import { compileFilter } from '../src-main/core/search/compile-filter';
import { searchFrames } from '../src-main/core/search/frame-search';
import { FrameStore } from '../src-main/core/session/frame-store';
import { MAX_DECODE_FRAMES, type DecodedFrame } from '../src-main/shared/decoding';
import { emptyIdLedger, noteLogFrame, type IdLedger } from '../src-renderer/src/composer/composer-ids';
import { idEventsOfFrame } from '../src-renderer/src/composer/log-ids';
import { queriesFor } from '../src-renderer/src/composer/read-log-ids';
import { DECODED_STREAMS } from './decoded-streams';

const FRAMES = Number(process.env.BENCH_LOG_IDS_FRAMES ?? 100_000);

type Session = Parameters<DecodeCommands['decode']>[0];

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function fresh(name: keyof typeof DECODED_STREAMS): { store: FrameStore; session: Session; decodes: DecodeCommands } {
  const stream = DECODED_STREAMS[name];
  const store = new FrameStore();
  stream.fill(FRAMES, (frame) => store.push(frame.dir, frame.opcode, frame.bytes));
  const session: Session = { id: name, url: stream.url, frames: store, handshakeSteps: () => [] };
  const decodes = new DecodeCommands();
  const state = decodes.state(session, { sessionId: name, choice: stream.choice });
  if (!state.ok) throw new Error(state.error.message);
  return { store, session, decodes };
}

function read(ledger: IdLedger, name: string, frames: readonly DecodedFrame[], dirOf: (seq: number) => 'in' | 'out' | undefined): void {
  for (const frame of frames) {
    const dir = dirOf(frame.seq);
    if (dir && frame.kind === 'decoded') noteLogFrame(ledger, name, frame.seq, idEventsOfFrame(frame.protocol, dir, frame.value));
  }
}

for (const name of ['stomp', 'socketio', 'mqtt4', 'graphql'] as const) {
  // Every frame decoded.
  const a = fresh(name);
  const everyLedger = emptyIdLedger();
  const every = process.cpuUsage();
  for (let from = 1; from <= a.store.lastSeq; from += MAX_DECODE_FRAMES) {
    const decoded = a.decodes.decode(a.session, { sessionId: name, fromSeq: from, toSeq: Math.min(a.store.lastSeq, from + MAX_DECODE_FRAMES - 1), values: true });
    if (!decoded.ok) throw new Error(decoded.error.message);
    read(everyLedger, name, decoded.value.frames, (seq) => a.store.entry(seq)?.dir);
  }
  const everyMs = cpuMs(every);
  // As read-log-ids.ts reads.
  const b = fresh(name);
  const searchLedger = emptyIdLedger();
  const searched = process.cpuUsage();
  const state = b.decodes.state(b.session, { sessionId: name });
  const protocol = state.ok ? state.value.active?.protocol : undefined;
  const found = new Map<number, 'in' | 'out'>();
  for (const query of protocol ? queriesFor(protocol) : []) {
    const predicate = b.decodes.predicate(b.session, { query });
    if (!predicate.ok) throw new Error(predicate.error.message);
    const compiled = compileFilter({});
    if (!compiled.ok) throw new Error(compiled.problem.message);
    compiled.filter.decoded = predicate.value;
    let fromSeq: number | null = 1;
    while (fromSeq !== null) {
      const page = await searchFrames(b.store, compiled.filter, { searchId: 'bench', limit: 5000, fromSeq }, { cancelled: () => false, maxDurationMs: 600_000 });
      for (const match of page.matches) found.set(match.seq, match.dir);
      fromSeq = page.nextSeq;
    }
  }
  const seqs = [...found.keys()].sort((x, y) => x - y);
  for (let i = 0; i < seqs.length; i += MAX_DECODE_FRAMES) {
    const decoded = b.decodes.decode(b.session, { sessionId: name, seqs: seqs.slice(i, i + MAX_DECODE_FRAMES), values: true });
    if (!decoded.ok) throw new Error(decoded.error.message);
    read(searchLedger, name, decoded.value.frames, (seq) => found.get(seq));
  }
  const searchMs = cpuMs(searched);
  const same = JSON.stringify(everyLedger.open) === JSON.stringify(searchLedger.open);
  const count = a.store.lastSeq;
  console.log(
    `${name}: ${count} frames; as read (searches + ${seqs.length} decoded) ${((searchMs * 1000) / count).toFixed(2)} µs/frame; every frame decoded ${((everyMs * 1000) / count).toFixed(2)} µs/frame; same ids open: ${same}`,
  );
}
