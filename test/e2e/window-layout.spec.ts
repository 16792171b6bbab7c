/**
 * The window around the inspector, at 1280×800 and 1920×1080, through the web host: 30 tabs
 * (wheel and ‹ › scrolling, the "all tabs" menu, the active tab and its ✕ always reachable), a
 * long status bar on one line with "Copy as command" opening inside the window, the setup and
 * the handshake folded once open (more log rows), the splitters (dragged, remembered after a
 * reload), a failed TLS session whose expanded TLS leg leaves the error panel in view with
 * the certificate chain shown once, and an open connection's throughput graph in the status bar
 * (with the composer's Protocol format quiet until Send). Each state is saved as
 * test-results/screenshots/window-<state>-<width>x<height>.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expiredServer, testCa, writePems, type PemDir } from '../support/certs';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import { startBasicAuthProxy } from './support/bad-proxies';
import { connect, errorPanel, frames, openInspector, screenshotDir, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

let host: WebHostProcess;
let echo: EchoServer;
let pems: PemDir;

test.beforeAll(async () => {
  // Trusting the test CA leaves the expiry as the one thing wrong with the expired certificate.
  pems = await writePems({ 'test-ca.pem': testCa().cert });
  host = await startWebHostProcess({ env: { NODE_EXTRA_CA_CERTS: pems.path('test-ca.pem') } });
  echo = await startEchoServer();
});

test.afterAll(async () => {
  await host?.stop();
  await echo?.close();
  await pems?.cleanup();
});

/** The window as the user sees it (not a full-page capture, which would resize the page). */
async function shot(page: Page, state: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  const size = page.viewportSize();
  await page.screenshot({ path: path.join(screenshotDir, `window-${state}-${size?.width}x${size?.height}.png`) });
}

/** The box of an element, which must be on the page. */
async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('the element has no box');
  return found;
}

/** Whether `inner` lies wholly inside `outer` (1 px of rounding allowed). */
async function expectInside(inner: Locator, outer: Locator): Promise<void> {
  const a = await box(inner);
  const b = await box(outer);
  expect(a.x).toBeGreaterThanOrEqual(b.x - 1);
  expect(a.y).toBeGreaterThanOrEqual(b.y - 1);
  expect(a.x + a.width).toBeLessThanOrEqual(b.x + b.width + 1);
  expect(a.y + a.height).toBeLessThanOrEqual(b.y + b.height + 1);
}

async function expectInViewport(page: Page, locator: Locator): Promise<void> {
  const a = await box(locator);
  const view = page.viewportSize() ?? { width: 0, height: 0 };
  expect(a.x).toBeGreaterThanOrEqual(0);
  expect(a.y).toBeGreaterThanOrEqual(0);
  expect(a.x + a.width).toBeLessThanOrEqual(view.width);
  expect(a.y + a.height).toBeLessThanOrEqual(view.height);
}

function tabList(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Tabs' }).locator('ul.tabs');
}

function activeTab(page: Page): Locator {
  return tabList(page).locator('li.tab.active');
}

/** Frame rows wholly inside the log's scrolling area (the virtual list draws a few more). */
async function visibleLogRows(page: Page): Promise<number> {
  return page.locator('[data-frame-scroller]').evaluate((scroller) => {
    const view = scroller.getBoundingClientRect();
    return [...scroller.querySelectorAll('[role="row"]')].filter((row) => {
      const r = row.getBoundingClientRect();
      return r.height > 0 && r.top >= view.top - 1 && r.bottom <= view.bottom + 1;
    }).length;
  });
}

for (const size of SIZES) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: size });

    test('30 tabs scroll, list themselves in a menu, and keep the active tab and its ✕ in view', async ({ page }) => {
      await openInspector(page, host.url);
      for (let i = 1; i <= 30; i++) {
        if (i > 1) await page.getByRole('button', { name: 'Add tab' }).click();
        await page.getByLabel('URL', { exact: true }).fill(`${echo.url}/feed-${i}`);
      }
      await expect(tabList(page).locator('li.tab')).toHaveCount(30);
      // The newest tab is active, wholly inside the strip, and its ✕ takes the click.
      await expect(activeTab(page)).toContainText('feed-30');
      await expectInside(activeTab(page), tabList(page));
      await activeTab(page).getByRole('button', { name: /^Close tab/ }).click({ trial: true });
      await expect(page.getByRole('button', { name: 'Import log…' })).toBeVisible();
      await expectInside(page.getByRole('button', { name: 'Import log…' }), page.getByRole('navigation', { name: 'Tabs' }));
      await shot(page, 'tabs-30');

      // The wheel scrolls the strip back to the first tab; ‹ is then disabled, › is not.
      await tabList(page).hover();
      await page.mouse.wheel(0, -20_000);
      await expect.poll(() => tabList(page).evaluate((el) => el.scrollLeft)).toBe(0);
      await expectInside(tabList(page).locator('li.tab').first(), tabList(page));
      await expect(page.getByRole('button', { name: 'Scroll tabs left' })).toBeDisabled();
      await shot(page, 'tabs-wheel-start');
      await page.getByRole('button', { name: 'Scroll tabs right' }).click();
      await expect.poll(() => tabList(page).evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
      await expect(page.getByRole('button', { name: 'Scroll tabs left' })).toBeEnabled();

      // The menu lists every tab, inside the window; choosing one scrolls it into view.
      await page.getByRole('button', { name: 'All tabs' }).click();
      const menu = page.getByRole('menu', { name: 'All tabs' });
      await expect(menu.getByRole('menuitemradio')).toHaveCount(30);
      await expect(menu.getByRole('menuitemradio', { checked: true })).toContainText('feed-30');
      await expectInViewport(page, menu);
      await shot(page, 'tabs-menu');
      await menu.getByRole('menuitemradio', { name: /\/feed-1(?!\d)/ }).click();
      await expect(menu).toBeHidden();
      await expect(activeTab(page)).toContainText(/\/feed-1(?!\d)/);
      await expectInside(activeTab(page), tabList(page));

      // Left/Right on a focused tab move through them, the new one scrolled into view.
      await page.getByRole('button', { name: 'All tabs' }).click();
      await menu.getByRole('menuitemradio', { name: /\/feed-17(?!\d)/ }).click();
      await activeTab(page).locator('button.select').focus();
      for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
      await expect(activeTab(page)).toContainText('feed-23');
      await expectInside(activeTab(page), tabList(page));
      await shot(page, 'tabs-keyboard');

      // The active tab's ✕ closes it, and its neighbour is in view in turn.
      await activeTab(page).getByRole('button', { name: /^Close tab/ }).click();
      await expect(tabList(page).locator('li.tab')).toHaveCount(29);
      await expectInside(activeTab(page), tabList(page));
    });

    test('a long status bar stays on one line, and Copy as command opens inside the window', async ({ page }) => {
      const proxy = await startBasicAuthProxy('alice', 'window-secret-1', echo.port);
      try {
        await openInspector(page, host.url);
        await page.getByLabel('Proxy', { exact: true }).selectOption('manual');
        await page.getByLabel('Address', { exact: true }).fill(`http://127.0.0.1:${proxy.port}`);
        await page.getByLabel('Username', { exact: true }).fill('alice');
        await page.getByLabel('Password', { exact: true }).fill('window-secret-1');
        await page.getByLabel('URL', { exact: true }).fill(`${echo.url}/a/rather/long/path/for/the/status/bar?with=a&query=string`);
        await page.getByRole('button', { name: 'Connect', exact: true }).click();
        await expect(stateOf(page)).toContainText('open');
        // The server ends it with a long reason: closed, its code, the reason, who closed it.
        const reason = 'the server is going away for scheduled maintenance of the whole cluster, come back in an hour';
        for (const socket of echo.sockets) socket.close(4001, reason);
        await expect(stateOf(page)).toContainText('closed');
        const bar = page.locator('.statusbar');
        await expect(bar).toContainText('(with credentials)');
        const copy = page.getByRole('button', { name: 'Copy as command ▾' });
        // One line: the bar is one row high and the button sits in it, at its right end.
        expect((await box(bar)).height).toBeLessThanOrEqual(32);
        await expectInside(copy, bar);
        // The tab and the sessions list say it went through a proxy.
        await expect(activeTab(page)).toContainText('via 127.0.0.1');
        await expect(page.getByRole('navigation', { name: 'Sessions' }).locator('.item.active')).toContainText('via 127.0.0.1');
        await shot(page, 'statusbar-long');

        await copy.click();
        const popover = page.getByRole('dialog', { name: 'Copy as command' });
        await expect(popover).toBeVisible();
        await expectInViewport(page, popover);
        await shot(page, 'copy-command');
        // Another tool's command, another size: still inside.
        await popover.getByRole('button', { name: 'websocat' }).click();
        await expectInViewport(page, popover);
        await page.keyboard.press('Escape');
        await expect(popover).toBeHidden();

        // The Export menu of the log keeps inside the window too.
        await page.getByRole('button', { name: 'Export ▾' }).click();
        await expectInViewport(page, page.getByRole('menu', { name: 'Export' }));
        await shot(page, 'export-menu');
        await page.keyboard.press('Escape');

        // A window half as wide: still one line, the button still in it, its popover still inside.
        await page.setViewportSize({ width: 820, height: 560 });
        expect((await box(bar)).height).toBeLessThanOrEqual(32);
        await expectInside(copy, bar);
        await copy.click();
        await expectInViewport(page, popover);
        await shot(page, 'copy-command-narrow');
        await page.keyboard.press('Escape');
        await page.setViewportSize(size);
      } finally {
        await proxy.close();
      }
    });

    test('an open connection’s throughput graph: drawn on the bar with each rate’s unit at 1920, left to the Statistics tab at 1280; the Protocol composer quiet until Send', async ({ page }) => {
      await openInspector(page, host.url);
      await connect(page, `${echo.url}/status/graph`);
      await expect(stateOf(page)).toContainText('open');
      await page.getByRole('textbox', { name: /message/i }).first().fill('hello');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const bar = page.locator('.statusbar');
      const graph = page.getByTestId('throughput-graph');
      if (size.width >= 1920) {
        await expect(graph).toBeVisible({ timeout: 15_000 });
        // Each rate carries its unit; nothing stands beside the sparkline on its own (it read as a stray box).
        await expect(bar.locator('.throughput')).toContainText('msg/s');
        expect(await bar.getByRole('button', { name: /^Throughput graph/ }).innerText()).toBe('');
      } else {
        // Too narrow for the graph (the Statistics tab has it): the counts stay.
        await expect(bar).toContainText('1 msg');
        await expect(graph).toBeHidden();
      }
      expect((await box(bar)).height).toBeLessThanOrEqual(32);
      await shot(page, 'statusbar-graph');

      // The composer's Protocol format just picked: its empty destination is not an error yet; Send says it.
      await page.getByRole('button', { name: 'Protocol', exact: true }).click();
      await expect(page.getByTestId('protocol-waiting')).toBeVisible();
      await expect(page.getByTestId('protocol-problem')).toHaveCount(0);
      await shot(page, 'composer-protocol-fresh');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect(page.getByTestId('protocol-problem')).toHaveText('The headers: a SUBSCRIBE frame needs a destination header.');
      await shot(page, 'composer-protocol-sent');
    });

    test('"Save as profile" and a profile’s ⋯ menu open inside the window', async ({ page }) => {
      await openInspector(page, host.url);
      await page.getByLabel('URL', { exact: true }).fill(`${echo.url}/profiled`);
      await page.getByRole('button', { name: 'Save as profile', exact: true }).click();
      const form = page.getByRole('group', { name: 'Save as profile' });
      await expectInViewport(page, form);
      const name = `window ${size.width}`;
      await form.getByLabel('Profile name', { exact: true }).fill(name);
      await form.getByRole('button', { name: 'Save profile', exact: true }).click();
      await expect(form).toBeHidden();
      // The tab is named after the profile now, and so is its entry in the sessions list.
      await expect(activeTab(page)).toContainText(name);
      await expect(page.getByRole('navigation', { name: 'Sessions' }).locator('.item.active')).toContainText(name);
      await page.getByRole('button', { name: `Actions for ${name}` }).click();
      const menu = page.getByRole('menu', { name: `Actions for ${name}` });
      await expect(menu.getByRole('menuitem')).toHaveCount(6);
      await expectInViewport(page, menu);
      await shot(page, 'profile-menu');
      await page.keyboard.press('Escape');
      await expect(menu).toBeHidden();
    });

    test('the setup and the handshake fold to one line once open, and the log gets the rows', async ({ page }) => {
      await openInspector(page, host.url);
      await connect(page, `${echo.url}/rows`, { mode: 'none' });
      await expect(stateOf(page)).toContainText('open');
      for (const socket of echo.sockets) for (let i = 1; i <= 120; i++) socket.send(`row ${i}`);
      await expect(page.getByTestId('frame-count')).toHaveText('120 frames');
      const folded = page.getByTestId('setup-folded');
      const handshake = page.getByRole('region', { name: 'Handshake' });
      const handshakeToggle = handshake.getByRole('button', { name: 'Handshake' });
      await expect(folded).toBeVisible();
      await expect(folded).toHaveAttribute('aria-expanded', 'false');
      await expect(handshakeToggle).toHaveAttribute('aria-expanded', 'false');
      await expect(handshake).toContainText('Upgrade');
      // Folded, the URL stays on screen and editable.
      await expect(page.getByLabel('URL', { exact: true })).toBeEditable();
      const foldedRows = await visibleLogRows(page);
      await shot(page, 'folded');

      // Unfolded on demand: by click for the setup, by Enter for the handshake.
      await folded.click();
      await expect(page.getByLabel('Proxy', { exact: true })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Fold the connection setup to one line' })).toBeFocused();
      await handshakeToggle.focus();
      await page.keyboard.press('Enter');
      await expect(handshakeToggle).toHaveAttribute('aria-expanded', 'true');
      await expect(handshake.locator('li.row')).toHaveCount(3);
      const unfoldedRows = await visibleLogRows(page);
      await shot(page, 'unfolded');
      test.info().annotations.push({ type: 'log rows', description: `folded ${foldedRows}, unfolded ${unfoldedRows}` });
      expect(foldedRows).toBeGreaterThan(unfoldedRows);
      expect(foldedRows).toBeGreaterThanOrEqual(size.height >= 1000 ? 28 : 16);

      // And back to one line with the fold button.
      await page.getByRole('button', { name: 'Fold the connection setup to one line' }).click();
      await expect(folded).toBeFocused();
      expect(await visibleLogRows(page)).toBeGreaterThan(unfoldedRows);

      // Still folded after a disconnect: another URL and Connect, right there.
      await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
      await expect(stateOf(page)).toContainText('closed');
      await expect(folded).toBeVisible();
      await page.getByLabel('URL', { exact: true }).fill(`${echo.url}/rows-again`);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect(stateOf(page)).toContainText('open');
      await expect(activeTab(page)).toContainText('rows-again');
    });

    test('the splitters resize the sessions list and the frame detail, remembered after a reload', async ({ page }) => {
      await openInspector(page, host.url);
      await connect(page, `${echo.url}/split`, { mode: 'none' });
      await expect(stateOf(page)).toContainText('open');
      await expect(frames(page)).toBeVisible();
      const detail = page.locator('.frame-detail');
      const sidebar = page.getByRole('navigation', { name: 'Sessions' });
      const detailBefore = (await box(detail)).width;
      const sidebarBefore = (await box(sidebar)).width;

      const drag = async (separator: Locator, dx: number): Promise<void> => {
        const b = await box(separator);
        await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
        await page.mouse.down();
        await page.mouse.move(b.x + b.width / 2 + dx / 2, b.y + b.height / 2);
        await page.mouse.move(b.x + b.width / 2 + dx, b.y + b.height / 2);
        await page.mouse.up();
      };
      await drag(page.getByRole('separator', { name: 'Resize the frame detail' }), -150);
      await drag(page.getByRole('separator', { name: 'Resize the sessions list' }), 60);
      const detailAfter = (await box(detail)).width;
      const sidebarAfter = (await box(sidebar)).width;
      expect(Math.abs(detailAfter - (detailBefore + 150))).toBeLessThanOrEqual(2);
      expect(Math.abs(sidebarAfter - (sidebarBefore + 60))).toBeLessThanOrEqual(2);
      await shot(page, 'splitters-dragged');

      // The keyboard moves a focused splitter too.
      const separator = page.getByRole('separator', { name: 'Resize the frame detail' });
      await separator.focus();
      await page.keyboard.press('ArrowLeft');
      await expect.poll(async () => Math.round((await box(detail)).width)).toBe(Math.round(detailAfter + 16));
      await page.keyboard.press('ArrowRight');

      await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
      await expect(stateOf(page)).toContainText('closed');
      await page.reload();
      await expect(page.getByLabel('URL', { exact: true })).toBeVisible();
      expect(Math.abs((await box(sidebar)).width - sidebarAfter)).toBeLessThanOrEqual(1);
      await connect(page, `${echo.url}/split-again`, { mode: 'none' });
      await expect(stateOf(page)).toContainText('open');
      expect(Math.abs((await box(detail)).width - detailAfter)).toBeLessThanOrEqual(1);
      await shot(page, 'splitters-after-reload');
    });

    test('a failed TLS session: the expanded TLS leg leaves the error panel in view, the chain shown once', async ({ page }) => {
      const tlsEcho = await startEchoServer({ tls: { cert: expiredServer().cert, key: expiredServer().key } });
      try {
        await openInspector(page, host.url);
        await connect(page, tlsEcho.url, { mode: 'none' });
        const alert = errorPanel(page);
        await expect(alert).toContainText('TLS_CERT_EXPIRED');
        const handshake = page.getByRole('region', { name: 'Handshake' });
        const tlsLeg = handshake.locator('li[data-leg="tls"]');
        await tlsLeg.locator('button.row-line').click();
        await expect(tlsLeg.locator('.detail')).toContainText('is in the error panel below');
        // The panel's title, message and chain are on screen, and the chain is there only.
        await expect(alert.getByRole('heading', { level: 2 })).toBeInViewport();
        await expect(alert.getByRole('list', { name: 'Certificate chain' })).toBeInViewport({ ratio: 0.3 });
        await expect(page.getByRole('list', { name: 'Certificate chain' })).toHaveCount(1);
        await shot(page, 'tls-failed-leg-open');
        await tlsLeg.getByRole('button', { name: 'Show the chain ↓' }).click();
        await expect(alert.getByRole('list', { name: 'Certificate chain' })).toBeInViewport({ ratio: 0.5 });
        await shot(page, 'tls-failed-chain');
      } finally {
        await tlsEcho.close();
      }
    });
  });
}
