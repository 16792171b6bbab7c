/**
 * `tunnelscope profiles list` as a user runs it (spawned): a damaged profiles file set aside is
 * named on every run while the copy is there, never just "No saved profiles yet"; a file given
 * as --data-dir is a usage error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envWithoutProxies, runCli as runCliProcess, stopCliProcesses, type CliResult } from '../../support/cli-process';
import { makeTempDir } from '../../unit/profiles/profile-fixtures';

let temp: ReturnType<typeof makeTempDir>;
let dataDir: string;

beforeEach(() => {
  temp = makeTempDir('tunnelscope-cli-store-');
  dataDir = path.join(temp.dir, 'data');
  fs.mkdirSync(dataDir, { mode: 0o700 });
});
afterEach(async () => {
  await stopCliProcesses();
  temp.cleanup();
});

function env(): NodeJS.ProcessEnv {
  const clean = envWithoutProxies((name) => name.startsWith('TUNNELSCOPE_'));
  return { ...clean, TUNNELSCOPE_DATA_DIR: dataDir, TUNNELSCOPE_SECRET_STORE: 'keyfile' };
}

function runCli(args: string[]): Promise<CliResult> {
  return runCliProcess(args, { env: env() });
}

describe('profiles list with a damaged store', () => {
  it('names the set-aside copy on the run that set it aside and on every run after', async () => {
    fs.writeFileSync(path.join(dataDir, 'profiles.json'), '{ "version": 2, "profiles": [ oops');
    const first = await runCli(['profiles', 'list']);
    const copies = fs.readdirSync(dataDir).filter((name) => name.startsWith('profiles.json.corrupt-'));
    expect(copies).toHaveLength(1);
    const copy = path.join(dataDir, copies[0] ?? '');
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('profiles.json was not valid JSON');
    expect(first.stderr).toContain(copy);
    expect(first.stderr).not.toContain('No saved profiles yet');

    const second = await runCli(['profiles', 'list']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`a damaged profiles file was set aside as ${copy}`);
    expect(second.stderr).not.toContain('No saved profiles yet');

    // The user acts (moves the copy away): the list is plainly empty again.
    fs.rmSync(copy);
    const third = await runCli(['profiles', 'list']);
    expect(third.stderr).toContain('No saved profiles yet');
  }, 60_000);

  it('says it with --json too, on stderr (stdout stays the JSON list)', async () => {
    fs.writeFileSync(path.join(dataDir, 'profiles.json'), 'not json');
    const run = await runCli(['profiles', 'list', '--json']);
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(run.stderr).toContain('profiles.json.corrupt-');
  }, 30_000);
});

describe('--data-dir that is a file', () => {
  it('is a usage error naming it, not "no profiles"', async () => {
    const file = path.join(temp.dir, 'a-file');
    fs.writeFileSync(file, 'x');
    const run = await runCli(['--data-dir', file, 'profiles', 'list']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`tunnelscope: --data-dir: ${file} is a file, not a folder`);
    expect(run.stderr).not.toContain('No saved profiles');
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  }, 30_000);
});

describe('the web host with --data-dir that is a file', () => {
  it('exits with a usage error naming it, before it listens', async () => {
    const file = path.join(temp.dir, 'a-file');
    fs.writeFileSync(file, 'x');
    const { code, stderr } = await runCliProcess(['--port', '0', '--data-dir', file], {
      entry: 'src-main/web/main.ts',
      env: { ...env(), TUNNELSCOPE_RENDERER_DIR: temp.dir },
      stdin: 'ignore',
    });
    expect(code).toBe(2);
    expect(stderr).toContain(`tunnelscope web: --data-dir: ${file} is a file, not a folder`);
  }, 30_000);
});
