/**
 * Two pages on one flood, each following on its own (issue 11, a subscription per consumer):
 * page A connects to a server that floods on request; page B (its own client id) adopts the
 * session from "Not in a tab", so both show it. B's acknowledgements are paused after its
 * first one (its WebSocket to the host is routed and later `frames:ack` calls are held back),
 * like a page whose main thread cannot keep up. A asks for the flood. A is told of every frame
 * (each interval's newest as rows, the rest as ranges it pages) and never falls behind; B falls behind alone: it is told what it was not sent ("Catching up"),
 * and still ends at the same last frame, its rows paged from the engine's store.
 */
import { expect, test, type Page } from '@playwright/test';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startFloodOnDemandServer, type FloodOnDemandServer } from './support/flood-on-demand-server';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

/** Frames the server sends, at RATE a second; with the request before them the session's last seq is FLOOD + 1. */
const FLOOD = 80_000;
const RATE = 20_000;
const LAST_SEQ = FLOOD + 1;

let host: WebHostProcess;
let flood: FloodOnDemandServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  flood = await startFloodOnDemandServer();
});

test.afterAll(async () => {
  await host?.stop();
  await flood?.close();
});

/** The highest seq among the rows the log shows now (0 when none). */
async function newestShownSeq(page: Page): Promise<number> {
  return frames(page).evaluate((grid) =>
    Math.max(0, ...[...grid.querySelectorAll('[role="row"] .c-seq')].map((cell) => Number(cell.textContent ?? '0')).filter(Number.isFinite)),
  );
}

function behindNotice(page: Page) {
  return page.getByTestId('frames-behind');
}

test('two pages follow the same flood independently: the one that stops acknowledging falls behind alone and is told what it missed', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const pageA = page;
  await openInspector(pageA, host.url);
  await connect(pageA, flood.url);
  await expect(stateOf(pageA)).toContainText('open');

  // Page B: its own browser context (its own sessionStorage, so its own client id), its acks held back after the first.
  const contextB = await browser.newContext();
  const pageB = await contextB.newPage();
  const acks = { forwarded: 0, held: 0 };
  await pageB.routeWebSocket(/\/api/, (route) => {
    const server = route.connectToServer();
    route.onMessage((message) => {
      if (typeof message === 'string' && message.includes('"name":"frames:ack"')) {
        if (acks.forwarded >= 1) {
          // Never answered: B's ack sender waits on it and sends no other.
          acks.held += 1;
          return;
        }
        acks.forwarded += 1;
      }
      server.send(message);
    });
    server.onMessage((message) => route.send(message));
  });
  await openInspector(pageB, host.url);
  const row = pageB.getByRole('list', { name: 'Sessions not in a tab' }).getByRole('listitem').filter({ hasText: 'flood-on-demand' });
  await row.getByRole('button', { name: /^Adopt / }).click();
  await expect(stateOf(pageB)).toContainText('open');

  // A asks for the flood; both show the same session.
  await pageA.getByLabel('Message', { exact: true }).fill(`flood ${FLOOD} ${RATE}`);
  await pageA.getByRole('button', { name: 'Send', exact: true }).click();

  // While the flood runs: B falls behind (the engine sends it notices instead of rows, and it
  // says so); A is never told it is behind.
  const seen = { aBehind: 0, bBehind: 0, checks: 0 };
  while (flood.sent() < FLOOD) {
    seen.checks += 1;
    if ((await behindNotice(pageA).count()) > 0) seen.aBehind += 1;
    if ((await behindNotice(pageB).count()) > 0) {
      if (seen.bBehind === 0) await saveScreenshot(pageB, 'two-pages-b-behind');
      seen.bBehind += 1;
    }
  }
  expect(seen.bBehind, `B showed "Catching up" in ${seen.bBehind} of ${seen.checks} looks`).toBeGreaterThan(0);
  expect(seen.aBehind, `A showed "Catching up" in ${seen.aBehind} of ${seen.checks} looks`).toBe(0);
  // A kept up (each interval's newest rows, the frames before them as ranges it pages), and its log shows the last one.
  await expect.poll(() => newestShownSeq(pageA), { timeout: 60_000 }).toBe(LAST_SEQ);
  await expect(behindNotice(pageA)).toHaveCount(0);
  await saveScreenshot(pageA, 'two-pages-a-following');

  // B still knows where the session ends: the notices carried the range, its rows are paged from the store.
  await expect.poll(() => newestShownSeq(pageB), { timeout: 60_000 }).toBe(LAST_SEQ);
  await expect(frames(pageB).getByRole('row').filter({ hasText: `flood ${String(FLOOD).padStart(6, '0')}` })).toHaveCount(1);
  expect(acks.forwarded).toBe(1);
  expect(acks.held).toBeGreaterThanOrEqual(1);
  await contextB.close();
});
