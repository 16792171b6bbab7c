/**
 * The contract over Electron IPC: one `ipcMain.handle` per command. Each call is answered
 * only for the main frame of one of our windows showing the app's own page; its argument is
 * validated by the engine (the contract's schema) and the answer is always a Result value.
 * Each window is its own subscriber of the engine's events (window-subscriptions.ts): it gets
 * the sessions its page subscribes to, in its own batches, while it is alive and shows the app.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { COMMAND_NAMES, commandSchemas, type CommandArg } from '../shared/commands';
import type { HostEvent } from '../shared/events';
import { EVENT_CHANNEL } from '../shared/ipc-channels';
import { fail, type Result } from '../shared/result';
import type { AppUrlCheck } from './app-origin';
import { WindowClients } from './window-clients';
import { WindowSubscriptions, type WindowSubscription } from './window-subscriptions';
import type { SecretExportSaver } from './secret-export-save';
import type { CaCertSaver } from './ca-cert-save';

/** What the handlers need of the engine (core/engine.ts implements it). */
export interface CommandEngine {
  /** `caller`: the window that sent the call (its sessions are its own, see window-clients.ts) and its event subscription. */
  invoke(name: string, rawArg: unknown, caller?: { clientId: string; subscriptionId?: string }): Promise<Result<unknown>>;
  /** A consumer of its own per window: the sessions its page subscribes to, its own batches and acknowledgements. */
  subscribe(options: { deliver: (event: HostEvent) => void; clientId?: string }): WindowSubscription;
  clientConnected?(clientId: string): void;
  clientDisconnected?(clientId: string, options?: { graceMs?: number }): void;
}

/** What the handlers need of a window (BrowserWindow implements it). */
export interface AppWindow {
  readonly webContents: WebContents;
  isDestroyed(): boolean;
}

export interface IpcHandlerOptions {
  engine: CommandEngine;
  /** The app's windows, asked at every call (windows come and go). */
  windows: () => readonly AppWindow[];
  isAppUrl: AppUrlCheck;
  /**
   * `profiles:export { includeSecrets: true }`: the main process saves the file itself (see
   * secret-export-save.ts) and the page only hears where it went. Without it, refused.
   */
  saveSecretExport?: SecretExportSaver<AppWindow>;
  /** `intercept-proxy:ca-save`: the main process's save dialog and write (ca-cert-save.ts). Without it, the engine's refusal. */
  saveCaCert?: CaCertSaver<AppWindow>;
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/**
 * Commands the page may never run, whatever the engine allows: writing to a path the page
 * names is for the CLI (the contract says so); the UI exports with frames:export instead.
 */
export const COMMANDS_REFUSED_OVER_IPC: ReadonlySet<string> = new Set(['frames:export-to-file']);

/** Why a call must be refused, or null when it comes from the app's own main frame. */
function senderProblem(event: SenderEvent, windows: readonly AppWindow[], isAppUrl: AppUrlCheck): string | null {
  try {
    const frame = event.senderFrame;
    if (frame === null) return 'the calling frame is gone';
    const window = windows.find((candidate) => !candidate.isDestroyed() && candidate.webContents === event.sender);
    if (window === undefined) return 'the call did not come from a Tunnelscope window';
    const main = window.webContents.mainFrame;
    const isMainFrame = frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId;
    if (!isMainFrame) return 'the call came from a subframe';
    if (!isAppUrl(frame.url)) return 'the calling page is not the app';
    return null;
  } catch {
    // A frame disposed mid-check throws on access: it is not a caller we can trust.
    return 'the calling frame could not be identified';
  }
}

/** Registers the command handlers and the event forwarding; returns the undo function. */
export function registerIpcHandlers(options: IpcHandlerOptions): () => void {
  const { engine, windows, isAppUrl, saveSecretExport, saveCaCert } = options;
  const clients = new WindowClients(engine);
  const subscriptions = new WindowSubscriptions<AppWindow>(engine, (window, event) => sendToAppWindows([window], isAppUrl, EVENT_CHANNEL, event));
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(name, async (event: IpcMainInvokeEvent, arg: unknown): Promise<Result<unknown>> => {
      if (COMMANDS_REFUSED_OVER_IPC.has(name)) return fail('FORBIDDEN', `${name} is not available in the desktop app`);
      const problem = senderProblem(event, windows(), isAppUrl);
      if (problem !== null) {
        console.warn(`tunnelscope: refused ${name}: ${problem}`);
        return fail('FORBIDDEN', `${name} refused: ${problem}`);
      }
      try {
        const window = windows().find((candidate) => !candidate.isDestroyed() && candidate.webContents === event.sender);
        if (window === undefined) return fail('FORBIDDEN', `${name} refused: the call did not come from a Tunnelscope window`);
        const secretExport = name === 'profiles:export' ? secretExportArg(arg) : undefined;
        if (secretExport !== undefined) {
          // The secrets go to a file the main process writes, never back over IPC.
          if (saveSecretExport === undefined) {
            return fail('FORBIDDEN', 'profiles:export: secrets are never sent to the page; this app cannot save an export with secrets');
          }
          return await saveSecretExport(secretExport, window);
        }
        // The certificate goes to a file the main process writes, where its own dialog says.
        if (name === 'intercept-proxy:ca-save' && saveCaCert !== undefined) {
          const parsed = commandSchemas['intercept-proxy:ca-save'].arg.safeParse(arg);
          if (!parsed.success) return fail('INVALID_ARGUMENT', 'intercept-proxy:ca-save takes no argument fields');
          return await saveCaCert(window);
        }
        const clientId = clients.of(event.sender);
        return await engine.invoke(name, arg, { clientId, subscriptionId: subscriptions.of(event.sender, window, clientId) });
      } catch (error) {
        // The engine promises never to throw; if it does, the renderer still gets a Result.
        return fail('INTERNAL', `${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }
  return () => {
    subscriptions.closeAll();
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(name);
  };
}

/** The argument of an export that asks for secrets, or undefined (the engine validates anything else). */
function secretExportArg(arg: unknown): CommandArg<'profiles:export'> | undefined {
  const parsed = commandSchemas['profiles:export'].arg.safeParse(arg);
  return parsed.success && parsed.data.includeSecrets ? parsed.data : undefined;
}

/** Sends to every window that is alive and shows the app; a window that fails is skipped. */
export function sendToAppWindows(windows: readonly AppWindow[], isAppUrl: AppUrlCheck, channel: string, payload: unknown): void {
  for (const window of windows) {
    if (window.isDestroyed()) continue;
    const contents = window.webContents;
    if (contents.isDestroyed() || contents.isCrashed() || !isAppUrl(contents.getURL())) continue;
    try {
      contents.send(channel, payload);
    } catch (error) {
      console.warn(`tunnelscope: could not send ${channel} to a window: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
