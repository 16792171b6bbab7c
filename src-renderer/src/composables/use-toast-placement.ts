/**
 * How far above the window's foot the profiles' toast sits. It is wider than the sidebar when a
 * file name needs it, so at the foot it lay over the tab's dock (the composer, or a captured
 * tab's breakpoint panel: theme.css's .ts-dock) and hid its "Message" label and field until it
 * went. Lifted above the dock's top it only overlaps the log or guide above it. With no dock
 * (the Intercept page, no tabs) or no room above one, it stays at the foot.
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

/** The dock's height above the window's foot (px) when the toast fits above it, else 0. */
export function useToastPlacement(region: Ref<HTMLElement | null>, shown: Ref<unknown>): Readonly<Ref<number>> {
  const lift = ref(0);
  let dock: HTMLElement | null = null;
  // The dock changes size with the composer's mode and goes when the tab does (an element
  // taken out of the page is reported at size 0), the toast with its message.
  const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => measure()) : null;

  function follow(next: HTMLElement | null): void {
    if (next === dock) return;
    if (dock) observer?.unobserve(dock);
    dock = next;
    if (dock) observer?.observe(dock);
  }

  function measure(): void {
    const toast = region.value;
    const found = toast ? document.querySelector<HTMLElement>('.ts-dock') : null;
    follow(found);
    const top = found?.getBoundingClientRect().top ?? window.innerHeight;
    const above = Math.max(0, window.innerHeight - top);
    // Room for the toast and a margin above the dock; else the foot (over the dock, as a last resort).
    const fits = toast !== null && above > 0 && above + toast.offsetHeight + 16 <= window.innerHeight;
    lift.value = fits ? above : 0;
  }

  watch(
    [region, shown],
    ([element], [previous]) => {
      if (previous && previous !== element) observer?.unobserve(previous);
      if (element) observer?.observe(element);
      measure();
    },
    { immediate: true, flush: 'post' },
  );
  window.addEventListener('resize', measure);
  onBeforeUnmount(() => {
    window.removeEventListener('resize', measure);
    observer?.disconnect();
  });
  return lift;
}
