/**
 * The desktop app's menu (File → New connection, Close tab, Export log…) reaches the renderer through
 * the bridge's optional `onMenu`; the web host has no menu and leaves it out.
 */
import { defineStore } from 'pinia';
import type { MenuAction } from '../../../src-main/shared/ipc-channels';
import { getBridge } from '../bridge/active-bridge';
import { useCloseGuardStore } from './close-guard-store';
import { useLogFilesStore } from './log-files-store';
import { useTabsStore } from './tabs-store';

export const useAppMenuStore = defineStore('app-menu', () => {
  const tabStore = useTabsStore();
  const logFiles = useLogFilesStore();
  const closeGuard = useCloseGuardStore();
  let unsubscribe: (() => void) | null = null;

  function handle(action: MenuAction): void {
    if (action === 'new-connection') tabStore.newTab();
    else if (action === 'export-log' && tabStore.activeSession) logFiles.requestExport();
    // The menu only passes Ctrl/Cmd+W on: the renderer asks before a live session is cut off.
    else if (action === 'close-tab' && tabStore.activeTabId) closeGuard.requestClose(tabStore.activeTabId);
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
