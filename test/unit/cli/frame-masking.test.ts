/**
 * --json frame lines mask credentials without any decoding (the intercept command's printer has
 * none): the protocol recognised from the upgrade or the first message, an edited frame's
 * original masked as well as its payload, a STOMP passcode header in the second message, and a
 * new attempt of a reconnecting connection starting afresh. Each line differs from the bytes
 * sent only where a credential byte is.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { CliFrameDecoding } from '../../../src-main/cli/frame-decoding';
import { JsonPrinter } from '../../../src-main/cli/json-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import type { FrameBody, FrameSummary, HandshakeStep } from '../../../src-main/shared/model';

const PASSWORD = 'Pw-\x10\x0e\x00\x04MQTT';
const connect = (password: string): Buffer => mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', username: 'alice', password: Buffer.from(password, 'latin1'), keepalive: 10, clean: true });

function frame(seq: number, opcode: 'binary' | 'text', bytes: Buffer, original?: Buffer): { summary: FrameSummary; body: FrameBody } {
  const text = bytes.toString('utf8');
  const summary: FrameSummary = {
    seq,
    dir: 'out',
    opcode,
    at: 1000 + seq,
    size: bytes.length,
    preview: opcode === 'text' ? text : bytes.subarray(0, 16).toString('hex'),
    truncated: false,
    ...(original ? { intercept: { action: 'edited' as const, originalSize: original.length } } : {}),
  };
  const body: FrameBody = {
    frame: summary,
    base64: bytes.toString('base64'),
    ...(opcode === 'text' ? { text } : {}),
    ...(original ? { original: { base64: original.toString('base64'), ...(opcode === 'text' ? { text: original.toString('utf8') } : {}) } } : {}),
  };
  return { summary, body };
}

const upgrade = (subprotocol: string): HandshakeStep => ({
  leg: 'upgrade',
  startedAt: 0,
  ms: 1,
  ok: true,
  request: { startLine: 'GET /ws HTTP/1.1', headers: [] },
  response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: [['Sec-WebSocket-Protocol', subprotocol]] },
});

interface Line {
  text?: string;
  base64?: string;
  intercept?: { original?: { text?: string; base64?: string } };
}

async function print(frames: readonly ReturnType<typeof frame>[], options: { subprotocol?: string; decode?: 'none'; attemptAfter?: number } = {}): Promise<Line[]> {
  const bodies = new Map(frames.map((f) => [f.summary.seq, f.body]));
  const out: string[] = [];
  const decoding = options.decode ? new CliFrameDecoding(options.decode, (seq) => bodies.get(seq), () => undefined) : undefined;
  const printer = new JsonPrinter((line) => out.push(line), new Scrubber([]), (seq) => bodies.get(seq), decoding);
  if (options.subprotocol) printer.handshake({ type: 'handshake', sessionId: 's', step: upgrade(options.subprotocol) });
  for (const f of frames) {
    await printer.frames({ type: 'frames', sessionId: 's', frames: [f.summary], dropped: 0, fromSeq: f.summary.seq });
    if (options.attemptAfter === f.summary.seq) {
      printer.attempt({ type: 'attempt', sessionId: 's', record: { attempt: 1, startedAt: 0, endedAt: 1, afterSeq: f.summary.seq, outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' }, next: null } });
    }
  }
  return out.map((line) => JSON.parse(line) as Line).filter((line) => line.text !== undefined || line.base64 !== undefined);
}

const bytesOf = (text: string | undefined, base64: string | undefined): Buffer => (text !== undefined ? Buffer.from(text) : Buffer.from(base64 ?? '', 'base64'));

/** The bytes shown, against the bytes sent: the same length, differing only in '*'s, this many. */
function differsOnlyBy(shown: Buffer, sent: Buffer, count: number): void {
  expect(shown.length).toBe(sent.length);
  const differ = [...shown].map((byte, i) => (byte !== sent[i] ? byte : -1)).filter((byte) => byte !== -1);
  expect(differ.length).toBe(count);
  expect(differ.every((byte) => byte === 0x2a)).toBe(true);
}

describe('--json masks credentials without decoding', () => {
  it("an edited frame's original and its payload (MQTT, recognised from the subprotocol)", async () => {
    const original = connect(PASSWORD);
    const edited = connect('new-pw');
    const [line] = await print([frame(1, 'binary', edited, original)], { subprotocol: 'mqtt' });
    differsOnlyBy(bytesOf(line?.text, line?.base64), edited, 'new-pw'.length);
    differsOnlyBy(bytesOf(line?.intercept?.original?.text, line?.intercept?.original?.base64), original, PASSWORD.length);
  });

  it('a STOMP CONNECT whose passcode header comes in the second message (--decode none)', async () => {
    const first = Buffer.from('CONNECT\naccept-version:1.2\nlogin:guest\npassc');
    const second = Buffer.from('ode:split-pc\\c\n\n\0');
    const original = Buffer.from('CONNECT\npasscode:orig\n\n\0');
    const lines = await print([frame(1, 'text', first), frame(2, 'text', second), frame(3, 'text', Buffer.from('CONNECT\n\n\0'), original)], { subprotocol: 'v12.stomp', decode: 'none' });
    differsOnlyBy(bytesOf(lines[0]?.text, undefined), first, 0);
    differsOnlyBy(bytesOf(lines[1]?.text, undefined), second, 'split-pc\\c'.length);
    differsOnlyBy(bytesOf(lines[2]?.intercept?.original?.text, undefined), original, 'orig'.length);
  });

  it('a new attempt starts afresh (a CONNECT cut short is not continued into the next attempt)', async () => {
    const half = connect(PASSWORD).subarray(0, 12);
    const next = connect('attempt-2-pw');
    const lines = await print([frame(1, 'binary', half), frame(2, 'binary', next)], { subprotocol: 'mqtt', attemptAfter: 1 });
    differsOnlyBy(bytesOf(undefined, lines[1]?.base64), next, 'attempt-2-pw'.length);
  });
});
