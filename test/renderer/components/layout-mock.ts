/**
 * happy-dom has no layout: give the scroll containers a size so the virtualizers compute a
 * window of rows. `clientHeight` is fixed; `scrollHeight` is the spacer's height (what a
 * browser would report for the virtualized content).
 */
const MARKERS = ['data-frame-scroller', 'data-hex-scroller'];

function isScroller(element: Element): boolean {
  return MARKERS.some((m) => element.hasAttribute(m));
}

export function mockScrollerLayout(clientHeight = 440): () => void {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? clientHeight : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      if (!isScroller(this)) return 0;
      const spacer = this.querySelector('[style*="height"]');
      return spacer instanceof HTMLElement ? Number.parseFloat(spacer.style.height) || 0 : 0;
    },
  });
  return () => {
    Reflect.deleteProperty(HTMLElement.prototype, 'clientHeight');
    Reflect.deleteProperty(HTMLElement.prototype, 'scrollHeight');
  };
}
