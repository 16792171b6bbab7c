/**
 * frame-json.ts builds the `--json` frame line as text, for speed: it must be the very line the
 * object path gives (terminalJson of the scrubbed frameLine), secrets and escapes included.
 */
import { describe, expect, it } from 'vitest';
import { frameJson } from '../../../src-main/cli/frame-json';
import { frameLine, JsonPrinter } from '../../../src-main/cli/json-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import { terminalJson } from '../../../src-main/cli/terminal-text';
import type { FrameBody, FrameSummary } from '../../../src-main/shared/model';

const base: FrameSummary = { seq: 7, dir: 'in', opcode: 'text', at: 1_700_000_000_123, size: 5, preview: 'hello', truncated: false };
const AWKWARD = 'q"uote\\ \u001b[31m bell\u0007 del\u007f c1\u009b ls\u2028 rlo\u202e iso\u2066 ✓ 😀 \ud800';

const cases: [string, FrameSummary, FrameBody | undefined][] = [
  ['text from its preview', base, undefined],
  ['text with every escape', { ...base, preview: AWKWARD, size: 60 }, undefined],
  ['truncated text with its body', { ...base, truncated: true, size: 300 }, { frame: base, base64: '', text: `${AWKWARD} hunter2 in full` }],
  ['truncated text, evicted', { ...base, truncated: true, preview: 'hunter2…', size: 300 }, undefined],
  ['binary with its body', { ...base, opcode: 'binary', preview: '01 02' }, { frame: base, base64: 'aHVudGVyMg==' }],
  ['binary evicted', { ...base, opcode: 'binary', preview: '68 75 6e' }, undefined],
  ['ping, outgoing', { ...base, opcode: 'ping', dir: 'out', size: 0, preview: '' }, { frame: base, base64: '' }],
  ['close with code and reason', { ...base, opcode: 'close', closeCode: 4000, closeReason: `bye hunter2 ${AWKWARD}`, preview: 'bye' }, undefined],
  ['close without a code', { ...base, opcode: 'close', closeReason: '', preview: '' }, undefined],
  ['odd numbers', { ...base, seq: Number.NaN, at: Number.POSITIVE_INFINITY, size: -0 }, undefined],
  [
    'edited text with its original',
    { ...base, intercept: { action: 'edited', originalSize: 14 } },
    { frame: base, base64: '', text: 'hello', original: { base64: '', text: `was hunter2 ${AWKWARD}` } },
  ],
  [
    'edited binary with its original',
    { ...base, opcode: 'binary', preview: '01', intercept: { action: 'edited', originalSize: 7 } },
    { frame: base, base64: 'AQ==', original: { base64: 'aHVudGVyMg==' } },
  ],
  ['edited, its body evicted', { ...base, intercept: { action: 'edited', originalSize: 3 } }, undefined],
  ['injected', { ...base, dir: 'out', intercept: { action: 'injected' } }, undefined],
  ['dropped when the connection ended', { ...base, intercept: { action: 'dropped', reason: 'connection-ended' } }, undefined],
  ['an injected close', { ...base, opcode: 'close', closeCode: 4001, closeReason: 'bye', preview: 'bye', intercept: { action: 'injected' } }, undefined],
];

describe('frameJson: the same line as terminalJson(scrubber.deep(frameLine(…)))', () => {
  const scrubbers: [string, Scrubber][] = [
    ['no secrets', new Scrubber([])],
    ['secrets to redact', new Scrubber(['hunter2', 'aHVudGVyMg=='], { username: 'bob', password: 'secret-pw' })],
  ];
  for (const [scrubbing, scrubber] of scrubbers) {
    it.each(cases)(`%s (${scrubbing})`, (_name, frame, body) => {
      const expected = terminalJson(scrubber.deep(frameLine(frame, body)));
      expect(frameJson(frame, body, scrubber)).toBe(expected);
    });
  }

  it('redacts a secret in a frame payload, as the object path did', () => {
    const line = frameJson({ ...base, preview: 'token hunter2' }, undefined, new Scrubber(['hunter2']));
    expect(line).not.toContain('hunter2');
    expect(line).toContain('••••••');
  });
});

describe('JsonPrinter: a payload read at once or fetched gives the same lines', () => {
  const frames: FrameSummary[] = [
    { ...base, seq: 1, opcode: 'binary', size: 3, preview: '01 02 03' },
    { ...base, seq: 2, opcode: 'text', size: 300, preview: 'long…', truncated: true },
    { ...base, seq: 3, opcode: 'ping', size: 0, preview: '' },
  ];
  const bodies = new Map<number, FrameBody>([
    [1, { frame: base, base64: 'AQID' }],
    [2, { frame: base, base64: '', text: 'long text in full' }],
  ]);
  const event = { type: 'frames', sessionId: 's', fromSeq: 1, frames, dropped: 0 } as const;

  it('in the same order, the missing one marked as evicted', async () => {
    const sync: string[] = [];
    const fetched: string[] = [];
    await new JsonPrinter((line) => sync.push(line), new Scrubber([]), (seq) => bodies.get(seq)).frames(event);
    await new JsonPrinter((line) => fetched.push(line), new Scrubber([]), (seq) => Promise.resolve(bodies.get(seq))).frames(event);
    expect(sync).toEqual(fetched);
    expect(sync.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ seq: 1, base64: 'AQID' }),
      expect.objectContaining({ seq: 2, text: 'long text in full' }),
      expect.objectContaining({ seq: 3, base64: null, truncated: true }),
    ]);
  });
});

describe('JsonPrinter: intercept marks', () => {
  it('fetches an edited text frame’s body for its original, and says what happened to each frame', async () => {
    const frames: FrameSummary[] = [
      { ...base, seq: 1, preview: 'sent', size: 4, intercept: { action: 'edited', originalSize: 16 } },
      { ...base, seq: 2, dir: 'out', preview: 'typed', size: 5, intercept: { action: 'injected' } },
      { ...base, seq: 3, preview: 'held', size: 4, intercept: { action: 'dropped', reason: 'connection-ended' } },
      { ...base, seq: 4, preview: 'plain', size: 5 },
    ];
    const asked: number[] = [];
    const bodies = new Map<number, FrameBody>([[1, { frame: frames[0]!, base64: 'c2VudA==', text: 'sent', original: { base64: '', text: 'token hunter2 !!' } }]]);
    const lines: string[] = [];
    const printer = new JsonPrinter((line) => lines.push(line), new Scrubber(['hunter2']), (seq) => (asked.push(seq), bodies.get(seq)));
    await printer.frames({ type: 'frames', sessionId: 's', fromSeq: 1, frames, dropped: 0 });
    expect(asked).toEqual([1]);
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ seq: 1, text: 'sent', intercept: { action: 'edited', original: { text: 'token •••••• !!' } } }),
      expect.objectContaining({ seq: 2, dir: 'out', text: 'typed', intercept: { action: 'injected' } }),
      expect.objectContaining({ seq: 3, intercept: { action: 'dropped', reason: 'connection-ended' } }),
      expect.not.objectContaining({ intercept: expect.anything() }),
    ]);
  });
});
