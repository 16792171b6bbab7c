/**
 * `tunnelscope connect … --export <file>`, spawned as a user runs it, against an echo server on
 * 127.0.0.1: the log is written when the session ends, as HAR or NDJSON, secrets redacted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { envWithoutProxies, runCli as spawnAndWait, stopCliProcesses, type CliResult } from '../../support/cli-process';
import { startEchoServer, type EchoServer } from '../../support/echo-server';

let echo: EchoServer | undefined;
let dir: string | undefined;

afterEach(async () => {
  await stopCliProcesses();
  await echo?.close();
  echo = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The CLI with the test's data directory, without the developer's proxy variables. */
function runCli(args: string[]): Promise<CliResult> {
  return spawnAndWait(args, { env: { ...envWithoutProxies(), TUNNELSCOPE_DATA_DIR: dir ?? os.tmpdir() } });
}

describe('connect --export', () => {
  it('writes a HAR file with the upgrade and every frame when the session ends', async () => {
    echo = await startEchoServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-cli-export-'));
    const file = path.join(dir, 'echo.har');
    const run = await runCli(['connect', echo.url, '--no-proxy', '--send', 'hello', '-H', 'Authorization: Bearer tok-123', '--export', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Log written to ${file} (`);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('tok-123');
    const entry = (JSON.parse(text) as { log: { entries: { response: { status: number }; _webSocketMessages: { type: string; opcode: number; data: string }[] }[] } }).log.entries[0];
    expect(entry?.response.status).toBe(101);
    const messages = entry?._webSocketMessages ?? [];
    expect(messages.slice(0, 2).map((m) => [m.type, m.opcode, m.data])).toEqual([
      ['send', 1, 'hello'],
      ['receive', 1, 'hello'],
    ]);
    expect(messages.filter((m) => m.opcode === 8)).toHaveLength(2); // our close and the server's answer
  });

  it('says where the NDJSON went in an export line with --json', async () => {
    echo = await startEchoServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-cli-export-'));
    const file = path.join(dir, 'echo.ndjson');
    const run = await runCli(['connect', echo.url, '--no-proxy', '--send', 'one', '--json', '--export', file]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    expect(lines.at(-1)).toMatchObject({ type: 'export', path: file, format: 'ndjson' });
    const written = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(written[0] ?? '{}')).toMatchObject({ type: 'tunnelscope-session', url: `${echo.url}/`, state: 'closed' });
    expect(written.length - 1).toBe(lines.at(-1)?.frames);
  });
});
