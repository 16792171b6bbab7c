/**
 * Pages that vanish while their sessions flood: through the real web host and engine, three
 * pages each open three sessions to a server that sends as fast as it can, then their sockets
 * are cut (a killed tab). Held when, after the client grace, every one of those sessions was
 * closed (the server saw 1001) and disposed (a new page lists none), and the process gave the
 * memory back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../src-main/core/engine';
import { sessionInfoSchema } from '../../src-main/shared/session-info';
import { startWebHost, type WebHost } from '../../src-main/web/server';
import { startFloodServer } from '../../test/support/flood-server';
import { openPageClient, type PageClient } from '../../test/support/page-client';
import { heapMb, rssMb, type SoakResult } from './soak-result';

const PAGES = 3;
const SESSIONS_PER_PAGE = 3;
const FLOOD_MS = 3000;
const GRACE_MS = 2000;
/** How long after the grace the sessions may take to be closed and disposed. */
const SETTLE_MS = 5000;
const TOKEN = 'soak-token-0123456789abcdefghijklmnopq';

type Page = PageClient;

const openPage = (host: WebHost, clientId: string): Promise<Page> => openPageClient(host.port, TOKEN, clientId);

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function soakVanishedPages(): Promise<SoakResult> {
  const name = `${PAGES} pages with ${SESSIONS_PER_PAGE} flooding sessions each, vanishing (grace ${GRACE_MS / 1000} s)`;
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-soak-site-'));
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>Tunnelscope</title>');
  const engine = new Engine({ host: 'web', version: 'soak', env: {}, sessionLimits: { clientGraceMs: GRACE_MS } });
  const host = await startWebHost({ engine, rendererDir: site, token: TOKEN, log: () => {} });
  const flood = await startFloodServer(1024);
  const figures: string[] = [];
  const problems: string[] = [];
  const heapBefore = heapMb();
  const rssBefore = rssMb();
  try {
    const pages: Page[] = [];
    for (let p = 0; p < PAGES; p++) {
      const page = await openPage(host, `soak-page-${p}-0123456789abcdef`);
      pages.push(page);
      for (let s = 0; s < SESSIONS_PER_PAGE; s++) {
        const result = await page.call('session:open', { options: { url: flood.url, proxy: { mode: 'none' } }, pin: true });
        if (typeof result !== 'object' || result === null || !('ok' in result) || result.ok !== true) problems.push(`page ${p}: session:open failed: ${JSON.stringify(result).slice(0, 200)}`);
      }
    }
    await wait(FLOOD_MS);
    const rssFlooding = rssMb();
    for (const page of pages) page.ws.terminate();
    await wait(GRACE_MS + SETTLE_MS);
    const observer = await openPage(host, 'soak-observer-0123456789abcdef');
    const listed = await observer.call('session:list', {});
    const sessions =
      typeof listed === 'object' && listed !== null && 'value' in listed ? sessionInfoSchema.array().safeParse(listed.value) : undefined;
    const left = sessions?.success ? sessions.data.length : Number.NaN;
    observer.ws.terminate();
    const closedWith1001 = flood.closeCodes.filter((code) => code === 1001).length;
    const heapAfter = heapMb();
    const rssAfter = rssMb();
    figures.push(`RSS ${rssBefore.toFixed(0)} MB before, ${rssFlooding.toFixed(0)} MB while flooding, ${rssAfter.toFixed(0)} MB after the grace; heap ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MB`);
    figures.push(`the flood server saw ${closedWith1001} of ${PAGES * SESSIONS_PER_PAGE} sessions close with 1001; sessions listed afterwards: ${left}`);
    if (closedWith1001 !== PAGES * SESSIONS_PER_PAGE) problems.push(`only ${closedWith1001} of ${PAGES * SESSIONS_PER_PAGE} sessions were closed after their page vanished`);
    if (left !== 0) problems.push(`${left} sessions are still listed after the grace`);
    if (heapAfter - heapBefore > 32) problems.push(`the heap kept ${(heapAfter - heapBefore).toFixed(1)} MB after the sessions were disposed`);
  } finally {
    await host.close();
    await engine.dispose();
    await flood.close();
    fs.rmSync(site, { recursive: true, force: true });
  }
  return { name, figures, problems };
}
