/**
 * An import larger than the web host's per-message limit travels in parts (the page's own
 * splitter) through the real host into a real engine: a 20 MiB NDJSON log is imported and its
 * frames listed; over the host's cap, or for a command that may not be large, the call is
 * refused once with a clear error and the page keeps working.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { Engine } from '../../../src-main/core/engine';
import { exportToText } from '../../../src-main/core/export/export-session';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { webServerMessageSchema } from '../../../src-main/shared/bridge';
import { commandSchemas, type CommandName } from '../../../src-main/shared/commands';
import { startWebHost, type WebHost } from '../../../src-main/web/server';
import { callMessages } from '../../../src-renderer/src/bridge/call-parts';
import { fixtureSession, T0 } from '../../unit/export/log-fixture';

const TOKEN = 'test-token-0123456789abcdefghijklmnop';
const MIB = 1024 * 1024;
const FRAMES = 20_000;

let site: string;
let log: string;

beforeAll(async () => {
  site = mkdtempSync(path.join(tmpdir(), 'tunnelscope-large-import-'));
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>Tunnelscope</title>');
  // 20,000 text frames of 1 KiB with quotes (escaped again on the wire): an NDJSON log over 20 MiB.
  const frames = new FrameStore();
  const payload = `{"n":"${'q'.repeat(1000)}"}`;
  for (let i = 0; i < FRAMES; i += 1) frames.push(i % 2 === 0 ? 'out' : 'in', 'text', Buffer.from(payload), undefined, T0 + i);
  ({ text: log } = await exportToText(fixtureSession({ frames }), { format: 'ndjson', version: '1', filter: undefined }));
});
afterAll(() => rmSync(site, { recursive: true, force: true }));

let engine: Engine | undefined;
let host: WebHost | undefined;
let ws: WebSocket | undefined;
afterEach(async () => {
  ws?.terminate();
  await host?.close();
  await engine?.dispose();
});

interface Page {
  call(name: CommandName, arg: unknown): Promise<unknown>;
  /** Every result the page got, by id (a refused sequence must be answered once). */
  answers: number[];
}

async function openPage(extra: { maxImportUploadChars?: number } = {}): Promise<Page> {
  engine = new Engine({ host: 'web', version: 'test', env: {} });
  host = await startWebHost({ engine, rendererDir: site, token: TOKEN, log: () => {}, ...extra });
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${TOKEN}`, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
  ws = socket;
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const waiting = new Map<number, (result: unknown) => void>();
  const answers: number[] = [];
  socket.on('message', (data: Buffer) => {
    const message = webServerMessageSchema.parse(JSON.parse(data.toString('utf8')));
    if (message.type !== 'result') return;
    answers.push(message.id);
    waiting.get(message.id)?.(message.result);
  });
  let nextId = 1;
  return {
    answers,
    call: (name, arg) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        const messages = callMessages({ type: 'call', id, name, arg });
        if (!messages.ok) throw new Error(messages.reason);
        for (const text of messages.texts) socket.send(text);
      }),
  };
}

describe('a large import over the web host', () => {
  it('imports a 20 MiB NDJSON log sent in parts, and its frames are listed', async () => {
    expect(log.length).toBeGreaterThan(20 * MIB);
    const page = await openPage();
    const imported = await page.call('frames:import', { format: 'ndjson', text: log, name: 'big.ndjson' });
    expect(imported).toMatchObject({ ok: true, value: { format: 'ndjson', frames: FRAMES } });
    const { value } = z.object({ ok: z.literal(true), value: commandSchemas['frames:import'].result }).parse(imported);
    const listed = await page.call('frames:page', { sessionId: value.sessionId, fromSeq: 1, limit: 3 });
    expect(listed).toMatchObject({ ok: true, value: { firstSeq: 1, lastSeq: FRAMES, frames: [{ seq: 1, dir: 'out' }, { seq: 2, dir: 'in' }, { seq: 3 }] } });
  });

  it('refuses an import over the host’s cap once, and the page keeps working', async () => {
    const page = await openPage({ maxImportUploadChars: 4 * MIB });
    const refused = await page.call('frames:import', { format: 'ndjson', text: log, name: 'big.ndjson' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED', message: expect.stringContaining('frames:import: too large for the web host') } });
    const info = await page.call('app:info', {});
    expect(info).toMatchObject({ ok: true, value: { host: 'web' } });
    // The refused call's remaining parts and its final call went unanswered.
    expect(page.answers).toEqual([1, 2]);
  });

  it('refuses any other command larger than one message, naming the limit', async () => {
    const page = await openPage();
    const refused = await page.call('session:send', { sessionId: 'nope', kind: 'text', data: 'x'.repeat(9 * MIB) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED', message: expect.stringContaining('only frames:import may be larger') } });
    expect(await page.call('app:info', {})).toMatchObject({ ok: true });
  });
});
