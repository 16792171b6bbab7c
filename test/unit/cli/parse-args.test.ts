import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCommandLine, UsageError, type CliCommand, type ConnectCommand } from '../../../src-main/cli/parse-args';
import { trustedServer } from '../../support/certs';

let dir = '';
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tunnelscope-cli-args-'));
  const { ca, cert, key } = trustedServer();
  await writeFile(file('ca.pem'), ca);
  await writeFile(file('cert.pem'), cert);
  await writeFile(file('key.pem'), key);
  await writeFile(file('empty.pem'), '');
  await writeFile(file('proxy.pac'), 'function FindProxyForURL(url, host) { return "DIRECT"; }');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function connect(...args: string[]): ConnectCommand {
  const command: CliCommand = parseCommandLine(['connect', ...args]);
  if (command.kind !== 'connect') throw new Error(`expected connect, got ${command.kind}`);
  return command;
}

function usageError(args: string[]): string {
  try {
    parseCommandLine(args);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${args.join(' ')}`);
}

describe('parseCommandLine: usage errors say what was wrong', () => {
  it.each([
    [['connect', 'ws://h/', '--bogus'], 'unknown option --bogus'],
    [['connect', 'ws://h/', '-x'], 'unknown option -x'],
    [['connect', 'ws://h/', '--proxy'], '--proxy needs a value'],
    [['connect', 'ws://h/', '--proxy', '--json'], '--proxy needs a value'],
    [['connect', 'ws://h/', '-H'], '-H needs a value'],
    [['connect', 'ws://h/', '--json=yes'], '--json takes no value'],
    [['connect'], 'connect needs a URL'],
    [['connect', 'ws://a/', 'ws://b/'], 'takes one URL'],
    [['connect', 'http://h/'], 'must start with ws:// or wss://, not http://'],
    [['connect', 'not a url'], 'is not a URL'],
    [['resolve', 'https://h/'], 'must start with ws:// or wss://'],
    [['connect', 'ws://h/', '--ca', '/nonexistent/ca.pem'], '--ca: "/nonexistent/ca.pem" does not exist'],
    [['connect', 'ws://h/', '--proxy-ca', '/nonexistent/p.pem'], '--proxy-ca: "/nonexistent/p.pem" does not exist'],
    [['connect', 'ws://h/', '--pac', '/nonexistent/p.pac'], '--pac: cannot read'],
    [['connect', 'ws://h/', '--send-binary', 'zz'], '--send-binary: "zz" is not hex'],
    [['connect', 'ws://h/', '--send-binary', 'abc'], 'is not hex'],
    [['connect', 'ws://h/', '--count', '0'], '--count must be between 1'],
    [['connect', 'ws://h/', '--count', 'two'], '--count must be a whole number'],
    [['connect', 'ws://h/', '--timeout', '-5'], '--timeout must be a whole number'],
    [['connect', 'ws://h/', '--timeout', '1.5'], '--timeout must be a whole number'],
    [['connect', 'ws://h/', '--timeout', '99999999'], '--timeout must be between 100 and 3,600,000 milliseconds, got 99999999'],
    [['connect', 'ws://h/', '--proxy-connect-timeout', '50'], '--proxy-connect-timeout must be between 100 and 600,000 milliseconds, got 50'],
    [['connect', 'ws://h/', '--proxy-answer-timeout', '1e4'], '--proxy-answer-timeout must be a whole number of milliseconds, got "1e4"'],
    [['connect', 'ws://h/', '--tls-timeout', '600001'], '--tls-timeout must be between 100 and 600,000 milliseconds, got 600001'],
    [['connect', 'ws://h/', '--upgrade-timeout', ''], '--upgrade-timeout must be a whole number of milliseconds, got ""'],
    [['connect', 'ws://h/', '--upgrade-timeout', '1000', '--upgrade-timeout', '2000'], '--upgrade-timeout was given 2 times; give it once'],
    [['connect', 'ws://h/', '--keep-frames', '10'], '--keep-frames must be between 100 and 10,000,000 frames, got 10'],
    [['connect', 'ws://h/', '--keep-frames', '2e6'], '--keep-frames must be a whole number of frames, got "2e6"'],
    [['connect', 'ws://h/', '--keep-frames', '20000000'], '--keep-frames must be between 100 and 10,000,000 frames'],
    [['connect', 'ws://h/', '--keep-mb', '0'], '--keep-mb must be between 1 and 4,096 MiB, got 0'],
    [['connect', 'ws://h/', '--keep-mb', '1.5'], '--keep-mb must be a whole number of MiB'],
    [['connect', 'ws://h/', '--keep-mb', '64', '--keep-mb', '32'], '--keep-mb was given 2 times'],
    [['connect', 'ws://h/', '--proxy', 'http://p:1', '--no-proxy'], '--proxy and --no-proxy cannot be combined'],
    [['connect', 'ws://h/', '--proxy', 'http://p:1', '--pac', 'http://x/p.pac'], '--proxy and --pac cannot be combined'],
    [['resolve', 'ws://h/', '--no-proxy', '--pac', 'http://x/p.pac'], '--no-proxy and --pac cannot be combined'],
    [['resolve', 'ws://h/', '--system-proxy', '--env-proxy'], '--system-proxy and --env-proxy cannot be combined'],
    [['connect', 'ws://h/', '--proxy', 'http://p:1', '--system-proxy'], '--proxy and --system-proxy cannot be combined'],
    [['connect', 'ws://h/', '--no-proxy', '--proxy-user', 'a:b'], '--proxy-user makes no sense with --no-proxy'],
    [['connect', 'ws://h/', '--proxy-user', 'nocolon'], '--proxy-user must be user:password'],
    [['connect', 'ws://h/', '--proxy', 'http://a:1', '--proxy', 'http://b:1'], '--proxy was given 2 times'],
    [['connect', 'ws://h/', '-H', 'NoColon'], "-H/--header must be 'Name: value'"],
    [['connect', 'ws://h/', '-H', 'Bad Name: v'], 'is not a valid header name'],
    [['connect', 'ws://h/', '--subprotocol', 'a b'], 'is not a valid subprotocol'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['--json'], '--json must come after a command'],
  ])('%j → %s', (args, message) => {
    expect(usageError(args)).toContain(message);
  });

  it('rejects unreadable, empty and non-PEM files before connecting', () => {
    expect(usageError(['connect', 'wss://h/', '--ca', file('empty.pem')])).toContain('is not PEM');
    expect(usageError(['connect', 'wss://h/', '--ca', file('key.pem')])).toContain('holds no certificate');
    expect(usageError(['connect', 'wss://h/', '--ca', dir])).toContain('is a directory');
    expect(usageError(['connect', 'wss://h/', '--cert', file('cert.pem'), '--key', file('cert.pem')])).toContain(
      '--key: ',
    );
    expect(usageError(['connect', 'wss://h/', '--cert', file('cert.pem'), '--key', file('cert.pem')])).toContain(
      'holds no private key',
    );
    expect(usageError(['connect', 'wss://h/', '--pac', file('empty.pem')])).toContain('is empty');
    expect(usageError(['connect', 'wss://h/', '--cert', file('cert.pem')])).toContain('needs both --cert');
  });
});

describe('parseCommandLine: connect', () => {
  it('marks headers named like credentials secret, by the rule Copy as command and the engine use', () => {
    const command = connect('ws://127.0.0.1:1/', '-H', 'X-Db-Passwd: pw-1234', '-H', 'X-Client-Credential: cred-5678', '-H', 'Cookie: sid=1', '-H', 'Accept: text/plain');
    expect(command.options?.headers).toEqual([
      { name: 'X-Db-Passwd', value: 'pw-1234', secret: true },
      { name: 'X-Client-Credential', value: 'cred-5678', secret: true },
      { name: 'Cookie', value: 'sid=1', secret: true },
      { name: 'Accept', value: 'text/plain' },
    ]);
    expect(command.secrets).toEqual(expect.arrayContaining(['pw-1234', 'cred-5678']));
  });

  it.each([
    ['--system-proxy', { mode: 'system' }],
    ['--env-proxy', { mode: 'env' }],
  ])('%s chooses only that source', (flagName, expected) => {
    expect(connect('ws://127.0.0.1:1/', flagName).options?.proxy).toEqual(expected);
  });

  it('defaults to auto for the proxy (variables, then the system settings) and stdin mode for messages', () => {
    const command = connect('ws://127.0.0.1:1/');
    expect(command.options?.proxy).toEqual({ mode: 'auto' });
    expect(command.outgoing).toEqual([]);
    expect(command.count).toBeUndefined();
    expect(command.listen).toBe(false);
    expect(command.json).toBe(false);
  });

  it('maps every flag onto the connection options', () => {
    const command = connect(
      'wss://echo.example/path',
      '--proxy', 'http://proxy:3128',
      '--proxy-user', 'alice:pa:ss',
      '--proxy-ca', file('ca.pem'),
      '-H', 'X-One: 1',
      '--header', 'Authorization: Bearer tok',
      '--subprotocol', 'chat',
      '--subprotocol', 'v2.chat',
      '--origin', 'https://app.example',
      '--ca', file('ca.pem'),
      '--insecure',
      '--cert', file('cert.pem'),
      '--key', file('key.pem'),
      '--timeout', '1500',
      '--keep-frames', '2000000',
      '--count', '3',
      '--listen',
      '--json',
    );
    expect(command.options).toMatchObject({
      url: 'wss://echo.example/path',
      proxy: { mode: 'manual', url: 'http://proxy:3128' },
      proxyAuth: { username: 'alice', password: 'pa:ss' },
      proxyCaFiles: [file('ca.pem')],
      headers: [
        { name: 'X-One', value: '1' },
        { name: 'Authorization', value: 'Bearer tok', secret: true },
      ],
      subprotocols: ['chat', 'v2.chat'],
      origin: 'https://app.example',
      tls: { caFiles: [file('ca.pem')], insecure: true, certFile: file('cert.pem'), keyFile: file('key.pem') },
      timeouts: { openMs: 1500 },
      // --keep-mb left out: its default goes with the frames given.
      history: { maxFrames: 2_000_000, maxBytes: 512 * 1024 * 1024 },
    });
    expect(command.count).toBe(3);
    expect(command.listen).toBe(true);
    expect(command.json).toBe(true);
    expect(command.secrets).toEqual(expect.arrayContaining(['pa:ss', 'Bearer tok']));
  });

  it('maps each deadline flag onto options.timeouts, and leaves the others to their defaults', () => {
    const all = connect(
      'wss://h/',
      '--timeout', '60000',
      '--proxy-connect-timeout', '4000',
      '--proxy-answer-timeout', '30000',
      '--tls-timeout', '5000',
      '--upgrade-timeout', '20000',
    );
    expect(all.options?.timeouts).toEqual({ openMs: 60_000, proxyConnectMs: 4000, proxyAnswerMs: 30_000, tlsMs: 5000, upgradeMs: 20_000 });
    expect(connect('ws://h/', '--proxy-answer-timeout', '30000').options?.timeouts).toEqual({ proxyAnswerMs: 30_000 });
    expect(connect('ws://h/').options?.timeouts).toBeUndefined();
  });

  it('keeps --send and --send-binary in command-line order and accepts a message starting with a dash', () => {
    const command = connect('ws://h/', '--send', 'one', '--send-binary', '48 65:6c', '--send', '-1');
    expect(command.outgoing).toEqual([
      { kind: 'text', data: 'one' },
      { kind: 'binary', data: Buffer.from('Hel').toString('base64') },
      { kind: 'text', data: '-1' },
    ]);
  });

  it('reads --no-proxy, a PAC URL, a PAC file, and keeps a proxy URL password secret', () => {
    expect(connect('ws://h/', '--no-proxy').options?.proxy).toEqual({ mode: 'none' });
    expect(connect('ws://h/', '--pac', 'http://wpad/proxy.pac').options?.proxy).toEqual({
      mode: 'pac',
      source: { kind: 'url', url: 'http://wpad/proxy.pac' },
    });
    expect(connect('ws://h/', '--pac', file('proxy.pac')).options?.proxy).toEqual({
      mode: 'pac',
      source: { kind: 'file', path: file('proxy.pac') },
    });
    expect(connect('ws://h/', '--proxy', 'http://bob:hunter2@p:3128').secrets).toContain('hunter2');
  });

  it('answers --help for each command', () => {
    for (const args of [[], ['--help'], ['connect', '--help'], ['resolve', '-h'], ['connect', 'ws://h/', '--help']]) {
      const command = parseCommandLine(args);
      expect(command.kind).toBe('help');
      if (command.kind === 'help') expect(command.text).toMatch(/^Usage|tunnelscope/);
    }
    const connectHelp = parseCommandLine(['connect', '--help']);
    if (connectHelp.kind === 'help') for (const flagName of ['--proxy', '--system-proxy', '--env-proxy', '--send-binary', '--listen', '--json']) expect(connectHelp.text).toContain(flagName);
  });
});

describe('parseCommandLine: resolve', () => {
  it('carries --proxy-user into a manual proxy so the decision knows credentials will be sent', () => {
    const command = parseCommandLine(['resolve', 'ws://h/', '--proxy', 'http://p:1', '--proxy-user', 'u:secret', '--json']);
    expect(command).toEqual({
      kind: 'resolve',
      url: 'ws://h/',
      proxy: { mode: 'manual', url: 'http://p:1', username: 'u', password: 'secret' },
      json: true,
      secrets: ['secret'],
      visibleSecrets: [{ where: 'the password in --proxy-user', instead: expect.stringContaining('TUNNELSCOPE_PROXY_USER') }],
    });
  });

  it('does not take connect-only flags', () => {
    expect(usageError(['resolve', 'ws://h/', '--send', 'x'])).toContain('unknown option --send');
  });
});
