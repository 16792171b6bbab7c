/**
 * Copy as command carries the proxy sign-in scheme: `--proxy-auth <scheme>` for tunnelscope
 * connect (read back as the same setting), nothing for Auto or without a proxy.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { copyAsCommand } from '../../../src-main/shared/copy-as-command';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';

const base: ConnectionOptionsInput = { url: 'ws://127.0.0.1:9/', proxy: { mode: 'manual', url: 'http://127.0.0.1:3128' } };

describe('copy as command: proxy sign-in scheme', () => {
  it.each(['digest', 'basic'] as const)('tunnelscope connect: --proxy-auth %s, read back as the same setting', (scheme) => {
    const copied = copyAsCommand('tunnelscope', { ...base, proxyAuthScheme: scheme });
    expect(copied.command).toBe(`tunnelscope connect ws://127.0.0.1:9/ --proxy http://127.0.0.1:3128 --proxy-auth ${scheme}`);
    const parsed = parseCommandLine(copied.command.split(' ').slice(1));
    expect(parsed.kind === 'connect' ? parsed.options?.proxyAuthScheme : undefined).toBe(scheme);
  });

  it('Auto, or no proxy at all, gives no flag', () => {
    expect(copyAsCommand('tunnelscope', { ...base, proxyAuthScheme: 'auto' }).command).not.toContain('--proxy-auth');
    expect(copyAsCommand('tunnelscope', { ...base, proxy: { mode: 'none' }, proxyAuthScheme: 'digest' }).command).not.toContain('--proxy-auth');
  });
});
