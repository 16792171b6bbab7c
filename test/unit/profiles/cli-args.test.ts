/** The command line of the profile commands: what is accepted, and each mistake's message. */
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../../src-main/cli/parse-args';

function usageError(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('profiles commands', () => {
  it('reads each action with its options', () => {
    expect(parseCommandLine(['profiles', 'list', '--json'])).toMatchObject({ kind: 'profiles', action: 'list', json: true });
    expect(parseCommandLine(['profiles', 'show', 'Prod EU'])).toMatchObject({ action: 'show', names: ['Prod EU'] });
    expect(parseCommandLine(['profiles', 'export', 'a', 'b', '--out', 'x.json', '--with-secrets'])).toMatchObject({
      action: 'export',
      names: ['a', 'b'],
      out: 'x.json',
      withSecrets: true,
    });
    expect(parseCommandLine(['profiles', 'import', 'f.json'])).toMatchObject({ action: 'import', file: 'f.json' });
    expect(parseCommandLine(['profiles'])).toMatchObject({ kind: 'help' });
  });

  it('takes --data-dir before the command or after it, once', () => {
    expect(parseCommandLine(['--data-dir', '/tmp/d', 'profiles', 'list'])).toMatchObject({ dataDir: '/tmp/d' });
    expect(parseCommandLine(['--data-dir=/tmp/e', 'connect', '--profile', 'p'])).toMatchObject({ kind: 'connect', profile: 'p', dataDir: '/tmp/e' });
    expect(parseCommandLine(['profiles', 'status', '--data-dir', '/tmp/f'])).toMatchObject({ dataDir: '/tmp/f' });
    expect(usageError(['--data-dir', '/a', 'profiles', 'list', '--data-dir', '/b'])).toContain('--data-dir was given twice');
    expect(usageError(['--data-dir'])).toContain('--data-dir needs a folder');
  });

  it.each([
    [['profiles', 'remove', 'x'], 'unknown profiles command "remove"'],
    [['profiles', 'show'], 'profiles show takes one profile name'],
    [['profiles', 'list', 'extra'], 'profiles list takes no names'],
    [['profiles', 'import'], 'profiles import takes one file'],
    [['profiles', 'export', '--json'], '--json does not apply to profiles export'],
    [['profiles', 'list', '--bogus'], "Unknown option '--bogus'"],
  ])('%j is a usage error', (argv, words) => {
    expect(usageError(argv)).toContain(words);
  });
});

describe('connect --profile', () => {
  it('takes only message and output options', () => {
    expect(parseCommandLine(['connect', '--profile', 'Prod', '--send', 'a', '--send-binary', '00ff', '--count', '2', '--json'])).toEqual({
      kind: 'connect',
      profile: 'Prod',
      outgoing: [
        { kind: 'text', data: 'a' },
        { kind: 'binary', data: 'AP8=' },
      ],
      count: 2,
      listen: false,
      json: true,
      secrets: [],
    });
  });

  it.each([
    [['connect', '--profile', 'Prod', 'wss://x/'], '--profile takes no URL'],
    [['connect', '--profile', 'Prod', '-H', 'A: b'], '--header cannot be combined with --profile'],
    [['connect', '--profile', 'Prod', '--insecure'], '--insecure cannot be combined with --profile'],
    [['connect', '--profile', 'Prod', '--keep-frames', '5000'], '--keep-frames cannot be combined with --profile'],
    [['connect', '--profile', ' '], '--profile needs the name of a saved profile'],
  ])('%j is a usage error', (argv, words) => {
    expect(usageError(argv)).toContain(words);
  });
});
