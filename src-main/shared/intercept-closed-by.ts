/**
 * Who closed an intercepted connection, in intercept's words, for the CLI's end line and the
 * app's Intercept page and captured tab alike. The engine's initiatedBy names its own side
 * ('client': our side spoke first), but in intercept the client is the intercepted application:
 * the relay's 'closing' report (core/intercept/intercept-events.ts) says who really began (the
 * application, you with a close command or button, Tunnelscope), and a close the server began is
 * the session's own 'server'.
 */
import { z } from 'zod';

/** The relay's 'closing' report as the Intercept list keeps it on a captured connection. */
export const interceptClosingSchema = z.object({
  by: z.enum(['application', 'you', 'tunnelscope']),
  /** With `you`: the side the close was sent to. */
  side: z.enum(['client', 'server']).optional(),
});
export type InterceptClosing = z.infer<typeof interceptClosingSchema>;

/** "closed by …"; null when nobody closed (the session failed). */
export function closedByWords(initiatedBy: 'client' | 'server' | 'none', closing: InterceptClosing | undefined): string | null {
  if (closing?.by === 'you') return `closed by you through intercept${closing.side ? `, sent to the ${closing.side}` : ''}`;
  if (closing?.by === 'application') return 'closed by the application';
  if (closing?.by === 'tunnelscope') return 'closed by Tunnelscope';
  if (initiatedBy === 'server') return 'closed by the server';
  // Our side spoke first without the relay saying why: only Tunnelscope's own doing is left.
  if (initiatedBy === 'client') return 'closed by Tunnelscope';
  return null;
}
