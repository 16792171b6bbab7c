/**
 * The CLI's stdout to a pipe whose reader falls behind: stdout to a pipe is written
 * asynchronously, so when the session ends megabytes may still be queued in the CLI. It must
 * wait for them (it used to exit one second after the end, cutting the output off), and still
 * exit at once when the reader has gone away (`| head -1`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { closeFrame, serverFrame, startRawServer, switchingProtocols, type RawServer } from '../../support/raw-ws-server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ENTRY = path.join(ROOT, 'src-main/cli/index.ts');
/** Far more than a pipe holds (64 KiB), so most of it is queued in the CLI. */
const MESSAGES = 20_000;
/** Longer than the deadline the CLI used to give its queued output. */
const READER_PAUSE_MS = 2500;

const children = new Set<ChildProcess>();
let flood: RawServer;
/** Resolves when the server has seen its connection end (the session is over in the CLI). */
let sessionEnded: Promise<void> = Promise.resolve();

beforeAll(async () => {
  const payload = Buffer.alloc(100, 0x61);
  const frames = Buffer.concat(Array.from({ length: MESSAGES }, () => serverFrame(0x1, payload)));
  flood = await startRawServer(({ socket, key }) => {
    sessionEnded = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.write(switchingProtocols(key));
    socket.write(frames);
    socket.write(closeFrame(1000, 'done'));
    socket.on('data', () => socket.end());
  });
});

afterAll(async () => {
  await flood.close();
});

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
});

function spawnCli(): ChildProcess & { stdout: NonNullable<ChildProcess['stdout']> } {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/_proxy$/i.test(name)) env[name] = value;
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'connect', flood.url, '--no-proxy', '--listen', '--json'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.add(child);
  child.once('close', () => children.delete(child));
  if (!child.stdout) throw new Error('no stdout pipe');
  return Object.assign(child, { stdout: child.stdout });
}

const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.once('close', (code) => resolve(code)));

it('a reader that stops reading until after the session ended still gets every frame line', async () => {
  const child = spawnCli();
  const done = exited(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  // Not read again until the session is over and longer than the old deadline has passed.
  child.stdout.once('data', () => {
    child.stdout.pause();
    void sessionEnded
      .then(() => new Promise((resolve) => setTimeout(resolve, READER_PAUSE_MS)))
      .then(() => child.stdout.resume());
  });
  expect(await done).toBe(0);
  const frames = output.split('\n').filter((line) => line.startsWith('{"type":"frame"'));
  expect(frames).toHaveLength(MESSAGES + 2); // the data frames, the server's close and our answer
  expect(output.trimEnd().split('\n').at(-1)).toContain('"type":"closed"');
}, 30_000);

it('a reader that went away (| head -1) does not keep the CLI waiting', async () => {
  const child = spawnCli();
  const done = exited(child);
  // Read the first chunk, then close the pipe: the CLI's queued writes fail with EPIPE.
  child.stdout.once('data', () => child.stdout.destroy());
  expect(await done).toBe(0);
}, 30_000);
