/**
 * An element's border-box width, kept up to date by a ResizeObserver, following the element
 * when the ref points at another one (a pane keyed by session is a new element per session).
 * 0 until measured, and where there is no ResizeObserver (an old test DOM).
 */
import { onBeforeUnmount, readonly, ref, watch, type Ref } from 'vue';

export function useElementWidth(target: Ref<HTMLElement | null>): Readonly<Ref<number>> {
  const width = ref(0);
  const observer =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver((entries) => {
          const entry = entries[entries.length - 1];
          if (entry) width.value = entry.target.getBoundingClientRect().width;
        })
      : null;
  watch(
    target,
    (element, previous) => {
      if (previous) observer?.unobserve(previous);
      if (element) observer?.observe(element);
      else width.value = 0;
    },
    { immediate: true, flush: 'post' },
  );
  onBeforeUnmount(() => observer?.disconnect());
  return readonly(width);
}
