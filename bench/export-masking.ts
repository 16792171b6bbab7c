/**
 * What masking credentials costs an NDJSON export without decoding (exportToText, format
 * ndjson, no `decoding`), per frame: sessions of 100,001 frames each (a CONNECT holding a
 * credential, then 100,000 frames of the protocol's streams from decoded-streams.ts, as the
 * session would store them), the upgrade naming the subprotocol as a broker's does.
 *
 * Printed per protocol: µs of CPU per frame of the export, of a baseline measured in the same
 * run (each frame's NDJSON line written as the export writes it, JSON.stringify(ndjsonFrame),
 * with nothing masked or decoded), and their ratio; the two alternated, `ROUNDS` times. Run it on
 * git-archive copies of two commits, alternated, under `flock /tmp/bench.lock`, to compare.
 * With `decoded`, the export decodes too (`decoding` auto: the frames decoded as masked,
 * export-decoding.ts), against the same baseline. With `evicted`, the store keeps 100,000 frames,
 * so the CONNECT is evicted, and STOMP and MQTT name no subprotocol: the export recognises the
 * protocol from the stored frames (stored-credential-protocol.ts) and looks at each direction's
 * first messages for a frame's start (midway-credentials.ts); nothing need be masked.
 *
 *   npx tsx bench/export-masking.ts [rounds] [decoded|evicted]
 */
import mqtt from 'mqtt-packet';
import { exportToText } from '../src-main/core/export/export-session';
import { ndjsonFrame } from '../src-main/core/export/ndjson-export';
import { FrameStore } from '../src-main/core/session/frame-store';
import type { SessionLog } from '../src-main/core/session/session-log';
import type { HandshakeStep } from '../src-main/shared/model';
import { STEPS, T0, fixtureSession } from '../test/unit/export/log-fixture';
import { GRAPHQL_STREAM, MQTT4_STREAM, SOCKETIO_STREAM, STOMP_STREAM, type DecodedStream, type StreamFrame } from './decoded-streams';

const FRAMES = 100_000;
const ROUNDS = Number(process.argv[2] ?? 3);
const DECODED = process.argv[3] === 'decoded';
const EVICTED = process.argv[3] === 'evicted';

const connects: Record<string, StreamFrame> = {
  mqtt: { dir: 'out', opcode: 'binary', bytes: mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', username: 'u', password: Buffer.from('bench-pw'), keepalive: 30, clean: true }) },
  stomp: { dir: 'out', opcode: 'text', bytes: Buffer.from('CONNECT\naccept-version:1.2\nlogin:u\npasscode:bench-pc\n\n\0') },
  'graphql-ws': { dir: 'out', opcode: 'text', bytes: Buffer.from('{"type":"connection_init","payload":{"authToken":"bench-tok"}}') },
  socketio: { dir: 'out', opcode: 'text', bytes: Buffer.from('40{"token":"bench-tok"}') },
};

const cases: { name: string; stream: DecodedStream; protocol: string; subprotocol?: string }[] = [
  { name: 'MQTT 3.1.1', stream: MQTT4_STREAM, protocol: 'mqtt', subprotocol: 'mqtt' },
  { name: 'STOMP', stream: STOMP_STREAM, protocol: 'stomp', subprotocol: 'v12.stomp' },
  { name: 'GraphQL-ws', stream: GRAPHQL_STREAM, protocol: 'graphql-ws', subprotocol: 'graphql-transport-ws' },
  { name: 'Socket.IO', stream: SOCKETIO_STREAM, protocol: 'socketio' },
];

function steps(subprotocol: string | undefined, protocol: string): HandshakeStep[] {
  if (EVICTED && (protocol === 'stomp' || protocol === 'mqtt')) return STEPS;
  if (subprotocol === undefined) return STEPS.map((step) => (step.leg === 'upgrade' && step.request ? { ...step, request: { ...step.request, startLine: 'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1' } } : step));
  return STEPS.map((step) => (step.leg === 'upgrade' && step.response ? { ...step, response: { ...step.response, headers: [...step.response.headers, ['Sec-WebSocket-Protocol', subprotocol]] } } : step));
}

function session(c: (typeof cases)[number]): SessionLog {
  const frames = new FrameStore(EVICTED ? { maxFrames: FRAMES } : {});
  const connect = connects[c.protocol];
  if (connect) frames.push(connect.dir, connect.opcode, connect.bytes, undefined, T0);
  let i = 0;
  c.stream.fill(FRAMES, (frame) => frames.push(frame.dir, frame.opcode, frame.bytes, undefined, T0 + ++i));
  if (EVICTED && frames.firstSeq !== 2) throw new Error('the CONNECT was not evicted');
  return fixtureSession({ frames, steps: steps(c.subprotocol, c.protocol), url: EVICTED ? 'ws://broker/ws' : c.stream.url });
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function baseline(log: SessionLog): number {
  const start = cpuMicros();
  let chars = 0;
  for (let seq = log.frames.firstSeq; seq <= log.frames.lastSeq; seq++) {
    const stored = log.frames.entry(seq);
    if (stored) chars += JSON.stringify(ndjsonFrame(stored)).length + 1;
  }
  if (chars === 0) throw new Error('nothing written');
  return cpuMicros() - start;
}

async function exported(log: SessionLog): Promise<number> {
  const start = cpuMicros();
  const { text, frames } = await exportToText(log, { format: 'ndjson', version: 'bench', ...(DECODED ? { decoding: { choice: 'auto' } } : {}) });
  const spent = cpuMicros() - start;
  if (frames !== log.frames.lastSeq - log.frames.firstSeq + 1) throw new Error('frames missing');
  // A tree from before exports masked (to measure what masking adds) is told by TUNNELSCOPE_BENCH_UNMASKED=1.
  if (!EVICTED && !text.includes('maskedBytes') && process.env.TUNNELSCOPE_BENCH_UNMASKED !== '1') throw new Error('the export did not mask the CONNECT');
  if (DECODED && !text.includes('"decoded"')) throw new Error('nothing decoded');
  return spent;
}

async function main(): Promise<void> {
  for (const c of cases) {
    const log = session(c);
    const count = log.frames.lastSeq - log.frames.firstSeq + 1;
    await exported(log); // warm up
    baseline(log);
    const rows: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const base = baseline(log) / count;
      const spent = (await exported(log)) / count;
      rows.push(`${spent.toFixed(2)} / ${base.toFixed(2)} = ${(spent / base).toFixed(2)}`);
    }
    console.log(`${c.name.padEnd(11)} ${count} frames, ${DECODED ? 'decoded ' : EVICTED ? 'evicted ' : ''}export µs CPU/frame / baseline µs = ratio: ${rows.join('; ')}`);
  }
}

void main();
