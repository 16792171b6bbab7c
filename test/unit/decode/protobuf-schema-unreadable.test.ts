/**
 * A schema file protobufjs cannot read, other than one that is not there: an import naming a
 * directory, a path through a file, a file this user may not read. protobufjs passed on Node's
 * error ("EISDIR: illegal operation on a directory, read", no path); it is said in words with the
 * path, and for an import with the file and line importing it (the CLI's --decode
 * protobuf:<file>#<Type>, and the app's exports with a schema file: both loadProtobufSchema).
 */
import fs from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileProtobufSchema, loadProtobufSchema } from '../../../src-main/core/decode/protobuf-schema';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'proto-unreadable-'));
  await mkdir(path.join(dir, 'types.proto'));
  await mkdir(path.join(dir, 'inc'));
  await writeFile(path.join(dir, 'dir-import.proto'), 'syntax = "proto3";\npackage shop;\n\nimport "types.proto";\nmessage Order { int32 id = 1; }\n');
  await writeFile(path.join(dir, 'inc', 'nested.proto'), 'syntax = "proto3";\nimport "../types.proto";\n');
  await writeFile(path.join(dir, 'outer.proto'), 'syntax = "proto3";\nimport "inc/nested.proto";\nmessage Order { int32 id = 1; }\n');
  await writeFile(path.join(dir, 'plain.proto'), 'syntax = "proto3";\nmessage Plain { int32 id = 1; }\n');
  await writeFile(path.join(dir, 'through-file.proto'), 'syntax = "proto3";\nimport "plain.proto/x.proto";\n');
  await writeFile(path.join(dir, 'locked.proto'), 'syntax = "proto3";\nmessage Locked { int32 id = 1; }\n');
  await writeFile(path.join(dir, 'imports-locked.proto'), 'syntax = "proto3";\nimport "locked.proto";\nmessage Order { Locked l = 1; }\n');
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a schema file that cannot be read is said in words, with its path', () => {
  it("an import that names a directory: the importing file, its line, the path, and what it is (was protobufjs's EISDIR)", () => {
    const file = path.join(dir, 'dir-import.proto');
    expect(compileProtobufSchema({ file })).toEqual({ problem: `${file} line 4 imports "types.proto" (${path.join(dir, 'types.proto')}): that is a directory, not a .proto file` });
    // Through an import of an import, from that file's line.
    expect(loadProtobufSchema({ file: path.join(dir, 'outer.proto') }, 'Order')).toEqual({
      problem: `${path.join(dir, 'inc', 'nested.proto')} line 2 imports "../types.proto" (${path.join(dir, 'types.proto')}): that is a directory, not a .proto file`,
    });
  });

  it('the schema itself a directory (a .proto name, or a descriptor set name)', () => {
    const proto = path.join(dir, 'types.proto');
    expect(compileProtobufSchema({ file: proto })).toEqual({ problem: `${proto}: that is a directory, not a .proto file` });
    const set = path.join(dir, 'inc');
    expect(compileProtobufSchema({ file: set })).toEqual({ problem: `${set}: that is a directory, not a descriptor set file` });
  });

  it('an import whose path goes through a file', () => {
    const file = path.join(dir, 'through-file.proto');
    expect(compileProtobufSchema({ file })).toEqual({ problem: `${file} line 2 imports "plain.proto/x.proto" (${path.join(dir, 'plain.proto', 'x.proto')}): a part of its path is a file, not a directory` });
  });

  it('an import this user may not read (EACCES: root reads anything, so Node is made to refuse it)', () => {
    const locked = path.join(dir, 'locked.proto');
    const read = fs.readFileSync;
    vi.spyOn(fs, 'readFileSync').mockImplementation((...args: Parameters<typeof fs.readFileSync>) => {
      if (args[0] === locked) throw Object.assign(new Error(`EACCES: permission denied, open '${locked}'`), { code: 'EACCES', errno: -13, syscall: 'open', path: locked });
      return read(...args);
    });
    const file = path.join(dir, 'imports-locked.proto');
    expect(compileProtobufSchema({ file })).toEqual({ problem: `${file} line 2 imports "locked.proto" (${locked}): it cannot be read: permission denied` });
  });

  it('a missing import and a readable schema are as before', () => {
    expect(compileProtobufSchema({ file: path.join(dir, 'plain.proto') })).toMatchObject({ compiled: { types: ['Plain'] } });
    expect(compileProtobufSchema({ file: path.join(dir, 'nope.proto') })).toEqual({ problem: `${path.join(dir, 'nope.proto')}: no such file` });
  });
});
