/**
 * The tab shortcuts, per host. The desktop app gets Ctrl/Cmd+T, Ctrl/Cmd+W and Ctrl+Tab /
 * Ctrl+PageDown; a browser keeps those for its own tabs (the page never sees them), so the web
 * host uses Alt+T, Alt+W and Alt+PageDown / Alt+PageUp, which Chromium and Firefox leave to the
 * page. Alt keys are matched by their physical key (`code`): on macOS Option+T types "†".
 */
export type HostKind = 'electron' | 'web' | 'cli';

export type TabShortcut = 'new-tab' | 'close-tab' | 'next-tab' | 'previous-tab';

/** The part of a KeyboardEvent the shortcuts look at. */
export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** The tab shortcut a key press stands for on this host (null: none, or the host is not known yet). */
export function tabShortcut(press: KeyPress, host: HostKind | null): TabShortcut | null {
  const mod = press.ctrlKey || press.metaKey;
  if (mod && !press.altKey) {
    // Also in a browser: a page shown in an app window or kiosk may get them.
    const key = press.key.toLowerCase();
    if (key === 't' && !press.shiftKey) return 'new-tab';
    if (key === 'w' && !press.shiftKey) return 'close-tab';
    if (key === 'tab') return press.shiftKey ? 'previous-tab' : 'next-tab';
    if (key === 'pagedown') return 'next-tab';
    if (key === 'pageup') return 'previous-tab';
    return null;
  }
  if (host === 'web' && press.altKey && !mod && !press.shiftKey) {
    if (press.code === 'KeyT') return 'new-tab';
    if (press.code === 'KeyW') return 'close-tab';
    if (press.code === 'PageDown') return 'next-tab';
    if (press.code === 'PageUp') return 'previous-tab';
  }
  return null;
}

export interface ShortcutHints {
  newTab: string;
  closeTab: string;
  nextTab: string;
  send: string;
}

/** What the UI writes next to its buttons: only keys that work on this host. */
export function shortcutHints(host: HostKind | null, mac: boolean): ShortcutHints {
  const mod = mac ? '⌘' : 'Ctrl';
  const send = `${mod}+Enter`;
  if (host === 'web') {
    const alt = mac ? '⌥' : 'Alt';
    return { newTab: `${alt}+T`, closeTab: `${alt}+W`, nextTab: `${alt}+PageDown`, send };
  }
  return { newTab: `${mod}+T`, closeTab: `${mod}+W`, nextTab: 'Ctrl+Tab', send };
}

export function isMacPlatform(platform: string): boolean {
  return /Mac|iPhone|iPad/.test(platform);
}
