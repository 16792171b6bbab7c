/**
 * Renders the app icon (resources/icon.svg, and icon-small.svg for 16 and 32 px where the
 * full drawing would blur) to the PNGs electron-builder uses: resources/icon.png (1024 px,
 * converted to .icns and .ico) and the Linux set resources/icons/<n>x<n>.png.
 *
 * Uses Playwright with a Chromium on the machine (default /usr/bin/chromium; set
 * CHROMIUM_PATH to use another): `node scripts/render-icons.mjs`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resources = path.join(root, 'resources');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** [size, source SVG, output file] */
const targets = [
  [1024, 'icon.svg', 'icon.png'],
  ...[512, 256, 128, 64].map((size) => [size, 'icon.svg', path.join('icons', `${size}x${size}.png`)]),
  ...[32, 16].map((size) => [size, 'icon-small.svg', path.join('icons', `${size}x${size}.png`)]),
];

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
try {
  fs.mkdirSync(path.join(resources, 'icons'), { recursive: true });
  for (const [size, source, output] of targets) {
    const svg = fs.readFileSync(path.join(resources, source), 'utf8');
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: path.join(resources, output), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await page.close();
    console.log(`resources/${output} (${size}×${size} from ${source})`);
  }
} finally {
  await browser.close();
}
