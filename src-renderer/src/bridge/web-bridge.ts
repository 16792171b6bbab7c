/**
 * The bridge in a browser: the contract over the web host's WebSocket at `/api` on the same
 * origin (the access token travels in the HttpOnly cookie the host set when the page loaded).
 * Every server message is checked against the wire schema, every result and event against
 * the contract. When the socket drops, calls in flight fail with a clear Result, the
 * connection state says "lost" (the page shows it) and the bridge reconnects with backoff.
 * When the host says the page fell behind and has caught up (events were skipped meanwhile,
 * see src-main/web/event-backlog.ts), `onEventsMissed` listeners hear it and resync.
 *
 * What arrives is taken in, in order, in slices (`inbox.ts`): the browser hands a page several
 * socket messages in one task, and a flood's batches (up to 500 summaries each, parsed, checked
 * and cached) would otherwise make one long task; a slice stops after SLICE_BUDGET_MS and the
 * rest waits for a task of its own, so rendering and input get their turn in between.
 */
import { webServerMessageSchema, type TunnelscopeBridge, type WebCall } from '../../../src-main/shared/bridge';
import type { CommandName } from '../../../src-main/shared/commands';
import { fail } from '../../../src-main/shared/result';
import { callMessages } from './call-parts';
import { checkedBridge } from './checked-bridge';
import { Inbox, nextTask, type YieldTask } from './inbox';

export type WebHostConnectionState = 'connecting' | 'open' | 'lost';

export interface WebHostConnection {
  readonly state: WebHostConnectionState;
  /** When the next reconnect attempt starts (ms since epoch), while lost. */
  readonly retryAt: number | null;
  /** Why the last connection ended, in words (close code and reason), while lost. */
  readonly lastCloseReason: string | null;
  onChange(callback: (state: WebHostConnectionState) => void): () => void;
  /** The host skipped `count` events while this page was behind; the page must ask where things stand. */
  onEventsMissed(callback: (count: number) => void): () => void;
  /** Reconnects now instead of waiting for the backoff. */
  retryNow(): void;
}

/** The slice of the browser's WebSocket the bridge uses (a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface WebBridgeOptions {
  /** ws:// URL of the host's `/api`; default: same origin as the page. */
  url?: string;
  createSocket?: (url: string) => SocketLike;
  /** Reconnect delays: doubling from initialMs up to maxMs. */
  backoff?: { initialMs: number; maxMs: number };
  /** How long a call made before the first connection waits for it. */
  firstConnectWaitMs?: number;
  warn?: (message: string) => void;
  /** How the taking in of messages yields between slices (default: a task of its own), and its clock (tests). */
  yieldTask?: YieldTask;
  now?: () => number;
}

/** A slice of taking in messages stops once it has run this long; the rest goes on in another task. */
export const SLICE_BUDGET_MS = 6;

export interface WebBridge {
  bridge: TunnelscopeBridge;
  connection: WebHostConnection;
  /** Closes the socket for good (no reconnect); calls in flight fail. */
  close(): void;
}

const OPEN = 1;
/** RFC 6455 "message too big": the host's --max-message-mb. */
const CLOSE_TOO_BIG = 1009;
const LOST_MESSAGE = 'The connection to the web host was lost';

/** ws://host/api for the page's own origin (wss:// if the page came over https). */
export function sameOriginApiUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
}

interface Pending {
  name: CommandName;
  resolve: (raw: unknown) => void;
}

interface Waiting {
  message: WebCall;
  pending: Pending;
  timer: ReturnType<typeof setTimeout>;
}

export function createWebBridge(options: WebBridgeOptions = {}): WebBridge {
  const url = options.url ?? sameOriginApiUrl(window.location);
  const createSocket = options.createSocket ?? ((target: string) => new WebSocket(target));
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 10_000 };
  const firstConnectWaitMs = options.firstConnectWaitMs ?? 15_000;
  const warn = options.warn ?? ((message: string) => console.warn(message));

  const pending = new Map<number, Pending>();
  /** Calls made before the first connection opened, sent once it does. */
  const waiting: Waiting[] = [];
  const eventListeners = new Set<(raw: unknown) => void>();
  const stateListeners = new Set<(state: WebHostConnectionState) => void>();
  const missedListeners = new Set<(count: number) => void>();
  let nextId = 1;
  let socket: SocketLike | null = null;
  let state: WebHostConnectionState = 'connecting';
  let everOpened = false;
  let attempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryAt: number | null = null;
  let lastCloseReason: string | null = null;
  let closedForGood = false;
  const inbox = new Inbox(receive, { budgetMs: SLICE_BUDGET_MS, yieldTask: options.yieldTask ?? nextTask, now: options.now ?? (() => performance.now()) });

  function setState(next: WebHostConnectionState): void {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  }

  function connect(): void {
    retryTimer = null;
    retryAt = null;
    let ws: SocketLike;
    try {
      ws = createSocket(url);
    } catch (error) {
      lastCloseReason = error instanceof Error ? error.message : String(error);
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      everOpened = true;
      attempts = 0;
      lastCloseReason = null;
      setState('open');
      for (const item of waiting.splice(0)) {
        clearTimeout(item.timer);
        transmit(item.message, item.pending);
      }
    };
    ws.onmessage = (event) => {
      if (socket === ws) inbox.push(event.data);
    };
    ws.onerror = () => {
      // A close event always follows; it carries what little the browser tells us.
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      // What the socket brought before it closed comes first: the answers among it are no calls lost.
      inbox.drainAll();
      lastCloseReason = describeClose(event);
      failInFlight(event.code === CLOSE_TOO_BIG ? `The web host closed the connection because a message was too big (${event.reason || 'no reason given'})` : `${LOST_MESSAGE} before it answered`);
      if (closedForGood) return;
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (closedForGood) return;
    // Calls made before the first connection wait (until their own timeout); later ones fail at once.
    if (everOpened) failWaiting(LOST_MESSAGE);
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempts);
    attempts += 1;
    retryAt = Date.now() + delay;
    retryTimer = setTimeout(connect, delay);
    // Listeners read retryAt and lastCloseReason: set them first.
    setState('lost');
  }

  function failInFlight(message: string): void {
    for (const [id, item] of pending) {
      pending.delete(id);
      item.resolve(fail('INTERNAL', `${message} (${item.name}); the command may or may not have run.`));
    }
  }

  function failWaiting(message: string): void {
    for (const item of waiting.splice(0)) {
      clearTimeout(item.timer);
      item.pending.resolve(fail('INTERNAL', `${message}: ${item.pending.name} was not sent.`));
    }
  }

  function transmit(message: WebCall, item: Pending): void {
    const ws = socket;
    if (!ws || ws.readyState !== OPEN) {
      item.resolve(fail('INTERNAL', `${LOST_MESSAGE}: ${item.name} was not sent.`));
      return;
    }
    // A large arg (an imported log) goes in parts: the host refuses messages over its limit.
    let messages: ReturnType<typeof callMessages>;
    try {
      messages = callMessages(message);
    } catch (error) {
      item.resolve(fail('INVALID_ARGUMENT', `${item.name}: the argument cannot be sent (${error instanceof Error ? error.message : String(error)})`));
      return;
    }
    if (!messages.ok) {
      item.resolve(fail('LIMIT_REACHED', `${item.name}: ${messages.reason}`));
      return;
    }
    pending.set(message.id, item);
    for (const text of messages.texts) ws.send(text);
  }

  function call(name: CommandName, arg: unknown): Promise<unknown> {
    return new Promise<unknown>((resolve) => {
      const message: WebCall = { type: 'call', id: nextId++, name, arg };
      const item: Pending = { name, resolve };
      if (closedForGood) {
        resolve(fail('INTERNAL', `The web bridge is closed: ${name} was not sent.`));
      } else if (state === 'open') {
        transmit(message, item);
      } else if (!everOpened) {
        const timer = setTimeout(() => {
          const index = waiting.findIndex((w) => w.pending === item);
          if (index >= 0) waiting.splice(index, 1);
          resolve(fail('INTERNAL', `Could not reach the web host at ${url}: ${name} was not sent.${lastCloseReason ? ` (${lastCloseReason})` : ''}`));
        }, firstConnectWaitMs);
        waiting.push({ message, pending: item, timer });
      } else {
        resolve(fail('INTERNAL', `${LOST_MESSAGE}; reconnecting. ${name} was not sent.`));
      }
    });
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') {
      warn('tunnelscope: ignored a binary message from the web host');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      warn('tunnelscope: ignored a message from the web host that is not JSON');
      return;
    }
    // Nearly every message is an event: the wire schema's check of it (an object of type
    // "event"; the event itself is checked by the checked bridge) without zod's copy.
    if (typeof json === 'object' && json !== null && !Array.isArray(json) && 'type' in json && json.type === 'event') {
      deliver('event' in json ? json.event : undefined);
      return;
    }
    const parsed = webServerMessageSchema.safeParse(json);
    if (!parsed.success) {
      warn(`tunnelscope: ignored a malformed message from the web host (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'behind') {
      warn(`tunnelscope: this page fell behind the web host (${Math.round(message.bufferedBytes / 1024)} KiB waiting); events are paused until it catches up`);
      return;
    }
    if (message.type === 'caught-up') {
      for (const listener of [...missedListeners]) listener(message.skippedEvents);
      return;
    }
    if (message.type === 'event') {
      deliver(message.event);
      return;
    }
    const item = pending.get(message.id);
    if (!item) {
      // id -1: the host could not read one of our messages at all; say what it said.
      warn(`tunnelscope: the web host answered a call it could not match (id ${message.id}): ${JSON.stringify(message.result).slice(0, 300)}`);
      return;
    }
    pending.delete(message.id);
    item.resolve(message.result);
  }

  function deliver(event: unknown): void {
    for (const listener of [...eventListeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('tunnelscope: an event listener failed', error);
      }
    }
  }

  const bridge = checkedBridge({
    call,
    subscribe: (listener) => {
      eventListeners.add(listener);
      return () => {
        eventListeners.delete(listener);
      };
    },
    warn,
  });

  const connection: WebHostConnection = {
    get state() {
      return state;
    },
    get retryAt() {
      return retryAt;
    },
    get lastCloseReason() {
      return lastCloseReason;
    },
    onChange(callback) {
      stateListeners.add(callback);
      return () => {
        stateListeners.delete(callback);
      };
    },
    onEventsMissed(callback) {
      missedListeners.add(callback);
      return () => {
        missedListeners.delete(callback);
      };
    },
    retryNow() {
      if (closedForGood || state !== 'lost') return;
      if (retryTimer) clearTimeout(retryTimer);
      connect();
    },
  };

  connect();

  return {
    bridge,
    connection,
    close() {
      closedForGood = true;
      if (retryTimer) clearTimeout(retryTimer);
      inbox.drainAll();
      failWaiting('The web bridge was closed');
      failInFlight('The web bridge was closed');
      socket?.close(1000, 'page closed');
      socket = null;
    },
  };
}

function describeClose(event: CloseEvent): string {
  // 1006 is all a browser reports for a refused upgrade (wrong token, host restarted).
  if (event.code === 1006) return 'the connection closed abnormally (the web host stopped, or refused this page)';
  if (event.code === CLOSE_TOO_BIG) return `the web host refused a message as too big (${event.reason || 'code 1009'})`;
  return `closed with code ${event.code}${event.reason ? `: ${event.reason}` : ''}`;
}

