/**
 * The page's client id for the web host: random, kept in sessionStorage so a reload of this
 * tab keeps it (and the web host hands the tab's sessions back), while another tab gets its
 * own. Sent as `?client=` on /api (src-main/web/page-clients.ts checks it).
 */
const STORAGE_KEY = 'tunnelscope.clientId';
const CLIENT_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** The slice of sessionStorage used here (absent or throwing: storage is off, e.g. a sandboxed frame). */
export type ClientIdStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** `holder.sessionStorage` is read inside a try: reading it throws where storage is blocked. */
export function pageClientId(holder: { sessionStorage?: ClientIdStorage }, newId: () => string = () => crypto.randomUUID()): string {
  let storage: ClientIdStorage | undefined;
  try {
    storage = holder.sessionStorage;
    const kept = storage?.getItem(STORAGE_KEY);
    if (kept && CLIENT_ID.test(kept)) return kept;
  } catch {
    // Storage refused: this page keeps its id only until it is reloaded.
  }
  const id = newId();
  try {
    storage?.setItem(STORAGE_KEY, id);
  } catch {
    // As above.
  }
  return id;
}

/** The /api URL with the page's client id. */
export function withClientId(apiUrl: string, clientId: string): string {
  return `${apiUrl}${apiUrl.includes('?') ? '&' : '?'}client=${encodeURIComponent(clientId)}`;
}
