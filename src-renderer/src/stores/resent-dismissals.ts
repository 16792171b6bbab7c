/**
 * The reconnect notices this page dismissed (resend-store.ts), kept in sessionStorage: a reload of
 * the page keeps them (as it keeps the page's client id, bridge/client-id.ts), another window or
 * browser tab has its own. Session ids are random UUIDs, so one never names another session.
 * What is read back is checked entry by entry; garbage is dropped. At most MAX_DISMISSALS are
 * kept (the oldest go first); a removed session's entry goes with it.
 */

const STORAGE_KEY = 'tunnelscope.resentDismissed';
export const MAX_DISMISSALS = 200;

/** The slice of Storage used here. */
export type DismissalStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** sessionStorage, when the page may use it (a sandboxed or privacy-restricted page may not: reading it throws). */
export function pageStorage(): DismissalStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** The kept dismissals: session id → the attempt whose report was dismissed. */
export function readDismissals(storage: DismissalStorage | null): Map<string, number> {
  const map = new Map<string, number>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]');
  } catch {
    return map;
  }
  if (!Array.isArray(parsed)) return map;
  for (const entry of parsed.slice(-MAX_DISMISSALS)) {
    if (!Array.isArray(entry) || entry.length !== 2) continue;
    const [id, attempt]: unknown[] = entry;
    if (typeof id === 'string' && id.length > 0 && id.length <= 200 && typeof attempt === 'number' && Number.isInteger(attempt) && attempt >= 2) map.set(id, attempt);
  }
  return map;
}

/** Writes the dismissals (the newest MAX_DISMISSALS); a storage that refuses (full, blocked) keeps them for this page only. */
export function writeDismissals(storage: DismissalStorage | null, map: ReadonlyMap<string, number>): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify([...map].slice(-MAX_DISMISSALS)));
  } catch {
    // As said: dismissed until the page reloads.
  }
}
