/** A profile's keep-alive in words, for `profiles show`: "ping every 30 s, pong within 10 s" or "off". */
import type { KeepaliveSetting } from '../shared/model';

export function keepaliveText(keepalive: KeepaliveSetting | undefined): string {
  if (!keepalive) return 'off';
  return `ping every ${keepalive.intervalMs / 1000} s, pong within ${keepalive.pongTimeoutMs / 1000} s (else the session ends: PEER_UNRESPONSIVE)`;
}
