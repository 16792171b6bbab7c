/**
 * Spawned as a user runs it: a URL the engine's parser refuses (port 0, a backslash that hides
 * another host) ends the CLI with exit 2 and the problem on stderr, before any connection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProxy, type FakeProxy } from '../../support/fake-proxy';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ENTRY = path.join(ROOT, 'src-main/cli/index.ts');

const children = new Set<ChildProcess>();
let listener: FakeProxy;

beforeAll(async () => {
  // Stands for the host a misread URL would reach: it must see no connection.
  listener = await startFakeProxy(({ socket }) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
});

afterEach(() => {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  }
});

afterAll(async () => {
  await listener.close();
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/_proxy$/i.test(name)) env[name] = value;
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => {
    child.once('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('URLs the engine parser refuses', () => {
  it('port 0 in the server URL: exit 2', async () => {
    const run = await runCli(['connect', 'ws://127.0.0.1:0/', '--no-proxy']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('port 0 is not a port');
    expect(run.stdout).toBe('');
  });

  it('a backslash before @ in --proxy: exit 2, the other port hears nothing', async () => {
    const run = await runCli(['resolve', 'ws://127.0.0.1:1/', '--proxy', `http://127.0.0.1:1\\@127.0.0.1:${listener.port}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('a backslash is not allowed in a proxy URL');
    expect(listener.accepted).toBe(0);
  });
});
