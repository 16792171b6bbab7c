/**
 * The end of an intercepted connection in intercept's words. The engine's initiatedBy names its
 * own side ('client': our side spoke first), but in intercept the client is the intercepted
 * application: the relay's 'closing' report says who really began (the application, you with a
 * `close` command, Tunnelscope), and a close the server began is the session's own 'server'.
 */
import type { CloseStarter } from '../core';
import { formatBytes } from '../shared/format-bytes';

export interface Closing {
  by: CloseStarter;
  side?: 'client' | 'server';
}

/** " (closed by …)" for the end line; empty when nobody closed (the session failed). */
export function closedByText(initiatedBy: 'client' | 'server' | 'none', closing: Closing | undefined): string {
  if (closing?.by === 'you') return ` (closed by you through intercept${closing.side ? `, sent to the ${closing.side}` : ''})`;
  if (closing?.by === 'application') return ' (closed by the application)';
  if (closing?.by === 'tunnelscope') return ' (closed by Tunnelscope)';
  if (initiatedBy === 'server') return ' (closed by the server)';
  // Our side spoke first without the relay saying why: only Tunnelscope's own doing is left.
  if (initiatedBy === 'client') return ' (closed by Tunnelscope)';
  return '';
}

/** A relayed HTTP answer's body as the app's table shows it: "—" when none came, else "212 B", "1.5 KiB". */
export function httpSizeText(size: number | null): string {
  return size === null ? '—' : formatBytes(size);
}
