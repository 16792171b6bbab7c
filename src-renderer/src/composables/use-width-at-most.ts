/**
 * Whether an element's content box is at most `limit` px wide, kept up to date by a
 * ResizeObserver. For markup that must change with an element's own width: a container query
 * can restyle a toolbar but not reorder its DOM, and Tab follows the DOM.
 */
import { onBeforeUnmount, onMounted, readonly, ref, type Ref } from 'vue';

/** The rule the observer applies, the same as `@container (max-width: <limit>px)`. */
export function widthAtMost(width: number, limit: number): boolean {
  return Number.isFinite(width) && width > 0 && width <= limit;
}

export function useWidthAtMost(target: Ref<HTMLElement | null>, limit: number): Readonly<Ref<boolean>> {
  const atMost = ref(false);
  let observer: ResizeObserver | null = null;
  onMounted(() => {
    // No observer (an old test DOM): the wide layout, as before any measurement.
    if (typeof ResizeObserver !== 'function' || !target.value) return;
    observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry) atMost.value = widthAtMost(entry.contentRect.width, limit);
    });
    observer.observe(target.value);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return readonly(atMost);
}
