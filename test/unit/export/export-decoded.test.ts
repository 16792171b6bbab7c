/**
 * Exports with the opt-in decoded output: NDJSON `decoded` and HAR `_decoded` beside the raw
 * frames, for a STOMP session (recorded frames, the subprotocol v12.stomp from the upgrade):
 * a frame split over two messages decoded where it ends even when a filter leaves out its first
 * half, a broken frame as "not valid STOMP", control frames without. Imported back, the logs
 * decode the same (the import keeps the raw frames and the upgrade, not our decoding).
 */
import * as harValidator from 'har-validator';
import { describe, expect, it } from 'vitest';
import { ExportDecoding } from '../../../src-main/core/export/export-decoding';
import { exportToText } from '../../../src-main/core/export/export-session';
import { importLog } from '../../../src-main/core/export/import-log';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { ndjsonFrameSchema } from '../../../src-main/shared/log-file';
import type { HandshakeStep } from '../../../src-main/shared/model';
import { STEPS, T0, fixtureSession } from './log-fixture';

const version = '9.9.9';

/** The fixture's upgrade, with the server choosing STOMP 1.2. */
const STOMP_STEPS: HandshakeStep[] = STEPS.map((step) =>
  step.leg === 'upgrade' && step.response ? { ...step, response: { ...step.response, headers: [...step.response.headers, ['Sec-WebSocket-Protocol', 'v12.stomp']] } } : step,
);

function stompSession(): ReturnType<typeof fixtureSession> {
  const frames = new FrameStore();
  const text = (dir: 'in' | 'out', value: string, at: number): number => frames.push(dir, 'text', Buffer.from(value), undefined, T0 + at);
  text('out', 'CONNECT\naccept-version:1.2\nhost:broker\n\n\0', 100);
  text('in', 'CONNECTED\nversion:1.2\n\n\0', 110);
  text('out', 'SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\nreceipt:r-1\n\n\0', 120);
  text('in', 'RECEIPT\nreceipt-id:r-1\n\n\0', 130);
  text('in', 'MESSAGE\ndestination:/topic/prices\nsubscription:sub-0\nmessage-id:7\n', 140);
  text('in', '\n{"price":12}\0', 150);
  frames.push('in', 'ping', Buffer.from('hb'), undefined, T0 + 160);
  text('in', 'MESSAGE\ndestination:/a\\q\n\n\0', 170);
  return fixtureSession({ frames, steps: STOMP_STEPS });
}

describe('exports with decoded frames', () => {
  it('NDJSON: `decoded` on each frame a decoder reads, in the CLI --json shape; the raw frame unchanged', async () => {
    const { text } = await exportToText(stompSession(), { format: 'ndjson', version, decoding: { choice: 'auto' } });
    const lines = text.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as { seq: number; decoded?: unknown; text?: string });
    for (const line of lines) expect(() => ndjsonFrameSchema.parse(line)).not.toThrow();
    expect(lines.map((line) => line.decoded)).toEqual([
      { protocol: 'stomp', summary: 'CONNECT broker accept-version=1.2', value: { command: 'CONNECT', headers: { 'accept-version': '1.2', host: 'broker' }, body: '' }, guess: true },
      expect.objectContaining({ summary: 'CONNECTED version=1.2' }),
      expect.objectContaining({ summary: 'SUBSCRIBE /topic/prices id=sub-0 receipt=r-1' }),
      expect.objectContaining({ summary: 'RECEIPT receipt-id=r-1' }),
      expect.objectContaining({ summary: 'part of a STOMP frame (66 B so far, continues in a later message)', partial: true }),
      expect.objectContaining({ summary: 'MESSAGE /topic/prices 12 B subscription=sub-0 message-id=7', value: expect.objectContaining({ body: '{"price":12}' }) }),
      undefined,
      { protocol: 'stomp', summary: "not valid STOMP: undefined escape \\q in header 'destination' on line 2 of MESSAGE", valid: false, problem: "undefined escape \\q in header 'destination' on line 2 of MESSAGE", guess: true },
    ]);
    expect(lines[0]?.text).toBe('CONNECT\naccept-version:1.2\nhost:broker\n\n\0');
    // The receipt links the SUBSCRIBE and its RECEIPT; the MESSAGE belongs to the subscription,
    // which the SUBSCRIBE (with a receipt) heads as well (`also`).
    expect(lines.map((line) => (line.decoded as { conversation?: { key: string; role: string } } | undefined)?.conversation)).toEqual([
      undefined,
      undefined,
      { key: 'stomp receipt r-1', role: 'request', label: 'receipt r-1', also: { key: 'stomp subscription sub-0', role: 'request', label: 'subscription sub-0' } },
      { key: 'stomp receipt r-1', role: 'answer', label: 'receipt r-1' },
      undefined,
      { key: 'stomp subscription sub-0', role: 'stream', label: 'subscription sub-0' },
      undefined,
      undefined,
    ]);
  });

  it('a filtered export still decodes a frame whose first half it leaves out', async () => {
    const filter = compileFilter({ text: 'price' });
    if (!filter.ok) throw new Error(filter.problem.message);
    const { text } = await exportToText(stompSession(), { format: 'ndjson', version, filter: { raw: { text: 'price' }, compiled: filter.filter }, decoding: { choice: 'stomp' } });
    const lines = text.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as { seq: number; decoded?: { summary: string; guess?: boolean } });
    expect(lines.map((line) => [line.seq, line.decoded?.summary])).toEqual([
      [3, 'SUBSCRIBE /topic/prices id=sub-0 receipt=r-1'],
      [5, 'part of a STOMP frame (66 B so far, continues in a later message)'],
      [6, 'MESSAGE /topic/prices 12 B subscription=sub-0 message-id=7'],
    ]);
    // Named by the caller: not a guess.
    expect(lines[0]?.decoded?.guess).toBeUndefined();
  });

  it('HAR: `_decoded` on the messages, and the document is still valid HAR', async () => {
    const { text } = await exportToText(stompSession(), { format: 'har', version, decoding: { choice: 'auto' } });
    const har = JSON.parse(text) as { log: { entries: { _webSocketMessages: { data: string; _decoded?: { summary: string } }[] }[] } };
    await harValidator.har(har);
    const messages = har.log.entries[0]?._webSocketMessages ?? [];
    expect(messages.map((m) => m._decoded?.summary)).toEqual([
      'CONNECT broker accept-version=1.2',
      'CONNECTED version=1.2',
      'SUBSCRIBE /topic/prices id=sub-0 receipt=r-1',
      'RECEIPT receipt-id=r-1',
      'part of a STOMP frame (66 B so far, continues in a later message)',
      'MESSAGE /topic/prices 12 B subscription=sub-0 message-id=7',
      undefined,
      "not valid STOMP: undefined escape \\q in header 'destination' on line 2 of MESSAGE",
    ]);
  });

  it('without the option nothing is decoded; a plain session exports no decoded member', async () => {
    const plain = await exportToText(stompSession(), { format: 'ndjson', version });
    expect(plain.text).not.toContain('"decoded"');
    const unrecognised = await exportToText(fixtureSession(), { format: 'ndjson', version, decoding: { choice: 'auto' } });
    expect(unrecognised.text).not.toContain('"decoded"');
  });

  it.each(['ndjson', 'har'] as const)('a decoded %s export imports back and decodes as the live session did', async (format) => {
    const { text } = await exportToText(stompSession(), { format, version, decoding: { choice: 'auto' } });
    const imported = await importLog(text, { format });
    if (!imported.ok) throw new Error(imported.problems.items.map((p) => p.message).join('; '));
    const again = new ExportDecoding({ frames: imported.log.frames, url: imported.log.url, handshakeSteps: () => imported.log.steps }, { choice: 'auto' });
    const live = new ExportDecoding(stompSession(), { choice: 'auto' });
    for (let seq = 1; seq <= 8; seq++) expect(again.at(seq)).toEqual(live.at(seq));
    expect(live.at(8)).toBeUndefined(); // asked twice: the walk has passed it
  });
});
