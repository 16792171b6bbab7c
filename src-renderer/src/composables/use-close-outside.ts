/**
 * Closes a small dropdown form (the log bar's Size and Field filters) when the user presses the
 * mouse anywhere outside its root element, as a menu does. Listens on the document only while
 * the component is mounted.
 */
import { onBeforeUnmount, onMounted, type Ref } from 'vue';

export function useCloseOutside(root: Readonly<Ref<HTMLElement | null>>, open: Ref<boolean>): void {
  function onDocumentDown(event: MouseEvent): void {
    if (open.value && event.target instanceof Node && !root.value?.contains(event.target)) open.value = false;
  }
  onMounted(() => document.addEventListener('mousedown', onDocumentDown));
  onBeforeUnmount(() => document.removeEventListener('mousedown', onDocumentDown));
}
