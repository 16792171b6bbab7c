/**
 * The engine's "system" proxy source in the desktop app: Chromium's resolver, which covers
 * the OS proxy settings, PAC and WPAD. Its answer is a PAC-style string ("PROXY a:3128;
 * DIRECT") that the engine parses defensively (core/proxy/pac-answer.ts).
 */
import type { Session } from 'electron';

export type SystemResolver = (url: string) => Promise<string>;

/**
 * The URL Chromium is asked about. Browsers pick a WebSocket's proxy as for the http(s) URL
 * of the same place, so ws: becomes http: and wss: https:; credentials never go along.
 */
export function lookupUrl(target: string): string {
  const url = new URL(target);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`the system proxy can only be looked up for ws:, wss:, http: or https: URLs, not ${url.protocol}`);
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  return url.href;
}

/** A resolver over a session's `resolveProxy` (the app passes `session.defaultSession`). */
export function createSystemResolver(session: Pick<Session, 'resolveProxy'>): SystemResolver {
  return async (target) => session.resolveProxy(lookupUrl(target));
}

/** How proxy decisions name this resolver, so the user knows Chromium's settings decided. */
export const SYSTEM_PROXY_LABEL = 'system settings (Chromium)';
