/**
 * An export after the store evicted its front rejoins the rows' checkpoints (export-decoding.ts),
 * which the rows' walks made from the stored bytes, unmasked. A checkpoint taken between the two
 * halves of a credential split across messages holds the first half (an unfinished STOMP frame or
 * MQTT packet; a SignalR record when another protocol's traffic is read as SignalR), and what is
 * decoded from it may quote that half. The export must quote no piece of the secret, and its
 * decoded values must be those of decoding the masked frames in order: each frame line's decoding
 * equals the export of the whole session (nothing evicted, every frame masked in order) where the
 * export says it read the whole session (no `withoutEvicted`), and the export with no checkpoint
 * (afresh from the oldest stored frame, masked) where it says it did not.
 *
 * Every scenario of credential-scenarios.ts (plus a STOMP CONNECT whose passcode comes first, so a
 * quote of the record holds all of it), cut at each offset around and inside the secret, the
 * rows' checkpoint right between the halves in each direction; every decoding that keeps state
 * across messages; NDJSON and HAR; the oldest stored frame before the first half, or the first
 * half itself evicted. Then the rows' real spacing through StoreDecoding and the engine's decode
 * commands, written to a file as `frames:export-to-file` (the CLI's --export) writes it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { DecoderCheckpoints } from '../../../src-main/core/decode/decoder-checkpoints';
import type { DecoderName } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { FrameDecodeCache } from '../../../src-main/core/decode/frame-decode-cache';
import type { DecodeChoice, RowCheckpoints } from '../../../src-main/core/decode/session-decoding';
import { StoreDecoding } from '../../../src-main/core/decode/store-decoding';
import { storeFrameReader } from '../../../src-main/core/decode/store-frame-reader';
import { exportToFile, exportToText } from '../../../src-main/core/export/export-session';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import type { SessionLog } from '../../../src-main/core/session/session-log';
import type { LogFormat } from '../../../src-main/shared/log-file';
import { SCENARIOS, cuts, forms, scenarioSteps, type Scenario } from './credential-scenarios';
import { fixtureSession } from './log-fixture';

const SHORT_STOMP_SECRET = 'Short-Stomp-Pc4';
const REPEATED_STOMP_SECRET = 'Twice-Stomp-Pc6';
/**
 * STOMP named by the subprotocol: recognised from the first messages, an export after eviction
 * (whose first stored messages hold no CONNECT) would find nothing to mask, and the reference
 * (nothing evicted, the first messages fillers) neither: that is recognition's, not the checkpoints'.
 */
const ALL: readonly Scenario[] = [
  ...SCENARIOS.map((scenario) => (scenario.protocol === 'stomp' ? { ...scenario, subprotocol: 'v12.stomp' } : scenario)),
  {
    subprotocol: 'v12.stomp',
    name: 'STOMP CONNECT, passcode first',
    protocol: 'stomp',
    opcode: 'text',
    secret: SHORT_STOMP_SECRET,
    message: Buffer.from(`CONNECT\npasscode:${SHORT_STOMP_SECRET}\nlogin:guest\n\n\0`),
    visible: Buffer.from('SEND\ndestination:/queue/a\n\npasscode:visible-body\0'),
    word: 'visible-body',
  },
  {
    // A repeated header: the value lists every header as it came (`headerList`), the passcode too.
    name: 'STOMP CONNECT with a repeated header',
    subprotocol: 'v12.stomp',
    protocol: 'stomp',
    opcode: 'text',
    secret: REPEATED_STOMP_SECRET,
    message: Buffer.from(`CONNECT\nlogin:guest\nlogin:guest\npasscode:${REPEATED_STOMP_SECRET}\n\n\0`),
    visible: Buffer.from('SEND\ndestination:/queue/a\n\npasscode:visible-body\0'),
    word: 'visible-body',
  },
];

/** The decodings that keep state across messages (their checkpoints hold something). */
const STATEFUL: readonly DecodeChoice[] = ['auto', 'stomp', 'mqtt', 'socketio', 'graphql-ws', 'signalr'];
const SPACING = 16;

interface Frame {
  dir: 'in' | 'out';
  opcode: 'text' | 'binary';
  payload: Buffer;
}

/**
 * Frames #1…#(spacing·3+…): the message cut so its second half is frame #(spacing+1) going out and
 * #(2·spacing+1) coming in, where the rows' walk leaves a checkpoint; `opener` before each first
 * half, a SignalR record separator after each second half, then an end of STOMP frame, and the visible
 * message elsewhere; `trailing` more visible messages after them (they push the front out).
 */
function layout(scenario: Scenario, cut: number, spacing: number, trailing: number, split = scenario.message, opener = '\x1e'): Frame[] {
  const frames: Frame[] = [];
  const visible = (dir: 'in' | 'out'): Frame => ({ dir, opcode: scenario.opcode, payload: scenario.visible });
  const text = (dir: 'in' | 'out', payload: string): Frame => ({ dir, opcode: 'text', payload: Buffer.from(payload) });
  for (const dir of ['out', 'in'] as const) {
    const secondAt = (dir === 'out' ? 1 : 2) * spacing + 1;
    while (frames.length < secondAt - 3) frames.push(visible(dir === 'out' ? 'in' : 'out'));
    frames.push(text(dir, opener));
    frames.push({ dir, opcode: scenario.opcode, payload: split.subarray(0, cut) });
    frames.push({ dir, opcode: scenario.opcode, payload: split.subarray(cut) });
    frames.push(text(dir, '\x1e'), text(dir, '\n\n\0'), visible(dir));
  }
  for (let i = 0; i < trailing; i++) frames.push(visible(i % 2 === 0 ? 'out' : 'in'));
  return frames;
}

function sessionOf(scenario: Scenario, store: FrameStore): SessionLog {
  return fixtureSession({ frames: store, steps: scenarioSteps(scenario), url: `wss://echo.example${scenario.path ?? '/ws'}` });
}

function storeOf(frames: readonly Frame[], maxFrames?: number): FrameStore {
  const store = new FrameStore(maxFrames !== undefined ? { maxFrames } : {});
  for (const frame of frames) store.push(frame.dir, frame.opcode, frame.payload);
  return store;
}

/** What the rows decode with for this choice: the protocol the session is recognised as under auto. */
function rowsProtocol(scenario: Scenario, choice: DecodeChoice): DecoderName {
  const protocol = choice === 'auto' ? scenario.protocol : choice;
  if (protocol === 'auto' || protocol === 'none') throw new Error('no protocol');
  return protocol;
}

/**
 * The rows of a session whose first `kept` frames were read (their walk leaving a checkpoint every
 * `SPACING` frames, from the stored, unmasked bytes), then the rest pushed, evicting the front.
 */
function evicted(scenario: Scenario, frames: readonly Frame[], kept: number, protocol: DecoderName): { store: FrameStore; rows: RowCheckpoints; checkpoints: DecoderCheckpoints } {
  const store = storeOf(frames.slice(0, kept), kept);
  const checkpoints = new DecoderCheckpoints(() => store.firstSeq, SPACING);
  const rows = new FrameDecodeCache(() => createDecoder(protocol, {}), storeFrameReader(store), undefined, undefined, () => store.firstSeq, checkpoints);
  rows.decodeExactly(store.lastSeq);
  for (const frame of frames.slice(kept)) store.push(frame.dir, frame.opcode, frame.payload);
  return { store, rows: (asked) => (asked === protocol ? checkpoints : undefined), checkpoints };
}

function lines(text: string, format: LogFormat): Record<string, unknown>[] {
  if (format === 'ndjson') return text.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as Record<string, unknown>);
  const har = JSON.parse(text) as { log: { entries: { _webSocketMessages: Record<string, unknown>[] }[] } };
  return har.log.entries[0]?._webSocketMessages ?? [];
}

/** A line's seq: NDJSON writes it, HAR's messages are in seq order from the oldest stored frame. */
function bySeq(text: string, format: LogFormat, firstSeq: number): Map<number, unknown> {
  const out = new Map<number, unknown>();
  lines(text, format).forEach((line, i) => out.set(typeof line.seq === 'number' ? line.seq : firstSeq + i, line.decoded ?? line._decoded));
  return out;
}

function flagged(decoded: unknown): boolean {
  return typeof decoded === 'object' && decoded !== null && 'withoutEvicted' in decoded;
}

function withoutFlag(decoded: unknown): unknown {
  if (typeof decoded !== 'object' || decoded === null) return decoded;
  const { withoutEvicted, ...rest } = decoded as Record<string, unknown>;
  void withoutEvicted;
  return rest;
}

/**
 * The reference a rejoined frame's decoding must equal: the whole session with the frames from the
 * evicted store's oldest on as its export writes them. After eviction an export also masks what
 * may be the rest of a frame begun in an evicted message (midway-credentials.ts), which an export
 * of the whole session knows to be no credential; the decoding must be that of the bytes written.
 */
async function asWritten(scenario: Scenario, frames: readonly Frame[], store: FrameStore, choice: DecodeChoice): Promise<FrameStore> {
  // The same decoding: a protocol it names is masked too.
  const { text } = await exportToText(sessionOf(scenario, store), { format: 'ndjson', version: '9.9.9', decoding: { choice } });
  const written = new Map<number, Buffer>();
  for (const line of lines(text, 'ndjson')) {
    if (typeof line.seq !== 'number') continue;
    written.set(line.seq, typeof line.text === 'string' ? Buffer.from(line.text) : Buffer.from(String(line.base64), 'base64'));
  }
  return storeOf(frames.map((frame, i) => ({ ...frame, payload: written.get(i + 1) ?? frame.payload })));
}

async function exported(scenario: Scenario, store: FrameStore, format: LogFormat, choice: DecodeChoice, rows?: RowCheckpoints): Promise<string> {
  const { text } = await exportToText(sessionOf(scenario, store), { format, version: '9.9.9', decoding: { choice, ...(rows ? { rowCheckpoints: rows } : {}) } });
  return text;
}

/**
 * Each frame's decoding in `text` is the whole session's masked in-order decoding where it is not
 * flagged, else the export's own afresh decoding (no checkpoint): nothing else.
 */
function expectExact(text: string, whole: string, afresh: string, format: LogFormat, firstSeq: number, label: string): number {
  const got = bySeq(text, format, firstSeq);
  const wholeBySeq = bySeq(whole, format, 1);
  const afreshBySeq = bySeq(afresh, format, firstSeq);
  let rejoined = 0;
  for (const [seq, decoded] of got) {
    if (flagged(decoded)) expect(decoded, `${label} #${seq} (afresh)`).toEqual(afreshBySeq.get(seq));
    else {
      expect(withoutFlag(decoded), `${label} #${seq} (rejoined)`).toEqual(wholeBySeq.get(seq));
      rejoined++;
    }
  }
  return rejoined;
}

describe.each(ALL)('$name cut across two messages, the rows’ checkpoint between the halves, the front evicted', (scenario) => {
  const secretForms = forms(scenario.secret);
  it.each(cuts(scenario).map((cut) => [cut]))('cut at byte %i: no piece of the secret, and each decoding is the masked frames’ in order', async (cut) => {
    // Before each first half a SignalR record ends, or one begins (read as SignalR, the halves join it).
    for (const opener of ['\x1e', '{']) {
      const frames = layout(scenario, cut, SPACING, SPACING, scenario.message, opener);
      for (const choice of STATEFUL) {
        const protocol = rowsProtocol(scenario, choice);
        // The front evicted up to the message before the first half going out.
        const { store, rows, checkpoints } = evicted(scenario, frames, frames.length - (SPACING - 2), protocol);
        const whole = await asWritten(scenario, frames, store, choice);
        expect(store.firstSeq).toBe(SPACING - 1);
        expect(checkpoints.firstFrom(store.firstSeq)?.seq).toBe(SPACING + 1);
        for (const format of ['ndjson', 'har'] as const) {
          const label = `${format}, decoding ${choice}, ${JSON.stringify(opener)} before`;
          const text = await exported(scenario, store, format, choice, rows);
          expect(secretForms.filter((form) => text.includes(form)), label).toEqual([]);
          expectExact(text, await exported(scenario, whole, format, choice), await exported(scenario, store, format, choice), format, store.firstSeq, label);
        }
      }
    }
  });

  it.each(cuts(scenario).map((cut) => [cut]))('cut at byte %i, the first half evicted: nothing decoded quotes the part of the secret it held', async (cut) => {
    const at = scenario.message.indexOf(scenario.secret);
    // The secret's bytes in the evicted half (the masker, afresh at the second half, cannot mask what follows them).
    const head = scenario.secret.slice(0, Math.max(0, cut - at));
    const headForms = head.length >= 6 ? forms(head) : [];
    for (const opener of ['\x1e', '{']) {
      const frames = layout(scenario, cut, SPACING, SPACING, scenario.message, opener);
      for (const choice of STATEFUL) {
        const protocol = rowsProtocol(scenario, choice);
        const { store, rows } = evicted(scenario, frames, frames.length - SPACING, protocol);
        expect(store.firstSeq).toBe(SPACING + 1);
        for (const format of ['ndjson', 'har'] as const) {
          const text = await exported(scenario, store, format, choice, rows);
          const decoded = JSON.stringify([...bySeq(text, format, store.firstSeq).values()]);
          expect(headForms.filter((form) => decoded.includes(form)), `${format}, decoding ${choice}, ${JSON.stringify(opener)} before`).toEqual([]);
        }
      }
    }
  });
});

describe('checkpoints the export still rejoins', () => {
  it.each(ALL.map((scenario) => [scenario.name, scenario] as const))('%s: one between the halves of a message with no credential is taken (the rows’ state, unflagged, as decoding every masked frame in order)', async (_name, scenario) => {
    const cut = Math.floor(scenario.visible.byteLength / 2);
    // The oldest stored frame going out a whole message of the protocol (a text opener says
    // nothing to MQTT, whose first half would then be masked whole, the rest of a packet maybe).
    const frames = layout(scenario, cut, SPACING, SPACING, scenario.visible).map((frame, i) => (i === SPACING - 2 && scenario.opcode === 'binary' ? { dir: 'out' as const, opcode: scenario.opcode, payload: scenario.visible } : frame));
    const protocol = rowsProtocol(scenario, scenario.protocol);
    const { store, rows } = evicted(scenario, frames, frames.length - (SPACING - 2), protocol);
    const whole = await asWritten(scenario, frames, store, scenario.protocol);
    for (const format of ['ndjson', 'har'] as const) {
      const text = await exported(scenario, store, format, scenario.protocol, rows);
      const rejoined = expectExact(text, await exported(scenario, whole, format, scenario.protocol), await exported(scenario, store, format, scenario.protocol), format, store.firstSeq, format);
      // From the checkpoint at the second half on, every frame.
      expect(rejoined).toBe(store.lastSeq - SPACING);
    }
  });
});

describe('the rows’ own checkpoints (StoreDecoding, one every 1,024 frames)', () => {
  const scenario = ALL.find((one) => one.secret === SHORT_STOMP_SECRET);
  if (!scenario) throw new Error('no scenario');
  // Eight of the secret's characters in the first half.
  const cut = scenario.message.indexOf(scenario.secret) + 8;
  // A SignalR record begun before the first half: read as SignalR, the checkpoint holds it with the half joined.
  const frames = layout(scenario, cut, 1024, 1000, scenario.message, '{');
  const secretForms = forms(scenario.secret);

  it.each(['stomp', 'signalr'] as const)('decoding %s, as the app exports (frames:export) and as a file (frames:export-to-file, the CLI’s --export)', async (choice) => {
    const store = storeOf(frames.slice(0, frames.length - 1000), frames.length - 1000);
    const session = { ...sessionOf(scenario, store), id: 'split' };
    const commands = new DecodeCommands();
    expect(commands.state(session, { sessionId: 'split', choice }).ok).toBe(true);
    const lastRow = () => {
      const rows = commands.decode(session, { sessionId: 'split', seqs: [store.lastSeq], values: false });
      return rows.ok ? rows.value.frames[0] : undefined;
    };
    for (let turn = 0; turn < 100 && lastRow()?.unread !== undefined; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(lastRow()?.unread).toBeUndefined();
    for (const frame of frames.slice(frames.length - 1000)) store.push(frame.dir, frame.opcode, frame.payload);
    const rows = commands.rowCheckpoints('split');
    expect(rows(choice)?.firstFrom(store.firstSeq)?.seq).toBe(1025);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-checkpoint-masking-'));
    try {
      for (const format of ['ndjson', 'har'] as const) {
        const decoding = { choice, rowCheckpoints: rows };
        const { text } = await exportToText(session, { format, version: '9.9.9', decoding });
        expect(secretForms.filter((form) => text.includes(form)), `${format} text`).toEqual([]);
        const file = path.join(dir, `split.${format}`);
        await exportToFile(session, { format, version: '9.9.9', decoding }, file);
        const written = fs.readFileSync(file, 'utf8');
        expect(secretForms.filter((form) => written.includes(form)), `${format} file`).toEqual([]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('StoreDecoding’s checkpoint between the halves holds the first half unmasked (what the export must not quote)', () => {
    const store = storeOf(frames);
    const rows = new StoreDecoding('stomp', sessionOf(scenario, store));
    rows.decodeExactly(store.lastSeq);
    const checkpoint = rows.checkpoints?.firstFrom(1025);
    expect(checkpoint?.seq).toBe(1025);
    const snapshot = checkpoint?.snapshot;
    if (snapshot?.protocol !== 'stomp') throw new Error('no STOMP checkpoint');
    expect(Buffer.from(snapshot.pending.out).toString()).toContain(scenario.secret.slice(0, 8));
  });
});
