/**
 * Copy as command carries the trust setting: `--trust <which>` for tunnelscope connect (read
 * back as the same setting), nothing for the default, and a note for the tools that have none.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { copyAsCommand } from '../../../src-main/shared/copy-as-command';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';

const base: ConnectionOptionsInput = { url: 'wss://127.0.0.1:9/', proxy: { mode: 'none' } };

describe('copy as command: trust', () => {
  it.each(['mozilla', 'ca-files'] as const)('tunnelscope connect: --trust %s, read back as the same setting', (trust) => {
    const copied = copyAsCommand('tunnelscope', { ...base, tls: { caFiles: [], insecure: false, trust } });
    expect(copied.command).toBe(`tunnelscope connect wss://127.0.0.1:9/ --no-proxy --trust ${trust}`);
    const parsed = parseCommandLine(copied.command.split(' ').slice(1));
    expect(parsed.kind === 'connect' ? parsed.options?.tls?.trust : undefined).toBe(trust);
  });

  it('the default (Mozilla + OS), set or not, gives no flag and no note', () => {
    for (const tls of [undefined, { caFiles: [], insecure: false, trust: 'mozilla+os' as const }]) {
      const copied = copyAsCommand('tunnelscope', { ...base, ...(tls ? { tls } : {}) });
      expect(copied.command).not.toContain('--trust');
      expect(copyAsCommand('wscat', { ...base, ...(tls ? { tls } : {}) }).notes).toEqual([]);
    }
  });

  it('wscat and websocat have no trust setting and say so', () => {
    const tls = { caFiles: [], insecure: false, trust: 'mozilla' as const };
    expect(copyAsCommand('wscat', { ...base, tls }).notes).toContain(
      'wscat has no trust setting like "Mozilla only": it checks certificates against its own default roots',
    );
    expect(copyAsCommand('websocat', { ...base, tls }).notes).toContain(
      'websocat has no trust setting like "Mozilla only": it checks certificates against its own default roots',
    );
  });
});
