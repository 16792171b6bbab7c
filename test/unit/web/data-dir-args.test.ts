/** The web host's `--data-dir` flag and what it prints about the profile store at start. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../src-main/core/profiles/data-dir';
import { parseWebHostArgs, USAGE, UsageError } from '../../../src-main/web/args';
import { profileBanner, profileBannerFailure } from '../../../src-main/web/profile-banner';
import type { ProfileStatus } from '../../../src-main/shared/profiles';

describe('--data-dir', () => {
  it.each([
    [['--data-dir', '/srv/ts'], '/srv/ts'],
    [['--data-dir=/srv/ts'], '/srv/ts'],
    [['--port', '0', '--data-dir', 'relative/dir'], 'relative/dir'],
  ])('%j → dataDir %s', (argv, expected) => {
    expect(parseWebHostArgs(argv).dataDir).toBe(expected);
  });

  it('is absent when not given (the default folder is resolved later)', () => {
    expect(parseWebHostArgs(['--port', '0'])).not.toHaveProperty('dataDir');
  });

  it.each([
    [['--data-dir', ''], '--data-dir needs a folder'],
    [['--data-dir', '   '], '--data-dir needs a folder'],
    [['--data-dir'], "Option '--data-dir <value>' argument missing"],
    [['--data-dir', 'a\0b'], 'NUL'],
  ])('%j is a usage error mentioning %s', (argv, message) => {
    expect(() => parseWebHostArgs(argv)).toThrow(UsageError);
    expect(() => parseWebHostArgs(argv)).toThrow(message);
  });

  it('is in the usage text', () => {
    expect(USAGE).toContain('--data-dir <dir>');
    expect(USAGE).toContain('TUNNELSCOPE_DATA_DIR');
  });

  it('wins over TUNNELSCOPE_DATA_DIR, which wins over the OS folder (as main.ts resolves it)', () => {
    const env = { TUNNELSCOPE_DATA_DIR: '/from/env', XDG_CONFIG_HOME: '/xdg' };
    const flag = parseWebHostArgs(['--data-dir', '/from/flag']).dataDir;
    expect(resolveDataDir({ flag, env, platform: 'linux', home: '/home/u' })).toBe(path.resolve('/from/flag'));
    expect(resolveDataDir({ flag: parseWebHostArgs([]).dataDir, env, platform: 'linux', home: '/home/u' })).toBe(path.resolve('/from/env'));
    expect(resolveDataDir({ flag: undefined, env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', home: '/home/u' })).toBe('/xdg/tunnelscope');
  });
});

function status(overrides: Partial<ProfileStatus> = {}): ProfileStatus {
  return {
    dataDir: '/data',
    file: '/data/profiles.json',
    protection: 'os-store',
    cipher: 'keyring',
    notices: [],
    setAsideFiles: [],
    ...overrides,
  };
}

describe('profileBanner', () => {
  it('says where profiles are and that the OS keyring protects them, with nothing on stderr', () => {
    expect(profileBanner(status())).toEqual({
      out: ['Profiles are stored in /data/profiles.json', 'Secrets in them are protected by the OS keyring.'],
      err: [],
    });
  });

  it('warns plainly when a key file protects the secrets', () => {
    const banner = profileBanner(status({ protection: 'key-file', cipher: 'keyfile', warning: 'Secrets are encrypted with a key kept in /data/secret.key …' }));
    expect(banner.out[1]).toBe('Secrets in them are protected by a key file (weaker than an OS keyring).');
    expect(banner.err).toEqual(['WARNING: Secrets are encrypted with a key kept in /data/secret.key …']);
  });

  it('reports a file set aside, a read-only store and every notice', () => {
    const banner = profileBanner(
      status({
        readOnly: 'written by a newer Tunnelscope',
        notices: [{ kind: 'set-aside', message: 'profiles.json was empty; it was kept as profiles.json.corrupt-1', file: '/data/profiles.json.corrupt-1', at: 1 }],
        setAsideFiles: ['/data/profiles.json.corrupt-1', '/data/profiles.json.corrupt-0'],
      }),
    );
    expect(banner.err).toEqual([
      'WARNING: profiles are read-only: written by a newer Tunnelscope',
      'Note: profiles.json was empty; it was kept as profiles.json.corrupt-1',
      'Note: a damaged profiles file was kept aside as /data/profiles.json.corrupt-0',
    ]);
  });

  it('says when the store cannot be used at all', () => {
    expect(profileBannerFailure('/data', 'permission denied').err).toEqual(['WARNING: the profiles in /data cannot be used: permission denied']);
  });
});
