// Control characters shown as escapes (util/control-chars.ts): STOMP's NUL and SignalR's 0x1E
// were drawn as a box in the log's Preview and the detail pane's Text.
import { describe, expect, it } from 'vitest';
import { controlEscape, controlName, controlRuns, hasControlChars } from '../../../src-renderer/src/util/control-chars';

describe('control characters as escapes', () => {
  it('names every C0 control but tab, line feed and carriage return, and DEL', () => {
    const controls = [...Array(32).keys(), 127].filter((code) => hasControlChars(String.fromCharCode(code)));
    expect(controls).toEqual([...Array(32).keys(), 127].filter((code) => ![9, 10, 13].includes(code)));
    expect(hasControlChars('tab\tnew line\r\n é ✓ 😀')).toBe(false);
    expect([0, 0x1e, 0x7f].map((code) => [controlEscape(code), controlName(code)])).toEqual([
      ['\\0', 'NUL (0x00)'],
      ['\\x1e', 'RS (0x1e)'],
      ['\\x7f', 'DEL (0x7f)'],
    ]);
  });

  it('cuts a text into plain runs and one run a control character, which put back give the text', () => {
    expect(controlRuns('BOGUS\n\n\u0000')).toEqual([{ text: 'BOGUS\n\n' }, { text: '\\0', control: 'NUL (0x00)' }]);
    expect(controlRuns('{}\u001e\u001e{"type":6}\u001e')).toEqual([
      { text: '{}' },
      { text: '\\x1e', control: 'RS (0x1e)' },
      { text: '\\x1e', control: 'RS (0x1e)' },
      { text: '{"type":6}' },
      { text: '\\x1e', control: 'RS (0x1e)' },
    ]);
    expect(controlRuns('plain')).toEqual([{ text: 'plain' }]);
    // Every character of a generated text comes back: plain as it is, a control from its escape.
    let text = '';
    for (let i = 0; i < 2000; i += 1) text += String.fromCharCode((i * 7919) % 160);
    const back = controlRuns(text)
      .map((run) => (run.control ? String.fromCharCode(run.text === '\\0' ? 0 : parseInt(run.text.slice(2), 16)) : run.text))
      .join('');
    expect(back).toBe(text);
  });
});
