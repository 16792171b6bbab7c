/**
 * Text from outside printed by the CLI cannot act on the terminal: a profile named with an
 * OSC title sequence, a BEL and a screen clear, a server whose 401 page and reason carry escape
 * sequences, a URL with them. Run in-process against a real engine (profiles in a temp folder)
 * and a server on 127.0.0.1; the raw bytes written must hold no ESC, BEL, C1 control or bidi
 * override (with colours on: no ESC but the palette's own colour codes).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import type { CliIo } from '../../../src-main/cli/cli-io';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine, UsageError } from '../../../src-main/cli/parse-args';
import { runProfiles } from '../../../src-main/cli/profiles-command';
import { runResolve } from '../../../src-main/cli/resolve-command';
import { terminalLine } from '../../../src-main/cli/terminal-text';
import { makeTempDir, plainProfileInput, valueOf } from '../../unit/profiles/profile-fixtures';

const EVIL = '\u001b]0;pwned\u0007evil\u001b[2J\u202e\u009b31m';

/** No escape sequence at all (no colours), or only SGR colour codes (colours on). */
function expectInert(raw: string, colours: boolean): void {
  const withoutSgr = colours ? raw.replace(/\u001b\[[0-9;]*m/g, '') : raw;
  expect(withoutSgr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
}

let temp: ReturnType<typeof makeTempDir>;
let engine: Engine;
let server: http.Server | undefined;

beforeEach(() => {
  temp = makeTempDir();
  engine = new Engine({ host: 'cli', version: 'test', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
});

afterEach(async () => {
  await engine.dispose();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  temp.cleanup();
});

/** Answers every upgrade with a 401 whose page is full of escape sequences. */
async function startHostileServer(): Promise<number> {
  const created = http.createServer();
  server = created;
  created.on('upgrade', (_request: http.IncomingMessage, socket: net.Socket) => {
    const body = `denied ${EVIL}\r\nsecond line \u001b[1A\u001b[K`;
    socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  const address = created.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A profile named `name` as profiles.json may hold it from before names refused control and
 * bidi characters (shared/name-characters.ts): saved under a stand-in name, then renamed in the file.
 */
async function savedBeforeTheNameRule(name: string, url?: string): Promise<void> {
  const standIn = `stand-in-${Math.random().toString(36).slice(2)}`;
  valueOf(await engine.call('profiles:save', { profile: plainProfileInput(standIn, url) }));
  const file = path.join(temp.dir, 'profiles.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(JSON.stringify(standIn), JSON.stringify(name)));
}

/** Runs one CLI command in-process and returns what it wrote to stdout and stderr together. */
async function run(argv: string[], colours = false): Promise<string> {
  let command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    // What main() prints for a usage error.
    if (error instanceof UsageError) return `tunnelscope: ${error.message}\n`;
    throw error;
  }
  const stdout = Object.assign(new PassThrough(), { isTTY: colours });
  const stderr = new PassThrough();
  let raw = '';
  stdout.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  const stdin = new PassThrough();
  stdin.end();
  const io: CliIo = { stdout, stderr, stdin, env: {}, onInterrupt: () => () => undefined };
  if (command.kind === 'connect') await runConnect(command, engine, io);
  else if (command.kind === 'profiles') await runProfiles(command, engine, io);
  else if (command.kind === 'resolve') await runResolve(command, engine, io);
  else throw new Error(`unexpected command ${command.kind}`);
  return raw;
}

describe('user text printed to a terminal is escaped', () => {
  it('profiles list and show: the name is shown escaped, in plain text, in colour and in --json', async () => {
    await savedBeforeTheNameRule(EVIL);
    for (const colours of [false, true]) {
      const list = await run(['profiles', 'list'], colours);
      expectInert(list, colours);
      expect(list).toContain('\\x1b]0;pwned\\x07evil\\x1b[2J\\u202e\\u009b31m');
      const show = await run(['profiles', 'show', EVIL], colours);
      expectInert(show, colours);
      expect(show).toContain('evil');
    }
    const exported = await run(['profiles', 'export']);
    expectInert(exported, false);
    expect(exported).toContain('tunnelscope-profiles');
    const json = await run(['profiles', 'list', '--json']);
    expectInert(json, false);
    // Still JSON, with the name as it is.
    const parsed: unknown = JSON.parse(json);
    expect(JSON.stringify(parsed)).toContain(JSON.stringify(EVIL).slice(1, -1));
  });

  it('connect: a profile that is not there, and a server whose answer carries escape sequences', async () => {
    valueOf(await engine.call('profiles:save', { profile: plainProfileInput('plain') }));
    const missing = await run(['connect', '--profile', EVIL]);
    expectInert(missing, false);
    expect(missing).toContain('there is no profile named');

    const port = await startHostileServer();
    await savedBeforeTheNameRule(`${EVIL} two`, `ws://127.0.0.1:${port}/`);
    for (const colours of [false, true]) {
      const human = await run(['connect', '--profile', `${EVIL} two`], colours);
      expectInert(human, colours);
      expect(human).toContain('denied \\x1b]0;pwned');
    }
    const json = await run(['connect', `ws://127.0.0.1:${port}/`, '--no-proxy', '--json']);
    expectInert(json, false);
    expect(json).toContain('"type":"error"');
  });

  it('profiles import: the problems quote the file\'s text escaped (such a name is refused now: the good file has a plain one)', async () => {
    const exported = (url: string, name = EVIL): string =>
      JSON.stringify({
        format: 'tunnelscope-profiles',
        version: 2,
        exportedAt: '2026-01-01T00:00:00.000Z',
        containsSecrets: false,
        profiles: [{ name, url, headers: [], subprotocols: [], proxy: { mode: 'none', caFiles: [] }, tls: { caFiles: [], insecure: false }, handshakeTimeoutMs: 10000, savedMessages: [] }],
      });
    const bad = path.join(temp.dir, 'bad.json');
    fs.writeFileSync(bad, exported(`ftp://h/${EVIL}`));
    const problems = await run(['profiles', 'import', bad]);
    expectInert(problems, false);
    expect(problems).toContain('problem');
    const good = path.join(temp.dir, 'good.json');
    fs.writeFileSync(good, exported('ws://h.test/', 'plain'));
    const imported = await run(['profiles', 'import', good], true);
    expectInert(imported, true);
    expect(imported).toContain('Imported 1 profile');
  });

  it('resolve: a URL and a proxy URL with escape sequences', async () => {
    for (const colours of [false, true]) {
      const url = await run(['resolve', `ws://h.test/${EVIL}`, '--no-proxy'], colours);
      expectInert(url, colours);
      expect(url).toContain('evil');
      const proxy = await run(['resolve', 'ws://h.test/', '--proxy', `http://p${EVIL}:3128`], colours);
      expectInert(proxy, colours);
    }
  });
});

describe('terminalLine', () => {
  it('keeps only SGR colour codes when colouring, nothing when not', () => {
    const line = '\u001b[1mbold\u001b[22m \u001b]0;t\u0007 \u001b[2J';
    expect(terminalLine(line, true)).toBe('\u001b[1mbold\u001b[22m \\x1b]0;t\\x07 \\x1b[2J');
    expect(terminalLine(line, false)).toBe('\\x1b[1mbold\\x1b[22m \\x1b]0;t\\x07 \\x1b[2J');
    expect(terminalLine('a\u202eb\u2066c\u0085\u007f', false)).toBe('a\\u202eb\\u2066c\\u0085\\u007f');
  });
});
