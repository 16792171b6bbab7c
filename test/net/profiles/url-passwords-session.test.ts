/**
 * A profile whose server URL and PAC URL carry `bob:hunter2`, connected for real on 127.0.0.1:
 * the server and the PAC file both demand those Basic credentials, and get them; yet the
 * password shows up in none of the outputs — events, session:list, HAR and NDJSON exports,
 * profiles list/show (text and --json), the CLI's connect transcript and resolve output.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { runProfiles } from '../../../src-main/cli/profiles-command';
import { runResolve } from '../../../src-main/cli/resolve-command';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import type { EngineEvent } from '../../../src-main/shared/events';
import { fakeIo } from '../../unit/cli/fake-engine';
import { makeTempDir, valueOf } from '../../unit/profiles/profile-fixtures';

const PASSWORD = 'hunter2';
const BASIC = `Basic ${Buffer.from(`bob:${PASSWORD}`).toString('base64')}`;
const PAC = 'function FindProxyForURL(url, host) { return "DIRECT"; }';

interface Server {
  port: number;
  /** Authorization headers of the PAC requests and WebSocket upgrades, in order. */
  seen: { what: 'pac' | 'upgrade'; authorization: string | undefined }[];
  close(): Promise<void>;
}

/** One HTTP server for both: /proxy.pac and the WebSocket upgrade answer 401 without bob:hunter2. */
async function startServer(): Promise<Server> {
  const seen: Server['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ what: 'pac', authorization: req.headers.authorization });
    if (req.headers.authorization !== BASIC) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="pac"' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' }).end(PAC);
  });
  const wss = new WebSocketServer({
    server,
    verifyClient: (info, done) => {
      seen.push({ what: 'upgrade', authorization: info.req.headers.authorization });
      if (info.req.headers.authorization === BASIC) done(true);
      else done(false, 401, 'Unauthorized');
    },
  });
  wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    seen,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let temp: ReturnType<typeof makeTempDir>;
let engine: Engine;
let server: Server;
let events: EngineEvent[];

beforeEach(async () => {
  temp = makeTempDir();
  server = await startServer();
  engine = new Engine({ host: 'cli', version: '0.0.0-test', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  events = [];
  engine.onEvent((event) => events.push(event));
});

afterEach(async () => {
  await engine.dispose();
  await server.close();
  temp.cleanup();
});

function serverUrl(): string {
  return `ws://bob:${PASSWORD}@127.0.0.1:${server.port}/feed`;
}

function pacUrl(): string {
  return `http://bob:${PASSWORD}@127.0.0.1:${server.port}/proxy.pac`;
}

async function saveProfile(): Promise<string> {
  const saved = valueOf(
    await engine.call('profiles:save', {
      profile: { name: 'creds', url: serverUrl(), proxy: { mode: 'pac', pac: { kind: 'url', url: pacUrl() } }, tls: {} },
    }),
  );
  return saved.id;
}

function nextEvent(match: (event: EngineEvent) => boolean): Promise<EngineEvent> {
  const found = events.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    const stop = engine.onEvent((event) => {
      if (!match(event)) return;
      stop();
      resolve(event);
    });
  });
}

function expectNoPassword(text: string): void {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(BASIC.slice('Basic '.length));
}

describe('server and PAC URL passwords on the wire and in every output', () => {
  it('authenticates the PAC fetch and the upgrade, and no event, list or export holds the password', async () => {
    const profileId = await saveProfile();
    const { sessionId } = valueOf(await engine.call('session:open', { profileId }));
    const final = await nextEvent((e) => e.type === 'state' && e.sessionId === sessionId && ['open', 'failed', 'closed'].includes(e.state));
    expect(final).toMatchObject({ state: 'open' });
    expect(server.seen).toEqual([
      { what: 'pac', authorization: BASIC },
      { what: 'upgrade', authorization: BASIC },
    ]);

    const created = events.find((e) => e.type === 'session-created');
    expect(created).toMatchObject({ url: `ws://bob@127.0.0.1:${server.port}/feed` });
    expectNoPassword(JSON.stringify(events));
    expectNoPassword(JSON.stringify(await engine.call('session:list', {})));
    for (const format of ['har', 'ndjson'] as const) {
      const exported = valueOf(await engine.call('frames:export', { sessionId, format }));
      expect(exported.text).toContain(`127.0.0.1:${server.port}`);
      expectNoPassword(exported.text);
    }
  });

  it('profiles list and show (text and --json) say "set", never the password', async () => {
    await saveProfile();
    for (const args of [['profiles', 'list'], ['profiles', 'list', '--json'], ['profiles', 'show', 'creds'], ['profiles', 'show', 'creds', '--json']]) {
      const command = parseCommandLine(args);
      if (command.kind !== 'profiles') throw new Error(`not a profiles command: ${args.join(' ')}`);
      const io = fakeIo();
      expect(await runProfiles(command, engine, io)).toBe(0);
      const output = io.stdoutText() + io.stderrText();
      expect(output).toContain(`bob@127.0.0.1:${server.port}`);
      expectNoPassword(output);
    }
    const io = fakeIo();
    const show = parseCommandLine(['profiles', 'show', 'creds']);
    if (show.kind !== 'profiles') throw new Error('not a profiles command');
    await runProfiles(show, engine, io);
    expect(io.stdoutText()).toMatch(/URL password\s+set \(encrypted\)/);
    expect(io.stdoutText()).toMatch(/PAC URL password\s+set \(encrypted\)/);
  });

  it('connect --profile authenticates, and its transcript (text and --json) never holds the password', async () => {
    await saveProfile();
    for (const json of [false, true]) {
      const command = parseCommandLine(['connect', '--profile', 'creds', '--send', 'hello', ...(json ? ['--json'] : [])]);
      if (command.kind !== 'connect') throw new Error('not a connect command');
      const io = fakeIo();
      expect(await runConnect(command, engine, io)).toBe(0);
      const output = io.stdoutText() + io.stderrText();
      expect(output).toContain('hello');
      expectNoPassword(output);
    }
    expect(server.seen.filter((s) => s.what === 'upgrade').map((s) => s.authorization)).toEqual([BASIC, BASIC]);
  });

  it('connect and resolve with the credentials on the command line echo neither the password nor its Basic token', async () => {
    for (const json of [false, true]) {
      const connect = parseCommandLine(['connect', serverUrl(), '--pac', pacUrl(), '--send', 'hello', ...(json ? ['--json'] : [])]);
      if (connect.kind !== 'connect') throw new Error('not a connect command');
      const io = fakeIo();
      expect(await runConnect(connect, engine, io)).toBe(0);
      expectNoPassword(io.stdoutText() + io.stderrText());

      const resolve = parseCommandLine(['resolve', serverUrl(), '--pac', pacUrl(), ...(json ? ['--json'] : [])]);
      if (resolve.kind !== 'resolve') throw new Error('not a resolve command');
      const resolveIo = fakeIo();
      expect(await runResolve(resolve, engine, resolveIo)).toBe(0);
      const output = resolveIo.stdoutText() + resolveIo.stderrText();
      expect(output).toContain('DIRECT');
      expectNoPassword(output);
    }
  });

  it('a resolve whose PAC fetch fails names the PAC URL without its password', async () => {
    const wrong = `http://bob:${PASSWORD}-wrong@127.0.0.1:${server.port}/proxy.pac`;
    const resolve = parseCommandLine(['resolve', serverUrl(), '--pac', wrong]);
    if (resolve.kind !== 'resolve') throw new Error('not a resolve command');
    const io = fakeIo();
    expect(await runResolve(resolve, engine, io)).toBe(1);
    const output = io.stdoutText() + io.stderrText();
    expect(output).toContain('401');
    expectNoPassword(output);
  });
});
