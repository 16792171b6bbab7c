/**
 * The end of an intercepted connection in intercept's words: who closed it (the wording the
 * app's Intercept page shares, shared/intercept-closed-by.ts) and a relayed HTTP answer's size.
 */
import { closedByWords, type InterceptClosing } from '../shared/intercept-closed-by';
import { formatBytes } from '../shared/format-bytes';

/** The relay's 'closing' report: who began, and with `you` the side the close was sent to. */
export type Closing = InterceptClosing;

/** " (closed by …)" for the end line; empty when nobody closed (the session failed). */
export function closedByText(initiatedBy: 'client' | 'server' | 'none', closing: Closing | undefined): string {
  const words = closedByWords(initiatedBy, closing);
  return words === null ? '' : ` (${words})`;
}

/** A relayed HTTP answer's body as the app's table shows it: "—" when none came, else "212 B", "1.5 KiB". */
export function httpSizeText(size: number | null): string {
  return size === null ? '—' : formatBytes(size);
}
