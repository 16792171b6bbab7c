/**
 * What the CLI's human output (HumanPrinter.frames) costs per frame, masking included: sessions
 * of 100,001 frames each (a CONNECT holding a credential, then 100,000 frames of the protocol's
 * streams from decoded-streams.ts), the upgrade naming the subprotocol as a broker's does (the
 * Socket.IO one its URL), and a plain text flood of no protocol. Each session is printed with
 * --decode none and with auto, in batches of 500 summaries as the engine sends them (each built
 * just before it is printed, off the clock, and dropped after, as the CLI holds them), bodies read
 * from the store as connect reads them; lines are discarded.
 *
 * Printed: µs of CPU per frame, each case `ROUNDS` times. Run it on git-archive copies of two
 * commits, alternated, under `flock /tmp/bench.lock`, to compare.
 *
 *   npx tsx bench/cli-human-masking.ts [rounds]
 */
import mqtt from 'mqtt-packet';
import { CliFrameDecoding } from '../src-main/cli/frame-decoding';
import { HumanPrinter, PLAIN } from '../src-main/cli/human-output';
import { Scrubber } from '../src-main/cli/scrub';
import { FrameStore } from '../src-main/core/session/frame-store';
import type { FrameSummary, HandshakeStep } from '../src-main/shared/model';
import { GRAPHQL_STREAM, MQTT4_STREAM, SOCKETIO_STREAM, STOMP_STREAM, type DecodedStream, type StreamFrame } from './decoded-streams';

const FRAMES = 100_000;
const BATCH = 500;
const ROUNDS = Number(process.argv[2] ?? 3);

const connects: Record<string, StreamFrame> = {
  mqtt: { dir: 'out', opcode: 'binary', bytes: mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', username: 'u', password: Buffer.from('bench-pw'), keepalive: 30, clean: true }) },
  stomp: { dir: 'out', opcode: 'text', bytes: Buffer.from('CONNECT\naccept-version:1.2\nlogin:u\npasscode:bench-pc\n\n\0') },
  'graphql-ws': { dir: 'out', opcode: 'text', bytes: Buffer.from('{"type":"connection_init","payload":{"authToken":"bench-tok"}}') },
  socketio: { dir: 'out', opcode: 'text', bytes: Buffer.from('40{"token":"bench-tok"}') },
};

const PLAIN_STREAM: DecodedStream = {
  choice: 'stomp',
  url: 'ws://feed/prices',
  filter: {},
  other: {},
  fill(count, push) {
    for (let i = 1; i <= count; i++) push({ dir: 'in', opcode: 'text', bytes: Buffer.from(`{"symbol":"S${i % 97}","price":${(i % 1000) / 10},"seq":${i}}`) });
  },
};

const cases: { name: string; stream: DecodedStream; protocol?: string; subprotocol?: string; path: string }[] = [
  { name: 'MQTT 3.1.1', stream: MQTT4_STREAM, protocol: 'mqtt', subprotocol: 'mqtt', path: '/mqtt' },
  { name: 'STOMP', stream: STOMP_STREAM, protocol: 'stomp', subprotocol: 'v12.stomp', path: '/ws' },
  { name: 'GraphQL-ws', stream: GRAPHQL_STREAM, protocol: 'graphql-ws', subprotocol: 'graphql-transport-ws', path: '/graphql' },
  { name: 'Socket.IO', stream: SOCKETIO_STREAM, protocol: 'socketio', path: '/socket.io/?EIO=4&transport=websocket' },
  { name: 'plain text', stream: PLAIN_STREAM, path: '/prices' },
];

function upgrade(c: (typeof cases)[number]): HandshakeStep {
  return {
    leg: 'upgrade',
    startedAt: 0,
    ms: 1,
    ok: true,
    request: { startLine: `GET ${c.path} HTTP/1.1`, headers: [] },
    response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: c.subprotocol ? [['Sec-WebSocket-Protocol', c.subprotocol]] : [] },
  };
}

function store(c: (typeof cases)[number]): FrameStore {
  const frames = new FrameStore();
  const connect = c.protocol ? connects[c.protocol] : undefined;
  const t0 = Date.UTC(2026, 11, 6);
  if (connect) frames.push(connect.dir, connect.opcode, connect.bytes, undefined, t0);
  let i = 0;
  c.stream.fill(FRAMES, (frame) => frames.push(frame.dir, frame.opcode, frame.bytes, undefined, t0 + ++i));
  return frames;
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function print(c: (typeof cases)[number], stored: FrameStore, choice: 'none' | 'auto'): Promise<{ micros: number; lines: number }> {
  let lines = 0;
  const decoding = new CliFrameDecoding(choice, (seq) => stored.get(seq), () => undefined);
  const printer = new HumanPrinter({ out: () => void lines++, err: () => undefined }, PLAIN, new Scrubber([]), decoding);
  const step = upgrade(c);
  printer.handshake({ type: 'handshake', sessionId: 's', step });
  decoding.handshake(step);
  let seen = 0;
  let micros = 0;
  for (let from = stored.firstSeq; from <= stored.lastSeq; from += BATCH) {
    const frames: FrameSummary[] = stored.summaries(from, Math.min(stored.lastSeq, from + BATCH - 1));
    const start = cpuMicros();
    await printer.frames({ type: 'frames', sessionId: 's', frames, dropped: 0, fromSeq: from });
    micros += cpuMicros() - start;
    seen += frames.length;
  }
  return { micros: micros / seen, lines };
}

async function main(): Promise<void> {
  for (const c of cases) {
    const stored = store(c);
    for (const choice of ['none', 'auto'] as const) {
      const runs: string[] = [];
      let lines = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const got = await print(c, stored, choice);
        runs.push(got.micros.toFixed(2));
        lines = got.lines;
      }
      console.log(`${c.name.padEnd(11)} --decode ${choice.padEnd(4)}  µs/frame ${runs.join(' ')}  (${lines} lines)`);
    }
    stored.release();
  }
}

void main();
