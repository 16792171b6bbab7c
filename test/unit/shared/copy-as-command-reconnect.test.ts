/**
 * Copy as command carries the reconnect setting: `--reconnect` with what differs from its
 * defaults for tunnelscope connect (read back as the same setting), a note for websocat and
 * wscat, which connect once.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { copyAsCommand } from '../../../src-main/shared/copy-as-command';
import { reconnectOptionsSchema, type ConnectionOptionsInput } from '../../../src-main/shared/model';

const base: ConnectionOptionsInput = { url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' } };

function readBack(command: string): unknown {
  const parsed = parseCommandLine(command.split(' ').slice(1));
  const reconnect = parsed.kind === 'connect' ? parsed.options?.reconnect : undefined;
  return reconnect === undefined ? undefined : reconnectOptionsSchema.parse(reconnect);
}

describe('copy as command: reconnect', () => {
  it('the defaults: --reconnect alone', () => {
    const copied = copyAsCommand('tunnelscope', { ...base, reconnect: {} });
    expect(copied.command).toBe('tunnelscope connect ws://127.0.0.1:9/ --no-proxy --reconnect');
    expect(copied.notes).toEqual([]);
    expect(readBack(copied.command)).toEqual(reconnectOptionsSchema.parse({}));
  });

  it('a limit, a first wait and retrying a normal close, read back as the same setting', () => {
    const reconnect = { maxAttempts: 5, initialDelayMs: 2000, maxDelayMs: 30_000, retryNormalClose: true };
    const copied = copyAsCommand('tunnelscope', { ...base, reconnect });
    expect(copied.command).toBe('tunnelscope connect ws://127.0.0.1:9/ --no-proxy --reconnect --reconnect-max 5 --reconnect-delay 2000 --reconnect-normal-close');
    expect(readBack(copied.command)).toEqual({ ...reconnect, resend: 'none' });
  });

  it("the app's resend has no flag: a note says what tunnelscope connect does instead (none: no note)", () => {
    for (const resend of ['opening', 'subscriptions'] as const) {
      const copied = copyAsCommand('tunnelscope', { ...base, reconnect: { resend } });
      expect(copied.command).toBe('tunnelscope connect ws://127.0.0.1:9/ --no-proxy --reconnect');
      expect(copied.notes).toEqual([
        'tunnelscope connect has no option to send again what opened the protocol session (a CONNECT, a connection_init, the subscriptions): with --reconnect it sends all its --send messages again on each attempt',
      ]);
    }
    expect(copyAsCommand('tunnelscope', { ...base, reconnect: { resend: 'none' } }).notes).toEqual([]);
  });

  it('says what it cannot carry: another longest wait', () => {
    const copied = copyAsCommand('tunnelscope', { ...base, reconnect: { maxDelayMs: 5000 } });
    expect(copied.notes).toEqual(['tunnelscope connect has no option for the longest wait between reconnects (5000 ms): it waits at most 30000 ms']);
  });

  it('websocat and wscat connect once, and say so', () => {
    for (const tool of ['websocat', 'wscat'] as const) {
      const copied = copyAsCommand(tool, { ...base, reconnect: {} });
      expect(copied.command).not.toContain('reconnect');
      expect(copied.notes).toContain(`${tool} has no reconnect with backoff: the command connects once (tunnelscope connect --reconnect does)`);
    }
  });

  it('no reconnect, no flag and no note', () => {
    expect(copyAsCommand('tunnelscope', base).command).not.toContain('--reconnect');
    expect(copyAsCommand('wscat', base).notes.join(' ')).not.toContain('reconnect');
  });
});
