/**
 * The CLI reads the server URL, --proxy and a --pac URL with the engine's own parser
 * (shared/endpoint-url.ts): port 0, a zone id or a URL two parsers read differently is a usage
 * error that names the flag and the problem, with credentials hidden; for resolve as for connect.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../../src-main/cli/parse-args';

function usageError(args: string[]): UsageError {
  try {
    parseCommandLine(args);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no usage error for ${args.join(' ')}`);
}

describe('URLs on the command line', () => {
  it.each<[string[], string]>([
    [['connect', 'ws://127.0.0.1:0/'], 'the URL "ws://127.0.0.1:0/": port 0 is not a port'],
    [['resolve', 'wss://h:70000/'], 'the URL "wss://h:70000/": port 70000 is out of range'],
    [['connect', 'ws://[fe80::1%25eth0]:8080/'], 'the IPv6 zone id "eth0" is not supported'],
    [['connect', 'ws://good\\@evil/'], 'a backslash is not allowed in a server URL'],
    [['connect', 'ws://h/', '--proxy', 'http://127.0.0.1:0'], '--proxy "http://127.0.0.1:0": port 0 is not a port'],
    [['resolve', 'ws://h/', '--proxy', 'socks5://[fe80::1%eth0]:1080'], '--proxy "socks5://[fe80::1%eth0]:1080": the IPv6 zone id "eth0"'],
    [['connect', 'ws://h/', '--proxy', 'http://127.0.0.1:13129\\@127.0.0.1:18999'], '--proxy "http://***@127.0.0.1:18999": a backslash is not allowed in a proxy URL'],
    [['connect', 'ws://h/', '--pac', 'http://pac:0/p.pac'], '--pac "http://pac:0/p.pac": port 0 is not a port'],
    [['resolve', 'ws://h/', '--pac', 'HTTPS://pac.corp.\t/p.pac'], '--pac "HTTPS://pac.corp.\\t/p.pac": a tab is not allowed in a PAC URL'],
  ])('%j', (args, message) => {
    const error = usageError(args);
    expect(error.message).toContain(message);
  });

  it('never shows a password from a refused proxy URL', () => {
    const error = usageError(['connect', 'ws://h/', '--proxy', 'http://alice:hunter2@proxy:0']);
    expect(error.message).toContain('port 0 is not a port');
    expect(error.message).not.toContain('hunter2');
  });

  it('takes the same URLs written plainly', () => {
    const command = parseCommandLine(['connect', 'WS://127.0.0.1:8080/x', '--proxy', 'HTTP://[::1]:3128']);
    expect(command).toMatchObject({ kind: 'connect', options: { url: 'WS://127.0.0.1:8080/x', proxy: { mode: 'manual', url: 'HTTP://[::1]:3128' } } });
  });
});
