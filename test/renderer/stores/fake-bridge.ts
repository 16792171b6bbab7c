/**
 * A fake bridge for store and component tests: records every call, answers from a table of
 * handlers, and lets the test push engine events.
 */
import type { TunnelscopeBridge } from '../../../src-main/shared/bridge';
import type { CommandName } from '../../../src-main/shared/commands';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { Result } from '../../../src-main/shared/result';

export interface FakeBridge {
  bridge: TunnelscopeBridge;
  calls: { name: CommandName; arg: unknown }[];
  emit(event: EngineEvent): void;
  /** Overrides the answer for one command. */
  answer(name: CommandName, handler: (arg: unknown) => Result<unknown>): void;
  listenerCount(): number;
}

export function createFakeBridge(): FakeBridge {
  const calls: { name: CommandName; arg: unknown }[] = [];
  const listeners = new Set<(event: EngineEvent) => void>();
  let nextSession = 1;
  const handlers = new Map<CommandName, (arg: unknown) => Result<unknown>>([
    ['session:open', () => ({ ok: true, value: { sessionId: `s${nextSession++}` } })],
    ['session:send', () => ({ ok: true, value: { seq: 1 } })],
    ['session:ping', () => ({ ok: true, value: { seq: 1 } })],
    ['session:pong', () => ({ ok: true, value: { seq: 1 } })],
    ['session:close', () => ({ ok: true, value: {} })],
    ['session:list', () => ({ ok: true, value: [] })],
    ['session:dispose', () => ({ ok: true, value: {} })],
    ['frames:page', () => ({ ok: true, value: { frames: [], firstSeq: 0, lastSeq: 0, dropped: 0 } })],
    ['frames:get', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no such frame' } })],
    [
      'proxy:resolve',
      () => ({
        ok: true,
        value: {
          source: 'env',
          candidates: [{ url: 'http://proxy.test:3128', protocol: 'http', host: 'proxy.test', port: 3128, hasCredentials: false }],
          reason: 'HTTPS_PROXY is set',
        },
      }),
    ],
    ['app:info', () => ({ ok: true, value: { name: 'Tunnelscope', version: '0.0.0', host: 'web', platform: 'linux', systemProxy: false } })],
  ]);

  const call = (name: CommandName) => async (arg: unknown) => {
    calls.push({ name, arg });
    const handler = handlers.get(name);
    if (!handler) throw new Error(`fake bridge: no handler for ${name}`);
    return handler(arg);
  };

  // Every command name maps to a recording method; the record is typed as the bridge.
  const bridge = {
    'session:open': call('session:open'),
    'session:send': call('session:send'),
    'session:ping': call('session:ping'),
    'session:pong': call('session:pong'),
    'session:close': call('session:close'),
    'session:list': call('session:list'),
    'session:dispose': call('session:dispose'),
    'frames:page': call('frames:page'),
    'frames:get': call('frames:get'),
    'proxy:resolve': call('proxy:resolve'),
    'app:info': call('app:info'),
    onEvent(callback: (event: EngineEvent) => void) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
  } as unknown as TunnelscopeBridge;

  return {
    bridge,
    calls,
    emit: (event) => listeners.forEach((l) => l(event)),
    answer: (name, handler) => handlers.set(name, handler),
    listenerCount: () => listeners.size,
  };
}
