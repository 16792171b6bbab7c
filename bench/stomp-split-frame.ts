/**
 * Bench part (13): a STOMP frame that arrives in many WebSocket messages, decoded message by
 * message as the log and a search read it (stomp-decoder.ts). The figure is the CPU a message
 * for a 1 MB body in 100 B messages; the baseline, measured alternately in the same run, the
 * same for a 10 KB body in 100 B messages (each frame of it decoded in turn until as many
 * messages have been read). Work a message that does not grow with the frame makes the ratio
 * about 1; work that grows with what came before (a copy of the kept chunks a message, or the
 * kept bytes parsed again at each NUL of a binary body) makes it several times that (before
 * the fix, at load 8–12: 4.7–5.7 for the text body, 14–23 for the binary one).
 * Cases: a text body without content-length, and a binary body (application/octet-stream,
 * NULs throughout) with content-length.
 *
 * `npx tsx bench/stomp-split-frame.ts` prints the rows alone (for before/after runs on copies).
 */
import { pathToFileURL } from 'node:url';
import { StompDecoder } from '../src-main/core/decode/stomp-decoder';
import { formatNumber, median, type BenchRow } from './stats';

const MESSAGE_BYTES = 100;
const LARGE_BODY = 1_000_000;
const SMALL_BODY = 10_000;
const ROUNDS = 5;

/** The frame's messages, each a view of the frame's bytes (the decoder copies what it keeps). */
function messagesOf(bodyBytes: number, binary: boolean): Uint8Array[] {
  const body = Buffer.alloc(bodyBytes);
  for (let i = 0; i < bodyBytes; i++) body[i] = binary ? ((i * 31) % 7 === 0 ? 0 : (i * 131) & 0xff) : 0x61 + (i % 26);
  const headers = binary ? `content-type:application/octet-stream\ncontent-length:${bodyBytes}\n` : '';
  const frame = Buffer.concat([Buffer.from(`MESSAGE\ndestination:/topic/big\nsubscription:sub-0\nmessage-id:1\n${headers}\n`), body, Buffer.from([0])]);
  const messages: Uint8Array[] = [];
  for (let at = 0; at < frame.length; at += MESSAGE_BYTES) messages.push(frame.subarray(at, at + MESSAGE_BYTES));
  return messages;
}

/** µs of CPU (user + system) a message, decoding the frame's messages `times` times, each time a whole frame. */
function cpuPerMessage(messages: readonly Uint8Array[], times: number): number {
  const decoder = new StompDecoder();
  const started = process.cpuUsage();
  let ended = 0;
  for (let t = 0; t < times; t++) {
    for (const bytes of messages) {
      const answer = decoder.decode({ seq: 0, dir: 'in', opcode: 'binary', bytes });
      if (answer?.kind === 'decoded') ended++;
    }
  }
  const used = process.cpuUsage(started);
  if (ended !== times) throw new Error(`expected ${times} frames decoded, got ${ended}`);
  return (used.user + used.system) / (messages.length * times);
}

export async function benchStompSplitFrame(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const binary of [false, true]) {
    const large = messagesOf(LARGE_BODY, binary);
    const small = messagesOf(SMALL_BODY, binary);
    // As many messages in the baseline as in the figure.
    const smallTimes = Math.round(large.length / small.length);
    cpuPerMessage(small, smallTimes); // warm-up
    const figures: number[] = [];
    const baselines: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baselines.push(cpuPerMessage(small, smallTimes));
      figures.push(cpuPerMessage(large, 1));
      await Promise.resolve();
    }
    const figure = median(figures);
    const baseline = median(baselines);
    const ratio = figure / baseline;
    const what = binary ? '1 MB binary body (content-length, NULs)' : '1 MB text body';
    rows.push({
      name: `(13) a STOMP frame in 100 B messages: ${what}`,
      value: `${formatNumber(figure, 2)} µs of CPU a message`,
      baseline: `${formatNumber(baseline, 2)} µs (10 KB body)`,
      ratio,
      target: '≤ 2 (a message costs the same however much of the frame came before)',
      met: ratio <= 2,
      ...(ratio > 2 ? { note: `each message's work grows with the frame: ${formatNumber(figures[0] ?? 0, 2)}–${formatNumber(Math.max(...figures), 2)} µs a message over ${ROUNDS} rounds` } : {}),
    });
  }
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void benchStompSplitFrame().then((rows) => {
    for (const row of rows) process.stdout.write(`${row.name}: ${row.value}; baseline ${row.baseline ?? ''}; ratio ${formatNumber(row.ratio ?? Number.NaN, 2)}\n`);
  });
}
