/** `npm run web -- [--port <n>] [--host <addr>]`: what is accepted, and the messages for what is not. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_PORT, isLoopback, parseWebHostArgs, UsageError } from '../../../src-main/web/args';

describe('parseWebHostArgs', () => {
  it('defaults to 127.0.0.1 and the default port, marked as not given', () => {
    expect(parseWebHostArgs([])).toEqual({ host: DEFAULT_HOST, port: DEFAULT_PORT, portGiven: false, hostGiven: false, help: false });
  });

  it.each([
    [['--port', '0'], { port: 0, portGiven: true }],
    [['--port=8080'], { port: 8080 }],
    [['--port', '65535'], { port: 65535 }],
    [['--host', '0.0.0.0'], { host: '0.0.0.0', hostGiven: true }],
    [['--host', '[::1]'], { host: '::1' }],
    [['--host', 'my-box.lan'], { host: 'my-box.lan' }],
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
