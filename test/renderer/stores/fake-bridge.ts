/**
 * A fake bridge for store and component tests: records every call, answers from a table of
 * handlers, and lets the test push engine events.
 */
import type { TunnelscopeBridge } from '../../../src-main/shared/bridge';
import type { CommandName } from '../../../src-main/shared/commands';
import { COMMAND_NAME_LIST } from '../../../src-main/shared/command-names';
import type { HostEvent } from '../../../src-main/shared/events';
import { createFakeInterceptProxy } from './fake-intercept-proxy';
import type { Result } from '../../../src-main/shared/result';
import { checkedEvent, checkedResult, refusedArg } from '../../support/contract-check';
import { createFakeProfiles, type FakeProfiles } from './fake-profiles';
import { createFakeEnvironments } from './fake-environments';

export interface FakeBridge {
  bridge: TunnelscopeBridge;
  calls: { name: CommandName; arg: unknown }[];
  emit(event: HostEvent): void;
  /** Overrides the answer for one command. */
  answer(name: CommandName, handler: (arg: unknown) => Result<unknown>): void;
  listenerCount(): number;
  /** The in-memory profile store behind the profiles:* commands (fake-profiles.ts). */
  profiles: FakeProfiles;
}

export function createFakeBridge(): FakeBridge {
  const calls: { name: CommandName; arg: unknown }[] = [];
  const listeners = new Set<(event: HostEvent) => void>();
  let nextSession = 1;
  const profiles = createFakeProfiles();
  const handlers = new Map<CommandName, (arg: unknown) => Result<unknown>>([
    ['session:open', () => ({ ok: true, value: { sessionId: `s${nextSession++}` } })],
    ['session:send', () => ({ ok: true, value: { seq: 1 } })],
    ['session:send-stop', () => ({ ok: true, value: { stopped: true } })],
    ['session:ping', () => ({ ok: true, value: { seq: 1 } })],
    ['session:pong', () => ({ ok: true, value: { seq: 1 } })],
    ['session:close', () => ({ ok: true, value: {} })],
    ['session:list', () => ({ ok: true, value: [] })],
    ['session:dispose', () => ({ ok: true, value: {} })],
    ['session:adopt', () => ({ ok: true, value: {} })],
    ['session:pin', () => ({ ok: true, value: {} })],
    ['session:reconnect-now', () => ({ ok: true, value: {} })],
    ['session:subscribe', () => ({ ok: true, value: { unknown: [] } })],
    ['session:unsubscribe', () => ({ ok: true, value: {} })],
    ['frames:page', () => ({ ok: true, value: { frames: [], firstSeq: 0, lastSeq: 0, dropped: 0 } })],
    ['frames:get', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no such frame' } })],
    // Inspection (issue 5): an empty store; fake-frames.ts answers these from a list of frames.
    [
      'frames:search',
      () => ({ ok: true, value: { searchId: 'search-1', matches: [], nextSeq: null, scanned: 0, cancelled: false, elapsedMs: 0, firstSeq: 0, lastSeq: 0, dropped: 0 } }),
    ],
    ['frames:search-cancel', () => ({ ok: true, value: { cancelled: false } })],
    ['frames:ack', () => ({ ok: true, value: {} })],
    ['frames:export', () => ({ ok: true, value: { format: 'ndjson', text: '', frames: 0, fileName: 'session.ndjson' } })],
    ['frames:import', () => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'frames:import: nothing to import' } })],
    ['frames:numbers', () => ({ ok: true, value: {} })],
    // Decoding (issue 14): no protocol found; tests that decode answer these themselves.
    ['session:decoding', () => ({ ok: true, value: { choice: 'auto', active: null, available: [] } })],
    ['frames:decode', () => ({ ok: true, value: { active: null, frames: [] } })],
    ['message:encode', () => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'message:encode: the fake bridge encodes nothing' } })],
    ['protobuf:compile', () => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'protobuf:compile: the fake bridge compiles nothing' } })],
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
    // The intercepting proxy's breakpoints: none, nothing held (a test answers what it needs).
    ['intercept:breakpoints', () => ({ ok: true, value: { rules: [] } })],
    ['intercept:held', () => ({ ok: true, value: { frames: [], queues: [] } })],
  ]);
  const environments = createFakeEnvironments();
  const environmentExists = (id: string): boolean => {
    const listed = environments['environments:list'](undefined);
    return listed.ok && (listed.value as { environments: { id: string }[] }).environments.some((e) => e.id === id);
  };
  for (const [name, handler] of Object.entries(createFakeInterceptProxy(profiles, environmentExists))) if (handler && isInterceptProxyCommand(name)) handlers.set(name, handler);
  for (const [name, handler] of Object.entries(environments)) if (isEnvironmentCommand(name)) handlers.set(name, handler);
  for (const [name, handler] of Object.entries(profiles.handlers)) {
    if (handler && isProfileCommand(name)) handlers.set(name, handler);
  }

  const call = (name: CommandName) => async (arg: unknown) => {
    calls.push({ name, arg });
    const handler = handlers.get(name);
    if (!handler) throw new Error(`fake bridge: no handler for ${name}`);
    // An argument the real engine refuses gets its refusal; an answer must be one the engine can give.
    return refusedArg(name, arg) ?? checkedResult('fake bridge', name, handler(arg));
  };

  // Every command name maps to a recording method; the record is typed as the bridge.
  const bridge = {
    'session:open': call('session:open'),
    'session:send': call('session:send'),
    'session:send-stop': call('session:send-stop'),
    'session:ping': call('session:ping'),
    'session:pong': call('session:pong'),
    'session:close': call('session:close'),
    'session:list': call('session:list'),
    'session:dispose': call('session:dispose'),
    'session:adopt': call('session:adopt'),
    'session:pin': call('session:pin'),
    'session:reconnect-now': call('session:reconnect-now'),
    'session:subscribe': call('session:subscribe'),
    'session:unsubscribe': call('session:unsubscribe'),
    'frames:page': call('frames:page'),
    'frames:get': call('frames:get'),
    'frames:search': call('frames:search'),
    'frames:search-cancel': call('frames:search-cancel'),
    'frames:ack': call('frames:ack'),
    'frames:export': call('frames:export'),
    'frames:import': call('frames:import'),
    'frames:numbers': call('frames:numbers'),
    'session:decoding': call('session:decoding'),
    'frames:decode': call('frames:decode'),
    'message:encode': call('message:encode'),
    'protobuf:compile': call('protobuf:compile'),
    'proxy:resolve': call('proxy:resolve'),
    'app:info': call('app:info'),
    'profiles:list': call('profiles:list'),
    'profiles:get': call('profiles:get'),
    'profiles:save': call('profiles:save'),
    'profiles:delete': call('profiles:delete'),
    'profiles:restore': call('profiles:restore'),
    'profiles:duplicate': call('profiles:duplicate'),
    'profiles:rename': call('profiles:rename'),
    'profiles:import': call('profiles:import'),
    'profiles:export': call('profiles:export'),
    'profiles:status': call('profiles:status'),
    'environments:list': call('environments:list'),
    'environments:save': call('environments:save'),
    'environments:delete': call('environments:delete'),
    'intercept-proxy:start': call('intercept-proxy:start'),
    'intercept-proxy:stop': call('intercept-proxy:stop'),
    'intercept-proxy:status': call('intercept-proxy:status'),
    'intercept-proxy:ca-cert': call('intercept-proxy:ca-cert'),
    'intercept-proxy:ca-save': call('intercept-proxy:ca-save'),
    'intercept-proxy:passthrough-add': call('intercept-proxy:passthrough-add'),
    'intercept:breakpoints': call('intercept:breakpoints'),
    'intercept:set-breakpoints': call('intercept:set-breakpoints'),
    'intercept:held': call('intercept:held'),
    'intercept:forward': call('intercept:forward'),
    'intercept:drop': call('intercept:drop'),
    'intercept:forward-all': call('intercept:forward-all'),
    'intercept:inject': call('intercept:inject'),
    'intercept:close-side': call('intercept:close-side'),
    onEvent(callback: (event: HostEvent) => void) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
  } as unknown as TunnelscopeBridge;

  return {
    bridge,
    calls,
    emit: (event) => {
      checkedEvent('fake bridge', event);
      listeners.forEach((l) => l(event));
    },
    answer: (name, handler) => handlers.set(name, handler),
    listenerCount: () => listeners.size,
    profiles,
  };
}

/** The contract's environment commands: the ones fake-environments.ts answers. */
function isEnvironmentCommand(name: string): name is CommandName {
  return COMMAND_NAME_LIST.some((command) => command === name && command.startsWith('environments:'));
}

/** The contract's profile commands: the ones the in-memory profile store answers. */
function isProfileCommand(name: string): name is CommandName {
  return COMMAND_NAME_LIST.some((command) => command === name && command.startsWith('profiles:'));
}

function isInterceptProxyCommand(name: string): name is CommandName {
  return COMMAND_NAME_LIST.some((command) => command === name && command.startsWith('intercept-proxy:'));
}
