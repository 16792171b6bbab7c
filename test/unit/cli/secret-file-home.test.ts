/**
 * `@~/…` in the flags that read a secret from a file: the shell expands `~` only at a word's
 * start, never after the `@`, so README's `--proxy-user @~/.config/proxy-user` reached the CLI
 * as is and failed with "no such file". The home folder is now put in, and an error names the
 * path that was tried.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../../src-main/cli/parse-args';
import { expandHome } from '../../../src-main/cli/secret-file';

let home = '';
const savedHome = process.env.HOME;

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-secret-home-'));
  fs.mkdirSync(path.join(home, '.config'));
  fs.writeFileSync(path.join(home, '.config', 'proxy-user'), 'alice:s3cret\n');
  fs.writeFileSync(path.join(home, 'headers'), 'Authorization: Bearer tok-home\n');
  // os.homedir() reads HOME on POSIX.
  process.env.HOME = home;
});

afterAll(() => {
  process.env.HOME = savedHome;
  fs.rmSync(home, { recursive: true, force: true });
});

const CONNECT = ['connect', 'ws://127.0.0.1:9/', '--proxy', 'http://127.0.0.1:3128'];

function usage(args: string[]): string {
  try {
    parseCommandLine(args, {});
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${args.join(' ')}`);
}

describe('expandHome', () => {
  it('puts the home folder for a leading ~ or ~/ and leaves every other path as typed', () => {
    expect(expandHome('~', '/home/alice')).toBe('/home/alice');
    expect(expandHome('~/.config/proxy-user', '/home/alice')).toBe('/home/alice/.config/proxy-user');
    // ~bob is another user's home: not guessed. A ~ further in is an ordinary character.
    expect(expandHome('~bob/x', '/home/alice')).toBe('~bob/x');
    expect(expandHome('./~/x', '/home/alice')).toBe('./~/x');
    expect(expandHome('/etc/~', '/home/alice')).toBe('/etc/~');
    expect(expandHome('', '/home/alice')).toBe('');
  });
});

describe('@~/ in the secret flags', () => {
  it("--proxy-user @~/.config/proxy-user (README's example) reads the file in the home folder", () => {
    const command = parseCommandLine([...CONNECT, '--proxy-user', '@~/.config/proxy-user'], {});
    if (command.kind !== 'connect') throw new Error(command.kind);
    expect(command.options?.proxyAuth).toEqual({ username: 'alice', password: 's3cret' });
  });

  it('-H @~/headers reads the headers file in the home folder', () => {
    const command = parseCommandLine(['connect', 'ws://127.0.0.1:9/', '-H', '@~/headers'], {});
    if (command.kind !== 'connect') throw new Error(command.kind);
    expect(command.options?.headers?.find((header) => header.name === 'Authorization')?.value).toBe('Bearer tok-home');
  });

  it('a missing file names the path typed and the path tried', () => {
    const message = usage([...CONNECT, '--proxy-user', '@~/.config/nothing-here']);
    expect(message).toContain('--proxy-user @~/.config/nothing-here');
    expect(message).toContain(`(${path.join(home, '.config', 'nothing-here')})`);
    expect(message).toContain('no such file');
  });

  it('a path without ~ is named once, as typed', () => {
    const missing = path.join(home, 'absent');
    const message = usage([...CONNECT, '--proxy-user', `@${missing}`]);
    expect(message).toContain(`--proxy-user @${missing}: cannot read the file`);
    expect(message).not.toContain(`(${missing})`);
  });
});
