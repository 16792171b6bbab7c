/**
 * Which page a connection to the web host's `/api` belongs to. A page sends its client id
 * (random, kept in its sessionStorage so a reload keeps it) as the `client` query parameter.
 * The engine keeps the page's sessions while a connection of it is open and for the grace
 * after its last one closed; a reload within the grace takes them back.
 *
 * The id is not a credential (the access token is): it only tells the engine which sessions
 * a page opened, and any page with the token may list and adopt any session anyway.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PLAIN_ISSUE_WORDS } from '../shared/zod-words';

const CLIENT_ID_PARAM = 'client';

const clientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be 16–64 letters, digits, "-" or "_" (the page keeps a random one in sessionStorage)');

export type PageClient = { ok: true; clientId: string } | { ok: false; status: 400; reason: string };

/**
 * The page's client id from the `/api` query. A connection without one (an older page, a
 * script) gets an id of its own: its sessions go the grace after it disconnects.
 */
export function pageClientOf(query: URLSearchParams): PageClient {
  const given = query.getAll(CLIENT_ID_PARAM);
  if (given.length === 0) return { ok: true, clientId: `anonymous-${randomUUID()}` };
  if (given.length > 1) return { ok: false, status: 400, reason: `Give the ${CLIENT_ID_PARAM} parameter once, not ${given.length} times.` };
  const parsed = clientIdSchema.safeParse(given[0], PLAIN_ISSUE_WORDS);
  if (!parsed.success) {
    return { ok: false, status: 400, reason: `The ${CLIENT_ID_PARAM} parameter ${parsed.error.issues[0]?.message ?? 'is not a client id'}.` };
  }
  return { ok: true, clientId: parsed.data };
}
