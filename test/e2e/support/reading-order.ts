/**
 * Whether keyboard focus moves in reading order: each control Tab reaches is after the one
 * before it, on the same line to its right or on a later line.
 */
import type { Locator, Page } from '@playwright/test';

export interface TabStop {
  name: string;
  box: { left: number; top: number; right: number; bottom: number };
}

/**
 * Focuses `first`, then presses Tab until the focus leaves the elements matching `within`
 * (at most `limit` stops), recording each focused control's accessible-ish name and box.
 */
export async function tabStops(page: Page, first: Locator, within: string, limit = 80): Promise<TabStop[]> {
  await first.focus();
  const stops: TabStop[] = [];
  for (let i = 0; i < limit; i++) {
    const stop = await page.evaluate((selector) => {
      // The e2e tests are typed without the DOM: what is read of the focused element.
      type Focused = {
        closest(s: string): unknown;
        getAttribute(n: string): string | null;
        textContent: string | null;
        tagName: string;
        labels?: ArrayLike<{ textContent: string | null }> | null;
        getBoundingClientRect(): { left: number; top: number; right: number; bottom: number };
      };
      const el = (globalThis as unknown as { document: { activeElement: Focused | null } }).document.activeElement;
      if (!el || !el.closest(selector)) return null;
      const label = el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? el.tagName;
      const r = el.getBoundingClientRect();
      return { name: label.trim().replace(/\s+/g, ' '), box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom } };
    }, within);
    if (!stop) break;
    stops.push(stop);
    await page.keyboard.press('Tab');
  }
  return stops;
}

/** Each stop that is not after the one before it (2 px of slack for controls of other heights). */
export function readingOrderProblems(stops: TabStop[]): string[] {
  const problems: string[] = [];
  for (let i = 1; i < stops.length; i++) {
    const [a, b] = [stops[i - 1], stops[i]];
    if (!a || !b) continue;
    const sameLine = b.box.top < a.box.bottom - 2 && a.box.top < b.box.bottom - 2;
    const after = sameLine ? b.box.left >= a.box.right - 1 : b.box.top >= a.box.bottom - 2;
    if (!after) problems.push(`${b.name} (${Math.round(b.box.left)}, ${Math.round(b.box.top)}) comes after ${a.name} (${Math.round(a.box.left)}, ${Math.round(a.box.top)})`);
  }
  return problems;
}
