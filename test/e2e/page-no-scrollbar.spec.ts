/**
 * The web host's page is exactly the window: no scrollbar of its own. The web host's hidden
 * live region (bridge/connection-banner.ts, what screen readers hear when the host goes away) was
 * absolutely placed where the flow left it, below the app at the window's height, so the page was
 * 1 px taller than the window and, with classic scrollbars (Windows, Linux; headless Chromium
 * without --hide-scrollbars, left out here as log-preview-fits.spec.ts does), the browser took a
 * 15 px scrollbar from the whole UI. Checked at 1024 and 1280 px, before and with a session.
 */
import { expect, test, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, openInspector, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

test.use({ launchOptions: { ...config.use?.launchOptions, ignoreDefaultArgs: ['--hide-scrollbars'] } });

let host: WebHostProcess;
let wss: LocalWss | undefined;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket) => socket.send('hello'));
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

/** The page's own size against the window's (the e2e tsconfig has no DOM library). */
async function pageSize(page: Page): Promise<{ scrollHeight: number; innerHeight: number; clientWidth: number; innerWidth: number }> {
  return page.evaluate(() => {
    const view = globalThis as unknown as { innerHeight: number; innerWidth: number; document: { documentElement: { scrollHeight: number; clientWidth: number } } };
    const root = view.document.documentElement;
    return { scrollHeight: root.scrollHeight, innerHeight: view.innerHeight, clientWidth: root.clientWidth, innerWidth: view.innerWidth };
  });
}

for (const width of [1024, 1280]) {
  test(`at ${width} px the page has no scrollbar of its own`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await openInspector(page, host.url);
    const empty = await pageSize(page);
    expect(empty.scrollHeight, 'the page is no taller than the window').toBeLessThanOrEqual(empty.innerHeight);
    expect(empty.clientWidth, 'no vertical scrollbar takes width from the page').toBe(empty.innerWidth);
    await connect(page, `${wss?.base ?? ''}/`);
    await expect(stateOf(page)).toContainText('open');
    const open = await pageSize(page);
    expect(open.scrollHeight).toBeLessThanOrEqual(open.innerHeight);
    expect(open.clientWidth).toBe(open.innerWidth);
  });
}
