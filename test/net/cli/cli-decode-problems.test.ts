/**
 * The CLI process on connect --decode mistakes (QA): a schema file or schema problem says what
 * and where, exit 2, without "Run tunnelscope connect --help"; a malformed flag keeps the pointer.
 * Nothing connects: the flag is refused before (ws://127.0.0.1:9/ is never dialled).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, stopCliProcesses } from '../../support/cli-process';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tunnelscope-cli-decode-problems-'));
});
afterEach(stopCliProcesses);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The exit code and the output (not the signal: the assertions compare the whole). */
async function connect(decode: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runCli(['connect', 'ws://127.0.0.1:9/', '--no-proxy', '--decode', decode]);
  return { code, stdout, stderr };
}

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
