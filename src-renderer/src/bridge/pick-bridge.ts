/**
 * Chooses the bridge at start-up: Electron's preload object (`window.tunnelscope`, its shape
 * checked at runtime) in the desktop app, the web host's WebSocket in a browser. Everything
 * above the bridge is the same code.
 */
import type { TunnelscopeBridge } from '../../../src-main/shared/bridge';
import { COMMAND_NAMES } from '../../../src-main/shared/commands';
import { checkedBridge } from './checked-bridge';
import { createWebBridge, sameOriginApiUrl, type WebBridgeOptions, type WebHostConnection } from './web-bridge';
import { pageClientId, withClientId, type ClientIdStorage } from './client-id';

export type PickedBridge =
  | { kind: 'electron'; bridge: TunnelscopeBridge }
  | { kind: 'web'; bridge: TunnelscopeBridge; connection: WebHostConnection }
  /** In Electron without a usable preload object: nothing can work, say why. */
  | { kind: 'broken'; reason: string };

type AnyFunction = (...args: never[]) => unknown;

/** What the preload exposes, as far as can be checked without calling it. */
interface PreloadObject {
  [name: string]: unknown;
  onEvent: (callback: (raw: unknown) => void) => unknown;
  onMenu?: (callback: (raw: unknown) => void) => unknown;
}

function isFunction(value: unknown): value is AnyFunction {
  return typeof value === 'function';
}

/** Why `value` is not a usable preload object, or undefined when it is. */
export function preloadProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'window.tunnelscope is not an object';
  const record: Record<string, unknown> = { ...value };
  const missing = [...COMMAND_NAMES, 'onEvent'].filter((name) => !isFunction(record[name]));
  if (missing.length > 0) return `window.tunnelscope lacks ${missing.join(', ')}`;
  if (record['onMenu'] !== undefined && !isFunction(record['onMenu'])) return 'window.tunnelscope.onMenu is not a function';
  return undefined;
}

function isPreloadObject(value: unknown): value is PreloadObject {
  return preloadProblem(value) === undefined;
}

/** Calls a preload function and turns what it returns into an unsubscribe function. */
function subscribeVia(subscribe: (callback: (raw: unknown) => void) => unknown, callback: (raw: unknown) => void): () => void {
  const unsubscribe = subscribe(callback);
  return () => {
    if (isFunction(unsubscribe)) unsubscribe();
  };
}

function electronBridge(preload: PreloadObject): TunnelscopeBridge {
  const onMenu = preload.onMenu;
  return checkedBridge({
    call: async (name, arg) => {
      const method = preload[name];
      if (!isFunction(method)) throw new Error(`window.tunnelscope has no ${name}`);
      // The preload validates nothing itself; its answer is checked by checkedBridge.
      return await Reflect.apply(method, preload, [arg]);
    },
    subscribe: (callback) => subscribeVia(preload.onEvent, callback),
    ...(onMenu ? { subscribeMenu: (callback: (raw: unknown) => void) => subscribeVia(onMenu, callback) } : {}),
  });
}

export interface PickEnvironment {
  tunnelscope?: unknown;
  navigator: { userAgent: string };
  location: { protocol: string; host: string };
  /** Where the page keeps its client id for the web host (client-id.ts). */
  sessionStorage?: ClientIdStorage;
}

export function pickBridge(environment: PickEnvironment, webOptions: WebBridgeOptions = {}): PickedBridge {
  const preload = environment.tunnelscope;
  const inElectron = /\bElectron\//.test(environment.navigator.userAgent) || environment.location.protocol === 'app:';
  if (preload !== undefined || inElectron) {
    if (isPreloadObject(preload)) return { kind: 'electron', bridge: electronBridge(preload) };
    return { kind: 'broken', reason: `The desktop app's bridge to its engine is missing or incomplete: ${preloadProblem(preload) ?? 'unknown problem'}.` };
  }
  const url = withClientId(sameOriginApiUrl(environment.location), pageClientId(environment));
  const web = createWebBridge({ url, ...webOptions });
  return { kind: 'web', bridge: web.bridge, connection: web.connection };
}
