import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../../src-main/cli/parse-args';

function parse(...args: string[]): ReturnType<typeof parseCommandLine> {
  return parseCommandLine(['intercept', ...args]);
}

function usage(args: string[]): string {
  try {
    parseCommandLine(['intercept', ...args]);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${args.join(' ')}`);
}

describe('tunnelscope intercept arguments', () => {
  it('defaults: 127.0.0.1:8899, upstream auto, permessage-deflate removed', () => {
    expect(parse()).toMatchObject({ kind: 'intercept', action: 'run', host: '127.0.0.1', port: 8899, upstream: { mode: 'auto' }, deflate: 'strip', json: false, remoteClients: false });
  });

  it('an upstream proxy URL: its password is a secret and goes to proxyAuth, not into the URL', () => {
    const command = parse('--upstream', 'http://user:s3cret-pw@proxy.corp:3128', '--json', '--port', '0');
    expect(command).toMatchObject({ upstream: { mode: 'manual', url: 'http://proxy.corp:3128' }, upstreamAuth: { username: 'user', password: 's3cret-pw' }, secrets: ['s3cret-pw'], port: 0, json: true });
    expect(JSON.stringify(command.kind === 'intercept' && command.action === 'run' ? command.upstreamText : '')).not.toContain('s3cret');
    expect(parse('--upstream', 'none')).toMatchObject({ upstream: { mode: 'none' } });
  });

  it('deadlines, deflate kept, the data folder before or after the command', () => {
    expect(parse('--upgrade-timeout', '2000', '--timeout', '9000', '--deflate', 'keep')).toMatchObject({ timeouts: { upgradeMs: 2000, openMs: 9000 }, deflate: 'keep' });
    expect(parseCommandLine(['--data-dir', '/tmp/x', 'intercept'])).toMatchObject({ kind: 'intercept', dataDir: '/tmp/x' });
    expect(parseCommandLine(['intercept', 'ca-cert', '--out', 'ca.pem', '--force', '--data-dir', '/tmp/y'])).toEqual({ kind: 'intercept', action: 'ca-cert', out: 'ca.pem', force: true, dataDir: '/tmp/y' });
  });

  it('--break and --break-regex: a direction when given, the text or pattern after it', () => {
    expect(parse('--break', 'out:secret', '--break', 'token', '--break-regex', 'in:^err')).toMatchObject({
      breakpoints: [{ direction: 'out', text: 'secret' }, { text: 'token' }, { direction: 'in', regex: '^err' }],
    });
    expect(parse()).toMatchObject({ breakpoints: [] });
    expect(usage(['--break', 'out:'])).toMatch(/--break needs the text to hold messages on/);
  });

  it('--passthrough patterns for the run (checked), and the passthrough list commands', () => {
    const command = parse('--passthrough', '*.bank.example', '--passthrough', '10.0.0.5');
    expect(command.kind === 'intercept' && command.action === 'run' ? command.passthrough.map((p) => [p.kind, p.value]) : []).toEqual([
      ['suffix', '.bank.example'],
      ['ip', '10.0.0.5'],
    ]);
    expect(parse()).toMatchObject({ passthrough: [] });
    expect(usage(['--passthrough', 'bank.example:443'])).toMatch(/^--passthrough: "bank\.example:443" has a port/);
    expect(usage(['--passthrough', 'https://bank.example'])).toMatch(/^--passthrough: .*is a URL/);
    expect(parse('passthrough')).toEqual({ kind: 'intercept', action: 'passthrough', change: { op: 'list' } });
    expect(parse('passthrough', 'list', '--data-dir', '/tmp/z')).toEqual({ kind: 'intercept', action: 'passthrough', change: { op: 'list' }, dataDir: '/tmp/z' });
    expect(parse('passthrough', 'add', '*.bank.example')).toEqual({ kind: 'intercept', action: 'passthrough', change: { op: 'add', pattern: '*.bank.example' } });
    expect(parse('passthrough', 'remove', '10.0.0.5')).toMatchObject({ change: { op: 'remove', pattern: '10.0.0.5' } });
    expect(usage(['passthrough', 'add'])).toMatch(/passthrough add needs a host pattern/);
    expect(usage(['passthrough', 'add', 'a.example', 'b.example'])).toMatch(/one pattern at a time/);
    expect(usage(['passthrough', 'add', 'a b'])).toMatch(/^intercept passthrough add: "a b" is not a host/);
    expect(usage(['passthrough', 'list', 'x'])).toMatch(/list takes no argument/);
    expect(usage(['passthrough', 'clear'])).toMatch(/"clear" is not list, add or remove/);
    expect(usage(['passthrough', '--json'])).toMatch(/--json does not apply to intercept passthrough/);
  });

  it('--profile: the profile named, alone or with the run\'s own flags; never with --upstream, --ca or --trust (the way out is the profile\'s)', () => {
    expect(parse('--profile', 'Corp', '--passthrough', 'x.example', '--deflate', 'keep')).toMatchObject({ profile: 'Corp', passthrough: [{ text: 'x.example' }], deflate: 'keep' });
    expect(parse()).not.toHaveProperty('profile');
    expect(usage(['--profile', ' '])).toBe('--profile needs a profile name');
    expect(usage(['--profile', 'Corp', '--upstream', 'none'])).toMatch(/^--upstream cannot be used with --profile: the way out and the servers' trust are the profile's/);
    expect(usage(['--profile', 'Corp', '--trust', 'mozilla'])).toMatch(/^--trust cannot be used with --profile/);
    expect(usage(['--ca', 'package.json', '--profile', 'Corp'])).toMatch(/^--ca cannot be used with --profile/);
    // The passthrough commands take --profile for the profile's own list.
    expect(parse('passthrough', 'add', '*.bank.example', '--profile', 'Corp')).toMatchObject({ action: 'passthrough', change: { op: 'add', pattern: '*.bank.example' }, profile: 'Corp' });
    expect(parse('passthrough')).not.toHaveProperty('profile');
    expect(usage(['passthrough', 'list', '--profile', ''])).toBe('--profile needs a profile name');
    expect(usage(['passthrough', 'list', '--json'])).toMatch(/^--json does not apply to intercept passthrough \(it changes the data folder's list, or with --profile a profile's\)/);
  });

  it('--env and --var with --profile fill its way out\'s variables (as connect --profile takes them); without --profile they are refused', () => {
    expect(parse('--profile', 'Corp', '--env', 'Staging', '--var', 'user=ann', '--var', 'user=bob')).toMatchObject({ profile: 'Corp', variables: { environment: 'Staging', values: [{ name: 'user', value: 'bob' }] } });
    expect(parse('--profile', 'Corp')).not.toHaveProperty('variables');
    expect(usage(['--var', 'user=ann'])).toMatch(/^--var goes with --profile: it fills the \{\{variables\}\} of the profile's way out/);
    expect(usage(['--env', 'Staging', '--upstream', 'none'])).toMatch(/^--env goes with --profile/);
    expect(usage(['--profile', 'Corp', '--var', 'novalue'])).toBe('--var "novalue": give it as name=value (a variable name, =, its value)');
    expect(usage(['--profile', 'Corp', '--env', ' '])).toBe('--env needs the name of a saved environment (Development, Staging …)');
  });

  it('a non-loopback address only with --allow-remote-clients', () => {
    expect(usage(['--host', '192.0.2.10'])).toMatch(/not a loopback address.*--allow-remote-clients/);
    expect(parse('--host', '0.0.0.0', '--allow-remote-clients')).toMatchObject({ host: '0.0.0.0', remoteClients: true });
    expect(parse('--host', '::1')).toMatchObject({ host: '::1' });
  });

  it('mistakes are usage errors naming the flag', () => {
    expect(usage(['--port', '70000'])).toMatch(/--port must be a port number from 0 to 65535/);
    expect(usage(['--upstream', 'ftp://x'])).toMatch(/^--upstream must be a proxy URL, none or auto/);
    expect(usage(['--deflate', 'sometimes'])).toMatch(/--deflate must be strip or keep/);
    expect(usage(['--trust', 'everything'])).toMatch(/--trust must be one of/);
    expect(usage(['ca-cert', '--json'])).toMatch(/--json does not apply to intercept ca-cert/);
    expect(usage(['ca-cert', '--force'])).toMatch(/--force only applies with --out/);
    expect(usage(['--out', 'x.pem'])).toMatch(/apply to intercept ca-cert/);
    expect(usage(['start'])).toMatch(/unknown intercept command "start"/);
    expect(usage(['--ca', '/nonexistent/ca.pem'])).toMatch(/^--ca: /);
  });
});
