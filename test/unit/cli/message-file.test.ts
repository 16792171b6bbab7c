/**
 * --send-file and --send-binary-file: a file's content as one message, exactly as it is (a STOMP
 * frame with its NUL, several lines, {{…}} left alone), in command-line order with --send; a
 * missing file, a directory, a file that is not UTF-8 text are usage errors naming the file.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, type ConnectCommand } from '../../../src-main/cli/parse-args';

const STOMP_SUBSCRIBE = 'SUBSCRIBE\nid:sub-0\ndestination:/topic/{{prices}}\n\n\0';
let dir = '';
const file = (name: string): string => path.join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tunnelscope-message-file-'));
  writeFileSync(file('subscribe.stomp'), STOMP_SUBSCRIBE);
  writeFileSync(file('bytes.bin'), Buffer.from([0x00, 0xff, 0xc3, 0x28]));
  writeFileSync(file('empty.txt'), '');
  mkdirSync(file('folder'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function connect(...args: string[]): ConnectCommand {
  const command = parseCommandLine(['connect', 'ws://127.0.0.1:9/', ...args]);
  if (command.kind !== 'connect') throw new Error(`expected connect, got ${command.kind}`);
  return command;
}

function usageError(...args: string[]): string {
  try {
    connect(...args);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${args.join(' ')}`);
}

describe('--send-file and --send-binary-file', () => {
  it('sends a file as one text message as it is, marked verbatim (no built-ins), in order with --send', () => {
    const command = connect('--send', 'first', '--send-file', file('subscribe.stomp'), '--send-binary-file', file('bytes.bin'));
    expect(command.outgoing).toEqual([
      { kind: 'text', data: 'first' },
      { kind: 'text', data: STOMP_SUBSCRIBE, verbatim: true },
      { kind: 'binary', data: Buffer.from([0x00, 0xff, 0xc3, 0x28]).toString('base64') },
    ]);
  });

  it('takes an empty file as an empty message', () => {
    expect(connect('--send-file', file('empty.txt')).outgoing).toEqual([{ kind: 'text', data: '', verbatim: true }]);
  });

  it('does not read {{…}} in a file as built-ins, so --repeat accepts it as it is', () => {
    const command = connect('--send-file', file('subscribe.stomp'), '--repeat', '2');
    expect(command.repeat).toEqual({ count: 2, intervalMs: 0 });
  });

  it('refuses what cannot be a message, naming the flag and the file', () => {
    expect(usageError('--send-file', file('missing.txt'))).toBe(`--send-file: cannot read "${file('missing.txt')}": no such file`);
    expect(usageError('--send-binary-file', file('folder'))).toBe(`--send-binary-file: "${file('folder')}" is a directory, not a file`);
    expect(usageError('--send-file', file('bytes.bin'))).toBe(
      `--send-file: "${file('bytes.bin')}" is not UTF-8 text (a text message must be); send its bytes with --send-binary-file`,
    );
  });
});
