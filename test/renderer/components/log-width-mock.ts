/**
 * happy-dom lays nothing out: the log's width and its ruler (every chosen column at its
 * narrowest, with the platform's scrollbar) as Chromium on Linux measures them at 1024 px with the
 * page's and the rows' scrollbars (log 494 px, ruler 512.6 with a 15 px scrollbar). For the
 * compact log's tests (decoded-log.test.ts, log-compact-marks.test.ts); returns the undo.
 */
export function mockLogWidths(log: number, ruler = 512.6, scrollbar = 15): () => void {
  const proto = HTMLElement.prototype;
  const saved = (['offsetWidth', 'clientWidth', 'getBoundingClientRect'] as const).map((name) => [name, Object.getOwnPropertyDescriptor(proto, name)] as const);
  const width = (el: HTMLElement): number | null => (el.classList.contains('ruler') ? ruler : el.hasAttribute('data-frame-scroller') ? log : null);
  const original = proto.getBoundingClientRect;
  Object.defineProperty(proto, 'offsetWidth', { configurable: true, get(this: HTMLElement) { return Math.round(width(this) ?? 0); } });
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get(this: HTMLElement) { const w = width(this); return w === null ? 0 : Math.round(w) - scrollbar; } });
  Object.defineProperty(proto, 'getBoundingClientRect', {
    configurable: true,
    value(this: HTMLElement) {
      const w = width(this);
      return w === null ? original.call(this) : new DOMRect(0, 0, w, 22);
    },
  });
  return () => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(proto, name, descriptor);
      else Reflect.deleteProperty(proto, name);
    }
  };
}
