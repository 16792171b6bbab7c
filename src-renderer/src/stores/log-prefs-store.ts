/**
 * How the frame log is laid out, for every session and across restarts: which time the Time
 * column shows (clock time, time since the session opened, time since the previous row) and
 * which columns are shown. Kept in localStorage; what is read back is checked field by field,
 * so a value from another version or a hand edit falls back to the default, not to a broken log.
 */
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { z } from 'zod';

export const TIME_MODES = ['clock', 'since-open', 'delta'] as const;
export type TimeMode = (typeof TIME_MODES)[number];

/** `summary`: what the frame says in its protocol (shown while the session's frames decode). */
export const LOG_COLUMNS = ['seq', 'time', 'dir', 'type', 'size', 'summary', 'preview'] as const;
export type LogColumn = (typeof LOG_COLUMNS)[number];

export interface LogPrefs {
  timeMode: TimeMode;
  /** In the log's order; never empty. */
  columns: LogColumn[];
}

export const STORAGE_KEY = 'tunnelscope.frame-log';

export function defaultLogPrefs(): LogPrefs {
  return { timeMode: 'clock', columns: [...LOG_COLUMNS] };
}

const stored = z.object({ timeMode: z.unknown().optional(), columns: z.unknown().optional() });
const timeMode = z.enum(TIME_MODES);
const columns = z.array(z.string());

/** Reads what localStorage held (any JSON, or garbage): each valid field is kept, the rest is the default. */
export function parseLogPrefs(raw: string | null): LogPrefs {
  const prefs = defaultLogPrefs();
  if (raw === null) return prefs;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return prefs;
  }
  const record = stored.safeParse(json);
  if (!record.success) return prefs;
  const mode = timeMode.safeParse(record.data.timeMode);
  if (mode.success) prefs.timeMode = mode.data;
  const names = columns.safeParse(record.data.columns);
  if (names.success) {
    // Unknown names are left out; the log's own order is kept; at least one column stays.
    const shown = LOG_COLUMNS.filter((c) => names.data.includes(c));
    if (shown.length > 0) prefs.columns = shown;
  }
  return prefs;
}

/** localStorage, when the page may use it (a sandboxed or privacy-restricted page may not). */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export const useLogPrefsStore = defineStore('log-prefs', () => {
  const initial = parseLogPrefs(storage()?.getItem(STORAGE_KEY) ?? null);
  const timeMode = ref<TimeMode>(initial.timeMode);
  const columns = ref<LogColumn[]>(initial.columns);

  watch(
    [timeMode, columns],
    () => {
      try {
        storage()?.setItem(STORAGE_KEY, JSON.stringify({ timeMode: timeMode.value, columns: columns.value }));
      } catch {
        // Full or refused: the choice still holds for this window.
      }
    },
    { deep: true },
  );

  function setTimeMode(mode: TimeMode): void {
    timeMode.value = mode;
  }

  function isShown(column: LogColumn): boolean {
    return columns.value.includes(column);
  }

  /** Shows or hides a column; the last one shown stays (a log of no columns shows nothing). */
  function setColumn(column: LogColumn, shown: boolean): void {
    const next = LOG_COLUMNS.filter((c) => (c === column ? shown : columns.value.includes(c)));
    if (next.length > 0) columns.value = next;
  }

  function resetColumns(): void {
    columns.value = [...LOG_COLUMNS];
  }

  return { timeMode, columns, setTimeMode, isShown, setColumn, resetColumns };
});
