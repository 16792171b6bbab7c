/**
 * Choosing the bridge at start-up: the preload object in Electron (its shape checked, its
 * answers and events validated), the WebSocket bridge in a browser, and a clear "broken"
 * when Electron has no usable preload.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES } from '../../../src-main/shared/commands';
import type { EngineEvent, HostEvent } from '../../../src-main/shared/events';
import { pickBridge, preloadProblem } from '../../../src-renderer/src/bridge/pick-bridge';
import { socketFactory } from './fake-socket';

const BROWSER = { navigator: { userAgent: 'Mozilla/5.0 Chrome/156.0' }, location: { protocol: 'http:', host: '127.0.0.1:5199' } };
const ELECTRON = { navigator: { userAgent: 'Mozilla/5.0 Chrome/140.0 Electron/45.4.1' }, location: { protocol: 'app:', host: 'tunnelscope' } };

/** A preload object as Electron's contextBridge would expose it. */
function fakePreload() {
  const listeners = new Set<(raw: unknown) => void>();
  const menuListeners = new Set<(raw: unknown) => void>();
  const preload: Record<string, unknown> = {
    onEvent: (callback: (raw: unknown) => void) => {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    onMenu: (callback: (raw: unknown) => void) => {
      menuListeners.add(callback);
      return () => menuListeners.delete(callback);
    },
  };
  for (const name of COMMAND_NAMES) preload[name] = vi.fn(async () => ({ ok: true, value: { from: name } }));
  preload['app:info'] = vi.fn(async () => ({ ok: true, value: { name: 'Tunnelscope', version: '1', host: 'electron', platform: 'linux', systemProxy: true } }));
  return {
    preload,
    emit: (raw: unknown) => listeners.forEach((listener) => listener(raw)),
    menu: (raw: unknown) => menuListeners.forEach((listener) => listener(raw)),
  };
}

afterEach(() => vi.restoreAllMocks());

describe('preloadProblem', () => {
  it('accepts a complete preload object (onMenu optional)', () => {
    const { preload } = fakePreload();
    expect(preloadProblem(preload)).toBeUndefined();
    delete preload['onMenu'];
    expect(preloadProblem(preload)).toBeUndefined();
  });

  it.each([
    [undefined, 'not an object'],
    ['bridge', 'not an object'],
    [{ onEvent: () => () => {} }, 'lacks session:open'],
    [{ ...fakePreload().preload, 'frames:get': 'nope' }, 'lacks frames:get'],
    [{ ...fakePreload().preload, onMenu: 1 }, 'onMenu is not a function'],
  ])('names what is wrong with %j', (value, problem) => {
    expect(preloadProblem(value)).toContain(problem);
  });
});

describe('pickBridge', () => {
  it('uses the preload object in Electron and validates what comes back', async () => {
    const fake = fakePreload();
    const picked = pickBridge({ ...ELECTRON, tunnelscope: fake.preload });
    expect(picked.kind).toBe('electron');
    if (picked.kind !== 'electron') return;
    expect(await picked.bridge['app:info']({})).toMatchObject({ ok: true, value: { host: 'electron' } });
    expect(fake.preload['app:info']).toHaveBeenCalledWith({});
    // session:list answered { from: … } instead of an array: not the contract.
    expect(await picked.bridge['session:list']({})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('turns a rejected preload call into a failure result', async () => {
    const fake = fakePreload();
    fake.preload['session:list'] = vi.fn(async () => {
      throw new Error('ipc broke');
    });
    const picked = pickBridge({ ...ELECTRON, tunnelscope: fake.preload });
    if (picked.kind !== 'electron') throw new Error('expected electron');
    expect(await picked.bridge['session:list']({})).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'session:list could not reach the engine: ipc broke' } });
  });

  it('passes on valid events and menu actions, drops invalid ones with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fake = fakePreload();
    const picked = pickBridge({ ...ELECTRON, tunnelscope: fake.preload });
    if (picked.kind !== 'electron') throw new Error('expected electron');
    const events: HostEvent[] = [];
    const actions: string[] = [];
    const off = picked.bridge.onEvent((event) => events.push(event));
    picked.bridge.onMenu?.((action) => actions.push(action));
    const event: EngineEvent = { type: 'session-removed', sessionId: 's1' };
    fake.emit(event);
    fake.emit({ type: 'session-removed' });
    fake.menu('new-connection');
    fake.menu('format-disk');
    off();
    fake.emit(event);
    expect(events).toEqual([event]);
    expect(actions).toEqual(['new-connection']);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('reports a broken desktop app when Electron has no usable preload object', () => {
    expect(pickBridge(ELECTRON)).toEqual({ kind: 'broken', reason: expect.stringContaining('window.tunnelscope is not an object') });
    expect(pickBridge({ ...BROWSER, tunnelscope: { onEvent: () => {} } })).toMatchObject({ kind: 'broken' });
  });

  it('uses the WebSocket bridge to /api on the same origin in a browser', () => {
    const factory = socketFactory();
    const picked = pickBridge(BROWSER, { createSocket: factory.create });
    expect(picked.kind).toBe('web');
    // With the page's client id (client-id.ts): a new one when the page keeps none.
    expect(factory.last().url).toMatch(/^ws:\/\/127\.0\.0\.1:5199\/api\?client=[0-9a-f-]{36}$/);
    if (picked.kind === 'web') expect(picked.connection.state).toBe('connecting');
  });
});
