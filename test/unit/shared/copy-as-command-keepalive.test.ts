/**
 * Copy as command carries the keep-alive: `--keepalive <seconds>` for tunnelscope connect
 * (which reads it back to the same setting), websocat's own ping options, and a note where a
 * tool has none or a value had to be rounded.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { copyAsCommand } from '../../../src-main/shared/copy-as-command';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';

const base: ConnectionOptionsInput = { url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' } };

describe('copy as command: keep-alive', () => {
  it('tunnelscope connect: --keepalive <seconds>, read back as the same setting', () => {
    const copied = copyAsCommand('tunnelscope', { ...base, keepalive: { intervalMs: 30_000, pongTimeoutMs: 10_000 } });
    expect(copied.command).toBe('tunnelscope connect ws://127.0.0.1:9/ --no-proxy --keepalive 30');
    expect(copied.notes).toEqual([]);
    const parsed = parseCommandLine(copied.command.split(' ').slice(1));
    expect(parsed.kind === 'connect' ? parsed.options?.keepalive : undefined).toEqual({ intervalMs: 30_000, pongTimeoutMs: 10_000 });
  });

  it('says what the command cannot carry: a sub-second interval, another pong deadline', () => {
    const copied = copyAsCommand('tunnelscope', { ...base, keepalive: { intervalMs: 2_500, pongTimeoutMs: 4_000 } });
    expect(copied.command).toContain('--keepalive 3');
    expect(copied.notes).toEqual([
      'the keep-alive interval of 2500 ms is rounded to 3 s (the option takes whole seconds)',
      'tunnelscope connect has no option for the 4 s pong deadline: it waits 10 s',
    ]);
  });

  it('no keep-alive, no flag', () => {
    expect(copyAsCommand('tunnelscope', base).command).not.toContain('--keepalive');
    expect(copyAsCommand('websocat', base).command).not.toContain('--ping');
  });

  it('websocat pings with its own options; wscat has none and says so', () => {
    const keepalive = { intervalMs: 30_000, pongTimeoutMs: 10_000 };
    expect(copyAsCommand('websocat', { ...base, keepalive }).command).toBe('websocat --ping-interval 30 --ping-timeout 10 ws://127.0.0.1:9/');
    const wscat = copyAsCommand('wscat', { ...base, keepalive });
    expect(wscat.command).not.toMatch(/ping|keepalive/);
    expect(wscat.notes).toContain('wscat has no keep-alive option: the command sends no pings');
  });
});
