/**
 * Drives one session through the Engine for the real-proxy tests: open and wait for `open` or
 * a failure, echo a message, close. Every wait has its own deadline, so a hang is a failure
 * with a message, never a stuck test.
 */
import { Engine } from '../../../src-main/core/engine';
import type { NetError } from '../../../src-main/shared/errors';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { ConnectionOptionsInput, FrameSummary } from '../../../src-main/shared/model';
import { trustedServer, writePems } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';

export interface Opened {
  engine: Engine;
  sessionId: string;
  /** Every event of the session so far (kept up to date). */
  events: EngineEvent[];
  /** The failure, when the session did not open. */
  error?: NetError;
  opened: boolean;
  /** From session:open to open/failed. */
  ms: number;
}

export function newEngine(env: Record<string, string> = {}): Engine {
  // Only the environment given: a developer's HTTP_PROXY must not change what the tests see.
  return new Engine({ host: 'cli', version: 'test', env });
}

function waitFor<T>(events: EngineEvent[], subscribe: (listener: () => void) => () => void, pick: () => T | undefined, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const value = pick();
      if (value === undefined) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
      return true;
    };
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`${what} did not happen within ${ms} ms; events: ${events.map((e) => (e.type === 'state' ? `state:${e.state}` : e.type)).join(', ')}`));
    }, ms);
    const unsubscribe = subscribe(() => void check());
    check();
  });
}

export async function openSession(engine: Engine, options: ConnectionOptionsInput, waitMs = 10_000): Promise<Opened> {
  const events: EngineEvent[] = [];
  const listeners = new Set<() => void>();
  engine.onEvent((event) => {
    events.push(event);
    for (const listener of [...listeners]) listener();
  });
  const subscribe = (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const started = Date.now();
  const result = await engine.call('session:open', { options });
  if (!result.ok) throw new Error(`session:open refused: ${JSON.stringify(result.error)}`);
  const { sessionId } = result.value;
  const outcome = await waitFor(
    events,
    subscribe,
    () => {
      for (const event of events) {
        if (event.sessionId !== sessionId) continue;
        if (event.type === 'state' && event.state === 'open') return 'open' as const;
        if (event.type === 'state' && (event.state === 'failed' || event.state === 'closed')) return 'failed' as const;
      }
      return undefined;
    },
    waitMs,
    'open or failed',
  );
  const ms = Date.now() - started;
  const error = events.find((e): e is Extract<EngineEvent, { type: 'error' }> => e.type === 'error' && e.sessionId === sessionId)?.error;
  const opened: Opened = { engine, sessionId, events, opened: outcome === 'open', ms };
  if (error) opened.error = error;
  subscribers.set(opened, subscribe);
  return opened;
}

const subscribers = new WeakMap<Opened, (listener: () => void) => () => void>();

function incoming(session: Opened): FrameSummary[] {
  return session.events.flatMap((e) => (e.type === 'frames' && e.sessionId === session.sessionId ? e.frames : [])).filter((f) => f.dir === 'in');
}

/** Sends a text and waits for the same text to come back. */
export async function echo(session: Opened, text: string, waitMs = 5000): Promise<FrameSummary> {
  const subscribe = subscribers.get(session);
  if (!subscribe) throw new Error('not a session from openSession');
  const before = incoming(session).length;
  const sent = await session.engine.call('session:send', { sessionId: session.sessionId, kind: 'text', data: text });
  if (!sent.ok) throw new Error(`session:send failed: ${JSON.stringify(sent.error)}`);
  return waitFor(session.events, subscribe, () => incoming(session).slice(before).find((f) => f.opcode === 'text' && f.preview === text), waitMs, `echo of "${text}"`);
}

/** Closes with 1000 and waits for the `closed` event. */
export async function closeSession(session: Opened, waitMs = 5000): Promise<Extract<EngineEvent, { type: 'closed' }>> {
  const subscribe = subscribers.get(session);
  if (!subscribe) throw new Error('not a session from openSession');
  const result = await session.engine.call('session:close', { sessionId: session.sessionId, code: 1000 });
  if (!result.ok) throw new Error(`session:close failed: ${JSON.stringify(result.error)}`);
  return waitFor(
    session.events,
    subscribe,
    () => session.events.find((e): e is Extract<EngineEvent, { type: 'closed' }> => e.type === 'closed' && e.sessionId === session.sessionId),
    waitMs,
    'closed',
  );
}

/** Collects unhandled rejections during a test file, to assert that nothing crashed. */
export function watchUnhandled(): { list: unknown[]; stop(): void } {
  const list: unknown[] = [];
  const onRejection = (reason: unknown): void => void list.push(reason);
  process.on('unhandledRejection', onRejection);
  return { list, stop: () => process.off('unhandledRejection', onRejection) };
}

/** The servers a real proxy tunnels to: a ws:// and a wss:// echo, and the CA file for the latter. */
export interface EchoTargets {
  ws: EchoServer;
  wss: EchoServer;
  ca: string;
  close(): Promise<void>;
}

export async function startEchoTargets(): Promise<EchoTargets> {
  const { cert, key, ca } = trustedServer();
  const ws = await startEchoServer();
  const wss = await startEchoServer({ tls: { cert, key } });
  const pems = await writePems({ 'ca.pem': ca });
  return {
    ws,
    wss,
    ca: pems.path('ca.pem'),
    close: async () => {
      await Promise.allSettled([ws.close(), wss.close(), pems.cleanup()]);
    },
  };
}
