/**
 * The desktop app's menu (File → New connection, Export log…) reaches the renderer through
 * the bridge's optional `onMenu`; the web host has no menu and leaves it out.
 */
import { defineStore } from 'pinia';
import type { MenuAction } from '../../../src-main/shared/ipc-channels';
import { getBridge } from '../bridge/active-bridge';
import { useLogFilesStore } from './log-files-store';
import { useSessionsStore } from './sessions-store';

export const useAppMenuStore = defineStore('app-menu', () => {
  const sessions = useSessionsStore();
  const logFiles = useLogFilesStore();
  let unsubscribe: (() => void) | null = null;

  function handle(action: MenuAction): void {
    if (action === 'new-connection') sessions.newTab();
    else if (action === 'export-log' && sessions.activeSession) logFiles.requestExport();
  }

  function start(): void {
    if (unsubscribe) return;
    unsubscribe = getBridge().onMenu?.(handle) ?? null;
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  return { start, stop, handle };
});
