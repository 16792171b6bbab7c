/**
 * Copy as command carries the composer's message and its repeat for tunnelscope connect
 * (`--send … --repeat N --interval T`, read back as the same); websocat and wscat have no
 * repeat and say so.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { copyAsCommand } from '../../../src-main/shared/copy-as-command';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';

const base: ConnectionOptionsInput = { url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' } };

/** The command's words as a shell reads them (single quotes only, as shellQuote writes them). */
function shellWords(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] ?? '')));
}

function readBack(command: string): { outgoing: unknown; repeat: unknown } {
  const parsed = parseCommandLine(shellWords(command).slice(1));
  if (parsed.kind !== 'connect') throw new Error('expected connect');
  return { outgoing: parsed.outgoing, repeat: parsed.repeat };
}

describe('copy as command: repeated sends', () => {
  it('tunnelscope: --send with its built-ins, --repeat and --interval, read back as the same', () => {
    const copied = copyAsCommand('tunnelscope', base, undefined, { message: { kind: 'text', data: "it's {{$counter}}" }, repeat: { count: 50, intervalMs: 200 } });
    expect(copied.command).toBe("tunnelscope connect ws://127.0.0.1:9/ --no-proxy --send 'it'\\''s {{$counter}}' --repeat 50 --interval 200");
    expect(copied.notes).toEqual([]);
    expect(readBack(copied.command)).toEqual({ outgoing: [{ kind: 'text', data: "it's {{$counter}}" }], repeat: { count: 50, intervalMs: 200 } });
  });

  it('tunnelscope: a binary message as hex; no --interval at 0 ms', () => {
    const copied = copyAsCommand('tunnelscope', base, undefined, { message: { kind: 'binary', data: 'AQL/' }, repeat: { count: 3, intervalMs: 0 } });
    expect(copied.command).toBe('tunnelscope connect ws://127.0.0.1:9/ --no-proxy --send-binary 0102ff --repeat 3');
    expect(readBack(copied.command)).toEqual({ outgoing: [{ kind: 'binary', data: 'AQL/' }], repeat: { count: 3, intervalMs: 0 } });
  });

  it('tunnelscope: "until stopped" becomes the largest count, with a note', () => {
    const copied = copyAsCommand('tunnelscope', base, undefined, { message: { kind: 'text', data: 'ping' }, repeat: { count: null, intervalMs: 1000 } });
    expect(copied.command).toBe('tunnelscope connect ws://127.0.0.1:9/ --no-proxy --send ping --repeat 1000000 --interval 1000');
    expect(copied.notes).toEqual(['tunnelscope connect repeats a fixed number of times: "until stopped" is --repeat 1000000 (Ctrl-C stops it)']);
  });

  it('a message without a repeat is sent once', () => {
    const copied = copyAsCommand('tunnelscope', base, undefined, { message: { kind: 'text', data: 'hello' } });
    expect(copied.command).toBe('tunnelscope connect ws://127.0.0.1:9/ --no-proxy --send hello');
  });

  it('websocat and wscat have no repeat, and say so', () => {
    for (const tool of ['websocat', 'wscat'] as const) {
      const copied = copyAsCommand(tool, base, undefined, { message: { kind: 'text', data: 'x' }, repeat: { count: 10, intervalMs: 100 } });
      expect(copied.notes).toContain(`${tool} has no option to repeat a message (10 times, every 100 ms): tunnelscope connect --repeat and --interval do`);
      expect(copied.command).not.toContain('repeat');
      const untilStopped = copyAsCommand(tool, base, undefined, { message: { kind: 'text', data: 'x' }, repeat: { count: null, intervalMs: 0 } });
      expect(untilStopped.notes).toContain(`${tool} has no option to repeat a message (until stopped): tunnelscope connect --repeat and --interval do`);
    }
  });
});
