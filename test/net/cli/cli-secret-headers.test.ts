/**
 * The CLI, spawned as a user runs it, on a profiles.json written before credential-like
 * headers counted as secret (X-Api-Token saved with "secret" false): `profiles show` says it
 * is a set secret and never prints the value, `profiles export` leaves it out and counts it,
 * `--with-secrets` carries it marked secret; the plain header is shown and exported as is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envWithoutProxies, runCli, stopCliProcesses } from '../../support/cli-process';
import { makeTempDir } from '../../unit/profiles/profile-fixtures';

const FIXTURE = path.join(import.meta.dirname, '../../unit/profiles/fixtures/profiles-before-credential-headers.json');
const TOKEN = 'tok-SECRET-123';
const env = { ...envWithoutProxies(), TUNNELSCOPE_SECRET_STORE: 'keyfile', NO_COLOR: '1' };

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
  fs.copyFileSync(FIXTURE, path.join(temp.dir, 'profiles.json'));
  fs.chmodSync(path.join(temp.dir, 'profiles.json'), 0o600);
});
afterEach(async () => {
  await stopCliProcesses();
  temp.cleanup();
});

describe('tunnelscope profiles on an older profiles.json', () => {
  it('show and export agree: the credential-like header is secret, the other plain', async () => {
    const [show, exported, withSecrets] = await Promise.all([
      runCli(['profiles', 'show', 'Flood local', '--data-dir', temp.dir], { env }),
      runCli(['profiles', 'export', '--data-dir', temp.dir], { env }),
      runCli(['profiles', 'export', '--with-secrets', '--data-dir', temp.dir], { env }),
    ]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/Headers +X-Api-Token: \(secret, set \(encrypted\)\)\n +X-Trace: trace-visible-7\n/);
    expect(show.stdout + show.stderr).not.toContain(TOKEN);

    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).not.toContain(TOKEN);
    expect(exported.stderr).toContain('1 secret(s) were left out of the export');
    expect(JSON.parse(exported.stdout)).toMatchObject({
      containsSecrets: false,
      profiles: [{ headers: [{ name: 'X-Api-Token', secret: true }, { name: 'X-Trace', secret: false, value: 'trace-visible-7' }] }],
    });

    expect(withSecrets.code, withSecrets.stderr).toBe(0);
    expect(JSON.parse(withSecrets.stdout)).toMatchObject({ containsSecrets: true, profiles: [{ headers: [{ name: 'X-Api-Token', secret: true, value: TOKEN }, { name: 'X-Trace' }] }] });
  });

  it('a header unticked on purpose (plainByChoice) is shown and exported in clear, said so by show', async () => {
    const file = path.join(temp.dir, 'profiles.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"secret": false, "value": "tok-SECRET-123"', '"secret": false, "value": "tok-PLAIN-456", "plainByChoice": true'));
    const [show, exported] = await Promise.all([
      runCli(['profiles', 'show', 'Flood local', '--data-dir', temp.dir], { env }),
      runCli(['profiles', 'export', '--data-dir', temp.dir], { env }),
    ]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/Headers +X-Api-Token: tok-PLAIN-456 \(not secret, as chosen\)\n/);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).not.toContain('left out');
    expect(JSON.parse(exported.stdout)).toMatchObject({ containsSecrets: false, profiles: [{ headers: [{ name: 'X-Api-Token', secret: false, value: 'tok-PLAIN-456', plainByChoice: true }, { name: 'X-Trace' }] }] });
  });
});
