/**
 * The window's pane sizes the user dragged (the sessions list's width, the frame detail's
 * width), across restarts. Kept in localStorage; what is read back is checked field by field
 * and kept within its bounds, so a hand edit or another version's value falls back to the
 * default layout, never to a pane of no width. null means the default (which follows the
 * window's size in CSS).
 */
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { z } from 'zod';

export const LAYOUT_STORAGE_KEY = 'tunnelscope.layout';

/** Bounds of what may be stored; the CSS also keeps each pane within the window it is in. */
export const PANE_LIMITS = {
  sidebar: { min: 160, max: 520 },
  detail: { min: 280, max: 1600 },
} as const;
export type Pane = keyof typeof PANE_LIMITS;

export interface PaneSizes {
  sidebar: number | null;
  detail: number | null;
}

const stored = z.object({ sidebar: z.unknown().optional(), detail: z.unknown().optional() });
const width = z.number().finite();

function within(pane: Pane, value: number): number {
  const { min, max } = PANE_LIMITS[pane];
  return Math.round(Math.min(max, Math.max(min, value)));
}

/** Reads what localStorage held (any JSON, or garbage): each valid size is kept, the rest is the default. */
export function parsePaneSizes(raw: string | null): PaneSizes {
  const sizes: PaneSizes = { sidebar: null, detail: null };
  if (raw === null) return sizes;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return sizes;
  }
  const record = stored.safeParse(json);
  if (!record.success) return sizes;
  for (const pane of ['sidebar', 'detail'] as const) {
    const value = width.safeParse(record.data[pane]);
    if (value.success) sizes[pane] = within(pane, value.data);
  }
  return sizes;
}

/** localStorage, when the page may use it (a sandboxed or privacy-restricted page may not). */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export const useLayoutStore = defineStore('layout', () => {
  const initial = parsePaneSizes(storage()?.getItem(LAYOUT_STORAGE_KEY) ?? null);
  const sizes = ref<PaneSizes>(initial);

  watch(
    sizes,
    (now) => {
      try {
        storage()?.setItem(LAYOUT_STORAGE_KEY, JSON.stringify(now));
      } catch {
        // Full or refused: the size still holds for this window.
      }
    },
    { deep: true },
  );

  function setSize(pane: Pane, value: number): void {
    sizes.value[pane] = within(pane, value);
  }

  /** Back to the default (a double click on the splitter). */
  function resetSize(pane: Pane): void {
    sizes.value[pane] = null;
  }

  return { sizes, setSize, resetSize };
});
