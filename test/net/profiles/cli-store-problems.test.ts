/**
 * `tunnelscope profiles list` as a user runs it (spawned): a damaged profiles file set aside is
 * named on every run while the copy is there, never just "No saved profiles yet"; a file given
 * as --data-dir is a usage error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../unit/profiles/profile-fixtures';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ENTRY = path.join(ROOT, 'src-main/cli/index.ts');
const SPAWN_BUDGET_MS = 45_000;

const children = new Set<ChildProcess>();
let temp: ReturnType<typeof makeTempDir>;
let dataDir: string;

beforeEach(() => {
  temp = makeTempDir('tunnelscope-cli-store-');
  dataDir = path.join(temp.dir, 'data');
  fs.mkdirSync(dataDir, { mode: 0o700 });
});
afterEach(() => temp.cleanup());
afterAll(() => {
  for (const child of children) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
});

function env(): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/_proxy$/i.test(name) && !name.startsWith('TUNNELSCOPE_')) clean[name] = value;
  }
  return { ...clean, TUNNELSCOPE_DATA_DIR: dataDir, TUNNELSCOPE_SECRET_STORE: 'keyfile' };
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  child.stdin?.end('');
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, SPAWN_BUDGET_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
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
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src-main/web/main.ts'), '--port', '0', '--data-dir', file], {
      cwd: ROOT,
      env: { ...env(), TUNNELSCOPE_RENDERER_DIR: temp.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, SPAWN_BUDGET_MS);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(timer);
    children.delete(child);
    expect(code).toBe(2);
    expect(stderr).toContain(`tunnelscope web: --data-dir: ${file} is a file, not a folder`);
  }, 30_000);
});
