/**
 * Copy as command carries the tab's Decode choice for tunnelscope connect (`--decode <choice>`
 * when it is not auto, read back by the CLI as the same); a Protocol Buffers schema whose path the
 * app does not keep goes as `<schema-file>` with a note naming the file; websocat and wscat say
 * the choice is left out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { copyAsCommand } from '../../../src-main/shared/copy-as-command';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import { CHAT_PROTO } from '../../support/protobuf-chat';

const base: ConnectionOptionsInput = { url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' } };

/** The command's words as a shell reads them (single quotes only, as shellQuote writes them). */
function shellWords(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] ?? '')));
}

function readBack(command: string): { decode: unknown } {
  const parsed = parseCommandLine(shellWords(command).slice(1));
  if (parsed.kind !== 'connect') throw new Error('expected connect');
  return { decode: parsed.decode };
}

describe('copy as command: the Decode choice', () => {
  it('tunnelscope: --decode <choice> when it is not auto, read back as the same', () => {
    for (const choice of ['msgpack', 'stomp', 'none', 'protobuf']) {
      const copied = copyAsCommand('tunnelscope', base, undefined, undefined, undefined, { choice });
      expect(copied.command).toBe(`tunnelscope connect ws://127.0.0.1:9/ --no-proxy --decode ${choice}`);
      expect(copied.notes).toEqual([]);
      expect(readBack(copied.command).decode).toBe(choice);
    }
    expect(copyAsCommand('tunnelscope', base, undefined, undefined, undefined, { choice: 'auto' }).command).toBe('tunnelscope connect ws://127.0.0.1:9/ --no-proxy');
  });

  it('Protocol Buffers with a known path: protobuf:<file>#<Type>, which the CLI loads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copy-decode-'));
    try {
      const file = path.join(dir, 'my chat.proto');
      fs.writeFileSync(file, CHAT_PROTO);
      const copied = copyAsCommand('tunnelscope', base, undefined, undefined, undefined, { choice: 'protobuf', protobuf: { name: 'my chat.proto', path: file, type: 'chat.Event' } });
      expect(copied.command).toBe(`tunnelscope connect ws://127.0.0.1:9/ --no-proxy --decode 'protobuf:${file}#chat.Event'`);
      expect(copied.notes).toEqual([]);
      expect(readBack(copied.command).decode).toBe('protobuf');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Protocol Buffers by name only (the app keeps no path): <schema-file>, and a note naming the file; rules and a missing type said too', () => {
    const copied = copyAsCommand('tunnelscope', base, undefined, undefined, undefined, { choice: 'protobuf', protobuf: { name: 'chat.proto', type: 'chat.Msg' } });
    expect(copied.command).toBe("tunnelscope connect ws://127.0.0.1:9/ --no-proxy --decode 'protobuf:<schema-file>#chat.Msg'");
    expect(copied.text.split('\n')[0]).toBe('# put the path of the schema file chat.proto for <schema-file> (the app keeps the schema, not where it was read from)');
    const bare = copyAsCommand('tunnelscope', base, undefined, undefined, undefined, { choice: 'protobuf', protobuf: { name: 'chat.proto', rules: 2 } });
    expect(bare.command).toContain("--decode 'protobuf:<schema-file>#<Type>'");
    expect(bare.notes).toEqual([
      'put the path of the schema file chat.proto for <schema-file> (the app keeps the schema, not where it was read from)',
      'put the message type for <Type>: --decode protobuf: needs one (no type is chosen in the app)',
      "tunnelscope connect --decode takes one message type: the 2 type rules are left out (connect --profile uses a profile's rules)",
    ]);
  });

  it('websocat and wscat do not decode: a note, nothing in the command', () => {
    for (const tool of ['websocat', 'wscat'] as const) {
      const copied = copyAsCommand(tool, base, undefined, undefined, undefined, { choice: 'msgpack' });
      expect(copied.command).not.toContain('decode');
      expect(copied.notes).toEqual([`${tool} does not decode frames: the Decode choice (MessagePack) is left out (tunnelscope connect --decode msgpack has it)`]);
      expect(copyAsCommand(tool, base, undefined, undefined, undefined, { choice: 'none' }).notes).toEqual([]);
    }
  });
});
