/**
 * Profiling aid for SignalR JSON query searches (not a bench part): fills part (11)'s SignalR
 * stream and runs each query given in SIGNALR_QUERIES (separated by `;;`) `SIGNALR_ROUNDS` times
 * as a first search, printing µs of CPU a frame. Run under `node --cpu-prof --import tsx`.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { DecodeCommands } from '../src-main/core/decode-commands';
import { FrameStore } from '../src-main/core/session/frame-store';
import { SIGNALR_STREAM } from './decoded-streams';
import { timedDecodedSearch, type DecodedSearchSession } from './timed-decoded-search';

const FRAMES = Number(process.env.BENCH_DECODED_FRAMES ?? 1_000_000);
const QUERIES = (process.env.SIGNALR_QUERIES ?? "$.type == 1;;$.arguments[1].n > 999000;;$.invocationId == '33';;$.arguments[*] == 'room3';;$.target == 'Send'").split(';;');
const ROUNDS = Number(process.env.SIGNALR_ROUNDS ?? 1);

async function main(): Promise<void> {
  const store = new FrameStore();
  SIGNALR_STREAM.fill(FRAMES, (frame) => store.push(frame.dir, frame.opcode, frame.bytes));
  const session: DecodedSearchSession = { id: 'p', url: SIGNALR_STREAM.url, frames: store, handshakeSteps: () => [] };
  for (const query of QUERIES) {
    const figures: string[] = [];
    let total = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const decodes = new DecodeCommands();
      const state = decodes.state(session, { sessionId: 'p', choice: 'signalr' });
      if (!state.ok) throw new Error(state.error.message);
      const profile = process.env.SIGNALR_PROFILE !== undefined && round === ROUNDS - 1 ? new Session() : undefined;
      if (profile) {
        profile.connect();
        await profile.post('Profiler.enable');
        await profile.post('Profiler.start');
      }
      const timed = await timedDecodedSearch(store, decodes, session, { query }, false);
      if (profile) {
        const { profile: taken } = await profile.post('Profiler.stop');
        writeFileSync(`${process.env.SIGNALR_PROFILE ?? ''}-${QUERIES.indexOf(query)}.cpuprofile`, JSON.stringify(taken));
        profile.disconnect();
      }
      total = timed.total;
      figures.push(((timed.cpuMs * 1000) / store.count).toFixed(2));
    }
    console.log(`${query}: found ${total}; µs of CPU a frame ${figures.join(' ')}`);
  }
  store.release();
}
void main();
