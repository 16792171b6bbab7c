// The preload's exposed surface: one object, named methods from the contract, no IPC leak.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAME_LIST } from '../../../src-main/shared/command-names';
import { COMMAND_NAMES } from '../../../src-main/shared/commands';
import { EVENT_CHANNEL, MENU_ACTIONS, MENU_CHANNEL } from '../../../src-main/shared/bridge';

const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  const listeners = new Map<string, Listener[]>();
  const ipcRenderer = {
    invoke: vi.fn(async (channel: string, arg: unknown) => ({ ok: true, value: { channel, arg } })),
    send: vi.fn(),
    on: vi.fn((channel: string, listener: Listener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return ipcRenderer;
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => {
      listeners.set(channel, (listeners.get(channel) ?? []).filter((candidate) => candidate !== listener));
      return ipcRenderer;
    }),
    emit: (channel: string, ...args: unknown[]) => {
      for (const listener of listeners.get(channel) ?? []) listener(...args);
    },
    listenerCount: (channel: string) => (listeners.get(channel) ?? []).length,
  };
  return { ipcRenderer, contextBridge: { exposeInMainWorld: vi.fn() } };
});
vi.mock('electron', () => electron);

type Exposed = Record<string, unknown>;
let exposed: Exposed;

function method(name: string): (...args: unknown[]) => unknown {
  const value = exposed[name];
  if (typeof value !== 'function') throw new Error(`${name} is not a function`);
  return (...args: unknown[]) => Reflect.apply(value, undefined, args);
}

beforeAll(async () => {
  await import('../../../src-main/preload/index');
  expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [key, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] ?? [];
  expect(key).toBe('tunnelscope');
  expect(typeof api).toBe('object');
  exposed = api as Exposed;
});

describe('preload: exposed surface', () => {
  it('exposes exactly one object, window.tunnelscope', () => {
    expect(electron.contextBridge.exposeInMainWorld.mock.calls.map((call) => call[0])).toEqual(['tunnelscope']);
  });

  it('has one method per contract command plus onEvent and onMenu, and nothing else', () => {
    expect(Object.keys(exposed).sort()).toEqual([...COMMAND_NAMES, 'onEvent', 'onMenu'].sort());
    for (const value of Object.values(exposed)) expect(typeof value).toBe('function');
  });

  it("builds from a zod-free name list that matches the contract's schemas exactly", () => {
    expect(new Set(COMMAND_NAME_LIST).size).toBe(COMMAND_NAME_LIST.length);
    expect([...COMMAND_NAME_LIST].sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it('never exposes ipcRenderer, its methods or a generic invoke', () => {
    const values = Object.values(exposed);
    for (const leaked of [electron.ipcRenderer, electron.ipcRenderer.invoke, electron.ipcRenderer.on, electron.ipcRenderer.send]) {
      expect(values).not.toContain(leaked);
    }
    for (const generic of ['invoke', 'send', 'on', 'ipcRenderer', 'sendSync', 'postMessage']) {
      expect(exposed).not.toHaveProperty(generic);
    }
  });
});

describe('preload: commands', () => {
  it.each(COMMAND_NAMES)('%s calls ipcRenderer.invoke with its own name and the argument', async (name) => {
    electron.ipcRenderer.invoke.mockClear();
    const arg = { probe: name };
    // Extra arguments from the page are not passed along.
    const result = await method(name)(arg, 'extra');
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledTimes(1);
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(name, arg);
    expect(result).toEqual({ ok: true, value: { channel: name, arg } });
  });
});

describe('preload: onEvent', () => {
  const event = { type: 'state', sessionId: 's1', state: 'open', previous: 'upgrading', at: 1 };

  it('delivers engine events without the IPC event object, and unsubscribes', () => {
    const received: unknown[][] = [];
    const unsubscribe = method('onEvent')((...args: unknown[]) => received.push(args));
    expect(typeof unsubscribe).toBe('function');
    expect(electron.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(1);

    const ipcEvent = { sender: electron.ipcRenderer, senderId: 0 };
    electron.ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, event);
    expect(received).toEqual([[event]]);

    if (typeof unsubscribe !== 'function') throw new Error('no unsubscribe');
    unsubscribe();
    expect(electron.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
    electron.ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, event);
    expect(received).toHaveLength(1);
  });

  it('removes only its own listener', () => {
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribeFirst = method('onEvent')(first);
    const unsubscribeSecond = method('onEvent')(second);
    if (typeof unsubscribeFirst !== 'function' || typeof unsubscribeSecond !== 'function') throw new Error('no unsubscribe');
    unsubscribeFirst();
    electron.ipcRenderer.emit(EVENT_CHANNEL, {}, event);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith(event);
    unsubscribeSecond();
  });

  it.each([
    ['null', null],
    ['a string', 'state'],
    ['an unknown type', { type: 'evil', sessionId: 's1' }],
    ['no session id', { type: 'state' }],
    ['an inherited type name', { type: 'toString', sessionId: 's1' }],
  ])('drops a payload that is not an engine event (%s)', (_label, payload) => {
    const callback = vi.fn();
    const unsubscribe = method('onEvent')(callback);
    electron.ipcRenderer.emit(EVENT_CHANNEL, {}, payload);
    expect(callback).not.toHaveBeenCalled();
    if (typeof unsubscribe === 'function') unsubscribe();
  });
});

describe('preload: onMenu', () => {
  it('delivers the known menu actions and drops anything else', () => {
    const callback = vi.fn();
    const unsubscribe = method('onMenu')(callback);
    for (const action of MENU_ACTIONS) electron.ipcRenderer.emit(MENU_CHANNEL, {}, action);
    electron.ipcRenderer.emit(MENU_CHANNEL, {}, 'format-disk');
    electron.ipcRenderer.emit(MENU_CHANNEL, {}, { action: 'new-connection' });
    expect(callback.mock.calls).toEqual(MENU_ACTIONS.map((action) => [action]));
    if (typeof unsubscribe !== 'function') throw new Error('no unsubscribe');
    unsubscribe();
    expect(electron.ipcRenderer.listenerCount(MENU_CHANNEL)).toBe(0);
  });
});

describe('preload: what it bundles', () => {
  /** Runtime (non-type) imports of a source file. */
  function runtimeImports(file: string): string[] {
    const source = fs.readFileSync(file, 'utf8');
    const specifiers: string[] = [];
    for (const match of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)) {
      if (match[1] === undefined && match[2] !== undefined) specifiers.push(match[2]);
    }
    return specifiers;
  }

  it("reaches only 'electron' and zod-free files of our own (a sandboxed preload cannot load packages)", () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const queue = [path.resolve('src-main/preload/index.ts')];
    while (queue.length > 0) {
      const file = queue.pop();
      if (file === undefined || seen.has(file)) continue;
      seen.add(file);
      for (const specifier of runtimeImports(file)) {
        if (specifier.startsWith('.')) queue.push(`${path.resolve(path.dirname(file), specifier)}.ts`);
        else packages.add(specifier);
      }
    }
    expect([...packages]).toEqual(['electron']);
    expect([...seen].map((file) => path.relative(process.cwd(), file)).sort()).toEqual([
      'src-main/preload/create-bridge.ts',
      'src-main/preload/index.ts',
      'src-main/shared/command-names.ts',
      'src-main/shared/ipc-channels.ts',
    ]);
  });
});
