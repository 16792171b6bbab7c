/**
 * `--var name=value` and the secret warning: a variable whose name looks like a credential (the
 * rule of credential headers) typed on the command line is noted once for the warning, which
 * names `--var name=@file`; given as `--var name=@file` it is read from the file (the final
 * newline not part of it) and not noted. Its value is a secret either way (never printed), as a
 * credential -H header's is; `@@` keeps a value that starts with @. connect, connect --profile
 * and intercept --profile alike.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CliCommand } from '../../../src-main/cli/parse-args';
import { visibleSecretWarning } from '../../../src-main/cli/visible-secrets';
import { parse, usage, useSecretFiles, visible } from './secret-sources-fixture';

const file = useSecretFiles('tunnelscope-var-secret-sources-', (file) => {
  fs.writeFileSync(file('token'), 'tok-from-file-81\n');
  fs.writeFileSync(file('token-crlf'), 'tok-crlf-82\r\n');
  fs.writeFileSync(file('empty'), '');
});

function secretsOf(command: CliCommand): readonly string[] {
  return 'secrets' in command ? command.secrets : [];
}

function valuesOf(command: CliCommand): { name: string; value: string }[] | undefined {
  return 'variables' in command ? command.variables?.values : undefined;
}

const CONNECT = ['connect', 'ws://127.0.0.1:9/', '-H', 'Authorization: Bearer {{token}}'];
const PROFILE = ['connect', '--profile', 'gw'];
const INTERCEPT = ['intercept', '--profile', 'gw'];

describe('--var with a credential name typed on the command line', () => {
  it.each([CONNECT, PROFILE, INTERCEPT])('is noted once, and its value is a secret (%s)', (...start) => {
    const command = parse([...start, '--var', 'token=tok-typed-7', '--var', 'region=eu-1']);
    expect(visible(command)).toEqual([{ where: 'the value of --var token', instead: '--var token=@file (a file holding the value)' }]);
    expect(secretsOf(command)).toContain('tok-typed-7');
    expect(secretsOf(command)).not.toContain('eu-1');
  });

  it('the warning names the hidden way', () => {
    const command = parse([...CONNECT, '--var', 'api_key=k-typed-9']);
    expect(visibleSecretWarning(visible(command) ?? [])).toBe(
      'tunnelscope: warning: the value of --var api_key is visible to other users of this computer in the process list (ps) while tunnelscope runs; give it instead as --var api_key=@file (a file holding the value)',
    );
  });

  it('names that are no credential, an empty value and a value of {{variables}} only are not noted', () => {
    expect(visible(parse([...CONNECT, '--var', 'token=', '--var', 'region=eu-1', '--var', 'session_token={{token}}']))).toBeUndefined();
  });
});

describe('--var name=@file', () => {
  it.each([CONNECT, PROFILE, INTERCEPT])('reads the value from the file, a secret, not noted (%s)', (...start) => {
    const command = parse([...start, '--var', `token=@${file('token')}`, '--var', `secret=@${file('token-crlf')}`]);
    expect(valuesOf(command)).toEqual([
      { name: 'token', value: 'tok-from-file-81' },
      { name: 'secret', value: 'tok-crlf-82' },
    ]);
    expect(secretsOf(command)).toEqual(expect.arrayContaining(['tok-from-file-81', 'tok-crlf-82']));
    expect(visible(command)).toBeUndefined();
  });

  it('a value typed before the file one is still noted (it was on the command line)', () => {
    const command = parse([...CONNECT, '--var', 'token=tok-typed-7', '--var', `token=@${file('token')}`]);
    expect(valuesOf(command)).toEqual([{ name: 'token', value: 'tok-from-file-81' }]);
    expect(visible(command)).toHaveLength(1);
  });

  it('@@ is a value that starts with @', () => {
    expect(valuesOf(parse([...CONNECT, '--var', 'handle=@@alice']))).toEqual([{ name: 'handle', value: '@alice' }]);
  });

  it('a missing or empty file, or none named: a usage error naming --var and the file', () => {
    const missing = file('no-such');
    expect(usage([...CONNECT, '--var', `token=@${missing}`])).toBe(`--var token=@${missing}: cannot read the file: no such file`);
    expect(usage([...CONNECT, '--var', `token=@${file('empty')}`])).toBe(`--var token=@${file('empty')}: the file is empty`);
    expect(usage([...CONNECT, '--var', 'token=@'])).toContain('--var token=@ needs a file name after the @');
  });
});
