/**
 * The Negotiate service principal as a setting: a profile's `proxy.servicePrincipal` (saved,
 * refused at its place when malformed, carried into `proxyAuthServicePrincipal`, through export
 * and import), the CLI's `--proxy-spn`, and Copy as command's `--proxy-spn` read back as the same.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../../src-main/cli/parse-args';
import { connectionOptionsFor } from '../../../src-main/core/profiles/profile-connection';
import type { StoredProfile } from '../../../src-main/core/profiles/profile-schema';
import { exportProfiles, parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import { copyAsCommand } from '../../../src-main/shared/copy-as-command';
import { connectionOptionsSchema } from '../../../src-main/shared/model';
import { profileViewSchema } from '../../../src-main/shared/profiles';
import { errorOf, engineWithProfilesPerTest, plainProfileInput, valueOf } from './profile-fixtures';

const ctx = engineWithProfilesPerTest();

const noDecrypt = (): string => {
  throw new Error('no secret in this profile');
};

function stored(servicePrincipal?: string): StoredProfile {
  return {
    id: 'id-a',
    revision: 1,
    createdAt: 1,
    updatedAt: 2,
    name: 'A',
    url: 'ws://127.0.0.1:9/',
    headers: [],
    subprotocols: [],
    proxy: { mode: 'manual', url: 'http://127.0.0.1:3128', caFiles: [], ...(servicePrincipal !== undefined ? { servicePrincipal } : {}) },
    tls: { caFiles: [], insecure: false },
    handshakeTimeoutMs: 10_000,
    savedMessages: [],
  };
}

function connectArgs(...args: string[]): ReturnType<typeof parseCommandLine> {
  return parseCommandLine(['connect', 'ws://h/', ...args]);
}

function usage(...args: string[]): string {
  try {
    connectArgs(...args);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('the Negotiate service principal setting', () => {
  it('is an option the contract checks: HTTP@host and HTTP/host pass, a realm is refused in words', () => {
    expect(connectionOptionsSchema.parse({ url: 'ws://h/', proxyAuthServicePrincipal: 'HTTP@proxy.corp' }).proxyAuthServicePrincipal).toBe('HTTP@proxy.corp');
    expect(connectionOptionsSchema.safeParse({ url: 'ws://h/', proxyAuthServicePrincipal: 'HTTP/proxy.corp' }).success).toBe(true);
    const refused = connectionOptionsSchema.safeParse({ url: 'ws://h/', proxyAuthServicePrincipal: 'HTTP/proxy@CORP' });
    expect(refused.success ? undefined : refused.error.issues[0]).toMatchObject({ path: ['proxyAuthServicePrincipal'], message: expect.stringContaining('names a realm too') });
  });

  it("a profile's: saved and shown, refused at profile.proxy.servicePrincipal when malformed", async () => {
    const input = plainProfileInput('K');
    const saved = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...input, proxy: { ...input.proxy, auth: 'negotiate', servicePrincipal: 'HTTP@proxy.corp' } } })));
    expect(saved.proxy.servicePrincipal).toBe('HTTP@proxy.corp');
    const error = errorOf(await ctx.engine.invoke('profiles:save', { profile: { ...input, proxy: { ...input.proxy, servicePrincipal: 'proxy.corp' } } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.path).toBe('profile.proxy.servicePrincipal');
  });

  it("a profile's goes into the connection options, and through an export and import", () => {
    expect(connectionOptionsFor(stored('HTTP@proxy.corp'), noDecrypt).proxyAuthServicePrincipal).toBe('HTTP@proxy.corp');
    expect(connectionOptionsFor(stored(), noDecrypt)).not.toHaveProperty('proxyAuthServicePrincipal');
    const { text } = exportProfiles([stored('HTTP@proxy.corp')], { includeSecrets: false, decrypt: noDecrypt, now: 0 });
    const imported = parseImportText(text);
    if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.problems)}`);
    expect(imported.profiles[0]?.proxy.servicePrincipal).toBe('HTTP@proxy.corp');
  });

  it('--proxy-spn on the command line: into the options; a malformed one, --no-proxy or --profile are usage errors', () => {
    const command = connectArgs('--proxy', 'http://p:1', '--proxy-spn', 'HTTP@proxy.corp');
    expect(command.kind === 'connect' ? command.options?.proxyAuthServicePrincipal : undefined).toBe('HTTP@proxy.corp');
    expect(usage('--proxy', 'http://p:1', '--proxy-spn', 'HTTP/p@CORP')).toMatch(/^--proxy-spn: "HTTP\/p@CORP" names a realm too/);
    expect(usage('--no-proxy', '--proxy-spn', 'HTTP@p')).toBe('--proxy-spn makes no sense with --no-proxy');
    expect(() => parseCommandLine(['connect', '--profile', 'x', '--proxy-spn', 'HTTP@p'])).toThrow(/--proxy-spn cannot be combined with --profile/);
  });

  it('Copy as command writes --proxy-spn, read back as the same setting', () => {
    const copied = copyAsCommand('tunnelscope', { url: 'ws://127.0.0.1:9/', proxy: { mode: 'manual', url: 'http://127.0.0.1:3128' }, proxyAuthScheme: 'negotiate', proxyAuthServicePrincipal: 'HTTP@proxy.corp' });
    expect(copied.command).toBe('tunnelscope connect ws://127.0.0.1:9/ --proxy http://127.0.0.1:3128 --proxy-auth negotiate --proxy-spn HTTP@proxy.corp');
    const parsed = parseCommandLine(copied.command.split(' ').slice(1));
    expect(parsed.kind === 'connect' ? parsed.options?.proxyAuthServicePrincipal : undefined).toBe('HTTP@proxy.corp');
  });
});
