/** `npm run web -- [--port <n>] [--host <addr>] [--tls | --insecure-http] [--max-…-mb <n>]`: what is accepted, and the messages for what is not. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_MAX_BUFFERED_MB, DEFAULT_MAX_MESSAGE_MB, DEFAULT_PORT, isLoopback, parseWebHostArgs, USAGE, UsageError } from '../../../src-main/web/args';

const MIB = 1024 * 1024;

describe('parseWebHostArgs', () => {
  it('defaults to 127.0.0.1 and the default port, marked as not given', () => {
    expect(parseWebHostArgs([])).toEqual({
      host: DEFAULT_HOST,
      port: DEFAULT_PORT,
      portGiven: false,
      hostGiven: false,
      tls: false,
      insecureHttp: false,
      maxMessageBytes: DEFAULT_MAX_MESSAGE_MB * MIB,
      maxBufferedBytes: DEFAULT_MAX_BUFFERED_MB * MIB,
      help: false,
    });
  });

  it.each([
    [['--port', '0'], { port: 0, portGiven: true }],
    [['--port=8080'], { port: 8080 }],
    [['--port', '65535'], { port: 65535 }],
    [['--host', '0.0.0.0', '--tls'], { host: '0.0.0.0', hostGiven: true, tls: true, insecureHttp: false }],
    [['--host', '[::1]'], { host: '::1', tls: false }],
    [['--host', 'localhost'], { host: 'localhost', tls: false }],
    [['--host', 'my-box.lan', '--insecure-http'], { host: 'my-box.lan', tls: false, insecureHttp: true }],
    [['--tls'], { host: DEFAULT_HOST, tls: true }],
    [['--max-message-mb', '2'], { maxMessageBytes: 2 * MIB }],
    [['--max-buffered-mb=64'], { maxBufferedBytes: 64 * MIB }],
    [['-h'], { help: true }],
  ])('%j → %j', (argv, expected) => {
    expect(parseWebHostArgs(argv)).toMatchObject(expected);
  });

  it.each([
    [['--port', '65536'], '--port must be a whole number from 0 to 65535, not "65536"'],
    [['--port', '-1'], 'option'],
    [['--port', '80x'], 'not "80x"'],
    [['--port', ''], 'not ""'],
    [['--port'], "Option '--port <value>' argument missing"],
    [['--host', 'evil host'], '--host must be an IP address or a host name'],
    [['--host', 'a..b'], '--host must be an IP address or a host name'],
    [['--verbose'], "Unknown option '--verbose'"],
    [['serve'], "Unexpected argument 'serve'"],
    [['--max-message-mb', '0'], '--max-message-mb must be a whole number of MiB from 1 to 512, not "0"'],
    [['--max-message-mb', '513'], 'from 1 to 512, not "513"'],
    [['--max-message-mb', '1.5'], 'not "1.5"'],
    [['--max-message-mb', '4MB'], 'not "4MB"'],
    [['--max-buffered-mb', ''], '--max-buffered-mb must be a whole number of MiB from 1 to 4096, not ""'],
    [['--max-buffered-mb', '99999'], 'not "99999"'],
    [['--tls', '--insecure-http'], '--tls and --insecure-http contradict each other'],
  ])('%j is a usage error mentioning %s', (argv, message) => {
    expect(() => parseWebHostArgs(argv)).toThrow(UsageError);
    expect(() => parseWebHostArgs(argv)).toThrow(message);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['128.0.0.1', false],
    ['my-box.lan', false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});

describe('a non-loopback --host needs TLS or an explicit --insecure-http', () => {
  it.each([['0.0.0.0'], ['::'], ['192.168.1.5'], ['my-box.lan'], ['[2001:db8::1]']])('--host %s alone is refused, and the message says what to add', (host) => {
    expect(() => parseWebHostArgs(['--host', host])).toThrow(UsageError);
    expect(() => parseWebHostArgs(['--host', host])).toThrow(/is not a loopback address: add --tls .* --insecure-http/);
  });

  it.each([['--tls'], ['--insecure-http']])('--host 0.0.0.0 %s is served', (flag) => {
    expect(parseWebHostArgs(['--host', '0.0.0.0', flag])).toMatchObject({ host: '0.0.0.0' });
  });

  it.each([['127.0.0.1'], ['127.0.0.2'], ['::1'], ['localhost']])('loopback --host %s needs neither', (host) => {
    expect(parseWebHostArgs(['--host', host])).toMatchObject({ host: host, tls: false, insecureHttp: false });
  });

  it('the usage text lists the new flags', () => {
    for (const flag of ['--tls', '--insecure-http', '--max-message-mb', '--max-buffered-mb']) expect(USAGE).toContain(flag);
  });
});
