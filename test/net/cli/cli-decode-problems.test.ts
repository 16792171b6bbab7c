/**
 * The CLI process on connect --decode mistakes (QA): a schema file or schema problem says what
 * and where, exit 2, without "Run tunnelscope connect --help"; a malformed flag keeps the pointer.
 * Nothing connects: the flag is refused before (ws://127.0.0.1:9/ is never dialled).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ENTRY = path.join(ROOT, 'src-main/cli/index.ts');
const children = new Set<ChildProcess>();
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tunnelscope-cli-decode-problems-'));
});
afterEach(() => {
  for (const child of children) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
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

const connect = (decode: string) => runCli(['connect', 'ws://127.0.0.1:9/', '--no-proxy', '--decode', decode]);

describe('connect --decode refusals', () => {
  it('a directory as the schema: said in words, no --help pointer', async () => {
    expect(await connect(`protobuf:${dir}#X`)).toEqual({ code: 2, stdout: '', stderr: `tunnelscope: --decode protobuf: ${dir} is a directory, not a .proto or descriptor set file\n` });
  });

  it("an import that names a directory: the importing file, its line and the path in words (was protobufjs's EISDIR)", async () => {
    await mkdir(path.join(dir, 'common.proto'), { recursive: true });
    const file = path.join(dir, 'imports-dir.proto');
    await writeFile(file, 'syntax = "proto3";\nimport "common.proto";\nmessage M { int32 id = 1; }\n');
    expect(await connect(`protobuf:${file}#M`)).toEqual({
      code: 2,
      stdout: '',
      stderr: `tunnelscope: --decode protobuf:${file}#M: ${file} line 2 imports "common.proto" (${path.join(dir, 'common.proto')}): that is a directory, not a .proto file\n`,
    });
  });

  it('an enum or a service as the type: what it is and the message types of the file, no --help pointer', async () => {
    const file = path.join(dir, 'chat.proto');
    await writeFile(file, 'syntax = "proto3";\npackage chat;\nmessage Msg { Kind kind = 1; }\nmessage Other {}\nenum Kind { K = 0; }\nservice Chat { rpc Send (Msg) returns (Other); }\n');
    expect(await connect(`protobuf:${file}#chat.Kind`)).toEqual({
      code: 2,
      stdout: '',
      stderr: `tunnelscope: --decode protobuf:${file}#chat.Kind: chat.Kind is an enum, not a message; message types in chat.proto: chat.Msg, chat.Other\n`,
    });
    expect((await connect(`protobuf:${file}#chat.Chat`)).stderr).toBe(`tunnelscope: --decode protobuf:${file}#chat.Chat: chat.Chat is a service, not a message; message types in chat.proto: chat.Msg, chat.Other\n`);
    expect((await connect(`protobuf:${file}#chat.Nope`)).stderr).toBe(`tunnelscope: --decode protobuf:${file}#chat.Nope: no message type "chat.Nope" in the schema; it has chat.Msg, chat.Other\n`);
  });

  it('a malformed flag or another name keeps the pointer to connect --help', async () => {
    expect(await connect(`protobuf:${dir}/chat.proto`)).toEqual({
      code: 2,
      stdout: '',
      stderr: `tunnelscope: --decode: "protobuf:${dir}/chat.proto" needs a schema file and a message type: protobuf:<file.proto or descriptor set>#<package.Type>\nRun "tunnelscope connect --help" to see the options.\n`,
    });
    const alias = await connect('socket.io');
    expect(alias.code).toBe(2);
    expect(alias.stderr).toMatch(/; did you mean socketio\?\nRun "tunnelscope connect --help" to see the options\.\n$/);
  });
});
