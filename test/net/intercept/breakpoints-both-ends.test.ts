/**
 * Breakpoints, edits, drops, injections and closes through the intercepting proxy, checked at
 * both ends: what the server received and what the client received. The client is a Node `ws`
 * process configured as an application would be (HTTPS_PROXY and NODE_EXTRA_CA_CERTS,
 * test/support/env-proxy-ws-client.mjs); the server a local wss:// server that records what
 * it gets. Everything is driven through the engine's `intercept:*` commands, as the app does,
 * directly and with a real Squid as the upstream. The log keeps each change marked, and both
 * exports carry the marks.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { Engine } from '../../../src-main/core/engine';
import { loadOrCreateInterceptCa, type InterceptCa } from '../../../src-main/core/intercept/intercept-ca';
import { InterceptProxy } from '../../../src-main/core/intercept/intercept-proxy';
import { LeafCertificates } from '../../../src-main/core/intercept/leaf-certificates';
import type { UpstreamChoice } from '../../../src-main/core/intercept/upstream-options';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { FrameSummary } from '../../../src-main/shared/model';
import { testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { squidMissing, startSquid, type RunningSquid } from '../../support/squid';
import { waitUntil } from '../../support/wait-until';

const CLIENT_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../support/env-proxy-ws-client.mjs');

/** A wss:// server that records every message and close it gets, and sends on demand. */
interface RecordingServer {
  url: string;
  received: { text: string; binary: boolean }[];
  closes: { code: number; reason: string }[];
  send(data: string | Buffer): void;
  close(): Promise<void>;
}

async function startRecordingServer(): Promise<RecordingServer> {
  const pair = trustedServer();
  const server = https.createServer({ cert: pair.cert, key: pair.key });
  const wss = new WebSocketServer({ server });
  const received: RecordingServer['received'] = [];
  const closes: RecordingServer['closes'] = [];
  let peer: WebSocket | undefined;
  wss.on('connection', (socket) => {
    peer = socket;
    socket.on('message', (data: Buffer, isBinary: boolean) => received.push({ text: isBinary ? data.toString('hex') : data.toString('utf8'), binary: isBinary }));
    socket.on('close', (code: number, reason: Buffer) => closes.push({ code, reason: reason.toString('utf8') }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `wss://localhost:${port}/trade`,
    received,
    closes,
    send: (data) => peer?.send(data),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The client process: its reports, and a way to drive it. */
interface EnvClient {
  reports: Record<string, unknown>[];
  command(value: Record<string, unknown>): void;
  exited: Promise<number | null>;
  process: ChildProcessWithoutNullStreams;
}

function startEnvClient(proxyUrl: string, caFile: string, target: string): EnvClient {
  const child = spawn(process.execPath, [CLIENT_SCRIPT, target], {
    env: { PATH: process.env['PATH'] ?? '', HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: caFile },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const reports: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      reports.push(JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { reports, command: (value) => child.stdin.write(`${JSON.stringify(value)}\n`), exited, process: child };
}

let dataDir: string;
let ca: InterceptCa;
let pems: PemDir;
let caFile: string;
let server: RecordingServer | undefined;
let running: { engine: Engine; proxy: InterceptProxy; url: string; events: EngineEvent[] } | undefined;
let client: EnvClient | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-breakpoints-'));
  ca = await loadOrCreateInterceptCa({ dataDir, cipher: KeyFileCipher.open(dataDir) });
  caFile = path.join(dataDir, 'tunnelscope-ca.pem');
  fs.writeFileSync(caFile, ca.certPem);
  pems = await writePems({ 'upstream-ca.pem': testCa().cert });
});

afterAll(async () => {
  await pems.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  if (client && client.process.exitCode === null) {
    client.process.kill();
    await client.exited;
  }
  client = undefined;
  if (running) {
    await running.proxy.close();
    await running.engine.dispose();
    const list = await running.engine.call('session:list', {});
    expect(list.ok && list.value.every((s) => s.state === 'closed' || s.state === 'failed')).toBe(true);
    running = undefined;
  }
  await server?.close();
  server = undefined;
});

async function startProxy(choice: Partial<UpstreamChoice>): Promise<NonNullable<typeof running>> {
  const engine = new Engine({ host: 'cli', version: 'test', env: {} });
  const events: EngineEvent[] = [];
  engine.onEvent((event) => events.push(event));
  const proxy = new InterceptProxy({
    engine,
    leaves: new LeafCertificates(ca),
    choice: { proxy: { mode: 'none' }, tls: { caFiles: [pems.path('upstream-ca.pem')] }, deflate: 'strip', ...choice },
    report: () => undefined,
    breakpoints: engine.interceptBreakpoints,
  });
  const address = await proxy.listen('127.0.0.1', 0);
  running = { engine, proxy, url: `http://127.0.0.1:${address.port}`, events };
  return running;
}

/** The id of the held message whose payload is `text` (from the intercept-queue events). */
function heldId(events: EngineEvent[], preview: string): number | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type === 'intercept-queue') return event.held.find((held) => held.preview === preview)?.id;
  }
  return undefined;
}

function clientMessages(c: EnvClient): unknown[] {
  return c.reports.filter((r) => 'message' in r).map((r) => r['message']);
}

async function call<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const answered = await result;
  if (!answered.ok) throw new Error(answered.error.message);
  return answered.value;
}

/** The whole scenario: edit, drop and inject in both directions, then a chosen close; both ends checked. */
async function scenario(choice: Partial<UpstreamChoice>): Promise<{ engine: Engine; sessionId: string }> {
  server = await startRecordingServer();
  const srv = server;
  const { engine, url, events } = await startProxy(choice);
  await call(
    engine.call('intercept:set-breakpoints', {
      rules: [
        { direction: 'out', jsonPath: '$[?(@.type == "order")]' },
        { direction: 'in', text: 'secret' },
        { direction: 'in', kind: 'binary' },
      ],
    }),
  );
  const c = startEnvClient(url, caFile, srv.url);
  client = c;
  await waitUntil('the client opened through the proxy', () => {
    const failed = c.reports.find((r) => 'error' in r);
    if (failed) throw new Error(`the client failed: ${String(failed['error'])}`);
    return c.reports.some((r) => r['open'] === true);
  });
  const sessionId = await waitUntil('the captured session', () => events.find((e) => e.type === 'session-created')?.sessionId);

  // Client → server: an order is held; what follows waits behind it; the edit reaches the server, then the rest in order.
  c.command({ send: '{"type":"order","qty":1}' });
  const orderId = await waitUntil('the order held', () => heldId(events, '{"type":"order","qty":1}'));
  c.command({ send: 'after the order' });
  await waitUntil('the next message queued behind it', () => events.some((e) => e.type === 'intercept-queue' && e.waiting.out === 2));
  expect(srv.received).toEqual([]);
  const badEdit = await engine.call('intercept:forward', { id: orderId, edit: { as: 'json', value: '{"type":"order","qty":' } });
  expect(badEdit.ok ? undefined : badEdit.error).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'edit.value' });
  await call(engine.call('intercept:forward', { id: orderId, edit: { as: 'json', value: '{"type":"order","qty":100}' } }));
  await waitUntil('the server got the edit and the message behind it', () => srv.received.length === 2);
  expect(srv.received.map((m) => m.text)).toEqual(['{"type":"order","qty":100}', 'after the order']);

  // A dropped order never reaches the server; the next message does.
  c.command({ send: '{"type":"order","qty":2}' });
  const secondId = await waitUntil('the second order held', () => heldId(events, '{"type":"order","qty":2}'));
  await call(engine.call('intercept:drop', { id: secondId }));
  c.command({ send: 'after the drop' });
  await waitUntil('the server got the message after the drop', () => srv.received.length === 3);
  expect(srv.received.map((m) => m.text)).toEqual(['{"type":"order","qty":100}', 'after the order', 'after the drop']);

  // Server → client: a secret is held and rewritten; another is dropped; what follows arrives.
  srv.send('secret token 1');
  const secretId = await waitUntil('the secret held', () => heldId(events, 'secret token 1'));
  expect(clientMessages(c)).toEqual([]);
  await call(engine.call('intercept:forward', { id: secretId, edit: { as: 'text', value: 'token redacted' } }));
  srv.send('secret token 2');
  const secondSecret = await waitUntil('the second secret held', () => heldId(events, 'secret token 2'));
  await call(engine.call('intercept:drop', { id: secondSecret }));
  srv.send('visible');
  await waitUntil('the client got the edit and the message after the drop', () => clientMessages(c).length === 2);
  expect(clientMessages(c)).toEqual(['token redacted', 'visible']);

  // A binary server message held and its bytes replaced (typed as hex): the client gets the new bytes, still binary.
  srv.send(Buffer.from([1, 2, 3]));
  const binaryId = await waitUntil('the binary message held', () => heldId(events, '010203'));
  const notHex = await engine.call('intercept:forward', { id: binaryId, edit: { as: 'hex', value: 'ff e' } });
  expect(notHex.ok ? undefined : notHex.error).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'edit.value' });
  await call(engine.call('intercept:forward', { id: binaryId, edit: { as: 'hex', value: 'ff ee' } }));
  await waitUntil('the client got the new bytes', () => clientMessages(c).length === 3);
  expect(c.reports.filter((r) => 'message' in r).at(-1)).toEqual({ message: 'ffee', binary: true });

  // Injected: to the server as if from the client (text), to the client as if from the server (binary).
  await call(engine.call('intercept:inject', { sessionId, direction: 'out', kind: 'text', payload: { as: 'text', value: 'typed in Tunnelscope' } }));
  await call(engine.call('intercept:inject', { sessionId, direction: 'in', kind: 'binary', payload: { as: 'hex', value: 'ca fe' } }));
  await waitUntil('the server got the injection', () => srv.received.length === 4);
  await waitUntil('the client got the injection', () => clientMessages(c).length === 4);
  expect(srv.received.at(-1)).toEqual({ text: 'typed in Tunnelscope', binary: false });
  expect(c.reports.filter((r) => 'message' in r).at(-1)).toEqual({ message: 'cafe', binary: true });

  // Close the client's side with a chosen code: the client sees it, and the server gets the same code after it.
  await call(engine.call('intercept:close-side', { sessionId, side: 'client', code: 4001, reason: 'closed by Tunnelscope' }));
  await waitUntil('the client closed', () => c.reports.find((r) => 'closed' in r));
  expect(c.reports.find((r) => 'closed' in r)).toEqual({ closed: 4001, reason: 'closed by Tunnelscope' });
  await waitUntil('the server saw the close', () => srv.closes.length === 1);
  expect(srv.closes[0]?.code).toBe(4001);
  await waitUntil('the session ended', () => events.some((e) => e.type === 'closed' && e.sessionId === sessionId));
  return { engine, sessionId };
}

async function checkLog(engine: Engine, sessionId: string): Promise<void> {
  const page = await call(engine.call('frames:page', { sessionId, fromSeq: 1, limit: 100 }));
  const data = page.frames.filter((f: FrameSummary) => f.opcode === 'text' || f.opcode === 'binary');
  expect(data.map((f) => [f.dir, f.preview, f.intercept?.action])).toEqual([
    ['out', '{"type":"order","qty":100}', 'edited'],
    ['out', 'after the order', undefined],
    ['out', '{"type":"order","qty":2}', 'dropped'],
    ['out', 'after the drop', undefined],
    ['in', 'token redacted', 'edited'],
    ['in', 'secret token 2', 'dropped'],
    ['in', 'visible', undefined],
    ['in', 'ff ee', 'edited'],
    ['out', 'typed in Tunnelscope', 'injected'],
    ['in', 'ca fe', 'injected'],
  ]);
  const edited = data[0];
  const body = await call(engine.call('frames:get', { sessionId, seq: edited?.seq ?? 0 }));
  expect(body.original?.text).toBe('{"type":"order","qty":1}');
  const ndjson = await call(engine.call('frames:export', { sessionId, format: 'ndjson' }));
  const lines = ndjson.text.trim().split('\n').slice(1).map((line) => JSON.parse(line) as { text?: string; intercept?: unknown });
  expect(lines.filter((l) => l.intercept !== undefined).map((l) => l.intercept)).toEqual([
    { action: 'edited', original: { text: '{"type":"order","qty":1}' } },
    { action: 'dropped' },
    { action: 'edited', original: { text: 'secret token 1' } },
    { action: 'dropped' },
    { action: 'edited', original: { base64: 'AQID' } },
    { action: 'injected' },
    { action: 'injected' },
  ]);
  const har = await call(engine.call('frames:export', { sessionId, format: 'har' }));
  const messages = (JSON.parse(har.text) as { log: { entries: { _webSocketMessages: { data: string; _intercept?: { action: string; original?: { text?: string } } }[] }[] } }).log.entries[0]?._webSocketMessages ?? [];
  expect(messages.filter((m) => m._intercept).map((m) => [m.data, m._intercept?.action, m._intercept?.original?.text])).toEqual([
    ['{"type":"order","qty":100}', 'edited', '{"type":"order","qty":1}'],
    ['{"type":"order","qty":2}', 'dropped', undefined],
    ['token redacted', 'edited', 'secret token 1'],
    ['secret token 2', 'dropped', undefined],
    ['/+4=', 'edited', undefined],
    ['typed in Tunnelscope', 'injected', undefined],
    ['yv4=', 'injected', undefined],
  ]);
}

describe('breakpoints through the intercepting proxy, both ends checked (Node ws client with HTTPS_PROXY and NODE_EXTRA_CA_CERTS)', () => {
  it('direct: edit, drop and inject both ways, a chosen close; the log and both exports keep each change', async () => {
    const { engine, sessionId } = await scenario({});
    await checkLog(engine, sessionId);
  });
});

const squidTitle = `the same with a real Squid as the upstream${squidMissing ? ` (skipped: ${squidMissing})` : ''}`;
describe.skipIf(squidMissing !== undefined)(squidTitle, () => {
  let squid: RunningSquid | undefined;
  beforeAll(async () => {
    squid = await startSquid({ connectPorts: 'any' });
  });
  afterAll(async () => {
    await squid?.stop();
  });

  it('through Squid: edit, drop and inject both ways, a chosen close; the decision names Squid', async () => {
    if (!squid) throw new Error('squid did not start');
    const { engine, sessionId } = await scenario({ proxy: { mode: 'manual', url: squid.url } });
    const decision = running?.events.find((e) => e.type === 'proxy-decision' && e.sessionId === sessionId);
    expect(decision?.type === 'proxy-decision' ? decision.decision.candidates[0]?.url : undefined).toBe(squid.url);
    await checkLog(engine, sessionId);
  });
});
