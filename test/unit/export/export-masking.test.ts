/**
 * Exports mask credentials in raw bytes whatever the decoding asked (none, auto, another
 * protocol, not asked), byte for byte: each frame line equals the line of the frame as stored
 * with exactly its credential bytes as '*' (the rest of the line, sizes included, unchanged).
 * Also: a STOMP CONNECT whose passcode comes in its second message, a SUBSCRIBE's Authorization
 * and passcode (masked in every frame, raw and decoded, never in a body), an edited intercepted
 * frame's kept original, a new attempt of a reconnecting connection (the CONNECT under way when
 * it ended is not followed into the next), and no decoding at all when none is asked.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { exportToText, type ExportRequest } from '../../../src-main/core/export/export-session';
import { harMessage } from '../../../src-main/core/export/har-export';
import { ndjsonFrame } from '../../../src-main/core/export/ndjson-export';
import { FrameStore, type StoredFrame } from '../../../src-main/core/session/frame-store';
import type { SessionLog } from '../../../src-main/core/session/session-log';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import type { HandshakeStep } from '../../../src-main/shared/model';
import { STEPS, T0, fixtureSession } from './log-fixture';
import { REDACTED } from '../../../src-main/core/capture/redact';

const version = '9.9.9';

function withSubprotocol(name: string | undefined): HandshakeStep[] {
  if (name === undefined) return STEPS;
  return STEPS.map((step) => (step.leg === 'upgrade' && step.response ? { ...step, response: { ...step.response, headers: [...step.response.headers, ['Sec-WebSocket-Protocol', name]] } } : step));
}

/** A frame as stored, and its payload (and original) with exactly the credential bytes masked. */
interface Planned {
  dir: 'in' | 'out';
  opcode: 'text' | 'binary';
  payload: Buffer;
  masked: Buffer;
  original?: { bytes: Buffer; masked: Buffer };
}

function star(bytes: Buffer, secret: Buffer | string, from = 0): Buffer {
  const needle = typeof secret === 'string' ? Buffer.from(secret) : secret;
  const at = bytes.indexOf(needle, from);
  if (at < 0) throw new Error('secret not in the bytes');
  const out = Buffer.from(bytes);
  out.fill(0x2a, at, at + needle.length);
  return out;
}

const PASSWORD = Buffer.from('Pw\x10\x0e\x00\x04MQTT-\x00\xff', 'latin1');
const connect = (password: Buffer): Buffer => mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', username: 'alice', password, keepalive: 10, clean: true });

function mqttPlan(): Planned[] {
  const packet = connect(PASSWORD);
  const cut = packet.length - 4;
  const publish = mqtt.generate({ cmd: 'publish', topic: 't', payload: packet, qos: 0, dup: false, retain: false });
  return [
    { dir: 'out', opcode: 'binary', payload: packet.subarray(0, cut), masked: star(packet, PASSWORD).subarray(0, cut) },
    { dir: 'out', opcode: 'binary', payload: packet.subarray(cut), masked: star(packet, PASSWORD).subarray(cut) },
    { dir: 'in', opcode: 'binary', payload: mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }), masked: mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }) },
    // A PUBLISH whose payload is a whole CONNECT: not a credential.
    { dir: 'out', opcode: 'binary', payload: publish, masked: publish },
  ];
}

/** QA's case: a SUBSCRIBE carrying Authorization and passcode (a broker may take them on any frame). */
const SUBSCRIBE = 'SUBSCRIBE\nid:sub-0\ndestination:/topic/a\nAuthorization:Bearer eyJsecretTOKEN\npasscode:guest\n\n\0';

function stompPlan(): Planned[] {
  const first = Buffer.from('CONNECT\naccept-version:1.2\nlogin:guest\npass');
  const second = Buffer.from('code:Split\\cPass\n\n\0');
  const send = Buffer.from('SEND\ndestination:/q\npasscode:sent-pc\n\nhi passcode:body\0');
  const subscribe = Buffer.from(SUBSCRIBE);
  return [
    { dir: 'out', opcode: 'text', payload: first, masked: first },
    { dir: 'out', opcode: 'text', payload: second, masked: star(second, 'Split\\cPass') },
    { dir: 'in', opcode: 'text', payload: Buffer.from('CONNECTED\nversion:1.2\n\n\0'), masked: Buffer.from('CONNECTED\nversion:1.2\n\n\0') },
    { dir: 'out', opcode: 'text', payload: send, masked: star(send, 'sent-pc') },
    { dir: 'out', opcode: 'text', payload: subscribe, masked: star(star(subscribe, 'Bearer eyJsecretTOKEN'), 'guest') },
  ];
}

function sessionOf(plan: readonly Planned[], subprotocol: string | undefined, attempts: AttemptRecord[] = []): SessionLog {
  const frames = new FrameStore();
  plan.forEach((frame, i) => {
    const seq = frames.push(frame.dir, frame.opcode, frame.payload, undefined, T0 + 100 + i);
    if (frame.original) frames.mark(seq, { action: 'edited', originalSize: frame.original.bytes.length }, frame.original.bytes);
  });
  return { ...fixtureSession({ frames, steps: withSubprotocol(subprotocol) }), attempts: () => attempts };
}

/** The frame lines the export must write: the stored frame with the planned masked bytes, nothing else changed. */
function expectedFrame(stored: StoredFrame, planned: Planned): StoredFrame {
  return { ...stored, payload: planned.masked, ...(planned.original ? { original: planned.original.masked } : {}) };
}

async function frameLines(session: SessionLog, request: Omit<ExportRequest, 'version'>): Promise<Record<string, unknown>[]> {
  const { text } = await exportToText(session, { version, ...request });
  if (request.format === 'ndjson') return text.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as Record<string, unknown>);
  const har = JSON.parse(text) as { log: { entries: { _webSocketMessages: Record<string, unknown>[] }[] } };
  return har.log.entries[0]?._webSocketMessages ?? [];
}

function strip(line: Record<string, unknown>): { line: Record<string, unknown>; redacted: unknown } {
  const { redacted, _redacted, decoded, _decoded, ...rest } = line;
  void decoded;
  void _decoded;
  return { line: rest, redacted: redacted ?? _redacted };
}

const DECODINGS: (ExportRequest['decoding'] | undefined)[] = [undefined, { choice: 'none' }, { choice: 'auto' }, { choice: 'msgpack' }, { choice: 'mqtt' }, { choice: 'stomp' }];

describe('exports mask credentials byte for byte, whatever the decoding', () => {
  const cases = [
    { name: 'MQTT (CONNECT split, header-like password)', plan: mqttPlan, subprotocol: 'mqtt' },
    { name: 'MQTT without a subprotocol (recognised from its first message)', plan: mqttPlan, subprotocol: undefined },
    { name: 'STOMP (the passcode header in the second message)', plan: stompPlan, subprotocol: 'v12.stomp' },
  ];
  for (const { name, plan, subprotocol } of cases) {
    for (const format of ['ndjson', 'har'] as const) {
      it(`${name}, ${format}: every frame line is the stored one with exactly its credential bytes masked`, async () => {
        const planned = plan();
        const session = sessionOf(planned, subprotocol);
        const seen: string[] = [];
        for (const decoding of DECODINGS) {
          const lines = await frameLines(session, { format, ...(decoding ? { decoding } : {}) });
          expect(lines.length).toBe(planned.length);
          const shown = lines.map(strip);
          shown.forEach(({ line }, i) => {
            const stored = session.frames.entry(i + 1);
            const want = planned[i];
            if (!stored || !want) throw new Error('frame missing');
            const expectedLine = format === 'ndjson' ? ndjsonFrame(expectedFrame(stored, want)) : harMessage(expectedFrame(stored, want));
            expect(JSON.stringify(line)).toBe(JSON.stringify(expectedLine));
          });
          // The same bytes and the same `redacted` whatever the decoding.
          seen.push(JSON.stringify(shown));
        }
        expect(new Set(seen).size).toBe(1);
        expect(seen[0]).toContain('maskedBytes');
      });
    }
  }

  it("a SUBSCRIBE's Authorization and passcode: the REDACTED marker in `decoded`, their paths in `redacted` (NDJSON and HAR)", async () => {
    const session = sessionOf(stompPlan(), 'v12.stomp');
    for (const format of ['ndjson', 'har'] as const) {
      const lines = await frameLines(session, { format, decoding: { choice: 'stomp' } });
      const line = lines[4];
      if (!line) throw new Error('frame missing');
      const text = JSON.stringify(line);
      expect(text).not.toContain('eyJsecretTOKEN');
      expect(text).not.toContain('passcode:guest');
      const decoded = (format === 'ndjson' ? line.decoded : line._decoded) as { value: { headers: Record<string, string> }; redacted: string[] };
      expect(decoded.value.headers).toEqual({ id: 'sub-0', destination: '/topic/a', Authorization: REDACTED, passcode: REDACTED });
      expect(decoded.redacted).toEqual(['$.headers.Authorization', '$.headers.passcode']);
      expect(line.redacted ?? line._redacted).toEqual({ fields: ['$.headers.Authorization', '$.headers.passcode'], maskedBytes: 'Bearer eyJsecretTOKEN'.length + 'guest'.length });
    }
  });

  it("an edited intercepted frame's original is masked too (the edit dropped the password; the original had it)", async () => {
    const packet = connect(PASSWORD);
    const edited = connect(Buffer.from('x'));
    const text = 'CONNECT\nlogin:a\npasscode:orig-pc\n\n\0';
    for (const [subprotocol, planned] of [
      ['mqtt', [{ dir: 'out', opcode: 'binary', payload: edited, masked: star(edited, 'x', edited.length - 1), original: { bytes: packet, masked: star(packet, PASSWORD) } }]],
      ['v12.stomp', [{ dir: 'out', opcode: 'text', payload: Buffer.from('CONNECT\nlogin:a\n\n\0'), masked: Buffer.from('CONNECT\nlogin:a\n\n\0'), original: { bytes: Buffer.from(text), masked: star(Buffer.from(text), 'orig-pc') } }]],
    ] as const) {
      const session = sessionOf(planned, subprotocol);
      for (const format of ['ndjson', 'har'] as const) {
        const [line] = await frameLines(session, { format });
        const stored = session.frames.entry(1);
        const want = planned[0];
        if (!line || !stored || !want) throw new Error('frame missing');
        const expectedLine = format === 'ndjson' ? ndjsonFrame(expectedFrame(stored, want)) : harMessage(expectedFrame(stored, want));
        expect(JSON.stringify(strip(line).line)).toBe(JSON.stringify(expectedLine));
        expect(JSON.stringify(line)).not.toContain(Buffer.from(PASSWORD).toString('base64').slice(0, 8));
        expect(JSON.stringify(line)).not.toContain('orig-pc');
      }
    }
  });

  it('a new attempt starts afresh: a CONNECT cut short by the end of one attempt is not continued into the next', async () => {
    const packet = connect(PASSWORD);
    const second = connect(Buffer.from('second-attempt-pw'));
    const half = packet.subarray(0, 12);
    const planned: Planned[] = [
      { dir: 'out', opcode: 'binary', payload: half, masked: half },
      { dir: 'out', opcode: 'binary', payload: second, masked: star(second, 'second-attempt-pw') },
    ];
    const attempt: AttemptRecord = { attempt: 1, startedAt: T0, endedAt: T0 + 1, afterSeq: 1, outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' }, next: null };
    const session = sessionOf(planned, 'mqtt', [attempt]);
    const lines = await frameLines(session, { format: 'ndjson' });
    const got = lines.map((line) => Buffer.from(typeof line.base64 === 'string' ? line.base64 : '', 'base64'));
    expect(got[1]).toEqual(planned[1]?.masked);
  });

  it('each stored frame is read once, by the masker: no decoding when none is asked, and a decoding reads the masked bytes', async () => {
    const frames = new FrameStore();
    const publish = mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 0, dup: false, retain: false });
    frames.push('out', 'binary', connect(PASSWORD), undefined, T0);
    for (let i = 0; i < 500; i++) frames.push('in', 'binary', publish, undefined, T0 + i);
    let reads = 0;
    const counting = new Proxy(frames, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (key === 'entry' && typeof value === 'function') {
          return (seq: number) => {
            reads++;
            return frames.entry(seq);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const session = { ...fixtureSession({ frames: counting, steps: withSubprotocol('mqtt') }) };
    const { text } = await exportToText(session, { format: 'ndjson', version });
    expect(text).toContain('maskedBytes');
    // Masking reads each frame once (and the first few ahead, to recognise): a decoder would read each again.
    expect(reads).toBeLessThanOrEqual(501 + 10);
    // Decoding reads the bytes the masker read (and masked), not the store again (export-decoding.ts).
    reads = 0;
    const decoded = await exportToText(session, { format: 'ndjson', version, decoding: { choice: 'auto' } });
    expect(decoded.text).toContain('"decoded"');
    expect(reads).toBeLessThanOrEqual(501 + 10);
  });
});
