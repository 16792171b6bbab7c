/**
 * Keeps an open popover or menu inside the window: fixed-positioned next to its anchor by
 * placePopover, measured again when the window is resized or scrolled and when the popover's
 * own size changes (another tool's command, a longer list). Fixed, so no scrolling parent
 * clips it either. Bind the returned style to the popover element.
 */
import { computed, nextTick, onBeforeUnmount, ref, watch, type CSSProperties, type Ref } from 'vue';
import { DEFAULT_POPOVER, placePopover, type PopoverOptions, type PopoverPlacement } from '../util/popover-position';

export function usePopoverPosition(
  anchor: Readonly<Ref<HTMLElement | null>>,
  popover: Readonly<Ref<HTMLElement | null>>,
  open: Readonly<Ref<boolean>>,
  options: Partial<PopoverOptions> = {},
): { style: Ref<CSSProperties>; update: () => void } {
  const settings: PopoverOptions = { ...DEFAULT_POPOVER, ...options };
  const placement = ref<PopoverPlacement | null>(null);
  let observer: ResizeObserver | null = null;

  function update(): void {
    const a = anchor.value;
    const p = popover.value;
    if (!open.value || !a || !p) return;
    const box = a.getBoundingClientRect();
    placement.value = placePopover(
      { left: box.left, top: box.top, width: box.width, height: box.height },
      // scrollHeight: the height it wants, also once a max-height has cut it short.
      { width: p.offsetWidth, height: p.scrollHeight },
      { width: window.innerWidth, height: window.innerHeight },
      settings,
    );
  }

  function listen(on: boolean): void {
    const method = on ? 'addEventListener' : 'removeEventListener';
    window[method]('resize', update);
    // Capture: a scroll of any scrolling parent moves the anchor.
    window[method]('scroll', update, true);
    observer?.disconnect();
    observer = null;
    if (on && popover.value && typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => update());
      observer.observe(popover.value);
    }
  }

  watch(
    open,
    async (isOpen) => {
      placement.value = null;
      if (!isOpen) return listen(false);
      await nextTick();
      update();
      listen(true);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => listen(false));

  const style = computed<CSSProperties>(() => {
    const p = placement.value;
    if (!p) return { position: 'fixed' };
    return { position: 'fixed', left: `${p.left}px`, top: `${p.top}px`, right: 'auto', bottom: 'auto', maxHeight: `${p.maxHeight}px`, maxWidth: `${p.maxWidth}px`, overflowY: 'auto' };
  });
  return { style, update };
}
