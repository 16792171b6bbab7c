/**
 * The one bridge the stores talk to, chosen at start-up (Electron's preload or the web host's
 * WebSocket) and replaced by a fake in tests. Components never use it: they talk to stores.
 */
import type { TunnelscopeBridge } from '../../../src-main/shared/bridge';

let active: TunnelscopeBridge | null = null;

export function setBridge(bridge: TunnelscopeBridge): void {
  active = bridge;
}

export function getBridge(): TunnelscopeBridge {
  if (!active) throw new Error('No bridge: setBridge() must run before the stores are used.');
  return active;
}
