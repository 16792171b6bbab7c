/**
 * Many pages on many sessions through the web host: 50 pages each open 10 of 500 short
 * sessions against a local echo server. Each page is sent its own sessions' events and no
 * other session's (it did not subscribe to the list); counted in events and bytes per page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { engineEventSchema, type EngineEvent } from '../../../src-main/shared/events';
import { webServerMessageSchema } from '../../../src-main/shared/bridge';
import { startWebHost, type WebHost } from '../../../src-main/web/server';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { openPageClient, type PageClient } from '../../support/page-client';

const PAGES = 50;
const SESSIONS_PER_PAGE = 10;
const TOKEN = 'many-pages-token-0123456789abcdefghijkl';

interface CountedPage {
  page: PageClient;
  events: EngineEvent[];
  /** Bytes of the event messages it was sent. */
  bytes: number;
}

let site: string;
let echo: EchoServer;
let engine: Engine;
let host: WebHost;

beforeAll(async () => {
  site = mkdtempSync(path.join(tmpdir(), 'tunnelscope-many-pages-'));
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>Tunnelscope</title>');
  echo = await startEchoServer();
  engine = new Engine({ host: 'web', version: '0.0.0', env: {}, sessionLimits: { maxSessions: 1000, maxSessionsPerClient: 100 } });
  host = await startWebHost({ engine, rendererDir: site, token: TOKEN, log: () => undefined });
});

afterAll(async () => {
  await host?.close();
  await engine?.dispose();
  await echo?.close();
  rmSync(site, { recursive: true, force: true });
});

async function countedPage(index: number): Promise<CountedPage> {
  const page = await openPageClient(host.port, TOKEN, `many-pages-client-${String(index).padStart(4, '0')}`);
  const counted: CountedPage = { page, events: [], bytes: 0 };
  page.ws.on('message', (data: Buffer) => {
    const message = webServerMessageSchema.parse(JSON.parse(data.toString('utf8')));
    if (message.type !== 'event') return;
    counted.bytes += data.length;
    counted.events.push(engineEventSchema.parse(message.event));
  });
  return counted;
}

async function openOne(page: PageClient): Promise<string> {
  const result = await page.call('session:open', { options: { url: echo.url, proxy: { mode: 'none' } } });
  if (typeof result === 'object' && result !== null && 'ok' in result && result.ok === true && 'value' in result) {
    const value = result.value;
    if (typeof value === 'object' && value !== null && 'sessionId' in value && typeof value.sessionId === 'string') return value.sessionId;
  }
  throw new Error(`session:open failed: ${JSON.stringify(result)}`);
}

describe('50 pages on 500 sessions', () => {
  it('each page is sent only its own sessions: events and bytes grow with its sessions, not with everyone', { timeout: 120_000 }, async () => {
    // Everything the engine emits, to compare each page's share with.
    const everything: EngineEvent[] = [];
    const stopAll = engine.onEvent((event) => everything.push(event));
    const pages = await Promise.all(Array.from({ length: PAGES }, (_, i) => countedPage(i)));
    const owned = new Map<CountedPage, string[]>();
    for (const counted of pages) owned.set(counted, []);
    // Each page opens its sessions, sends one message on each and closes it.
    await Promise.all(
      pages.map(async (counted) => {
        for (let i = 0; i < SESSIONS_PER_PAGE; i++) owned.get(counted)?.push(await openOne(counted.page));
      }),
    );
    const allIds = [...owned.values()].flat();
    expect(new Set(allIds).size).toBe(PAGES * SESSIONS_PER_PAGE);
    const isOpen = (sessionId: string): boolean => everything.some((e) => e.sessionId === sessionId && e.type === 'state' && (e.state === 'open' || e.state === 'failed'));
    await expect.poll(() => allIds.every(isOpen), { timeout: 60_000, interval: 200 }).toBe(true);
    await Promise.all(
      pages.map(async (counted) => {
        for (const sessionId of owned.get(counted) ?? []) {
          await counted.page.call('session:send', { sessionId, kind: 'text', data: `hello ${sessionId}` });
          await counted.page.call('session:close', { sessionId });
        }
      }),
    );
    const isClosed = (sessionId: string): boolean => everything.some((e) => e.sessionId === sessionId && e.type === 'closed');
    await expect.poll(() => allIds.every(isClosed), { timeout: 60_000, interval: 200 }).toBe(true);
    // The pages' sockets have delivered what was sent before the closes.
    await expect.poll(() => pages.every((counted) => (owned.get(counted) ?? []).every((id) => counted.events.some((e) => e.sessionId === id && e.type === 'closed'))), { timeout: 30_000 }).toBe(true);
    stopAll();

    const nonFrame = (events: readonly EngineEvent[], ids: ReadonlySet<string>): string[] =>
      events.filter((e) => ids.has(e.sessionId) && e.type !== 'frames' && e.type !== 'frames-skipped').map((e) => `${e.sessionId} ${e.type}`);
    /** Every seq a consumer was told of for a session, by a batch or a skipped range. */
    const covered = (events: readonly EngineEvent[], sessionId: string): number[] =>
      events.flatMap((e) => {
        if (e.sessionId !== sessionId) return [];
        if (e.type === 'frames') return e.frames.map((f) => f.seq);
        if (e.type === 'frames-skipped') return Array.from({ length: e.toSeq - e.fromSeq + 1 }, (_, i) => e.fromSeq + i);
        return [];
      });
    const wireBytes = (event: EngineEvent): number => Buffer.byteLength(JSON.stringify({ type: 'event', event }));
    const everyBytes = everything.reduce((sum, e) => sum + wireBytes(e), 0);
    let totalEvents = 0;
    let totalBytes = 0;
    for (const counted of pages) {
      const mine = new Set(owned.get(counted));
      // Nothing of another page's sessions.
      expect(counted.events.filter((e) => !mine.has(e.sessionId))).toEqual([]);
      // All of its own: the events the engine emitted for them, in the same order, and every frame.
      expect(nonFrame(counted.events, mine)).toEqual(nonFrame(everything, mine));
      for (const sessionId of mine) expect(covered(counted.events, sessionId)).toEqual(covered(everything, sessionId));
      // Its bytes are its own sessions' (batches may be cut differently: a little envelope either way).
      const ownBytes = everything.filter((e) => mine.has(e.sessionId)).reduce((sum, e) => sum + wireBytes(e), 0);
      expect(counted.bytes).toBeLessThan(ownBytes * 1.2 + 4096);
      totalEvents += counted.events.length;
      totalBytes += counted.bytes;
    }
    // Together the pages were sent about what the engine emitted once: each its own fiftieth, not all of it.
    expect(totalBytes).toBeLessThan(everyBytes * 1.2 + 4096 * PAGES);
    console.info(
      `50 pages × 10 sessions: ${everything.length} events (${(everyBytes / 1024).toFixed(0)} KiB) emitted in all; ` +
        `per page ${(totalEvents / PAGES).toFixed(0)} events, ${(totalBytes / PAGES / 1024).toFixed(1)} KiB on average (before: every page got every event)`,
    );
    for (const counted of pages) counted.page.ws.close();
  });
});
