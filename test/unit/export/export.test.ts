import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as harValidator from 'har-validator';
import { afterEach, describe, expect, it } from 'vitest';
import { createNetError } from '../../../src-main/core/errors/net-failure';
import { ExportTooLarge, exportToFile, exportToText, suggestedFileName } from '../../../src-main/core/export/export-session';
import { compileFilter, type CompiledFilter } from '../../../src-main/core/search/compile-filter';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { ndjsonFrameSchema, ndjsonHeaderSchema } from '../../../src-main/shared/log-file';
import type { FrameFilter } from '../../../src-main/shared/search';
import { SECRETS, T0, fixtureSession } from './log-fixture';

const version = '9.9.9';

function filterOf(raw: FrameFilter): { raw: FrameFilter; compiled: CompiledFilter } {
  const compiled = compileFilter(raw);
  if (!compiled.ok) throw new Error(compiled.problem.message);
  return { raw, compiled: compiled.filter };
}

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text, `leaked ${secret}`).not.toContain(secret);
}

describe('NDJSON export', () => {
  it('writes a header line then one object per frame, each valid against the contract', async () => {
    const { text, frames } = await exportToText(fixtureSession(), { format: 'ndjson', version });
    expect(frames).toBe(7);
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines).toHaveLength(8);
    const header = ndjsonHeaderSchema.parse(lines[0]);
    expect(header).toMatchObject({
      type: 'tunnelscope-session',
      version: 1,
      url: 'wss://user@echo.example/socket?room=1',
      createdAt: '2024-05-01T10:20:30.000Z',
      state: 'closed',
      framesDropped: 0,
      filter: null,
      closed: { code: 1000, reason: 'bye', wasClean: true, initiatedBy: 'client', at: '2024-05-01T10:20:30.310Z' },
    });
    expect(header.proxy?.source).toBe('manual');
    expect(header.handshake.map((step) => step.leg)).toEqual(['resolve', 'tcp', 'proxy', 'tls', 'upgrade']);
    const frameLines = lines.slice(1).map((line) => ndjsonFrameSchema.parse(line));
    expect(frameLines[0]).toEqual({ seq: 1, dir: 'out', opcode: 'text', at: '2024-05-01T10:20:30.100Z', size: 9, text: 'hello ✓' });
    expect(frameLines[2]).toEqual({ seq: 3, dir: 'in', opcode: 'binary', at: '2024-05-01T10:20:30.200Z', size: 4, base64: 'AAEC/w==' });
    expect(frameLines[3]).toMatchObject({ opcode: 'ping', base64: Buffer.from('p1').toString('base64') });
    expect(frameLines[5]).toEqual({ seq: 6, dir: 'out', opcode: 'close', at: '2024-05-01T10:20:30.300Z', size: 5, closeCode: 1000, closeReason: 'bye' });
  });

  it('redacts every secret: credential headers, cookies, headers marked secret, the URL password', async () => {
    const { text } = await exportToText(fixtureSession(), { format: 'ndjson', version });
    expectNoSecrets(text);
    const header = ndjsonHeaderSchema.parse(JSON.parse(text.split('\n')[0] ?? ''));
    const upgrade = header.handshake.find((step) => step.leg === 'upgrade');
    expect(upgrade?.request?.headers).toContainEqual(['Authorization', 'Bearer ••••••']);
    expect(upgrade?.request?.headers).toContainEqual(['X-Api-Token', '••••••']);
    expect(upgrade?.request?.headers).toContainEqual(['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==']);
    expect(header.handshake.find((step) => step.leg === 'proxy')?.request?.headers).toContainEqual(['Proxy-Authorization', 'Basic ••••••']);
  });

  it('exports only the frames matching a filter, and says which filter in the header', async () => {
    const filter = filterOf({ direction: 'in', opcodes: ['text', 'binary'] });
    const { text, frames } = await exportToText(fixtureSession(), { format: 'ndjson', version, filter });
    expect(frames).toBe(2);
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]?.filter).toEqual({ direction: 'in', opcodes: ['text', 'binary'] });
    expect(lines.slice(1).map((line) => line.seq)).toEqual([2, 3]);
  });

  it('refuses a text export past its size bound', async () => {
    await expect(exportToText(fixtureSession(), { format: 'ndjson', version }, 100)).rejects.toBeInstanceOf(ExportTooLarge);
  });
});

describe('HAR export', () => {
  it('is HAR 1.2 with every required field, and Chrome\'s _webSocketMessages', async () => {
    const { text, frames } = await exportToText(fixtureSession(), { format: 'har', version });
    expect(frames).toBe(7);
    const har = JSON.parse(text) as { log: Record<string, unknown> & { entries: Record<string, unknown>[] } };
    const log = har.log;
    expect(log.version).toBe('1.2');
    expect(log.creator).toEqual({ name: 'Tunnelscope', version });
    expect(log.pages).toEqual([]);
    expect(log.entries).toHaveLength(1);
    const entry = log.entries[0] as Record<string, Record<string, unknown>> & Record<string, unknown>;
    // HAR 1.2 required fields (entry, request, response, content, timings).
    for (const field of ['startedDateTime', 'time', 'request', 'response', 'cache', 'timings']) expect(entry, field).toHaveProperty(field);
    expect(Number.isNaN(Date.parse(String(entry.startedDateTime)))).toBe(false);
    expect(typeof entry.time).toBe('number');
    for (const field of ['method', 'url', 'httpVersion', 'cookies', 'headers', 'queryString', 'headersSize', 'bodySize']) {
      expect(entry.request, `request.${field}`).toHaveProperty(field);
    }
    for (const field of ['status', 'statusText', 'httpVersion', 'cookies', 'headers', 'content', 'redirectURL', 'headersSize', 'bodySize']) {
      expect(entry.response, `response.${field}`).toHaveProperty(field);
    }
    expect(entry.response?.content).toMatchObject({ size: 0, mimeType: 'x-unknown' });
    for (const field of ['send', 'wait', 'receive']) expect(typeof entry.timings?.[field], `timings.${field}`).toBe('number');
    expect(entry.request).toMatchObject({
      method: 'GET',
      url: 'wss://user@echo.example/socket?room=1',
      httpVersion: 'HTTP/1.1',
      queryString: [{ name: 'room', value: '1' }],
    });
    expect(entry.response).toMatchObject({ status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/1.1' });
    expect(entry.timings).toMatchObject({ blocked: 2, dns: -1, connect: 55, ssl: 30, send: 0, wait: 13, _blocked_proxy: 2 });
    expect(entry.timings?.receive).toBe(310 - 70);
    expect(entry.time).toBe(2 + 55 + 13 + 240);
    expect(entry._resourceType).toBe('websocket');

    const messages = entry._webSocketMessages as unknown as { type: string; time: number; opcode: number; data: string }[];
    expect(messages.map((m) => Object.keys(m).sort())).toEqual(Array(7).fill(['data', 'opcode', 'time', 'type']));
    expect(messages[0]).toEqual({ type: 'send', time: (T0 + 100) / 1000, opcode: 1, data: 'hello ✓' });
    expect(messages[1]).toEqual({ type: 'receive', time: (T0 + 150) / 1000, opcode: 1, data: '{"type":"tick","price":5}' });
    expect(messages[2]).toEqual({ type: 'receive', time: (T0 + 200) / 1000, opcode: 2, data: 'AAEC/w==' });
    expect(messages.map((m) => m.opcode)).toEqual([1, 1, 2, 9, 10, 8, 8]);
    expect(Buffer.from(messages[5]?.data ?? '', 'base64').readUInt16BE(0)).toBe(1000);
  });

  it('redacts every secret and keeps Tunnelscope\'s own record in _tunnelscope', async () => {
    const { text } = await exportToText(fixtureSession(), { format: 'har', version });
    expectNoSecrets(text);
    const entry = (JSON.parse(text) as { log: { entries: Record<string, unknown>[] } }).log.entries[0] ?? {};
    const headers = (entry.request as { headers: { name: string; value: string }[] }).headers;
    expect(headers).toContainEqual({ name: 'Authorization', value: 'Bearer ••••••' });
    expect(headers).toContainEqual({ name: 'Cookie', value: '••••••' });
    expect(headers).toContainEqual({ name: 'X-Api-Token', value: '••••••' });
    expect(entry._tunnelscope).toMatchObject({ version: 1, state: 'closed', proxy: { source: 'manual' }, framesDropped: 0, filter: null });
  });

  it('is valid JSON with an empty _webSocketMessages when no frame is selected', async () => {
    const filter = filterOf({ text: 'no such text' });
    const { text, frames } = await exportToText(fixtureSession(), { format: 'har', version, filter });
    expect(frames).toBe(0);
    const entry = (JSON.parse(text) as { log: { entries: Record<string, unknown>[] } }).log.entries[0];
    expect(entry?._webSocketMessages).toEqual([]);
  });

  it('describes a session that never opened: status 0 and the error', async () => {
    const session = { ...fixtureSession({ frames: new FrameStore(), steps: [] }), state: 'failed' as const };
    const error = createNetError('tunnel', 'PROXY_AUTH_REQUIRED', {});
    session.failure = () => error;
    const { text } = await exportToText(session, { format: 'har', version });
    const entry = (JSON.parse(text) as { log: { entries: { response: Record<string, unknown> }[] } }).log.entries[0];
    expect(entry?.response).toMatchObject({ status: 0, _error: `PROXY_AUTH_REQUIRED: ${error.message}` });
  });
});

describe('HAR export against the HAR 1.2 JSON Schemas (har-validator)', () => {
  /** The schema's verdict: every error (path and message), or none. */
  async function schemaErrors(text: string): Promise<string[]> {
    try {
      await harValidator.har(JSON.parse(text));
      return [];
    } catch (error) {
      const errors = (error as { errors?: { dataPath?: string; instancePath?: string; message?: string }[] }).errors;
      if (!errors) throw error;
      return errors.map((e) => `${e.dataPath ?? e.instancePath ?? ''} ${e.message ?? ''}`);
    }
  }

  it('passes for a session with frames, one filtered to nothing, and one that never opened', async () => {
    expect(await schemaErrors((await exportToText(fixtureSession(), { format: 'har', version })).text)).toEqual([]);
    const filter = filterOf({ text: 'no such text' });
    expect(await schemaErrors((await exportToText(fixtureSession(), { format: 'har', version, filter })).text)).toEqual([]);
    const failed = { ...fixtureSession({ frames: new FrameStore(), steps: [] }), state: 'failed' as const };
    failed.failure = () => createNetError('tunnel', 'PROXY_AUTH_REQUIRED', {});
    expect(await schemaErrors((await exportToText(failed, { format: 'har', version })).text)).toEqual([]);
  });

  it('is a real check: a HAR missing a required field fails it', async () => {
    const har = JSON.parse((await exportToText(fixtureSession(), { format: 'har', version })).text) as { log: { entries: Record<string, unknown>[] } };
    delete har.log.entries[0]?.startedDateTime;
    expect((await schemaErrors(JSON.stringify(har))).join('\n')).toContain('startedDateTime');
  });
});

describe('export to a file', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('writes the same log as the text export, through a temporary file', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-export-'));
    const file = path.join(dir, 'log.ndjson');
    const written = await exportToFile(fixtureSession(), { format: 'ndjson', version }, file);
    expect(written).toMatchObject({ path: file, frames: 7 });
    const content = fs.readFileSync(file, 'utf8');
    expect(written.bytes).toBe(Buffer.byteLength(content));
    expect(content.trimEnd().split('\n')).toHaveLength(8);
    expect(fs.readdirSync(dir)).toEqual(['log.ndjson']);
    expectNoSecrets(content);
  });

  it('fails cleanly (no file left behind) when the folder does not exist', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-export-'));
    await expect(exportToFile(fixtureSession(), { format: 'har', version }, path.join(dir, 'missing', 'log.har'))).rejects.toThrow(/ENOENT/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('suggests a file name from the host and the start time', () => {
    expect(suggestedFileName(fixtureSession(), 'har')).toBe('echo.example-2024-05-01T10-20-30.har');
  });
});
