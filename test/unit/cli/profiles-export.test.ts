/**
 * `tunnelscope profiles export --out <file>`: a new file, readable only by the user; an existing
 * file is replaced only with --force; a symbolic link at the path is never written through
 * (its target stays unchanged), even with --force.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { runProfiles } from '../../../src-main/cli/profiles-command';
import type { ProfilesCommand } from '../../../src-main/cli/profiles-args';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { fakeIo } from './fake-engine';
import { SECRETS, fullProfileInput, makeTempDir, saveArg, valueOf } from '../profiles/profile-fixtures';

let temp: ReturnType<typeof makeTempDir>;
let outDir: string;
let victim: string;
let engine: Engine;

beforeEach(async () => {
  temp = makeTempDir('tunnelscope-cli-export-');
  outDir = path.join(temp.dir, 'out');
  fs.mkdirSync(outDir);
  victim = path.join(outDir, 'victim.txt');
  fs.writeFileSync(victim, 'keep me');
  const dataDir = path.join(temp.dir, 'data');
  engine = new Engine({ host: 'cli', version: '1.0.0', env: {}, profiles: { dataDir, cipher: KeyFileCipher.open(dataDir) } });
  valueOf(await engine.call('profiles:save', saveArg(fullProfileInput())));
});
afterEach(async () => {
  await engine.dispose();
  temp.cleanup();
});

async function exportCli(...flags: string[]): Promise<{ code: number; stderr: string }> {
  const command = parseCommandLine(['profiles', 'export', ...flags]) as ProfilesCommand;
  const io = fakeIo();
  const code = await runProfiles(command, engine, io);
  return { code, stderr: io.stderrText() };
}

describe('profiles export --out', () => {
  it('writes a new private file', async () => {
    const target = path.join(outDir, 'profiles.json');
    const run = await exportCli('--out', target);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Exported 1 profile(s) to ${target}`);
    expect(JSON.parse(fs.readFileSync(target, 'utf8'))).toMatchObject({ format: 'tunnelscope-profiles' });
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite an existing file without --force, and says how', async () => {
    const run = await exportCli('--out', victim);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`tunnelscope: nothing was exported: ${victim} already exists and was left as it is (add --force to replace it)\n`);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it('replaces an existing file with --force', async () => {
    const run = await exportCli('--out', victim, '--force');
    expect(run.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(victim, 'utf8'))).toMatchObject({ format: 'tunnelscope-profiles' });
    expect(fs.readdirSync(outDir)).toEqual(['victim.txt']);
  });

  it.each([[[]], [['--force']]])('never writes the secrets through a symbolic link (flags %j)', async (extra) => {
    const link = path.join(outDir, 'profiles.json');
    fs.symlinkSync(victim, link);
    const run = await exportCli('--out', link, '--with-secrets', ...extra);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${link} is a symbolic link; Tunnelscope never writes through a link`);
    expect(run.stderr).not.toContain(SECRETS.proxyPassword);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it('refuses a folder as --out', async () => {
    const run = await exportCli('--out', outDir, '--force');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${outDir} is a folder, not a file`);
  });

  it('is a usage error to give --force without --out', () => {
    expect(() => parseCommandLine(['profiles', 'export', '--force'])).toThrow('--force only applies with --out <file>');
  });
});
