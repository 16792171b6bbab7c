/**
 * Electron's IPC channels besides the commands, and the application menu's actions. Plain
 * constants without zod, so the sandboxed preload can import them (bridge.ts re-exports them).
 */

/** Engine events travel to the renderer on this channel. */
export const EVENT_CHANNEL = 'engine:event';

/** Application menu actions travel to the renderer on this channel. */
export const MENU_CHANNEL = 'app:menu';

/** What the application menu can ask the renderer to do. */
export const MENU_ACTIONS = ['new-connection', 'close-tab', 'export-log'] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

export function isMenuAction(value: unknown): value is MenuAction {
  return MENU_ACTIONS.some((action) => action === value);
}
