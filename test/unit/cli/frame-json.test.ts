/**
 * frame-json.ts builds the `--json` frame line as text, for speed: it must be the very line the
 * object path gives (terminalJson of the scrubbed frameLine), secrets and escapes included.
 */
import { describe, expect, it } from 'vitest';
import { frameJson } from '../../../src-main/cli/frame-json';
import { frameLine } from '../../../src-main/cli/json-output';
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
