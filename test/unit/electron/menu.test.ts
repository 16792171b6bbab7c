// The application menu: the app's own entries, the usual roles, devtools only in development.
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';

const electron = vi.hoisted(() => ({ Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((template: unknown) => ({ template })) } }));
vi.mock('electron', () => electron);

const { buildMenuTemplate, installApplicationMenu } = await import('../../../src-main/electron/menu');

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function build(overrides: Partial<Parameters<typeof buildMenuTemplate>[0]> = {}) {
  const onAction = vi.fn();
  const onOpenReadme = vi.fn();
  const items = flatten(buildMenuTemplate({ platform: 'linux', isPackaged: true, appName: 'Tunnelscope', onAction, onOpenReadme, ...overrides }));
  return { items, onAction, onOpenReadme };
}

function click(item: MenuItemConstructorOptions | undefined): void {
  if (item?.click === undefined) throw new Error('no click handler');
  item.click(Object.create(null), undefined, Object.create(null));
}

describe('application menu', () => {
  it("has the app's own entries, with shortcuts, sending validated actions", () => {
    const { items, onAction } = build();
    const newConnection = items.find((item) => item.label === 'New Connection');
    const exportLog = items.find((item) => item.label === 'Export Log…');
    expect(newConnection?.accelerator).toBe('CmdOrCtrl+T');
    expect(exportLog?.accelerator).toBeDefined();
    click(newConnection);
    click(exportLog);
    expect(onAction.mock.calls).toEqual([['new-connection'], ['export-log']]);
  });

  it('gives Ctrl/Cmd+W to Close Tab (the renderer asks first), and the window Ctrl/Cmd+Shift+W', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const { items, onAction } = build({ platform });
      const closeTab = items.find((item) => item.label === 'Close Tab');
      expect(closeTab?.accelerator).toBe('CmdOrCtrl+W');
      click(closeTab);
      expect(onAction).toHaveBeenCalledWith('close-tab');
      // Electron's close role would take Ctrl/Cmd+W for the window unless told otherwise.
      const closeWindow = items.filter((item) => item.role === 'close');
      expect(closeWindow.length).toBeGreaterThan(0);
      for (const item of closeWindow) expect(item.accelerator).toBe('CmdOrCtrl+Shift+W');
      expect(items.filter((item) => item.accelerator === 'CmdOrCtrl+W')).toEqual([closeTab]);
    }
  });

  it('has the usual Edit, View and Window entries', () => {
    const roles = build().items.map((item) => item.role).filter((role) => role !== undefined);
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'reload', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'windowMenu', 'quit']) {
      expect(roles).toContain(role);
    }
  });

  it('offers developer tools only in development builds', () => {
    expect(build({ isPackaged: true }).items.map((item) => item.role)).not.toContain('toggleDevTools');
    expect(build({ isPackaged: false }).items.map((item) => item.role)).toContain('toggleDevTools');
  });

  it('follows macOS conventions there (app menu, close instead of quit in File)', () => {
    const { items } = build({ platform: 'darwin' });
    const roles = items.map((item) => item.role);
    expect(roles[0]).toBe('appMenu');
    expect(roles).toContain('close');
    expect(roles).not.toContain('quit');
  });

  it('opens the README from Help, and disables the entry when there is none', () => {
    const { items, onOpenReadme } = build();
    const readme = items.find((item) => item.label === 'Tunnelscope README');
    expect(readme?.enabled).toBe(true);
    click(readme);
    expect(onOpenReadme).toHaveBeenCalledTimes(1);
    expect(build({ onOpenReadme: null }).items.find((item) => item.label === 'Tunnelscope README')?.enabled).toBe(false);
  });

  it('installs the built menu as the application menu', () => {
    installApplicationMenu({ platform: 'linux', isPackaged: true, appName: 'Tunnelscope', onAction: vi.fn(), onOpenReadme: null });
    expect(electron.Menu.buildFromTemplate).toHaveBeenCalledTimes(1);
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(electron.Menu.buildFromTemplate.mock.results[0]?.value);
  });
});
