import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { UsageError } from '../../../src-main/cli/usage-error';

const tmp = os.tmpdir();

function usage(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('no usage error');
}

describe('connect --export', () => {
  it.each([
    ['log.ndjson', 'ndjson'],
    ['log.jsonl', 'ndjson'],
    ['LOG.HAR', 'har'],
  ])('%s is written as %s, its path made absolute', (name, format) => {
    const command = parseCommandLine(['connect', 'ws://127.0.0.1:1/', '--no-proxy', '--export', path.join(tmp, name)]);
    expect(command.kind === 'connect' && command.exportLog).toEqual({ path: path.join(tmp, name), format });
  });

  it('is left out when not given', () => {
    const command = parseCommandLine(['connect', 'ws://127.0.0.1:1/', '--no-proxy']);
    expect(command.kind === 'connect' && command.exportLog).toBeUndefined();
  });

  it.each([
    [['--export', 'log.txt'], 'must end in .ndjson'],
    [['--export', ''], 'needs a file name'],
    [['--export', path.join(tmp, 'no-such-folder-for-tunnelscope', 'x.har')], 'does not exist'],
    [['--export', 'a.har', '--export', 'b.har'], 'given 2 times'],
    [['--export'], 'needs a value'],
  ])('refuses %j before connecting', (flags, words) => {
    expect(usage(['connect', 'ws://127.0.0.1:1/', '--no-proxy', ...flags])).toContain(words);
  });
});
