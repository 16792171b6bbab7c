/**
 * Builds `window.tunnelscope` over ipcRenderer: one named method per contract command (from
 * the zod-free name list), `onEvent` and `onMenu`. The page never sees ipcRenderer, an IPC
 * event object, or a way to name a channel of its own.
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { TunnelscopeBridge } from '../shared/bridge';
import { COMMAND_NAME_LIST } from '../shared/command-names';
import type { TunnelscopeApi } from '../shared/commands';
import type { HostEvent } from '../shared/events';
import { EVENT_CHANNEL, MENU_CHANNEL, isMenuAction, type MenuAction } from '../shared/ipc-channels';

/** The part of ipcRenderer the bridge uses. */
export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/** Subscribes `deliver` to a channel; the IPC event itself (which holds `sender`) never reaches the page. */
function subscribe(ipc: IpcRendererLike, channel: string, deliver: (payload: unknown) => void): () => void {
  const listener = (_event: IpcRendererEvent, payload: unknown): void => deliver(payload);
  ipc.on(channel, listener);
  return () => {
    ipc.removeListener(channel, listener);
  };
}

/** Every event type, checked against the contract at compile time (a Record must name them all). */
const EVENT_TYPES: Readonly<Record<HostEvent['type'], true>> = {
  'session-created': true,
  'proxy-decision': true,
  state: true,
  handshake: true,
  frames: true,
  'frames-skipped': true,
  stats: true,
  error: true,
  closed: true,
  'session-removed': true,
  attempt: true,
  'attempt-started': true,
  resent: true,
  repeat: true,
  subscribed: true,
  'intercept-queue': true,
  'intercept-status': true,
  'intercept-connection': true,
  'intercept-http': true,
};

/**
 * A cheap shape check (the full schema needs zod, which a sandboxed preload cannot load; the
 * main process only ever sends the engine's own events here, so this only drops garbage).
 */
function isHostEvent(payload: unknown): payload is HostEvent {
  if (typeof payload !== 'object' || payload === null) return false;
  if (!('type' in payload) || typeof payload.type !== 'string' || !Object.hasOwn(EVENT_TYPES, payload.type)) return false;
  // The intercepting proxy's own events name no session (the page's checked bridge checks them whole).
  if (SESSIONLESS_EVENT_TYPES.has(payload.type)) return true;
  return 'sessionId' in payload && typeof payload.sessionId === 'string';
}

const SESSIONLESS_EVENT_TYPES: ReadonlySet<string> = new Set<HostEvent['type']>(['intercept-status', 'intercept-connection', 'intercept-http']);

/** The object the page sees as `window.tunnelscope`, built over an ipcRenderer. */
export function createBridge(ipc: IpcRendererLike): TunnelscopeBridge {
  // The methods are built from the name list; the mapped type holds them to the contract.
  const commands = Object.fromEntries(
    COMMAND_NAME_LIST.map((name) => [name, (arg: unknown) => ipc.invoke(name, arg)]),
  ) as TunnelscopeApi;
  return {
    ...commands,
    onEvent: (callback: (event: HostEvent) => void) =>
      subscribe(ipc, EVENT_CHANNEL, (payload) => {
        if (isHostEvent(payload)) callback(payload);
      }),
    onMenu: (callback: (action: MenuAction) => void) =>
      subscribe(ipc, MENU_CHANNEL, (payload) => {
        if (isMenuAction(payload)) callback(payload);
      }),
  };
}
