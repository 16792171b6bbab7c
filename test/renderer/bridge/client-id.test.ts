// The page's client id for the web host: kept in sessionStorage so a reload keeps it; a fresh
// one when there is none, a malformed one, or no usable storage.
import { describe, expect, it } from 'vitest';
import { pageClientId, withClientId, type ClientIdStorage } from '../../../src-renderer/src/bridge/client-id';
import { pickBridge } from '../../../src-renderer/src/bridge/pick-bridge';
import type { SocketLike } from '../../../src-renderer/src/bridge/web-bridge';

function memoryStorage(initial: Record<string, string> = {}): ClientIdStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

let counter = 0;
const newId = (): string => `generated-id-00000000${++counter}`;

describe('pageClientId', () => {
  it('makes one and keeps it, so a reload (same storage) gets the same id', () => {
    const storage = memoryStorage();
    const first = pageClientId({ sessionStorage: storage }, newId);
    expect(storage.items.get('tunnelscope.clientId')).toBe(first);
    expect(pageClientId({ sessionStorage: storage }, newId)).toBe(first);
  });

  it('replaces a malformed kept id', () => {
    const storage = memoryStorage({ 'tunnelscope.clientId': 'bad id!' });
    const id = pageClientId({ sessionStorage: storage }, newId);
    expect(id).toMatch(/^generated-id-/);
    expect(storage.items.get('tunnelscope.clientId')).toBe(id);
  });

  it('still gives an id when storage is missing or refuses', () => {
    expect(pageClientId({}, newId)).toMatch(/^generated-id-/);
    const refusing: ClientIdStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(pageClientId({ sessionStorage: refusing }, newId)).toMatch(/^generated-id-/);
    const blocked = {
      get sessionStorage(): ClientIdStorage {
        throw new Error('SecurityError: access is denied');
      },
    };
    expect(pageClientId(blocked, newId)).toMatch(/^generated-id-/);
  });

  it('adds the id to the /api URL', () => {
    expect(withClientId('ws://127.0.0.1:5199/api', 'abc-DEF_0123456789')).toBe('ws://127.0.0.1:5199/api?client=abc-DEF_0123456789');
    expect(withClientId('ws://h/api?x=1', 'abc-DEF_0123456789')).toBe('ws://h/api?x=1&client=abc-DEF_0123456789');
  });

  it('is what the browser bridge connects with', () => {
    const storage = memoryStorage({ 'tunnelscope.clientId': 'kept-id-0123456789abcdef' });
    const urls: string[] = [];
    const createSocket = (url: string): SocketLike => {
      urls.push(url);
      return { readyState: 0, onopen: null, onclose: null, onerror: null, onmessage: null, send: () => {}, close: () => {} };
    };
    pickBridge({ navigator: { userAgent: 'Mozilla/5.0 Chrome/156.0' }, location: { protocol: 'http:', host: '127.0.0.1:5199' }, sessionStorage: storage }, { createSocket });
    expect(urls).toEqual(['ws://127.0.0.1:5199/api?client=kept-id-0123456789abcdef']);
  });
});
