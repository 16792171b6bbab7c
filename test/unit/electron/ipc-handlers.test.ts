// ipcMain handlers: sender checks, validation through the engine, Results only, event fan-out.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { createAppUrlCheck } from '../../../src-main/electron/app-origin';
import { COMMANDS_REFUSED_OVER_IPC, registerIpcHandlers, type AppWindow, type CommandEngine } from '../../../src-main/electron/ipc-handlers';
import { COMMAND_NAMES } from '../../../src-main/shared/commands';
import type { EngineEvent } from '../../../src-main/shared/events';
import { EVENT_CHANNEL } from '../../../src-main/shared/ipc-channels';

const electron = await vi.hoisted(async () => (await import('./fake-ipc')).fakeIpcMain());
vi.mock('electron', () => ({ ipcMain: electron.ipcMain }));

const APP_URL = 'app://tunnelscope/index.html';

interface FakeFrame {
  url: string;
  processId: number;
  routingId: number;
  parent: FakeFrame | null;
}

interface FakeWindow {
  destroyed: boolean;
  contents: {
    mainFrame: FakeFrame;
    url: string;
    destroyed: boolean;
    crashed: boolean;
    send: ReturnType<typeof vi.fn>;
  };
  window: AppWindow;
}

let nextProcess = 10;

function fakeWindow(url = APP_URL): FakeWindow {
  const processId = nextProcess++;
  const contents = {
    mainFrame: { url, processId, routingId: 1, parent: null },
    url,
    destroyed: false,
    crashed: false,
    send: vi.fn(),
    getURL: () => contents.url,
    isDestroyed: () => contents.destroyed,
    isCrashed: () => contents.crashed,
  };
  const fake: FakeWindow = {
    destroyed: false,
    contents,
    // The handlers only touch the members above; the rest of WebContents is not needed.
    window: { webContents: contents as unknown as AppWindow['webContents'], isDestroyed: () => fake.destroyed },
  };
  return fake;
}

function callFrom(sender: FakeWindow['contents'] | object, senderFrame: FakeFrame | null): { sender: unknown; senderFrame: unknown } {
  return { sender, senderFrame };
}

async function invoke(channel: string, event: { sender: unknown; senderFrame: unknown }, arg: unknown): Promise<unknown> {
  const handler = electron.handlers.get(channel);
  if (handler === undefined) throw new Error(`no handler for ${channel}`);
  return handler(event, arg);
}

/** An engine double: each subscription (one per window) hears what `emit` sends; `open` counts the live ones. */
function spyEngine(): CommandEngine & { invoke: ReturnType<typeof vi.fn>; emit(event: EngineEvent): void; open(): number } {
  const listeners = new Map<string, (event: EngineEvent) => void>();
  let made = 0;
  return {
    invoke: vi.fn(async (name: string, arg: unknown) => ({ ok: true as const, value: { name, arg } })),
    subscribe: ({ deliver }) => {
      const id = `subscription-${++made}`;
      listeners.set(id, deliver);
      return { id, close: () => listeners.delete(id) };
    },
    emit: (event) => listeners.forEach((listener) => listener(event)),
    open: () => listeners.size,
  };
}

let undo: (() => void) | undefined;
afterEach(() => {
  undo?.();
  undo = undefined;
  electron.handlers.clear();
});

describe('ipc handlers: registration', () => {
  it('registers exactly one handler per contract command, and removes them all', () => {
    const main = fakeWindow();
    undo = registerIpcHandlers({ engine: spyEngine(), windows: () => [main.window], isAppUrl: createAppUrlCheck(null) });
    expect([...electron.handlers.keys()].sort()).toEqual([...COMMAND_NAMES].sort());
    undo();
    undo = undefined;
    expect(electron.handlers.size).toBe(0);
  });
});

describe('ipc handlers: with the real engine', () => {
  let engine: Engine;
  let main: FakeWindow;
  beforeEach(() => {
    engine = new Engine({ host: 'electron', version: '9.9.9', env: {} });
    main = fakeWindow();
    undo = registerIpcHandlers({ engine, windows: () => [main.window], isAppUrl: createAppUrlCheck(null) });
  });
  afterEach(async () => engine.dispose());

  it('a valid call from the app reaches the engine and answers a Result', async () => {
    const result = await invoke('app:info', callFrom(main.contents, main.contents.mainFrame), {});
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ name: 'Tunnelscope', version: '9.9.9', host: 'electron' }) });
  });

  it.each([
    ['session:open', { options: { url: 'http://not-a-websocket' } }, 'options.url'],
    ['session:open', 'not an object', undefined],
    ['session:send', { sessionId: 's', kind: 'binary', data: 'not base64!' }, 'data'],
    ['session:close', { sessionId: 's', code: 1005 }, 'code'],
    ['frames:page', { sessionId: 's', fromSeq: 0, limit: 10 }, 'fromSeq'],
    ['session:list', undefined, undefined],
  ])('%s with a bad argument answers INVALID_ARGUMENT (%j)', async (name, arg, path) => {
    const result = await invoke(name, callFrom(main.contents, main.contents.mainFrame), arg);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    if (path !== undefined) expect(result).toMatchObject({ error: { path } });
  });

  it('an unknown session is a Result too, not an exception', async () => {
    const result = await invoke('session:dispose', callFrom(main.contents, main.contents.mainFrame), { sessionId: 'nope' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SESSION' } });
  });
});

describe('ipc handlers: sender checks', () => {
  let engine: ReturnType<typeof spyEngine>;
  let main: FakeWindow;
  beforeEach(() => {
    engine = spyEngine();
    main = fakeWindow();
    undo = registerIpcHandlers({ engine, windows: () => [main.window], isAppUrl: createAppUrlCheck('http://localhost:5173') });
  });

  it('accepts the main frame of our window on the app origin', async () => {
    await expect(invoke('session:list', callFrom(main.contents, main.contents.mainFrame), {})).resolves.toMatchObject({ ok: true });
    // With the window as the caller: its sessions are its own (window-clients.ts).
    expect(engine.invoke).toHaveBeenCalledWith('session:list', {}, { clientId: expect.stringMatching(/^window-\d+$/), subscriptionId: expect.stringMatching(/^subscription-\d+$/) });
  });

  it('refuses the commands the page may never run, even from the app', async () => {
    const result = await invoke('frames:export-to-file', callFrom(main.contents, main.contents.mainFrame), { sessionId: 's', format: 'ndjson', path: '/etc/cron.d/x' });
    expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'frames:export-to-file is not available in the desktop app' } });
    expect(engine.invoke).not.toHaveBeenCalled();
  });

  it('accepts the dev server origin when one is configured', async () => {
    main.contents.mainFrame.url = 'http://localhost:5173/';
    await expect(invoke('session:list', callFrom(main.contents, main.contents.mainFrame), {})).resolves.toMatchObject({ ok: true });
  });

  const refusals: Array<[string, (main: FakeWindow) => { sender: unknown; senderFrame: unknown }, string]> = [
    ['no sender frame (navigated away or destroyed)', (w) => callFrom(w.contents, null), 'the calling frame is gone'],
    ['a web contents that is not one of our windows', () => { const other = fakeWindow(); return callFrom(other.contents, other.contents.mainFrame); }, 'not come from a Tunnelscope window'],
    ['a subframe of our window', (w) => callFrom(w.contents, { url: APP_URL, processId: w.contents.mainFrame.processId, routingId: 2, parent: w.contents.mainFrame }), 'subframe'],
    ['a frame claiming to be top-level with another routing id', (w) => callFrom(w.contents, { url: APP_URL, processId: w.contents.mainFrame.processId, routingId: 7, parent: null }), 'subframe'],
    ['a main frame showing another origin', (w) => { w.contents.mainFrame.url = 'https://evil.example/'; return callFrom(w.contents, w.contents.mainFrame); }, 'not the app'],
    ['a main frame on file://', (w) => { w.contents.mainFrame.url = 'file:///tmp/index.html'; return callFrom(w.contents, w.contents.mainFrame); }, 'not the app'],
    ['another app:// host', (w) => { w.contents.mainFrame.url = 'app://evil/index.html'; return callFrom(w.contents, w.contents.mainFrame); }, 'not the app'],
    ['a dev server on another port', (w) => { w.contents.mainFrame.url = 'http://localhost:5174/'; return callFrom(w.contents, w.contents.mainFrame); }, 'not the app'],
    ['a destroyed window', (w) => { w.destroyed = true; return callFrom(w.contents, w.contents.mainFrame); }, 'not come from a Tunnelscope window'],
  ];

  it.each(refusals)('refuses %s with FORBIDDEN, without reaching the engine', async (_label, makeCall, why) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const name of COMMAND_NAMES.filter((command) => !COMMANDS_REFUSED_OVER_IPC.has(command))) {
      const result = await invoke(name, makeCall(main), {});
      expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining(why) } });
    }
    expect(engine.invoke).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('refuses a frame that throws when inspected (disposed mid-call)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      processId: main.contents.mainFrame.processId,
      routingId: 1,
      parent: null,
    };
    const result = await invoke('session:list', { sender: main.contents, senderFrame: disposed }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(engine.invoke).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('ipc handlers: never throw across', () => {
  it('an engine that throws or rejects still yields an INTERNAL Result', async () => {
    const main = fakeWindow();
    const engine = spyEngine();
    engine.invoke.mockImplementationOnce(() => {
      throw new Error('boom');
    });
    engine.invoke.mockImplementationOnce(async () => Promise.reject(new Error('later boom')));
    undo = registerIpcHandlers({ engine, windows: () => [main.window], isAppUrl: createAppUrlCheck(null) });
    const call = callFrom(main.contents, main.contents.mainFrame);
    await expect(invoke('session:list', call, {})).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: 'session:list failed: boom' } });
    await expect(invoke('app:info', call, {})).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: 'app:info failed: later boom' } });
  });
});

describe('ipc handlers: engine events', () => {
  const event: EngineEvent = { type: 'session-removed', sessionId: 's1' };
  const callFromWindow = (w: FakeWindow): Promise<unknown> => invoke('session:list', callFrom(w.contents, w.contents.mainFrame), {});

  it('go to each window through its own subscription, made at its first call, while it is alive and shows the app', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const live = fakeWindow();
    const silent = fakeWindow();
    const contentsGone = fakeWindow();
    const crashed = fakeWindow();
    const navigatedAway = fakeWindow();
    const failing = fakeWindow();
    failing.contents.send.mockImplementation(() => {
      throw new Error('Object has been destroyed');
    });
    const engine = spyEngine();
    const all = [failing, live, silent, contentsGone, crashed, navigatedAway];
    undo = registerIpcHandlers({ engine, windows: () => all.map((w) => w.window), isAppUrl: createAppUrlCheck(null) });
    for (const w of [failing, live, contentsGone, crashed, navigatedAway]) await callFromWindow(w);
    await callFromWindow(live); // a second call: the same subscription
    expect(engine.open()).toBe(5);
    contentsGone.contents.destroyed = true;
    crashed.contents.crashed = true;
    navigatedAway.contents.url = 'https://evil.example/';

    engine.emit(event);
    expect(live.contents.send).toHaveBeenCalledWith(EVENT_CHANNEL, event);
    expect(live.contents.send).toHaveBeenCalledTimes(1);
    // A window that never called has no subscription; the others are not sent to.
    for (const skipped of [silent, contentsGone, crashed, navigatedAway]) expect(skipped.contents.send).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('a window whose contents are destroyed closes its subscription', async () => {
    const live = fakeWindow();
    const handlers = new Map<string, () => void>();
    const contents = Object.assign(live.contents, { once: (name: string, listener: () => void) => handlers.set(name, listener) });
    const engine = spyEngine();
    undo = registerIpcHandlers({ engine, windows: () => [live.window], isAppUrl: createAppUrlCheck(null) });
    await invoke('session:list', callFrom(contents, contents.mainFrame), {});
    expect(engine.open()).toBe(1);
    handlers.get('destroyed')?.();
    expect(engine.open()).toBe(0);
  });

  it('stop after the handlers are removed', async () => {
    const live = fakeWindow();
    const engine = spyEngine();
    const remove = registerIpcHandlers({ engine, windows: () => [live.window], isAppUrl: createAppUrlCheck(null) });
    await callFromWindow(live);
    remove();
    engine.emit(event);
    expect(live.contents.send).not.toHaveBeenCalled();
    expect(engine.open()).toBe(0);
  });
});
