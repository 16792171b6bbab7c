/**
 * Sessions of a page that went away, through the real web host with a real engine: a page
 * (the `ws` package, as a browser would) opens a session to a flooding server and vanishes
 * (its socket terminated). After the grace (fake time) its session is closed (the server sees
 * 1001) and disposed; a reload with the same client id within the grace keeps it; another
 * page lists it and can adopt it. A bad client id is refused at the upgrade.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../../../src-main/core/engine';
import { sessionInfoSchema, type SessionInfo } from '../../../src-main/shared/session-info';
import { startWebHost, type WebHost } from '../../../src-main/web/server';
import { startFloodServer, type FloodServer } from '../../support/flood-server';
import { ManualClock } from '../../support/manual-clock';
import { openPageClient, type PageClient } from '../../support/page-client';

const TOKEN = 'test-token-0123456789abcdefghijklmnop';
const PAGE_A = 'page-a-0123456789abcdef';
const PAGE_B = 'page-b-0123456789abcdef';

let site: string;
beforeAll(() => {
  site = mkdtempSync(path.join(tmpdir(), 'tunnelscope-page-clients-'));
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>Tunnelscope</title>');
});
afterAll(() => rmSync(site, { recursive: true, force: true }));

let engine: Engine | undefined;
let host: WebHost | undefined;
let flood: FloodServer | undefined;
const pages: WebSocket[] = [];

afterEach(async () => {
  for (const page of pages.splice(0)) page.terminate();
  await host?.close();
  host = undefined;
  await engine?.dispose();
  engine = undefined;
  await flood?.close();
  flood = undefined;
});

async function setup(): Promise<{ clock: ManualClock; engine: Engine; host: WebHost; flood: FloodServer }> {
  const clock = new ManualClock();
  engine = new Engine({ host: 'web', version: 'test', env: {}, clock, sessionLimits: { clientGraceMs: 60_000 } });
  host = await startWebHost({ engine, rendererDir: site, token: TOKEN, log: () => {} });
  flood = await startFloodServer();
  return { clock, engine, host, flood };
}

function upgradeHeaders(target: WebHost): Record<string, string> {
  return { Origin: `http://127.0.0.1:${target.port}`, Cookie: `tunnelscope_token_${target.port}=${TOKEN}` };
}

/** A page: the `ws` package connected to /api as the browser would, with its client id. */
type Page = PageClient;

async function openPage(target: WebHost, clientId: string): Promise<Page> {
  const page = await openPageClient(target.port, TOKEN, clientId);
  pages.push(page.ws);
  return page;
}

async function listAs(page: Page): Promise<SessionInfo[]> {
  const result = (await page.call('session:list', {})) as { ok: boolean; value?: unknown };
  if (!result.ok) throw new Error(`session:list failed: ${JSON.stringify(result)}`);
  return sessionInfoSchema.array().parse(result.value);
}

async function openFloodSession(page: Page, url: string): Promise<string> {
  const result = (await page.call('session:open', { options: { url, proxy: { mode: 'none' } }, pin: true })) as { ok: boolean; value?: { sessionId: string } };
  if (!result.ok || !result.value) throw new Error(`session:open failed: ${JSON.stringify(result)}`);
  return result.value.sessionId;
}

/** The page vanishes: its socket is cut without a close frame (a killed tab). */
async function vanish(page: Page, target: WebHost, connectionsLeft: number): Promise<void> {
  page.ws.terminate();
  await vi.waitFor(() => expect(target.connections()).toBe(connectionsLeft), { timeout: 10_000 });
}

async function floodingSession(page: Page, target: FloodServer): Promise<string> {
  const sessionId = await openFloodSession(page, target.url);
  await vi.waitFor(async () => expect((await listAs(page))[0]?.lastSeq).toBeGreaterThan(1000), { timeout: 10_000 });
  return sessionId;
}

describe('web host: a page that went away', () => {
  it('has its flooding session closed and disposed once the grace has passed', async () => {
    const { clock, engine: e, host: h, flood: f } = await setup();
    const page = await openPage(h, PAGE_A);
    const sessionId = await floodingSession(page, f);
    await vanish(page, h, 0);
    clock.advance(59_999);
    expect(await e.call('session:list', {})).toMatchObject({ ok: true, value: [{ sessionId, state: 'open' }] });
    expect(f.open()).toBe(1);
    clock.advance(1);
    await vi.waitFor(() => expect(f.closeCodes).toEqual([1001]), { timeout: 10_000 });
    await vi.waitFor(async () => expect(await e.call('session:list', {})).toEqual({ ok: true, value: [] }), { timeout: 10_000 });
    expect(await e.call('frames:page', { sessionId, fromSeq: 1, limit: 1 })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SESSION' } });
  });

  it('keeps it when the page reloads within the grace (same client id), and the page sees it as its own', async () => {
    const { clock, host: h, flood: f } = await setup();
    const before = await openPage(h, PAGE_A);
    const sessionId = await floodingSession(before, f);
    await vanish(before, h, 0);
    clock.advance(30_000);
    const reloaded = await openPage(h, PAGE_A);
    clock.advance(3600_000);
    const [info] = await listAs(reloaded);
    expect(info).toMatchObject({ sessionId, owner: 'you', state: 'open', pinned: true });
    expect(f.open()).toBe(1);
    expect(f.closeCodes).toEqual([]);
  });

  it('lists it to a new page as gone, and the new page adopts it', async () => {
    const { clock, host: h, flood: f } = await setup();
    const first = await openPage(h, PAGE_A);
    const sessionId = await floodingSession(first, f);
    await vanish(first, h, 0);
    const other = await openPage(h, PAGE_B);
    const [seen] = await listAs(other);
    expect(seen).toMatchObject({ sessionId, owner: 'gone', state: 'open', disposeAt: clock.now() + 60_000 });
    expect(await other.call('session:adopt', { sessionId })).toEqual({ ok: true, value: {} });
    clock.advance(60_000);
    const [adopted] = await listAs(other);
    expect(adopted).toMatchObject({ sessionId, owner: 'you', state: 'open' });
    expect(f.closeCodes).toEqual([]);
  });

  it('refuses a malformed client id at the upgrade, saying what is wrong', async () => {
    const { host: h } = await setup();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${h.port}/api?client=bad!`, { headers: upgradeHeaders(h) });
      ws.once('open', () => reject(new Error('the upgrade should have been refused')));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.once('error', reject);
    });
    expect(answer).toEqual({
      status: 400,
      body: 'The client parameter must be 16–64 letters, digits, "-" or "_" (the page keeps a random one in sessionStorage).\n',
    });
  });
});
