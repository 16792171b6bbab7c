import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMAND_TOOLS, copyAsCommand, shellQuote, type CommandTool } from '../../../src-main/shared/copy-as-command';
import type { ConnectionOptionsInput, ProxyDecision } from '../../../src-main/shared/model';

/** What a POSIX shell makes of the words: each argument NUL-terminated by printf. */
function shellWords(commandLine: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${commandLine}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const HOSTILE = [
  'plain',
  '',
  'two words',
  "it's",
  "''",
  '"double"',
  '$HOME',
  '${PATH}',
  '`id`',
  '$(id)',
  'a\\b',
  'line1\nline2',
  'tab\there',
  '!bang',
  '#comment',
  '~user',
  '*.txt',
  'a;b|c&d',
  '<password>',
  '-H',
  'ünïcödé ✓',
  "mix 'of' \"all\" $x `y` \\z\n!",
];

describe('shellQuote', () => {
  it.each(HOSTILE)('%j survives a POSIX shell unchanged', (word) => {
    expect(shellWords(shellQuote(word))).toEqual([word]);
  });

  it('leaves safe words bare and quotes the rest', () => {
    expect(shellQuote('wss://echo.example:443/path')).toBe('wss://echo.example:443/path');
    expect(shellQuote('--proxy-user')).toBe('--proxy-user');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe(`''`);
  });
});

const base: ConnectionOptionsInput = { url: 'wss://echo.example/socket?room=1' };

describe('tunnelscope connect', () => {
  it('maps every option, proxy included, secrets as placeholders', () => {
    const copied = copyAsCommand('tunnelscope', {
      url: 'wss://echo.example/a b',
      proxy: { mode: 'manual', url: 'http://alice:hunter2@proxy.corp:3128' },
      proxyCaFiles: ['/etc/proxy ca.pem'],
      headers: [
        { name: 'X-Trace', value: "it's $HOME" },
        { name: 'Authorization', value: 'Bearer tok-123', secret: true },
      ],
      subprotocols: ['chat', 'v2'],
      origin: 'https://app.example',
      tls: { caFiles: ['/tmp/ca.pem'], insecure: true, certFile: '/c.pem', keyFile: '/k.pem', passphrase: 'pw' },
      openTimeoutMs: 5000,
    });
    expect(copied.text).not.toContain('hunter2');
    expect(copied.text).not.toContain('tok-123');
    expect(shellWords(copied.command)).toEqual([
      'TUNNELSCOPE_PROXY_USER=alice:<password>', 'tunnelscope', 'connect', 'wss://echo.example/a%20b',
      '--proxy', 'http://proxy.corp:3128',
      '--proxy-ca', '/etc/proxy ca.pem',
      '-H', "X-Trace: it's $HOME", '-H', 'Authorization: <secret>',
      '--subprotocol', 'chat', '--subprotocol', 'v2',
      '--origin', 'https://app.example',
      '--ca', '/tmp/ca.pem', '--insecure', '--cert', '/c.pem', '--key', '/k.pem',
      '--timeout', '5000',
    ]);
    expect(copied.notes.join('\n')).toContain('replace <password> with the proxy password');
    expect(copied.notes.join('\n')).toContain('replace <secret> with the value of the Authorization header');
    expect(copied.notes.join('\n')).toContain('no option for the key passphrase');
    expect(copied.text.split('\n').slice(0, -1).every((l) => l.startsWith('# '))).toBe(true);
  });

  it.each<[string, ConnectionOptionsInput['proxy'], string[]]>([
    ['no proxy', { mode: 'none' }, ['--no-proxy']],
    ['a PAC URL', { mode: 'pac', source: { kind: 'url', url: 'http://wpad/proxy.pac' } }, ['--pac', 'http://wpad/proxy.pac']],
    ['a PAC file', { mode: 'pac', source: { kind: 'file', path: '/etc/my proxy.pac' } }, ['--pac', '/etc/my proxy.pac']],
    ['an inline PAC script', { mode: 'pac', source: { kind: 'script', script: 'function FindProxyForURL(){return "DIRECT"}' } }, ['--pac', '<pac-file>']],
    ['the environment only', { mode: 'env' }, ['--env-proxy']],
    ['the system settings only, not yet decided', { mode: 'system' }, ['--system-proxy']],
    ['auto, not yet decided (the CLI default)', { mode: 'auto' }, []],
    ['a SOCKS5 proxy', { mode: 'manual', url: 'socks5://s.corp:1080' }, ['--proxy', 'socks5://s.corp:1080']],
  ])('%s', (_name, proxy, words) => {
    const copied = copyAsCommand('tunnelscope', { ...base, proxy });
    expect(shellWords(copied.command).slice(3)).toEqual(words);
  });

  it('carries each deadline changed from its default by its own flag; the other tools say they cannot', () => {
    const words = (options: Partial<ConnectionOptionsInput>): string[] =>
      shellWords(copyAsCommand('tunnelscope', { ...base, proxy: { mode: 'none' }, ...options }).command).slice(4);
    expect(words({})).toEqual([]);
    expect(words({ timeouts: { proxyConnectMs: 10_000, proxyAnswerMs: 15_000 } })).toEqual([]);
    expect(words({ timeouts: { proxyConnectMs: 4000, proxyAnswerMs: 30_000, tlsMs: 5000, upgradeMs: 20_000, openMs: 60_000 } })).toEqual([
      '--proxy-connect-timeout', '4000', '--proxy-answer-timeout', '30000', '--tls-timeout', '5000', '--upgrade-timeout', '20000', '--timeout', '60000',
    ]);
    // A profile's older handshake timeout is the TLS and upgrade deadlines.
    expect(words({ handshakeTimeoutMs: 7000 })).toEqual(['--tls-timeout', '7000', '--upgrade-timeout', '7000']);
    const wscat = copyAsCommand('wscat', { ...base, timeouts: { proxyAnswerMs: 30_000 } });
    expect(wscat.notes).toContain('wscat has no option for the 30000 ms proxy answer deadline');
  });

  it('carries a history other than the default as --keep-frames and --keep-mb', () => {
    const words = (history: ConnectionOptionsInput['history']): string[] =>
      shellWords(copyAsCommand('tunnelscope', { ...base, proxy: { mode: 'none' }, ...(history ? { history } : {}) }).command).slice(4);
    expect(words(undefined)).toEqual([]);
    expect(words({ maxFrames: 1_000_000, maxBytes: 512 * 1024 * 1024 })).toEqual([]);
    expect(words({ maxFrames: 5000 })).toEqual(['--keep-frames', '5000']);
    expect(words({ maxFrames: 5000, maxBytes: 64 * 1024 * 1024 })).toEqual(['--keep-frames', '5000', '--keep-mb', '64']);
    const odd = copyAsCommand('tunnelscope', { ...base, history: { maxBytes: 1.5 * 1024 * 1024 } });
    expect(shellWords(odd.command)).toContain('--keep-mb');
    expect(odd.notes.join('\n')).toContain('rounded to 2 MiB');
    // The other tools keep no history: nothing to carry, nothing to warn about.
    expect(copyAsCommand('wscat', { ...base, history: { maxFrames: 5000 } }).notes.join('\n')).not.toMatch(/keep|history/);
  });

  it('names the decided proxy for a system or auto setting, with a note', () => {
    const decision: ProxyDecision = {
      source: 'system',
      candidates: [{ url: 'http://sys.proxy:8080', protocol: 'http', host: 'sys.proxy', port: 8080, hasCredentials: false }],
      reason: 'Chromium returned PROXY sys.proxy:8080',
    };
    const copied = copyAsCommand('tunnelscope', { ...base, proxy: { mode: 'system' } }, decision);
    expect(shellWords(copied.command).slice(3)).toEqual(['--proxy', 'http://sys.proxy:8080']);
    expect(copied.notes[0]).toContain('chosen by system');
    const undecided = copyAsCommand('tunnelscope', { ...base, proxy: { mode: 'auto' } });
    expect(undecided.notes[0]).toContain('the proxy variables (HTTPS_PROXY, NO_PROXY …), then the system proxy settings');
  });

  it('keeps comment lines single lines, whatever a reason contains', () => {
    const decision: ProxyDecision = {
      source: 'pac',
      candidates: [{ url: 'http://p:1', protocol: 'http', host: 'p', port: 1, hasCredentials: false }],
      reason: 'PAC said\nrm -rf /',
    };
    const copied = copyAsCommand('wscat', { ...base, proxy: { mode: 'pac', source: { kind: 'url', url: 'http://wpad/' } } }, decision);
    const lines = copied.text.split('\n');
    expect(lines.slice(0, -1).every((l) => l.startsWith('# '))).toBe(true);
    expect(lines.at(-1)).toBe(copied.command);
  });
});

describe('wscat', () => {
  it('maps the proxy (credentials as placeholders), headers, subprotocols, origin and TLS', () => {
    const copied = copyAsCommand('wscat', {
      ...base,
      proxy: { mode: 'manual', url: 'http://proxy.corp:3128', username: 'bob', password: 'pw' },
      headers: [{ name: 'X-A', value: '`id`' }],
      subprotocols: ['chat'],
      origin: 'https://app',
      tls: { caFiles: ['/a.pem', '/b.pem'], insecure: true, certFile: '/c.pem', keyFile: '/k.pem', passphrase: 'secret!' },
    });
    expect(copied.text).not.toContain('secret!');
    expect(shellWords(copied.command)).toEqual([
      'wscat', '-c', 'wss://echo.example/socket?room=1',
      '--proxy', 'http://bob:<password>@proxy.corp:3128',
      '-H', 'X-A: `id`', '-s', 'chat', '-o', 'https://app',
      '--ca', '/a.pem', '--cert', '/c.pem', '--key', '/k.pem', '--passphrase', '-n',
    ]);
    expect(copied.notes.join('\n')).toContain('one --ca file: 1 more');
  });

  it('says it cannot use a SOCKS5 proxy or resolve one', () => {
    expect(copyAsCommand('wscat', { ...base, proxy: { mode: 'manual', url: 'socks5://s:1080' } }).notes[0]).toContain('cannot use a SOCKS5 proxy');
    expect(copyAsCommand('wscat', { ...base, proxy: { mode: 'env' } }).notes[0]).toContain('does not resolve proxies');
    expect(shellWords(copyAsCommand('wscat', { ...base, proxy: { mode: 'none' } }).command)).toEqual(['wscat', '-c', 'wss://echo.example/socket?room=1']);
  });
});

describe('websocat', () => {
  it('goes through an HTTP proxy with socat, TLS inside for wss://', () => {
    const copied = copyAsCommand('websocat', {
      ...base,
      proxy: { mode: 'manual', url: 'http://alice:pw@proxy.corp:3128' },
      headers: [{ name: 'X-A', value: "it's" }],
      subprotocols: ['a', 'b'],
      origin: 'https://app',
      tls: { caFiles: ['/ca.pem'], insecure: true },
    });
    expect(shellWords(copied.command)).toEqual([
      'websocat',
      "-H=X-A: it's",
      '--protocol', 'a, b',
      '--origin', 'https://app',
      '-k',
      '-t',
      '--ws-c-uri=wss://echo.example/socket?room=1',
      '--tls-domain=echo.example',
      '-',
      "ws-c:ssl-connect:cmd:socat - 'proxy:proxy.corp:echo.example:443,proxyport=3128,proxyauth=alice:<password>'",
    ]);
    expect(copied.text).not.toContain(':pw');
    expect(copied.notes.join('\n')).toContain('SSL_CERT_FILE');
    // The inner command (run by websocat through sh -c) is itself one socat address word.
    const inner = (shellWords(copied.command).at(-1) ?? '').replace(/^ws-c:ssl-connect:cmd:/, '');
    expect(shellWords(inner)).toEqual(['socat', '-', 'proxy:proxy.corp:echo.example:443,proxyport=3128,proxyauth=alice:<password>']);
  });

  it('uses --socks5 for a SOCKS5 proxy and plain ws:// through socat without TLS', () => {
    expect(shellWords(copyAsCommand('websocat', { url: 'ws://h:8080/x', proxy: { mode: 'manual', url: 'socks5://s:1080' } }).command)).toEqual([
      'websocat', '--socks5', 's:1080', 'ws://h:8080/x',
    ]);
    expect(shellWords(copyAsCommand('websocat', { url: 'ws://h:8080/x', proxy: { mode: 'manual', url: 'http://p:3128' } }).command)).toEqual([
      'websocat', '-t', '--ws-c-uri=ws://h:8080/x', '-', "ws-c:cmd:socat - proxy:p:h:8080,proxyport=3128",
    ]);
  });

  it('says what it cannot do: an https:// proxy, a PEM client certificate', () => {
    const copied = copyAsCommand('websocat', { ...base, proxy: { mode: 'manual', url: 'https://p:443' }, tls: { caFiles: [], insecure: false, certFile: '/c', keyFile: '/k' } });
    expect(shellWords(copied.command)).toEqual(['websocat', 'wss://echo.example/socket?room=1']);
    expect(copied.notes.join('\n')).toContain('cannot speak TLS to an https:// proxy');
    expect(copied.notes.join('\n')).toContain('PKCS#12');
  });

  it('leaves a password in the target URL out, a placeholder in its place', () => {
    const copied = copyAsCommand('websocat', { url: 'wss://u:urlpass@h/' });
    expect(copied.text).not.toContain('urlpass');
    expect(shellWords(copied.command)).toEqual(['websocat', 'wss://u:<url-password>@h/']);
    expect(copied.notes[0]).toBe('replace <url-password> with the password in the server URL (it is secret and never copied)');
  });
});

/**
 * Every kind of secret, through every tool: the value never appears, each tool has a note for
 * it (with the placeholder where the tool has a place for the secret, else why not), and all
 * three leave out the same secrets.
 */
describe('secrets left out, the same in every tool', () => {
  const decision: ProxyDecision = {
    source: 'pac',
    candidates: [{ url: 'http://chosen.proxy:8080', protocol: 'http', host: 'chosen.proxy', port: 8080, hasCredentials: false }],
    reason: 'PAC returned PROXY chosen.proxy:8080',
  };
  type Case = [name: string, options: ConnectionOptionsInput, secret: string, what: string, placeholder: string, placedIn: CommandTool[]];
  const cases: Case[] = [
    ['proxy password in the proxy URL', { ...base, proxy: { mode: 'manual', url: 'http://alice:Pr0xyPass@p.corp:3128' } }, 'Pr0xyPass', 'the proxy password', '<password>', ['tunnelscope', 'wscat', 'websocat']],
    ['proxy password apart from the URL', { ...base, proxy: { mode: 'manual', url: 'http://p.corp:3128', username: 'alice', password: 'Pr0xyPass' } }, 'Pr0xyPass', 'the proxy password', '<password>', ['tunnelscope', 'wscat', 'websocat']],
    ['proxy password for a SOCKS5 proxy', { ...base, proxy: { mode: 'manual', url: 'socks5://alice:Pr0xyPass@s.corp:1080' } }, 'Pr0xyPass', 'the proxy password', '<password>', ['tunnelscope']],
    ['proxy credentials for whichever proxy PAC picks', { ...base, proxy: { mode: 'pac', source: { kind: 'file', path: '/p.pac' } }, proxyAuth: { username: 'alice', password: 'Pr0xyPass' } }, 'Pr0xyPass', 'the proxy password', '<password>', ['tunnelscope', 'wscat', 'websocat']],
    ['a header marked secret', { ...base, headers: [{ name: 'X-Custom', value: 'Cust0mSecret', secret: true }] }, 'Cust0mSecret', 'the value of the X-Custom header', '<secret>', ['tunnelscope', 'wscat', 'websocat']],
    ['an Authorization header not marked secret', { ...base, headers: [{ name: 'Authorization', value: 'Bearer B3arerTok' }] }, 'B3arerTok', 'the value of the Authorization header', '<secret>', ['tunnelscope', 'wscat', 'websocat']],
    ['a Cookie header not marked secret', { ...base, headers: [{ name: 'Cookie', value: 'sid=C00kieVal' }] }, 'C00kieVal', 'the value of the Cookie header', '<secret>', ['tunnelscope', 'wscat', 'websocat']],
    ['an X-Api-Key header not marked secret', { ...base, headers: [{ name: 'X-Api-Key', value: 'Ap1KeyVal' }] }, 'Ap1KeyVal', 'the value of the X-Api-Key header', '<secret>', ['tunnelscope', 'wscat', 'websocat']],
    ['a password in the server URL', { url: 'wss://bob:Ur1Pass@echo.example/' }, 'Ur1Pass', 'the password in the server URL', '<url-password>', ['tunnelscope', 'wscat', 'websocat']],
    ['a password in the PAC URL', { ...base, proxy: { mode: 'pac', source: { kind: 'url', url: 'http://carol:PacPa55@wpad.corp/proxy.pac' } } }, 'PacPa55', 'the password in the PAC URL', '<pac-password>', ['tunnelscope']],
    ['the client key passphrase', { ...base, tls: { certFile: '/c.pem', keyFile: '/k.pem', passphrase: 'K3yPhrase' } }, 'K3yPhrase', "the client key's passphrase", '<passphrase>', []],
  ];

  it.each(cases)('%s', (_name, options, secret, what, placeholder, placedIn) => {
    const copies = COMMAND_TOOLS.map((tool) => copyAsCommand(tool, options, decision));
    for (const copied of copies) {
      expect(copied.text).not.toContain(secret);
      expect(copied.secretsLeftOut.map((s) => s.what)).toEqual([what]);
      const note = copied.notes.find((n) => n.includes(what));
      expect(note, `${copied.tool} has a note for ${what}`).toBeDefined();
      const placed = placedIn.includes(copied.tool);
      expect(copied.secretsLeftOut[0]?.placed).toBe(placed);
      if (placed) {
        expect(copied.command, `${copied.tool} holds ${placeholder}`).toContain(placeholder);
        expect(note).toContain(`replace ${placeholder}`);
      } else {
        expect(note).toMatch(/is left out/);
      }
    }
  });

  it('quotes a proxy URL it cannot read without its credentials', () => {
    for (const tool of COMMAND_TOOLS) {
      const copied = copyAsCommand(tool, { ...base, proxy: { mode: 'manual', url: 'ftp://alice:Unr3adable@p.corp:21' } });
      expect(copied.text).not.toContain('Unr3adable');
      expect(copied.notes.join('\n')).toContain('"ftp://p.corp:21" could not be read');
      expect(copied.secretsLeftOut.map((s) => s.what)).toEqual(['the proxy password']);
    }
  });

  it('leaves out every secret at once, each with its own note, the same list in every tool', () => {
    const options: ConnectionOptionsInput = {
      url: 'wss://bob:Ur1Pass@echo.example/',
      proxy: { mode: 'manual', url: 'http://alice:Pr0xyPass@p.corp:3128' },
      headers: [
        { name: 'Authorization', value: 'Bearer B3arerTok' },
        { name: 'X-Custom', value: 'Cust0mSecret', secret: true },
        { name: 'Accept', value: 'text/plain' },
      ],
      tls: { certFile: '/c.pem', keyFile: '/k.pem', passphrase: 'K3yPhrase' },
    };
    const copies = COMMAND_TOOLS.map((tool) => copyAsCommand(tool, options));
    const lists = copies.map((copied) => copied.secretsLeftOut.map((s) => s.what));
    expect(lists[0]).toHaveLength(5);
    expect(lists[1]).toEqual(lists[0]);
    expect(lists[2]).toEqual(lists[0]);
    for (const copied of copies) {
      for (const secret of ['Ur1Pass', 'Pr0xyPass', 'B3arerTok', 'Cust0mSecret', 'K3yPhrase']) expect(copied.text).not.toContain(secret);
      expect(copied.text).toContain('text/plain');
      for (const what of lists[0] ?? []) expect(copied.notes.some((n) => n.includes(what))).toBe(true);
    }
  });
});
