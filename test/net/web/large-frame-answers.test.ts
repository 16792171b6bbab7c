/**
 * A 20 MiB STOMP message through the real web host, asked for as the detail pane asks (QA H4):
 * the payload's first part (`frames:get` maxBytes), the decoded value (`frames:decode` values:
 * the body cut and said where), the row's summary and the decoded search, all at once while the
 * page does not read. Before, frames:get answered the whole payload as base64 and text (46.7
 * MiB) and frames:decode the body as a 20 MiB string: 66.7 MiB waiting for the page, which the
 * host cut off. Each answer is now a few MiB and the page stays connected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../../../src-main/core/engine';
import { webServerMessageSchema } from '../../../src-main/shared/bridge';
import { commandSchemas } from '../../../src-main/shared/commands';
import { PAYLOAD_PART_BYTES } from '../../../src-main/shared/payload-part';
import { startWebHost, type WebHost } from '../../../src-main/web/server';
import { BIG_STOMP_HEAD, startBigStompServer, type BigStompServer } from '../../support/big-stomp-server';
import { waitUntil } from '../../support/wait-until';

const TOKEN = 'test-token-0123456789abcdefghijklmnop';
const MIB = 1024 * 1024;
const BODY = 20 * MIB;

let site: string;
beforeAll(() => {
  site = mkdtempSync(path.join(tmpdir(), 'tunnelscope-large-frame-'));
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>Tunnelscope</title>');
});
afterAll(() => rmSync(site, { recursive: true, force: true }));

let engine: Engine | undefined;
let host: WebHost | undefined;
let server: BigStompServer | undefined;
let ws: WebSocket | undefined;
afterEach(async () => {
  ws?.terminate();
  await host?.close();
  await engine?.dispose();
  await server?.close();
});

it('answers a 20 MiB frame in parts the page can take, and keeps the page connected', async () => {
  server = await startBigStompServer(BODY);
  engine = new Engine({ host: 'web', version: 'test', env: {} });
  const cutOff: string[] = [];
  // Counts the calls the engine has answered: the host sends each answer right after.
  let answered = 0;
  const real = engine;
  const counting = {
    invoke: async (...args: Parameters<Engine['invoke']>) => {
      const result = await real.invoke(...args);
      answered += 1;
      return result;
    },
    onEvent: real.onEvent.bind(real),
    subscribe: real.subscribe.bind(real),
    clientConnected: real.clientConnected.bind(real),
    clientDisconnected: real.clientDisconnected.bind(real),
  };
  host = await startWebHost({ engine: counting, rendererDir: site, token: TOKEN, log: (line) => cutOff.push(line) });
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${TOKEN}&client=large-frame-answers`, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
  ws = socket;
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const sizes = new Map<number, number>();
  const results = new Map<number, unknown>();
  socket.on('message', (data: Buffer) => {
    const message = webServerMessageSchema.parse(JSON.parse(data.toString('utf8')));
    if (message.type !== 'result') return;
    sizes.set(message.id, data.length);
    results.set(message.id, message.result);
  });
  let nextId = 1;
  const send = (name: string, arg: unknown): number => {
    const id = nextId++;
    socket.send(JSON.stringify({ type: 'call', id, name, arg }));
    return id;
  };
  const answer = (id: number): Promise<unknown> => waitUntil(`the answer to call ${id}`, () => results.get(id));

  const opened = commandSchemas['session:open'].result.safeParse(
    valueOf(await answer(send('session:open', { options: { url: server.url, proxy: { mode: 'none' }, subprotocols: ['v12.stomp'] } }))),
  );
  if (!opened.success) throw new Error('session:open failed');
  const { sessionId } = opened.data;
  await waitUntil('the frame stored', () => engine?.frameBody(sessionId, 1) !== undefined);

  // What the detail pane and the log ask when the row is clicked, and the search; the page
  // reads nothing until every answer is queued.
  socket.pause();
  const before = answered;
  const part = send('frames:get', { sessionId, seq: 1, maxBytes: PAYLOAD_PART_BYTES });
  const detail = send('frames:decode', { sessionId, seqs: [1], values: true });
  const row = send('frames:decode', { sessionId, seqs: [1] });
  const search = send('frames:search', { sessionId, filter: { decoded: { query: '$.frames[1].body =~ /zzz$/' } } });
  const rest = send('frames:get', { sessionId, seq: 1, offset: PAYLOAD_PART_BYTES, maxBytes: PAYLOAD_PART_BYTES });
  await waitUntil('the engine to answer every call', () => answered >= before + 5);
  await new Promise((resolve) => setImmediate(resolve));
  socket.resume();
  for (const id of [part, detail, row, search, rest]) await answer(id);

  expect(socket.readyState).toBe(WebSocket.OPEN);
  expect(cutOff.filter((line) => line.includes('cut off'))).toEqual([]);
  // One part: 1 MiB as base64 and as text, with the JSON around it.
  for (const id of [part, rest]) expect(sizes.get(id)).toBeLessThan(2.5 * MIB);
  expect(sizes.get(detail)).toBeLessThan(1.5 * MIB);
  expect(sizes.get(search)).toBeLessThan(64 * 1024);

  const got = commandSchemas['frames:get'].result.parse(valueOf(results.get(part)));
  expect(got.part).toEqual({ offset: 0, bytes: PAYLOAD_PART_BYTES, totalBytes: server.messageBytes });
  expect(got.text?.startsWith(BIG_STOMP_HEAD)).toBe(true);
  const next = commandSchemas['frames:get'].result.parse(valueOf(results.get(rest)));
  expect(next.part?.offset).toBe(PAYLOAD_PART_BYTES);

  const decoded = commandSchemas['frames:decode'].result.parse(valueOf(results.get(detail)));
  const frame = decoded.frames[0];
  expect(frame?.summary).toMatch(/MESSAGE/);
  const cut = frame?.valueCuts?.find((c) => c.kind === 'string');
  expect(cut?.path).toEqual(['frames', 1, 'body']);
  // What was left out, in bytes: the body less what was sent of it.
  const sent = bodyOf(frame?.value);
  expect(sent.length + (cut?.more ?? 0)).toBe(BODY);

  const found = commandSchemas['frames:search'].result.parse(valueOf(results.get(search)));
  expect(found.matches.map((m) => m.seq)).toEqual([1]);
}, 120_000);

function valueOf(result: unknown): unknown {
  if (typeof result !== 'object' || result === null || !('ok' in result) || result.ok !== true || !('value' in result)) {
    throw new Error(`a call failed: ${JSON.stringify(result).slice(0, 300)}`);
  }
  return result.value;
}

function bodyOf(value: unknown): string {
  if (typeof value !== 'object' || value === null || !('frames' in value) || !Array.isArray(value.frames)) return '';
  const message: unknown = value.frames[1];
  if (typeof message !== 'object' || message === null || !('body' in message) || typeof message.body !== 'string') return '';
  return message.body;
}
