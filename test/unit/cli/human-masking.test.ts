/**
 * The human printer's masking (frame-masking.ts, as --json's): a new attempt of a reconnecting
 * connection starts afresh (what a STOMP CONNECT cut short at the end of one attempt left under
 * way is not continued into the next attempt's first message, which prints as sent), and a
 * plain flood costs what it did: once recognition (the first 8 data messages) found no protocol
 * that carries credentials, no frame's bytes are read for masking.
 */
import { describe, expect, it } from 'vitest';
import { CliFrameDecoding } from '../../../src-main/cli/frame-decoding';
import { HumanPrinter, PLAIN } from '../../../src-main/cli/human-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import type { FrameBody, FrameSummary, HandshakeStep } from '../../../src-main/shared/model';

function frame(seq: number, opcode: 'binary' | 'text', bytes: Buffer): { summary: FrameSummary; body: FrameBody } {
  const text = bytes.toString('utf8');
  const preview = opcode === 'text' ? text : [...bytes.subarray(0, 64)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const summary: FrameSummary = { seq, dir: 'out', opcode, at: 1000 + seq, size: bytes.length, preview, truncated: opcode === 'binary' && bytes.length > 64 };
  return { summary, body: { frame: summary, base64: bytes.toString('base64'), ...(opcode === 'text' ? { text } : {}) } };
}

const upgrade: HandshakeStep = {
  leg: 'upgrade',
  startedAt: 0,
  ms: 1,
  ok: true,
  request: { startLine: 'GET /ws HTTP/1.1', headers: [] },
  response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: [['Sec-WebSocket-Protocol', 'v12.stomp']] },
};

function printer(frames: readonly ReturnType<typeof frame>[]): { human: HumanPrinter; lines: string[]; fetched: number[] } {
  const bodies = new Map(frames.map((f) => [f.summary.seq, f.body]));
  const lines: string[] = [];
  const fetched: number[] = [];
  const decoding = new CliFrameDecoding(
    'none',
    (seq) => {
      fetched.push(seq);
      return bodies.get(seq);
    },
    () => undefined,
  );
  return { human: new HumanPrinter({ out: (line) => lines.push(line), err: () => undefined }, PLAIN, new Scrubber([]), decoding), lines, fetched };
}

describe('human output: masking state', () => {
  it('a new attempt starts afresh: its first message is printed as sent', async () => {
    const cut = frame(1, 'text', Buffer.from('CONNECT\nlogin:guest\npasscode:abc'));
    const next = frame(2, 'text', Buffer.from('visible-text\nmore'));
    const { human, lines } = printer([cut, next]);
    human.handshake({ type: 'handshake', sessionId: 's', step: upgrade });
    await human.frames({ type: 'frames', sessionId: 's', frames: [cut.summary], dropped: 0, fromSeq: 1 });
    human.attempt({ type: 'attempt', sessionId: 's', record: { attempt: 1, startedAt: 0, endedAt: 1, afterSeq: 1, outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' }, next: null } });
    await human.frames({ type: 'frames', sessionId: 's', frames: [next.summary], dropped: 0, fromSeq: 2 });
    const frameLines = lines.filter((line) => line.startsWith('→'));
    expect(frameLines[0]).toMatch(/ {2}CONNECT\\nlogin:guest\\npasscode:\*\*\*$/);
    expect(frameLines[1]).toMatch(/ {2}visible-text\\nmore$/);
  });

  it('a plain flood: only the first 8 data messages are read (to recognise the protocol), and printed as they are', async () => {
    const frames = Array.from({ length: 20 }, (_, i) => frame(i + 1, 'binary', Buffer.from([0xde, 0xad, i, 0xbe, 0xef])));
    const { human, lines, fetched } = printer(frames);
    await human.frames({ type: 'frames', sessionId: 's', frames: frames.map((f) => f.summary), dropped: 0, fromSeq: 1 });
    expect(fetched).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lines.filter((line) => line.startsWith('→')).map((line) => line.slice(line.indexOf('  hex ') + 6))).toEqual(frames.map((f) => f.summary.preview));
  });
});
