/**
 * A proxy or server that echoes the credentials it got (in a header, in the body of its
 * 407/401/403, percent-encoded, as the Basic token) must not get them shown: the engine
 * redacts the session's secret values wherever they come back, in events, exports and what
 * the CLI prints (human and --json). Everything on 127.0.0.1.
 */
import http from 'node:http';
import type net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import { HumanPrinter, PLAIN } from '../../../src-main/cli/human-output';
import { JsonPrinter } from '../../../src-main/cli/json-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import type { CliIo } from '../../../src-main/cli/cli-io';
import { startFakeProxy, type FakeProxy } from '../../support/fake-proxy';

const PASSWORD = 'pa ss/wörd%42';
const TOKEN = 'tok-3f9a1c77e2';

/** Every way the secrets above could be written back. */
const FORMS = [
  PASSWORD,
  encodeURIComponent(PASSWORD),
  Buffer.from(`alice:${PASSWORD}`).toString('base64'),
  TOKEN,
];

function expectNoSecret(text: string): void {
  for (const form of FORMS) expect(text).not.toContain(form);
}

/** An answer that repeats what it was sent: the credential header, the password, in headers and body. */
function echoingAnswer(status: string, credential: string, challenge: string): string {
  const body = `<html><body>Denied for ${credential}; password ${PASSWORD} (${encodeURIComponent(PASSWORD)}); token ${TOKEN}</body></html>`;
  return [
    `HTTP/1.1 ${status}`,
    challenge,
    `X-Echo: ${credential}`,
    `X-Password: ${encodeURIComponent(PASSWORD)} ${TOKEN}`,
    'Content-Type: text/html',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

let engine: Engine | undefined;
let proxy: FakeProxy | undefined;
let server: http.Server | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await proxy?.close();
  proxy = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** An upgrade target that answers every upgrade with `status`, echoing the Authorization header. */
async function startEchoingServer(status: string): Promise<number> {
  const created = http.createServer();
  server = created;
  created.on('upgrade', (request: http.IncomingMessage, socket: net.Socket) => {
    socket.end(echoingAnswer(status, request.headers.authorization ?? '', 'WWW-Authenticate: Bearer realm="api"'));
  });
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  const address = created.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Opens one session and returns its events once it has closed, with both exports. */
async function runSession(options: ConnectionOptionsInput): Promise<{ events: EngineEvent[]; exports: string[] }> {
  const current = new Engine({ host: 'cli', version: 'test', env: {} });
  engine = current;
  const events: EngineEvent[] = [];
  let sawClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (sawClosed = resolve));
  current.onEvent((event) => {
    events.push(event);
    if (event.type === 'closed') sawClosed();
  });
  const opened = await current.call('session:open', { options });
  if (!opened.ok) throw new Error(opened.error.message);
  await closed;
  const exports: string[] = [];
  for (const format of ['har', 'ndjson'] as const) {
    const exported = await current.call('frames:export', { sessionId: opened.value.sessionId, format });
    if (!exported.ok) throw new Error(exported.error.message);
    exports.push(exported.value.text);
  }
  const listed = await current.call('session:list', {});
  if (listed.ok) exports.push(JSON.stringify(listed.value));
  return { events, exports };
}

/** What the CLI's printers make of the events, with a Scrubber that knows no secret (the engine's redaction alone). */
function printed(events: readonly EngineEvent[]): string {
  const lines: string[] = [];
  const writer = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
  const human = new HumanPrinter(writer, PLAIN, new Scrubber([]));
  const json = new JsonPrinter((line) => lines.push(line), new Scrubber([]), () => Promise.resolve(undefined));
  for (const event of events) {
    if (event.type === 'proxy-decision') {
      human.decision(event);
      json.decision(event);
    } else if (event.type === 'handshake') {
      human.handshake(event);
      json.handshake(event);
    } else if (event.type === 'error') {
      human.error(event.error);
      json.error(event.error);
    } else if (event.type === 'closed') {
      human.closed(event);
      json.closed(event);
    }
  }
  return lines.join('\n');
}

describe('secrets echoed back are redacted by value', () => {
  it.each([
    ['407 Proxy Authentication Required', 'PROXY_AUTH_FAILED'],
    ['403 Forbidden', 'PROXY_REFUSED'],
  ])('a proxy that repeats the Proxy-Authorization token and the password in its %s', async (status, code) => {
    proxy = await startFakeProxy(({ socket, header }) => {
      socket.end(echoingAnswer(status, header('proxy-authorization') ?? '', 'Proxy-Authenticate: Basic realm="corp"'));
    });
    const { events, exports } = await runSession({
      url: 'ws://echo.test/',
      proxy: { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` },
      proxyAuth: { username: 'alice', password: PASSWORD },
      // Set to Basic, the token goes with the first CONNECT (under Auto, only after a 407), so the 403 has it to echo.
      proxyAuthScheme: 'basic',
      headers: [{ name: 'X-Api-Key', value: TOKEN }],
      proxyTimeoutMs: 5000,
    });
    const error = events.find((event) => event.type === 'error');
    expect(error?.type === 'error' ? error.error.code : undefined).toBe(code);
    const all = JSON.stringify(events);
    // The proxy's answer is still there to read, with the secrets replaced.
    expect(all).toContain('Denied for Basic ••••••');
    expect(all).toContain('X-Password');
    expectNoSecret(all);
    for (const text of exports) expectNoSecret(text);
    expectNoSecret(printed(events));
  });

  it('a server that repeats the Authorization header (not marked secret) and a URL password in its 401 and 403', async () => {
    for (const status of ['401 Unauthorized', '403 Forbidden']) {
      const port = await startEchoingServer(status);
      const { events, exports } = await runSession({
        url: `ws://alice:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/`,
        proxy: { mode: 'none' },
        headers: [{ name: 'Authorization', value: `Bearer ${TOKEN}` }],
      });
      const error = events.find((event) => event.type === 'error');
      expect(error?.type === 'error' ? error.error.stage : undefined).toBe('upgrade');
      const all = JSON.stringify(events);
      // The whole header value is a secret, so the scheme word goes with it.
      expect(all).toContain('Denied for ••••••');
      expectNoSecret(all);
      for (const text of exports) expectNoSecret(text);
      expectNoSecret(printed(events));
      await engine?.dispose();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      server = undefined;
    }
  });

  it('the CLI, human and --json, shows none of it', async () => {
    const port = await startEchoingServer('401 Unauthorized');
    for (const json of [false, true]) {
      const argv = ['connect', `ws://alice:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/`, '--no-proxy', '-H', `Authorization: Bearer ${TOKEN}`, ...(json ? ['--json'] : [])];
      const command = parseCommandLine(argv);
      if (command.kind !== 'connect') throw new Error('not a connect command');
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let text = '';
      stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      const stdin = new PassThrough();
      stdin.end();
      const io: CliIo = { stdout, stderr, stdin, env: {}, onInterrupt: () => () => undefined };
      const current = new Engine({ host: 'cli', version: 'test', env: {} });
      engine = current;
      const code = await runConnect(command, current, io);
      expect(code).toBe(1);
      expect(text).toContain('401');
      expectNoSecret(text);
      await current.dispose();
    }
  });
});
