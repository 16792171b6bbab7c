// Window-open, navigation, webview and permission guards, and the external URL check.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppUrlCheck, devServerOrigin } from '../../../src-main/electron/app-origin';

const electron = vi.hoisted(() => ({ shell: { openExternal: vi.fn(async (_url: string) => undefined) } }));
vi.mock('electron', () => electron);

const { denyPermissionsByDefault, hardenAllWebContents, hardenWebContents, isPermissionAllowed, isSafeExternalUrl, openExternalSafely } =
  await import('../../../src-main/electron/security');

type Listener = (...args: unknown[]) => void;

/** The parts of WebContents the guards use. */
function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  return {
    setWindowOpenHandler: vi.fn((handler: (details: { url: string }) => { action: string }) => {
      openHandler = handler;
    }),
    on: vi.fn((name: string, listener: Listener) => {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
    }),
    open: (url: string) => {
      if (openHandler === undefined) throw new Error('no window open handler');
      return openHandler({ url });
    },
    /** Fires a navigation-style event; says whether some listener prevented it. */
    fire: (name: string, url: string): boolean => {
      const event = { url, preventDefault: vi.fn() };
      const registered = listeners.get(name) ?? [];
      if (registered.length === 0) throw new Error(`no listener for ${name}`);
      for (const listener of registered) listener(event, {}, {});
      return event.preventDefault.mock.calls.length > 0;
    },
  };
}

const isAppUrl = createAppUrlCheck(null);
const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
beforeEach(() => {
  electron.shell.openExternal.mockClear();
  warn.mockClear();
});

describe('external URL check', () => {
  it.each([
    'https://github.com/websockets/ws',
    'http://example.com/docs?q=1#x',
    'https://[::1]:8443/',
  ])('allows %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(true);
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['javascript: in capitals', 'JAVASCRIPT:alert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['file: on Windows', 'file://C:/Windows/System32/calc.exe'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['a custom scheme', 'tunnelscope://open'],
    ['ms-settings:', 'ms-settings:privacy'],
    ['smb:', 'smb://attacker/share'],
    ['ftp:', 'ftp://example.com/'],
    ['the app itself', 'app://tunnelscope/index.html'],
    ['credentials', 'https://user:pass@example.com/'],
    ['a leading space', ' https://example.com/'],
    ['a newline', 'https://example.com/\nfile:///x'],
    ['a tab', 'https://exa\tmple.com/'],
    ['no scheme', 'example.com'],
    ['an empty string', ''],
    ['a huge URL', `https://example.com/${'a'.repeat(3000)}`],
    ['a number', 42],
    ['null', null],
    ['an object', { href: 'https://example.com/' }],
  ])('refuses %s', (_label, url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });

  it('opens only URLs that pass the check', async () => {
    await expect(openExternalSafely('javascript:alert(1)')).resolves.toBe(false);
    await expect(openExternalSafely('file:///etc/passwd')).resolves.toBe(false);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
    await expect(openExternalSafely('https://example.com/')).resolves.toBe(true);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/');
  });

  it('reports a failing openExternal as false, without throwing', async () => {
    electron.shell.openExternal.mockRejectedValueOnce(new Error('no browser'));
    await expect(openExternalSafely('https://example.com/')).resolves.toBe(false);
  });
});

describe('web contents guards', () => {
  it('denies every window.open, opening only safe http(s) URLs in the browser', async () => {
    const contents = fakeContents();
    hardenWebContents(contents as never, isAppUrl);
    for (const url of ['https://example.com/', 'javascript:alert(1)', 'file:///etc/passwd', 'app://tunnelscope/index.html', 'about:blank']) {
      expect(contents.open(url)).toEqual({ action: 'deny' });
    }
    await Promise.resolve();
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://example.com/']]);
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s away from the app is blocked, inside it allowed', (name) => {
    const contents = fakeContents();
    hardenWebContents(contents as never, isAppUrl);
    expect(contents.fire(name, 'https://evil.example/')).toBe(true);
    expect(contents.fire(name, 'file:///etc/passwd')).toBe(true);
    expect(contents.fire(name, 'app://evil/index.html')).toBe(true);
    expect(contents.fire(name, 'http://localhost:5173/')).toBe(true);
    expect(contents.fire(name, 'app://tunnelscope/index.html')).toBe(false);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('allows the dev server only when it is the configured one', () => {
    const contents = fakeContents();
    hardenWebContents(contents as never, createAppUrlCheck('http://localhost:5173'));
    expect(contents.fire('will-navigate', 'http://localhost:5173/index.html')).toBe(false);
    expect(contents.fire('will-navigate', 'http://localhost:5174/')).toBe(true);
  });

  it('prevents attaching any webview', () => {
    const contents = fakeContents();
    hardenWebContents(contents as never, isAppUrl);
    expect(contents.fire('will-attach-webview', 'app://tunnelscope/index.html')).toBe(true);
  });

  it('applies to every web contents the app creates', () => {
    const app = { on: vi.fn() };
    hardenAllWebContents(app as never, isAppUrl);
    expect(app.on).toHaveBeenCalledWith('web-contents-created', expect.any(Function));
    const created = app.on.mock.calls[0]?.[1];
    const contents = fakeContents();
    if (typeof created !== 'function') throw new Error('no listener');
    created({}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.fire('will-navigate', 'https://evil.example/')).toBe(true);
  });
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'hid', 'serial', 'usb', 'unknown', 'display-capture'])(
    'denies %s, even to the app',
    (permission) => {
      expect(isPermissionAllowed(permission, 'app://tunnelscope/index.html', isAppUrl)).toBe(false);
    },
  );

  it('allows sanitized clipboard writes ("Copy") to the app only', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://tunnelscope/index.html', isAppUrl)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://tunnelscope', isAppUrl)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', isAppUrl)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined, isAppUrl)).toBe(false);
  });

  it('installs request, check and device handlers on the session that deny by default', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() };
    denyPermissionsByDefault(session as never, isAppUrl);
    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0];
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0];
    const device = session.setDevicePermissionHandler.mock.calls[0]?.[0];
    if (typeof request !== 'function' || typeof check !== 'function' || typeof device !== 'function') throw new Error('handlers missing');

    const answers: boolean[] = [];
    request({}, 'media', (granted: boolean) => answers.push(granted), { requestingUrl: 'app://tunnelscope/index.html', isMainFrame: true });
    request({}, 'clipboard-sanitized-write', (granted: boolean) => answers.push(granted), { requestingUrl: 'app://tunnelscope/index.html', isMainFrame: true });
    request({}, 'clipboard-sanitized-write', (granted: boolean) => answers.push(granted), { requestingUrl: 'https://evil.example/', isMainFrame: false });
    expect(answers).toEqual([false, true, false]);

    expect(check(null, 'geolocation', 'app://tunnelscope', { isMainFrame: true })).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'app://tunnelscope', { isMainFrame: true })).toBe(true);
    expect(device({ deviceType: 'usb', origin: 'app://tunnelscope' })).toBe(false);
  });
});

describe('app origin', () => {
  it.each([
    ['http://localhost:5173', 'http://localhost:5173'],
    ['http://127.0.0.1:5173/', 'http://127.0.0.1:5173'],
    ['http://[::1]:5173/', 'http://[::1]:5173'],
    ['https://evil.example:5173/', null],
    ['file:///tmp/index.html', null],
    ['http://user:pw@localhost:5173/', null],
    ['not a url', null],
    ['', null],
    [undefined, null],
  ])('dev server %s → origin %s', (candidate, origin) => {
    expect(devServerOrigin(candidate)).toBe(origin);
  });

  it('recognizes the app URL exactly', () => {
    expect(isAppUrl('app://tunnelscope/index.html')).toBe(true);
    expect(isAppUrl('app://TUNNELSCOPE/x')).toBe(true); // hosts are case-insensitive
    expect(isAppUrl('app://tunnelscope.evil/x')).toBe(false);
    expect(isAppUrl('app://u:p@tunnelscope/x')).toBe(false);
    expect(isAppUrl('app://tunnelscope:8080/x')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('garbage')).toBe(false);
  });
});
