/**
 * Secrets out of the process list: `--proxy-user @file`, TUNNELSCOPE_PROXY_USER and `-H @file`
 * (connect, resolve, intercept), what each refuses with the flag and the file named, and which
 * command lines are noted as showing a secret (the warning's input) and which are not.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { visibleSecretWarning } from '../../../src-main/cli/visible-secrets';
import { parse, usage, useSecretFiles, visible } from './secret-sources-fixture';

const file = useSecretFiles('tunnelscope-secret-sources-', (file) => {
  fs.writeFileSync(file('user'), 'alice:pa:ss\n');
  fs.writeFileSync(file('user-crlf'), 'alice:s3cret\r\n');
  fs.writeFileSync(file('empty'), '');
  fs.writeFileSync(file('blank'), '\n  \n');
  fs.writeFileSync(file('nocolon'), 'alice\n');
  fs.writeFileSync(file('two-lines'), 'alice:first-pw\nbob:second-pw\n');
  fs.writeFileSync(file('headers'), 'Authorization: Bearer tok-123\n\nX-Trace: 7\r\n');
  fs.writeFileSync(file('bad-header'), 'X-Ok: 1\nBearer tok-456\n');
  fs.writeFileSync(file('latin1'), Buffer.from([0x61, 0x3a, 0xe9, 0xff]));
  fs.mkdirSync(file('folder'));
});

const CONNECT = ['connect', 'ws://127.0.0.1:9/', '--proxy', 'http://127.0.0.1:3128'];

describe('--proxy-user @file', () => {
  it('reads user:password from the file (the final newline, LF or CRLF, not part of it); the password is a secret; nothing is noted as visible', () => {
    const command = parse([...CONNECT, '--proxy-user', `@${file('user')}`]);
    if (command.kind !== 'connect') throw new Error(command.kind);
    expect(command.options?.proxyAuth).toEqual({ username: 'alice', password: 'pa:ss' });
    expect(command.secrets).toContain('pa:ss');
    expect(visible(command)).toBeUndefined();
    const crlf = parse([...CONNECT, '--proxy-user', `@${file('user-crlf')}`]);
    expect(crlf.kind === 'connect' && crlf.options?.proxyAuth).toEqual({ username: 'alice', password: 's3cret' });
  });

  it('resolve and intercept read it the same way', () => {
    const resolve = parse(['resolve', 'ws://127.0.0.1:9/', '--proxy', 'http://127.0.0.1:3128', '--proxy-user', `@${file('user')}`]);
    expect(resolve.kind === 'resolve' && resolve.proxy).toMatchObject({ mode: 'manual', username: 'alice', password: 'pa:ss' });
    const intercept = parse(['intercept', '--upstream', 'http://127.0.0.1:3128', '--proxy-user', `@${file('user')}`]);
    expect(intercept.kind === 'intercept' && intercept.action === 'run' && intercept.upstreamAuth).toEqual({ username: 'alice', password: 'pa:ss' });
    expect(intercept.kind === 'intercept' && intercept.action === 'run' && intercept.secrets).toEqual(['pa:ss']);
    expect(visible(intercept)).toBeUndefined();
  });

  it.each([
    ['missing', () => `@${file('nope')}`, () => `--proxy-user @${file('nope')}: cannot read the file: no such file`],
    ['a folder on its path is a file', () => `@${file('user')}/x`, () => `--proxy-user @${file('user')}/x: cannot read the file: a folder on its path is a file`],
    ['a directory', () => `@${file('folder')}`, () => `--proxy-user @${file('folder')}: the file is a directory`],
    ['a device', () => '@/dev/null', () => '--proxy-user @/dev/null: not a regular file or a pipe (a terminal or a device is not read)'],
    ['empty', () => `@${file('empty')}`, () => `--proxy-user @${file('empty')}: the file is empty`],
    ['blank lines only', () => `@${file('blank')}`, () => `--proxy-user @${file('blank')}: the file is empty`],
    ['no colon', () => `@${file('nocolon')}`, () => `--proxy-user @${file('nocolon')}: the file must hold user:password (a user name, a colon, the password) on one line`],
    ['two lines', () => `@${file('two-lines')}`, () => `--proxy-user @${file('two-lines')}: the file has more than one line; it must hold one line, user:password`],
    ['not UTF-8', () => `@${file('latin1')}`, () => `--proxy-user @${file('latin1')}: the file is not UTF-8 text`],
    ['no file name', () => '@', () => '--proxy-user @ needs a file name after the @ (e.g. --proxy-user @$HOME/.config/proxy-user)'],
  ])('%s: a usage error naming the flag and the file', (_name, value, message) => {
    expect(usage([...CONNECT, '--proxy-user', value()])).toBe(message());
    expect(usage(['intercept', '--proxy-user', value()])).toBe(message());
  });

  it('the error never shows what the file holds', () => {
    for (const held of ['first-pw', 'second-pw', 'bob']) expect(usage([...CONNECT, '--proxy-user', `@${file('two-lines')}`])).not.toContain(held);
    expect(usage([...CONNECT, '--proxy-user', `@${file('nocolon')}`])).not.toContain('alice');
  });
});

describe('TUNNELSCOPE_PROXY_USER', () => {
  it('gives connect, resolve and intercept the proxy credentials when --proxy-user is not given; not visible', () => {
    const env = { TUNNELSCOPE_PROXY_USER: 'alice:from-env' };
    const command = parse(CONNECT, env);
    expect(command.kind === 'connect' && command.options?.proxyAuth).toEqual({ username: 'alice', password: 'from-env' });
    expect(command.kind === 'connect' && command.secrets).toContain('from-env');
    expect(visible(command)).toBeUndefined();
    const auto = parse(['connect', 'ws://127.0.0.1:9/'], env);
    expect(auto.kind === 'connect' && auto.options?.proxyAuth).toEqual({ username: 'alice', password: 'from-env' });
    const resolve = parse(['resolve', 'ws://127.0.0.1:9/', '--proxy', 'http://127.0.0.1:3128'], env);
    expect(resolve.kind === 'resolve' && resolve.proxy).toMatchObject({ username: 'alice', password: 'from-env' });
    for (const upstream of [[], ['--upstream', 'auto'], ['--upstream', 'http://127.0.0.1:3128']]) {
      const intercept = parse(['intercept', ...upstream], env);
      expect(intercept.kind === 'intercept' && intercept.action === 'run' && intercept.upstreamAuth).toEqual({ username: 'alice', password: 'from-env' });
    }
  });

  it('--proxy-user wins over it; credentials in the URL win over it (as in the engine)', () => {
    const env = { TUNNELSCOPE_PROXY_USER: 'alice:from-env' };
    const flag = parse([...CONNECT, '--proxy-user', `@${file('user')}`], env);
    expect(flag.kind === 'connect' && flag.options?.proxyAuth).toEqual({ username: 'alice', password: 'pa:ss' });
    const upstream = parse(['intercept', '--upstream', 'http://bob:url-pw@127.0.0.1:3128'], env);
    expect(upstream.kind === 'intercept' && upstream.action === 'run' && upstream.upstreamAuth).toEqual({ username: 'bob', password: 'url-pw' });
  });

  it('is left unused, not refused, where credentials make no sense: --no-proxy, --upstream none, --profile', () => {
    const env = { TUNNELSCOPE_PROXY_USER: 'nocolon' };
    expect(parse(['connect', 'ws://127.0.0.1:9/', '--no-proxy'], env).kind).toBe('connect');
    const none = parse(['intercept', '--upstream', 'none'], env);
    expect(none.kind === 'intercept' && none.action === 'run' && none.upstreamAuth).toBeUndefined();
    const profile = parse(['intercept', '--profile', 'Corp'], env);
    expect(profile.kind === 'intercept' && profile.action === 'run' && profile.upstreamAuth).toBeUndefined();
    expect(parse(['connect', '--profile', 'Corp'], env).kind).toBe('connect');
  });

  it('without a colon: a usage error naming the variable (and never its value)', () => {
    const message = usage(CONNECT, { TUNNELSCOPE_PROXY_USER: 'secretword' });
    expect(message).toBe('TUNNELSCOPE_PROXY_USER must be user:password (a user name, a colon, the password)');
    expect(usage(['intercept'], { TUNNELSCOPE_PROXY_USER: ':pw' })).toBe('TUNNELSCOPE_PROXY_USER must be user:password (a user name, a colon, the password)');
  });

  it('an empty value is unset', () => {
    const command = parse(CONNECT, { TUNNELSCOPE_PROXY_USER: '' });
    expect(command.kind === 'connect' && command.options?.proxyAuth).toBeUndefined();
  });

  it('--proxy-domain takes its user', () => {
    const command = parse([...CONNECT, '--proxy-domain', 'CORP'], { TUNNELSCOPE_PROXY_USER: 'alice:pw' });
    expect(command.kind === 'connect' && command.options?.proxyAuth).toEqual({ username: 'alice', password: 'pw', domain: 'CORP' });
    expect(usage([...CONNECT, '--proxy-domain', 'CORP'])).toBe("--proxy-domain needs --proxy-user (or TUNNELSCOPE_PROXY_USER): the domain is that user's");
  });
});

describe('intercept --proxy-user', () => {
  it('is refused with --upstream none, with --profile, and beside credentials in --upstream', () => {
    expect(usage(['intercept', '--upstream', 'none', '--proxy-user', 'a:b'])).toBe('--proxy-user makes no sense with --upstream none');
    expect(usage(['intercept', '--profile', 'Corp', '--proxy-user', 'a:b'])).toMatch(/^--proxy-user cannot be used with --profile/);
    expect(usage(['intercept', '--upstream', 'http://a:b@127.0.0.1:1', '--proxy-user', 'c:d'])).toBe("--proxy-user and a user:password@ in --upstream's URL: give the credentials once");
    expect(usage(['connect', 'ws://127.0.0.1:9/', '--proxy', 'http://a:b@127.0.0.1:1', '--proxy-user', 'c:d'])).toBe("--proxy-user and a user:password@ in --proxy's URL: give the credentials once");
  });
});

describe('-H @file', () => {
  it('reads a header a line (blank lines skipped, CRLF too); a credential header is secret and not visible', () => {
    const command = parse(['connect', 'ws://127.0.0.1:9/', '-H', `@${file('headers')}`, '-H', 'X-After: 8']);
    if (command.kind !== 'connect') throw new Error(command.kind);
    expect(command.options?.headers).toEqual([
      { name: 'Authorization', value: 'Bearer tok-123', secret: true },
      { name: 'X-Trace', value: '7' },
      { name: 'X-After', value: '8' },
    ]);
    expect(command.secrets).toContain('Bearer tok-123');
    expect(visible(command)).toBeUndefined();
  });

  it('a line that is not a header: the file and the line named, the line not shown', () => {
    const message = usage(['connect', 'ws://127.0.0.1:9/', '-H', `@${file('bad-header')}`]);
    expect(message).toBe(`-H @${file('bad-header')} line 2: not a header; each line must be 'Name: value'`);
    expect(usage(['connect', 'ws://127.0.0.1:9/', '-H', `@${file('empty')}`])).toBe(`-H @${file('empty')}: the file is empty`);
    expect(usage(['connect', 'ws://127.0.0.1:9/', '-H', `@${file('nope')}`])).toBe(`-H @${file('nope')}: cannot read the file: no such file`);
  });
});

describe('secrets typed on the command line are noted, once each', () => {
  it.each([
    [['connect', 'ws://127.0.0.1:9/', '--proxy', 'http://127.0.0.1:1', '--proxy-user', 'alice:pw'], ['the password in --proxy-user']],
    [['resolve', 'ws://127.0.0.1:9/', '--proxy', 'http://127.0.0.1:1', '--proxy-user', 'alice:pw'], ['the password in --proxy-user']],
    [['connect', 'ws://127.0.0.1:9/', '--proxy', 'http://alice:pw@127.0.0.1:1'], ["the password in --proxy's URL"]],
    [['intercept', '--upstream', 'http://alice:pw@127.0.0.1:1'], ["the password in --upstream's URL"]],
    [['intercept', '--proxy-user', 'alice:pw'], ['the password in --proxy-user']],
    [['connect', 'ws://127.0.0.1:9/', '--pac', 'http://alice:pw@127.0.0.1:1/p.pac'], ["the password in --pac's URL"]],
    [['connect', 'ws://bob:pw@127.0.0.1:9/', '--no-proxy'], ["the password in the URL's user:password@"]],
    [['connect', 'ws://127.0.0.1:9/', '-H', 'Authorization: Bearer tok', '-H', 'Cookie: s=1'], ['the Authorization header of -H', 'the Cookie header of -H']],
  ])('%j', (args, where) => {
    expect(visible(parse(args))?.map((v) => v.where)).toEqual(where);
  });

  it.each([
    [['connect', 'ws://127.0.0.1:9/', '--proxy', 'http://127.0.0.1:1', '--proxy-user', 'alice:']],
    [['connect', 'ws://127.0.0.1:9/', '--proxy', 'http://127.0.0.1:1', '--proxy-user', 'alice:{{proxyPassword}}']],
    [['connect', 'ws://127.0.0.1:9/', '-H', 'Authorization: Bearer {{token}}', '-H', 'X-Trace: 1']],
    [['connect', 'ws://alice@127.0.0.1:9/', '--proxy', 'http://bob@127.0.0.1:1']],
  ])('not for a password left empty or made of {{variables}}: %j', (args) => {
    expect(visible(parse(args))).toBeUndefined();
  });

  it('the warning: one line, every secret named, each way to give it unseen said once', () => {
    expect(visibleSecretWarning([])).toBeUndefined();
    const command = parse(['connect', 'ws://127.0.0.1:9/', '--proxy', 'http://alice:pw@127.0.0.1:1', '-H', 'Authorization: Bearer tok', '-H', 'X-Api-Token: t']);
    expect(visibleSecretWarning(visible(command) ?? [])).toBe(
      "tunnelscope: warning: the password in --proxy's URL, the Authorization header of -H, the X-Api-Token header of -H are visible to other users of this computer in the process list (ps) while tunnelscope runs; give them instead as --proxy without user:password@, and TUNNELSCOPE_PROXY_USER=user:password or --proxy-user @file (a file holding user:password); -H @file (a file of 'Name: value' lines)",
    );
    expect(visibleSecretWarning(visible(parse([...CONNECT, '--proxy-user', 'a:b'])) ?? [])).toBe(
      'tunnelscope: warning: the password in --proxy-user is visible to other users of this computer in the process list (ps) while tunnelscope runs; give it instead as TUNNELSCOPE_PROXY_USER=user:password or --proxy-user @file (a file holding user:password)',
    );
  });
});
