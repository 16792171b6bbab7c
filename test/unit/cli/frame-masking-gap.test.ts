/**
 * The CLI's frame masking after frames were dropped before being printed: evicted by the bounded
 * store (--keep-frames) before their batch was built (a seq gap between the frames handed over)
 * or before their payload was read. Before, the masker read on across the gap, took the rest of a
 * STOMP CONNECT cut inside `passcode:`, an MQTT CONNECT cut in its password or a GraphQL
 * connection_init cut anywhere for no frame, and printed it in clear. Now (frame-masking.ts,
 * with core/decode/midway-credentials.ts as exports use it) it masks that rest as an export does.
 *
 * Checked at every cut: every secret byte printed is '*', the frames after it print as they are,
 * and where the export holds the same frames (the front evicted) every byte it writes as '*' is
 * printed as '*' too.
 */
import { describe, expect, it } from 'vitest';
import { JsonPrinter } from '../../../src-main/cli/json-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import { exportToText } from '../../../src-main/core/export/export-session';
import { HEX_PREVIEW_BYTES, TEXT_PREVIEW_CHARS } from '../../../src-main/core/session/frame-store';
import type { FrameBody, FrameSummary, HandshakeStep } from '../../../src-main/shared/model';
import { forms } from '../export/credential-scenarios';
import { STEPS, fixtureSession } from '../export/log-fixture';
import { cut, mqttConnect, mqttPublish, storeOf, text, unmasked, type Message } from '../export/midway-messages';

const spacedHex = (bytes: Buffer): string => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');

function summaryOf(seq: number, message: Message): FrameSummary {
  const text = message.payload.toString('utf8');
  return {
    seq,
    dir: message.dir,
    opcode: message.opcode,
    at: 1000 + seq,
    size: message.payload.length,
    preview: message.opcode === 'text' ? text.slice(0, TEXT_PREVIEW_CHARS) : spacedHex(message.payload.subarray(0, HEX_PREVIEW_BYTES)),
    truncated: message.opcode === 'text' ? text.length > TEXT_PREVIEW_CHARS : message.payload.length > HEX_PREVIEW_BYTES,
  };
}

function bodyOf(summary: FrameSummary, message: Message): FrameBody {
  return { frame: summary, base64: message.payload.toString('base64'), ...(message.opcode === 'text' ? { text: message.payload.toString('utf8') } : {}) };
}

const upgrade = (subprotocol: string | undefined, target: string): HandshakeStep => ({
  leg: 'upgrade',
  startedAt: 0,
  ms: 1,
  ok: true,
  request: { startLine: `GET ${target} HTTP/1.1`, headers: [] },
  response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: subprotocol === undefined ? [] : [['Sec-WebSocket-Protocol', subprotocol]] },
});

interface Printed {
  bytes: Buffer;
  /** Only the preview: the payload was gone. */
  previewHex?: string;
}

/**
 * The --json lines printed for `messages` (seq = index + 1) when only the seqs in `delivered` reach
 * the printer, each batch one frame; `bodiless`: frames whose payload was evicted before it was read.
 */
async function printed(messages: readonly Message[], delivered: readonly number[], subprotocol: string | undefined, bodiless: readonly number[] = [], target = '/ws'): Promise<Map<number, Printed>> {
  const out: string[] = [];
  const bodies = new Map<number, FrameBody>();
  const summaries = messages.map((message, i) => summaryOf(i + 1, message));
  for (const summary of summaries) {
    const message = messages[summary.seq - 1];
    if (message && !bodiless.includes(summary.seq)) bodies.set(summary.seq, bodyOf(summary, message));
  }
  const printer = new JsonPrinter((line) => out.push(line), new Scrubber([]), (seq) => bodies.get(seq));
  printer.handshake({ type: 'handshake', sessionId: 's', step: upgrade(subprotocol, target) });
  for (const seq of delivered) {
    const summary = summaries[seq - 1];
    if (!summary) throw new Error(`no #${seq}`);
    await printer.frames({ type: 'frames', sessionId: 's', frames: [summary], dropped: seq - 1, fromSeq: seq });
  }
  const got = new Map<number, Printed>();
  for (const line of out) {
    const frame = JSON.parse(line) as { type: string; seq: number; text?: string; base64?: string | null; previewHex?: string };
    if (frame.type !== 'frame') continue;
    const bytes = frame.text !== undefined ? Buffer.from(frame.text) : Buffer.from(frame.base64 ?? '', 'base64');
    got.set(frame.seq, { bytes, ...(frame.previewHex !== undefined ? { previewHex: frame.previewHex } : {}) });
  }
  return got;
}

/** The NDJSON export of `messages` with those before `firstSeq` evicted: its frames' bytes by seq. */
async function exported(messages: readonly Message[], firstSeq: number, subprotocol: string | undefined, url: string): Promise<Map<number, Buffer>> {
  const steps = subprotocol === undefined ? STEPS : STEPS.map((step) => (step.response ? { ...step, response: { ...step.response, headers: [...step.response.headers, ['Sec-WebSocket-Protocol', subprotocol] as [string, string]] } } : step));
  const session = fixtureSession({ frames: storeOf(messages, firstSeq), steps, url });
  const { text: ndjson } = await exportToText(session, { format: 'ndjson', version: '9.9.9' });
  const out = new Map<number, Buffer>();
  for (const line of ndjson.trimEnd().split('\n').slice(1)) {
    const frame = JSON.parse(line) as { seq: number; text?: string; base64?: string };
    out.set(frame.seq, frame.text !== undefined ? Buffer.from(frame.text) : Buffer.from(frame.base64 ?? '', 'base64'));
  }
  return out;
}

/** Every secret byte of the printed frames is '*', and no piece of a secret is printed. */
function expectSecretsMasked(messages: readonly Message[], got: Map<number, Printed>, secrets: readonly string[], label: string): void {
  const missed: string[] = [];
  for (const [seq, frame] of got) {
    const message = messages[seq - 1];
    if (message && frame.previewHex === undefined) missed.push(...unmasked(seq, message, frame.bytes));
  }
  expect(missed, label).toEqual([]);
  const all = [...got.values()].map((frame) => `${frame.bytes.toString('latin1')} ${frame.bytes.toString('base64')} ${frame.previewHex ?? ''}`).join('\n');
  expect(secrets.flatMap((secret) => forms(secret)).filter((piece) => all.includes(piece)), label).toEqual([]);
}

/** Where the export writes '*', the CLI prints '*' (the same frames, the front evicted). */
function expectAtLeastTheExport(got: Map<number, Printed>, written: Map<number, Buffer>, label: string): void {
  const clear: string[] = [];
  for (const [seq, bytes] of written) {
    const shown = got.get(seq)?.bytes;
    if (!shown) throw new Error(`#${seq} not printed, ${label}`);
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x2a && shown[i] !== 0x2a) clear.push(`#${seq}@${i}`);
  }
  expect(clear, label).toEqual([]);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const visible = (got: Map<number, Printed>, seq: number): string => got.get(seq)?.bytes.toString('latin1') ?? '';

describe('STOMP: a CONNECT cut inside its passcode header, the first part dropped before it was printed', () => {
  const PASS = 'Pc-Cli-Gap-5170';
  const CONNECT = Buffer.from(`CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:${PASS}\n\n\0`);
  const LATER = 'Later-Cli-Tok-8842';
  const AFTER: readonly Message[] = [
    text('in', 'MESSAGE\nsubscription:0\ndestination:/queue/a\nmessage-id:1\n\nvisible-body-in\0'),
    text('out', `SEND\ndestination:/queue/a\nauthorization:Bearer ${LATER}\n\nvisible-body-out\0`, [LATER]),
  ];
  const CUTS = range(CONNECT.indexOf('passcode'), CONNECT.indexOf(PASS) + PASS.length + 1);

  it('the first frames printed (the session front dropped): at every byte, masked as the export masks, then read as STOMP', async () => {
    for (const at of CUTS) {
      const messages = [...cut('out', 'text', CONNECT, [PASS], [at]), ...AFTER];
      const label = `cut at ${at}`;
      const got = await printed(messages, range(2, messages.length), 'v12.stomp');
      expectSecretsMasked(messages, got, [PASS, LATER], label);
      expectAtLeastTheExport(got, await exported(messages, 2, 'v12.stomp', 'ws://broker.test/ws'), label);
      expect(visible(got, 3), label).toContain('visible-body-in');
      expect(visible(got, 4), label).toContain('visible-body-out');
    }
  });

  it('a gap between batches, in two and three: at every byte, the rest masked, the frames before and after as they are', async () => {
    const before = text('out', 'SEND\ndestination:/queue/a\n\nfirst-visible\0');
    for (const at of CUTS) {
      for (const more of [0, 1, 4]) {
        if (more > 0 && at + more >= CONNECT.length) continue;
        const messages = [before, ...cut('out', 'text', CONNECT, [PASS], more > 0 ? [at, at + more] : [at]), ...AFTER];
        const label = `cut at ${at}${more > 0 ? ` and ${at + more}` : ''}`;
        const got = await printed(messages, [1, ...range(3, messages.length)], 'v12.stomp');
        expectSecretsMasked(messages, got, [PASS, LATER], label);
        expect(visible(got, 1), label).toContain('first-visible');
        expect(visible(got, messages.length), label).toContain('visible-body-out');
      }
    }
  });
});

describe('MQTT: a CONNECT cut in its password, the first part dropped before it was printed', () => {
  const PASSWORD = 'Mqtt-Cli-Pw-33017';

  it.each([4, 5] as const)('level %i: cut at every byte from the user name on, the rest masked whole, the next whole packet read', async (level) => {
    const connect = mqttConnect(PASSWORD, level);
    const after: Message = { dir: 'out', opcode: 'binary', payload: mqttPublish('visible-payload-1'), secret: [] };
    const before: Message = { dir: 'out', opcode: 'binary', payload: mqttPublish('first-visible'), secret: [] };
    for (let at = connect.indexOf('alice'); at < connect.length; at++) {
      for (const more of [0, 3]) {
        if (more > 0 && at + more >= connect.length) continue;
        const pieces = cut('out', 'binary', connect, [PASSWORD], more > 0 ? [at, at + more] : [at]);
        const label = `cut at ${at}${more > 0 ? ` and ${at + more}` : ''}`;
        // The front dropped: as the export.
        const front = [...pieces, after];
        const got = await printed(front, range(2, front.length), 'mqtt');
        expectSecretsMasked(front, got, [PASSWORD], label);
        expectAtLeastTheExport(got, await exported(front, 2, 'mqtt', 'ws://broker.test/mqtt'), label);
        expect(visible(got, front.length), label).toContain('visible-payload-1');
        // Between batches.
        const middle = [before, ...pieces, after];
        const got2 = await printed(middle, [1, ...range(3, middle.length)], 'mqtt');
        expectSecretsMasked(middle, got2, [PASSWORD], `${label}, between batches`);
        expect(visible(got2, 1), label).toContain('first-visible');
        for (let seq = 3; seq < middle.length; seq++) expect(got2.get(seq)?.bytes.every((byte) => byte === 0x2a), `#${seq}, ${label}`).toBe(true);
        expect(visible(got2, middle.length), label).toContain('visible-payload-1');
      }
    }
  });
});

describe('GraphQL: a connection_init cut across messages, the first part dropped before it was printed', () => {
  const TOKEN = 'Gql-Cli-Tok-71126';
  const INIT = Buffer.from(`{"type":"connection_init","payload":{"user":"bob","auth":{"authToken":"${TOKEN}","n":{"x":1}}}}`);
  const AFTER = text('out', '{"id":"1","type":"subscribe","payload":{"query":"{ visibleQuery }"}}');

  it('cut at every byte, in two and three, the rest masked whole, the next whole message read', async () => {
    const before = text('out', '{"type":"ping","payload":{"note":"first-visible"}}');
    for (let at = 1; at < INIT.length; at++) {
      for (const more of [0, 4]) {
        if (more > 0 && at + more >= INIT.length) continue;
        const pieces = cut('out', 'text', INIT, [TOKEN], more > 0 ? [at, at + more] : [at]);
        const label = `cut at ${at}${more > 0 ? ` and ${at + more}` : ''}`;
        const front = [...pieces, AFTER];
        const got = await printed(front, range(2, front.length), 'graphql-transport-ws', [], '/graphql');
        expectSecretsMasked(front, got, [TOKEN], label);
        expectAtLeastTheExport(got, await exported(front, 2, 'graphql-transport-ws', 'ws://api.test/graphql'), label);
        for (let seq = 2; seq < front.length; seq++) expect(got.get(seq)?.bytes.every((byte) => byte === 0x2a), `#${seq}, ${label}`).toBe(true);
        expect(visible(got, front.length), label).toContain('visibleQuery');
        const middle = [before, ...pieces, AFTER];
        const got2 = await printed(middle, [1, ...range(3, middle.length)], 'graphql-transport-ws', [], '/graphql');
        expectSecretsMasked(middle, got2, [TOKEN], `${label}, between batches`);
        expect(visible(got2, 1), label).toContain('first-visible');
        expect(visible(got2, middle.length), label).toContain('visibleQuery');
      }
    }
  });
});

describe('a frame printed without its payload (evicted before it was read)', () => {
  it('MQTT: its preview masked as a CONNECT start, and the rest after it masked whole', async () => {
    const PASSWORD = 'Pw-Bodiless-4410';
    const connect = mqttConnect(PASSWORD);
    // Cut so that the password starts within the first 16 bytes of the second piece, and the first piece's preview holds the user name.
    const at = connect.indexOf(PASSWORD) + 3;
    const messages = [...cut('out', 'binary', connect, [PASSWORD], [at]), { dir: 'out' as const, opcode: 'binary' as const, payload: mqttPublish('visible-payload-2'), secret: [] }];
    // #1 printed from its preview only; #2 continues it.
    const got = await printed(messages, [1, 2, 3], 'mqtt', [1]);
    expect(got.get(1)?.previewHex).toBeDefined();
    expectSecretsMasked(messages, got, [PASSWORD], 'bodiless');
    expect(got.get(2)?.bytes.every((byte) => byte === 0x2a)).toBe(true);
    expect(visible(got, 3)).toContain('visible-payload-2');
  });

  it('MQTT: a CONNECT whose password is in its preview has it masked there', async () => {
    const PASSWORD = 'Pw-In-Preview-61';
    const connect = mqttConnect(PASSWORD);
    expect(connect.indexOf(PASSWORD) + PASSWORD.length).toBeLessThanOrEqual(HEX_PREVIEW_BYTES);
    const messages: Message[] = [{ dir: 'out', opcode: 'binary', payload: Buffer.concat([connect, mqttPublish('x'.repeat(80))]), secret: [] }];
    const got = await printed(messages, [1], 'mqtt', [1]);
    const shown = Buffer.from((got.get(1)?.previewHex ?? '').replace(/ /g, ''), 'hex');
    expect(shown.length).toBe(HEX_PREVIEW_BYTES);
    expect(shown.includes(PASSWORD)).toBe(false);
    expect(shown.includes('client-1')).toBe(true);
  });

  it('STOMP: a long CONNECT whose passcode is in its text preview has it masked there', async () => {
    const PASS = 'Pc-In-Preview-7302';
    const connect = `CONNECT\naccept-version:1.2\nlogin:guest\npasscode:${PASS}\nx-filler:${'f'.repeat(400)}\n\n\0`;
    const messages: Message[] = [text('out', connect, [PASS]), text('out', 'SEND\ndestination:/a\n\nvisible-after\0')];
    const got = await printed(messages, [1, 2], 'v12.stomp', [1]);
    const shown = visible(got, 1);
    expect(shown.length).toBe(TEXT_PREVIEW_CHARS);
    expect(shown).toContain(`passcode:${'*'.repeat(PASS.length)}\n`);
    expect(shown).toContain('login:guest');
    expect(visible(got, 2)).toContain('visible-after');
  });
});

describe('--reconnect', () => {
  it("a new attempt's first frame starts afresh; one whose first frames were dropped is read as after a gap", async () => {
    const PASSWORD = 'Pw-Attempt-2291';
    const connect = mqttConnect(PASSWORD);
    const at = connect.indexOf(PASSWORD) + 4;
    const pieces = cut('out', 'binary', connect, [PASSWORD], [at]);
    const fresh = mqttConnect('fresh-pw');
    // Attempt 1 ended after #1; attempt 2 begins at #2 with a whole CONNECT: only its password masked.
    const run = async (messages: Message[], delivered: number[], afterSeq: number): Promise<Map<number, Printed>> => {
      const out: string[] = [];
      const summaries = messages.map((message, i) => summaryOf(i + 1, message));
      const printer = new JsonPrinter((line) => out.push(line), new Scrubber([]), (seq) => {
        const summary = summaries[seq - 1];
        const message = messages[seq - 1];
        return summary && message ? bodyOf(summary, message) : undefined;
      });
      printer.handshake({ type: 'handshake', sessionId: 's', step: upgrade('mqtt', '/mqtt') });
      for (const seq of delivered) {
        const summary = summaries[seq - 1];
        if (summary) await printer.frames({ type: 'frames', sessionId: 's', frames: [summary], dropped: 0, fromSeq: seq });
        // The attempt's end is said after its last frame printed (its tail may have been dropped).
        if (seq <= afterSeq && !delivered.some((later) => later > seq && later <= afterSeq)) {
          printer.attempt({ type: 'attempt', sessionId: 's', record: { attempt: 1, startedAt: 0, endedAt: 1, afterSeq, outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' }, next: null } });
        }
      }
      const got = new Map<number, Printed>();
      for (const line of out) {
        const frame = JSON.parse(line) as { type: string; seq: number; base64?: string };
        if (frame.type === 'frame') got.set(frame.seq, { bytes: Buffer.from(frame.base64 ?? '', 'base64') });
      }
      return got;
    };
    const freshGot = await run([{ dir: 'out', opcode: 'binary', payload: mqttPublish('x'), secret: [] }, { dir: 'out', opcode: 'binary', payload: fresh, secret: [] }], [1, 2], 1);
    const shown = freshGot.get(2)?.bytes ?? Buffer.alloc(0);
    expect(shown.includes('client-1')).toBe(true);
    expect(shown.includes('fresh-pw')).toBe(false);
    // Attempt 1's last frame (#2) dropped: attempt 2's first (#3) still starts afresh.
    // Its CONNECT in two messages, so no whole packet says a frame starts there: only the attempt's start does.
    const freshPieces = cut('out', 'binary', fresh, ['fresh-pw'], [fresh.indexOf('fresh-pw') + 2]);
    const tailMessages: Message[] = [{ dir: 'out', opcode: 'binary', payload: mqttPublish('x'), secret: [] }, { dir: 'out', opcode: 'binary', payload: mqttPublish('y'), secret: [] }, ...freshPieces];
    const tailGot = await run(tailMessages, [1, 3, 4], 2);
    expect(tailGot.get(3)?.bytes.includes('client-1')).toBe(true);
    expectSecretsMasked(tailMessages, tailGot, ['fresh-pw'], 'attempt tail dropped');
    // Attempt 2's first piece (#2) dropped: #3, the rest of its CONNECT, masked whole.
    const messages: Message[] = [{ dir: 'out', opcode: 'binary', payload: mqttPublish('x'), secret: [] }, ...pieces];
    const got = await run(messages, [1, 3], 1);
    expectSecretsMasked(messages, got, [PASSWORD], 'attempt front dropped');
    expect(got.get(3)?.bytes.every((byte) => byte === 0x2a)).toBe(true);
  });
});
