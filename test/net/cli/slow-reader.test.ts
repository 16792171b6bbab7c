/**
 * The CLI's stdout to a pipe whose reader falls behind: stdout to a pipe is written
 * asynchronously, so when the session ends megabytes may still be queued in the CLI. It must
 * wait for them (it used to exit one second after the end, cutting the output off), and still
 * exit at once when the reader has gone away (`| head -1`).
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { spawnCli, stopCliProcesses, type CliProcess } from '../../support/cli-process';
import { closeFrame, serverFrame, startRawServer, switchingProtocols, type RawServer } from '../../support/raw-ws-server';

/** Far more than a pipe holds (64 KiB), so most of it is queued in the CLI. */
const MESSAGES = 20_000;
/** Longer than the deadline the CLI used to give its queued output. */
const READER_PAUSE_MS = 2500;

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

afterEach(stopCliProcesses);

/** The CLI with its stdout, the pipe the test reads slowly or closes. */
function spawnFloodCli(): { run: CliProcess; stdout: NonNullable<CliProcess['child']['stdout']> } {
  const run = spawnCli(['connect', flood.url, '--no-proxy', '--listen', '--json'], { stdin: 'ignore' });
  if (!run.child.stdout) throw new Error('no stdout pipe');
  return { run, stdout: run.child.stdout };
}

it('a reader that stops reading until after the session ended still gets every frame line', async () => {
  const { run, stdout } = spawnFloodCli();
  // Not read again until the session is over and longer than the old deadline has passed.
  stdout.once('data', () => {
    stdout.pause();
    void sessionEnded
      .then(() => new Promise((resolve) => setTimeout(resolve, READER_PAUSE_MS)))
      .then(() => stdout.resume());
  });
  const { code, stdout: output } = await run.done;
  expect(code).toBe(0);
  const frames = output.split('\n').filter((line) => line.startsWith('{"type":"frame"'));
  expect(frames).toHaveLength(MESSAGES + 2); // the data frames, the server's close and our answer
  expect(output.trimEnd().split('\n').at(-1)).toContain('"type":"closed"');
}, 30_000);

it('a reader that went away (| head -1) does not keep the CLI waiting', async () => {
  const { run, stdout } = spawnFloodCli();
  // Read the first chunk, then close the pipe: the CLI's queued writes fail with EPIPE.
  stdout.once('data', () => stdout.destroy());
  expect((await run.done).code).toBe(0);
}, 30_000);
