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
  it.each(['negotiate', 'ntlm', 'digest', 'basic'] as const)('tunnelscope connect: --proxy-auth %s, read back as the same setting', (scheme) => {
    const copied = copyAsCommand('tunnelscope', { ...base, proxyAuthScheme: scheme });
    expect(copied.command).toBe(`tunnelscope connect ws://127.0.0.1:9/ --proxy http://127.0.0.1:3128 --proxy-auth ${scheme}`);
    const parsed = parseCommandLine(copied.command.split(' ').slice(1));
    expect(parsed.kind === 'connect' ? parsed.options?.proxyAuthScheme : undefined).toBe(scheme);
  });

  it('the NTLM domain goes as --proxy-domain beside the proxy user, read back as the same credentials', () => {
    const options: ConnectionOptionsInput = { ...base, proxy: { mode: 'env' }, proxyAuth: { username: 'alice', password: 'pw', domain: 'CORP' }, proxyAuthScheme: 'ntlm' };
    const copied = copyAsCommand('tunnelscope', options);
    expect(copied.command).toBe("TUNNELSCOPE_PROXY_USER='alice:<password>' tunnelscope connect ws://127.0.0.1:9/ --env-proxy --proxy-domain CORP --proxy-auth ntlm");
    const parsed = parseCommandLine(copied.command.split(' ').slice(2), { TUNNELSCOPE_PROXY_USER: 'alice:pw' });
    expect(parsed.kind === 'connect' ? parsed.options?.proxyAuth : undefined).toEqual({ username: 'alice', password: 'pw', domain: 'CORP' });
  });

  it('a manual proxy: the domain follows its proxy user', () => {
    const copied = copyAsCommand('tunnelscope', { ...base, proxyAuth: { username: 'alice', password: 'pw', domain: 'CORP' }, proxyAuthScheme: 'ntlm' });
    expect(copied.command).toBe("TUNNELSCOPE_PROXY_USER='alice:<password>' tunnelscope connect ws://127.0.0.1:9/ --proxy http://127.0.0.1:3128 --proxy-domain CORP --proxy-auth ntlm");
  });

  it('Auto, or no proxy at all, gives no flag', () => {
    expect(copyAsCommand('tunnelscope', { ...base, proxyAuthScheme: 'auto' }).command).not.toContain('--proxy-auth');
    expect(copyAsCommand('tunnelscope', { ...base, proxy: { mode: 'none' }, proxyAuthScheme: 'digest' }).command).not.toContain('--proxy-auth');
  });
});
