/**
 * terminalWriter gathers stdout lines and checks them as one run: what reaches the writer must
 * be exactly what escaping each line on its own gave, in the same order relative to stderr.
 */
import { describe, expect, it } from 'vitest';
import { terminalLine, terminalWriter } from '../../../src-main/cli/terminal-text';

function sink(): { writes: [string, string][]; out(line: string): void; err(line: string): void } {
  const writes: [string, string][] = [];
  return { writes, out: (line) => writes.push(['out', line]), err: (line) => writes.push(['err', line]) };
}

const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('terminalWriter', () => {
  it('hands on the lines of one task as one chunk', async () => {
    const target = sink();
    const writer = terminalWriter(target, false);
    writer.out('one');
    writer.out('two');
    expect(target.writes).toEqual([]);
    await nextTask();
    writer.out('three');
    await nextTask();
    expect(target.writes).toEqual([
      ['out', 'one\ntwo'],
      ['out', 'three'],
    ]);
  });

  it.each([false, true])('escapes each line as terminalLine does when one of them needs it (colours %s)', async (colours) => {
    const lines = ['plain', 'esc \u001b]0;title\u0007 and \u001b[31mred\u001b[39m', 'tab\there', 'rlo \u202e ls \u2028 c1 \u009b del \u007f', 'cr\rlf\n'];
    const target = sink();
    const writer = terminalWriter(target, colours);
    for (const line of lines) writer.out(line);
    await nextTask();
    expect(target.writes).toEqual([['out', lines.map((line) => terminalLine(line, colours)).join('\n')]]);
    // One chunk: the only raw line feeds are the ones between the lines.
    expect(target.writes[0]?.[1].split('\n')).toHaveLength(lines.length);
  });

  it('a stderr line comes after the stdout lines printed before it', () => {
    const target = sink();
    const writer = terminalWriter(target, false);
    writer.out('first');
    writer.err('oops \u001b[2J');
    writer.out('after');
    expect(target.writes).toEqual([
      ['out', 'first'],
      ['err', terminalLine('oops \u001b[2J', false)],
    ]);
  });
});
