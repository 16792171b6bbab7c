/**
 * The decoder views at the window sizes and themes a user keeps them in: 1280 and 1024 px wide,
 * light and dark (the theme follows the OS), with a row selected so the detail pane takes its
 * share. A scripted `ws` server on 127.0.0.1 (port 0) sends STOMP with frames that are not valid;
 * it echoes what it receives. Checked: a typical decoded query is whole in the search box and the
 * controls beside it stay in the log pane; the Field filter's value example is whole and its
 * boxes are labelled; the decoded query's examples list, and a query into a STOMP body's JSON
 * text finding its frame. Screenshots: test-results/screenshots/sizes-<width>-<theme>-*.png.
 */
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { DECODED_QUERY_EXAMPLES } from '../../src-main/shared/decoded-query-examples';
import { boxOf } from './support/box-of';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, saveScreenshot, screenshotDir, stateOf } from './support/inspector';
import { readingOrderProblems, tabStops } from './support/reading-order';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const STOMP = [
  'CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\u0000',
  'BOGUS\n\n\u0000',
  'MESSAGE\ndestination:/topic/prices\nmessage-id:m-1\nsubscription:sub-0\ncontent-type:application/json\n\n{"payload":{"data":{"price":{"sym":"S7","bid":101.25,"ask":101.5,"venues":["XNAS","XNYS"]}}}}\u0000',
  'RECEIPT\nreceipt-id\n\n\u0000',
];
/** A decoded query as users type them: 32 characters. */
const QUERY = "$.payload.data.price.sym == 'S7'";

let host: WebHostProcess;
let wss: LocalWss | undefined;
let base: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket, request) => {
    if (request.url === '/stomp') for (const frame of STOMP) socket.send(frame);
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  base = wss.base;
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

function composer(page: Page): Locator {
  return page.getByRole('region', { name: 'Composer' });
}

/**
 * Whether an input's placeholder fits its box: the same words typed in its place do not scroll
 * (a search box is measured as a text box: its clear button shows only once something is typed).
 */
function placeholderFits(input: Locator): Promise<boolean> {
  return input.evaluate((el: { value: string; placeholder: string; type: string; scrollWidth: number; clientWidth: number }) => {
    const [typed, type] = [el.value, el.type];
    el.type = 'text';
    el.value = el.placeholder;
    const fits = el.scrollWidth <= el.clientWidth;
    el.value = typed;
    el.type = type;
    return fits;
  });
}

/**
 * What is wrong with the labels of a protocol form's boxes: each has a visible label on its line,
 * left of it (a label ending one line with its box starting the next read as the next box's).
 * Not labelled on purpose: a STOMP header's name and value (the name box says it) and QoS (its
 * options say "QoS 1").
 */
async function labelProblems(form: Locator): Promise<string[]> {
  const problems: string[] = [];
  for (const control of await form.locator('input:visible, select:visible, textarea:visible').all()) {
    const [id, name, type] = await Promise.all(['id', 'aria-label', 'type'].map((a) => control.getAttribute(a)));
    if (type === 'checkbox' || /^(Header \d+ (name|value)|QoS)$/.test(name ?? '')) continue;
    const label = form.locator(`label[for="${id ?? ''}"]`);
    if (!id || !(await label.isVisible())) {
      problems.push(`${name ?? id ?? 'a box'} has no visible label`);
      continue;
    }
    const [l, c] = [await boxOf(label), await boxOf(control)];
    if (l.x + l.width > c.x || l.y < c.y - 1 || l.y > c.y + c.height) problems.push(`"${(await label.textContent()) ?? ''}" is not beside its box`);
  }
  return problems;
}

/** What toolbarLines reads of the page's elements (the e2e tests are typed without the DOM). */
interface LaidOut {
  tagName: string;
  textContent: string | null;
  children: ArrayLike<LaidOut>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { top: number; bottom: number; left: number; right: number; width: number; height: number };
  querySelectorAll(selectors: string): ArrayLike<LaidOut>;
  closest(selectors: string): LaidOut | null;
  matches(selectors: string): boolean;
  checkVisibility(options: { visibilityProperty: boolean }): boolean;
}

/**
 * The lines a toolbar takes and its height: its visible leaf boxes (controls, texts, chips; a
 * button or a select as one) grouped into lines by their vertical extent, and any two that overlap.
 */
function toolbarLines(bar: Locator): Promise<{ lines: number; height: number; overlaps: string[] }> {
  return bar.evaluate((root: LaidOut) => {
    type Box = { name: string; top: number; bottom: number; left: number; right: number };
    const boxes: Box[] = [];
    for (const el of Array.from(root.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
      const control = el.closest('button, select');
      if (control && control !== el) continue;
      const laidOutChild = Array.from(el.children).some((c) => c.getBoundingClientRect().width > 0);
      if (laidOutChild && !el.matches('button, select')) continue;
      const name = (el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).trim().slice(0, 30);
      boxes.push({ name, top: r.top, bottom: r.bottom, left: r.left, right: r.right });
    }
    boxes.sort((a, b) => a.top - b.top);
    let lines = 0;
    let lineBottom = -Infinity;
    for (const b of boxes) {
      const starts = b.top >= lineBottom - 2;
      if (starts) lines += 1;
      lineBottom = starts ? b.bottom : Math.max(lineBottom, b.bottom);
    }
    const overlaps: string[] = [];
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps.push(`${a.name} / ${b.name}`);
      }
    }
    return { lines, height: Math.round(root.getBoundingClientRect().height), overlaps };
  });
}

for (const width of [1280, 1024]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`decoder views at ${width} px, ${theme}`, async ({ page }) => {
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme: theme });
      const shot = (name: string): Promise<string> => saveScreenshot(page, `sizes-${width}-${theme}-${name}`);
      await openInspector(page, host.url);
      await connect(page, `${base}/stomp`);
      await expect(stateOf(page)).toContainText('open');
      // Auto's guess, as a session starts: a row clicked stops following; with every row on
      // screen no "Jump to latest" shows, and the log keeps its height (the bar wrapped to two
      // lines with the pill and the log shrank under the pointer: at 1280 px for every guess, at
      // 1024 px always; the pill itself is checked in log-and-detail).
      await expect(page.getByLabel('Decode', { exact: true }).locator('option[value="auto"]')).toHaveText('Auto: STOMP?');
      const logHeight = (await boxOf(frames(page))).height;
      await frames(page).locator('[role="row"]').filter({ hasText: /^3/ }).click();
      await expect(page.getByTestId('jump-pill')).toHaveCount(0);
      expect((await boxOf(frames(page))).height).toBe(logHeight);
      await page.getByLabel('Decode', { exact: true }).selectOption('stomp');
      await expect(frames(page).locator('.c-summary.invalid')).toHaveCount(2);
      await shot('log');
      await frames(page).locator('[role="row"]').filter({ hasText: 'MESSAGE /topic/prices' }).click();
      await expect(page.getByTestId('decoded-frame')).toBeVisible();
      await shot('detail');
      // The columns fit the log beside the detail pane: every header inside it (at 1024 px the
      // Summary did not shrink, the rows were cut at the pane's edge and "Preview" was drawn over
      // the detail pane), each header over its cells.
      // At 1024 px the log is compact: Type and Preview give their room to the Summary (log-summary-narrow.spec.ts).
      const compact = width === 1024;
      const shown = compact ? ['c-seq', 'c-time', 'c-dir', 'c-size', 'c-summary'] : ['c-seq', 'c-time', 'c-dir', 'c-type', 'c-size', 'c-summary', 'c-preview'];
      await expect(frames(page).locator('.head > [role="columnheader"]')).toHaveCount(shown.length);
      const grid = await boxOf(frames(page));
      for (const column of shown) {
        const head = await boxOf(frames(page).locator(`.head .${column}`));
        const cell = await boxOf(frames(page).locator(`.spacer .row:not(.placeholder) .${column}`).first());
        expect(head.x + head.width, `the ${column} header inside the log`).toBeLessThanOrEqual(grid.x + grid.width);
        expect(cell.x + cell.width, `the ${column} cells inside the log`).toBeLessThanOrEqual(grid.x + grid.width);
        expect(Math.abs(head.x - cell.x), `the ${column} header over its cells`).toBeLessThan(1);
      }
      // A short value is not cut in two at the pane's edge ("application/jso" and "n" at 1024 px).
      const contentType = page.getByTestId('decoded-frame').getByText('"application/json"', { exact: true });
      expect((await boxOf(contentType)).height, 'the value on one line').toBeLessThan(20);
      // The MESSAGE's JSON body as its tree, marked as JSON text (it was one escaped line).
      const bodyTag = page.getByTestId('decoded-frame').locator('.from-text');
      await expect(bodyTag).toHaveText('JSON text');
      await bodyTag.scrollIntoViewIfNeeded();
      await expect(page.getByTestId('decoded-frame').getByText('"sym"', { exact: true })).toBeVisible();
      await shot('detail-body');
      // STOMP's NUL frame end as an escape, not a box with no meaning, in the Preview and the Text.
      if (!compact) {
        const nul = frames(page).locator('[role="row"]').filter({ hasText: 'BOGUS' }).locator('.c-preview .ctl');
        await expect(nul).toHaveText('\\0');
        await expect(nul).toHaveAttribute('title', 'NUL (0x00)');
      }
      await expect(page.getByRole('tabpanel', { name: 'Text' }).locator('.ctl')).toHaveText('\\0');
      await page.getByRole('tab', { name: 'Hex' }).click();
      // The dump fits its pane, ASCII column included (at 1024 px it needed sideways scrolling:
      // 8-digit offsets and 2-character gaps; a 193-byte frame's offsets have 4 digits now).
      const hex = page.getByRole('region', { name: /^Hex dump/ });
      await expect(hex.locator('.hex-spacer .offset').first()).toHaveText('0000');
      expect(await hex.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the hex dump fits its pane').toBe(true);
      await shot('detail-hex');

      // The Field filter: each box labelled, the chosen field's example whole in its box (it was
      // cut: "chat, /topic/prices, senso").
      await page.getByRole('button', { name: /^Field/ }).click();
      const form = page.getByRole('dialog', { name: 'Decoded field' });
      await expect(form.getByText('Field', { exact: true })).toBeVisible();
      await expect(form.getByText('Value', { exact: true })).toBeVisible();
      for (const field of ['event', 'destination', 'topic', 'operation']) {
        await form.getByLabel('Field').selectOption(field);
        await expect(form.getByLabel('Value')).toHaveAttribute('placeholder', /^e\.g\. /);
        expect(await placeholderFits(form.getByLabel('Value')), `the example for ${field} is whole`).toBe(true);
      }
      await form.getByLabel('Field').selectOption('destination');
      await shot('field-form');
      await form.getByLabel('Value').fill('/topic/prices');
      await form.getByRole('button', { name: 'Apply' }).click();

      // A typical decoded query is whole in the box, and the controls beside it stay in the log
      // pane (at 1280 px the box was 215 px wide and cut it).
      await page.getByLabel('Search mode').selectOption('decoded');
      const box = page.getByLabel('Search frames');
      expect(await placeholderFits(box), "the decoded query's example is whole").toBe(true);
      await box.fill(QUERY);
      expect(await box.evaluate((el) => el.scrollWidth <= el.clientWidth), `"${QUERY}" is whole in the box`).toBe(true);
      expect((await boxOf(box)).width).toBeGreaterThan(260);
      const filterBar = page.locator('.filter-bar');
      const bar = await boxOf(filterBar);
      for (const control of [
        filterBar.getByRole('button', { name: 'Next match' }),
        filterBar.getByRole('switch', { name: 'Only matches' }),
        filterBar.getByLabel('Go to #'),
        filterBar.getByRole('button', { name: /^Export/ }),
      ]) {
        const b = await boxOf(control);
        expect(b.x, `${control.toString()} in the log pane`).toBeGreaterThanOrEqual(bar.x);
        expect(b.x + b.width, `${control.toString()} in the log pane`).toBeLessThanOrEqual(bar.x + bar.width);
      }
      await shot('query');
      await box.fill('$.headers.destination =~ /prices');
      await expect(page.getByText(/^Invalid decoded query: at character \d+/)).toBeVisible();
      await shot('query-problem');
      // The decoded query's examples, and a query into the STOMP body's JSON text: the tree shows
      // it as JSON (above), and the search reads it too.
      await box.fill('');
      await expect(page.getByText(/^Invalid decoded query/)).toHaveCount(0);
      await filterBar.getByRole('button', { name: 'Examples ▾' }).click();
      const examples = page.getByRole('group', { name: 'Decoded query examples' });
      await expect(examples.getByRole('listitem')).toHaveCount(DECODED_QUERY_EXAMPLES.length);
      await expect(examples).toContainText('A path goes on into a string that holds JSON.');
      await shot('query-examples');
      await examples.getByRole('button', { name: '$.body.price > 100', exact: true }).click();
      await expect(box).toHaveValue('$.body.price > 100');
      await expect(examples).toHaveCount(0);
      await expect(page.getByTestId('match-count')).toHaveText('No matches');
      await box.fill('$.body.payload.data.price.bid > 101');
      await expect(page.getByTestId('match-count')).toHaveText(/ of 1$/);
      await shot('query-json-text');
      // The toolbar in this state (a Field filter, a decoded search, two chips, the detail pane
      // open) leaves the log its rows: it took seven lines at 1024 px (the steps, Go to # and the
      // chips each on lines of their own; the log showed three rows) and five at 1280 px. Fewer
      // do not fit: its controls at their least (the box whole for its placeholder, the chips
      // shortened) are about 2,050 px wide, the bar 488 px at 1024 px and 646 px at 1280 px.
      const lines = await toolbarLines(filterBar);
      expect(lines.overlaps, 'no two controls of the toolbar overlap').toEqual([]);
      expect(lines.lines, `the toolbar's lines at ${width} px (${lines.height} px high)`).toBeLessThanOrEqual(width >= 1280 ? 4 : 5);
      // Its controls still in their toolbar and search landmarks (they are laid out in one flow);
      // Go to #, the count and Export in a group of their own, in the toolbar where they are
      // drawn beside the Field filter (1280 px), after the search where they are drawn after its
      // steps (1024 px: the DOM follows, so Tab does).
      const end = page.getByRole('group', { name: 'Go to, count and export' });
      await expect(end.getByRole('button', { name: /^Export/ })).toBeVisible();
      await expect(page.getByRole('toolbar', { name: 'Frame filters' }).getByRole('group', { name: 'Go to, count and export' })).toHaveCount(width >= 1280 ? 1 : 0);
      await expect(page.getByRole('search', { name: 'Search' }).getByRole('switch', { name: 'Only matches' })).toBeVisible();
      // Tab meets the controls in the order they are drawn (at 1024 px Go to # and Export came
      // before the search box).
      const stops = await tabStops(page, filterBar.getByRole('button', { name: 'All', exact: true }), '.filter-bar');
      expect(stops.map((s) => s.name)).toEqual(expect.arrayContaining(['Search frames', 'Only matches', 'Go to #', 'Export ▾']));
      expect(readingOrderProblems(stops), `Tab order at ${width} px`).toEqual([]);
      await box.fill('');

      const protocols = composer(page).getByLabel('Protocol', { exact: true });
      await composer(page).getByRole('button', { name: 'Protocol', exact: true }).click();
      const protocolForm = composer(page).getByRole('group', { name: 'Protocol message' });
      for (const protocol of ['stomp', 'socketio', 'mqtt', 'graphql', 'msgpack', 'cbor']) {
        await protocols.selectOption(protocol);
        await expect(protocols).toHaveValue(protocol);
        await composer(page).screenshot({ path: path.join(screenshotDir, `sizes-${width}-${theme}-composer-${protocol}.png`) });
        expect(await labelProblems(protocolForm), `the ${protocol} form's labels`).toEqual([]);
      }
      await protocols.selectOption('mqtt');
      for (const packet of ['subscribe', 'publish']) {
        await protocolForm.getByLabel('MQTT packet').selectOption(packet);
        // The version stands beside every packet (SUBSCRIBE and PUBLISH are written as the CONNECT's version).
        await expect(protocolForm.getByLabel('MQTT version')).toBeVisible();
        expect(await labelProblems(protocolForm), `the MQTT ${packet} form's labels`).toEqual([]);
        await composer(page).screenshot({ path: path.join(screenshotDir, `sizes-${width}-${theme}-composer-mqtt-${packet}.png`) });
      }
      await protocols.selectOption('graphql');
      await protocolForm.getByLabel('GraphQL message').selectOption('subscribe');
      expect(await labelProblems(protocolForm), "the GraphQL subscribe form's labels").toEqual([]);
      await protocols.selectOption('msgpack');
      await composer(page).getByLabel('Value (JSON)').fill('{"event": chat}');
      await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
      // What is wrong and where (JSON.parse's words said neither where nor much what).
      await expect(composer(page).getByTestId('protocol-problem')).toHaveText('The value must be JSON: expected a value, found “c” at character 11.');
      await composer(page).screenshot({ path: path.join(screenshotDir, `sizes-${width}-${theme}-composer-problem.png`) });
      await shot('page-end');
    });
  }
}
