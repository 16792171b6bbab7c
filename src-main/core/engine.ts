/**
 * The engine: implements the contract's commands, owns the sessions, and fans their events
 * out to listeners. Every host (Electron IPC, the web host, the CLI) talks to it through
 * `invoke` (validated, never throws) or `call` (typed, for in-process callers).
 */
import { randomUUID } from 'node:crypto';
import { applyHeapGrowthPolicy } from './session/heap-growth';
import type WebSocket from 'ws';
import {
  isCommandName,
  parseCommandArg,
  type CommandArg,
  type CommandArgInput,
  type CommandName,
  type CommandResult,
} from '../shared/commands';
import { isSessionEvent, type EngineEvent, type EventListener, type HostEvent } from '../shared/events';
import { fail, ok, type Result } from '../shared/result';
import type { FrameBody } from '../shared/model';
import { NetFailure, errorMessage } from './errors/net-failure';
import { resolveProxy, type ResolveEnvironment } from './proxy/resolve';
import type { SystemProxy } from './proxy/system/system-proxy';
import { WsSession, type SendKind } from './session/ws-session';
import { WsConnection } from './session/ws-connection';
import { SendCommands } from './send-commands';
import { defaultBuiltinSources, type BuiltinSources } from '../shared/builtin-variables';
import { InspectCommands } from './inspect-commands';
import { DecodeCommands } from './decode-commands';
import type { SessionRemoval } from './export/session-removal';
import type { ImportedSession } from './session/imported-session';
import { ProfileService } from './profiles/profile-service';
import type { SecretCipher } from './secrets/secret-store';
import { redactUrl } from './export/redact-log';
import { VariableSet } from './variables/variable-set';
import { resolveConnection, resolveWayOut } from './variables/resolve-variables';
import { shownUrlOf } from './session/session-log';
import { systemClock, type Clock } from './net/clock';
import { DEFAULT_SESSION_LIMITS, SessionOwners, type SessionLimits } from './session/session-owners';
import type { SessionInfo } from '../shared/session-info';
import { Subscriptions } from './subscriptions/subscriptions';
import type { Subscriber, SubscriberOptions } from './subscriptions/subscriber';
import { InterceptService } from './intercept/intercept-service';
import { loadOrCreateInterceptCa, type InterceptCa } from './intercept/intercept-ca';
import { openInterceptCa } from './intercept/open-intercept-ca';
import { addPassthroughHost, readPassthroughFile } from './intercept/passthrough-file';
import type { ConnectionOptions } from '../shared/model';
import type { CapturedFrom, SessionRelay } from './session/session-relay';
import type { ClientHandshake } from '../shared/captured-from';
import type { RelayMark } from './session/relay-mark';
import { InterceptBreakpoints } from './intercept/breakpoints';
import { InterceptCommands } from './intercept/intercept-commands';
import { interceptProfileOf, type InterceptProfile } from './intercept/intercept-profile';
import { payloadPart } from './payload-part';
import { FrameCredentialRanges } from './session/frame-credential-ranges';
import { maskedFrameBody } from './session/masked-frame-body';

export interface EngineOptions {
  host: 'electron' | 'web' | 'cli';
  version: string;
  env?: Readonly<Record<string, string | undefined>>; // default process.env
  systemResolver?: (url: string) => Promise<string>; // Electron passes Chromium's
  /** How proxy reasons name the system resolver, e.g. "system settings (Chromium)". */
  systemLabel?: string;
  /** The OS proxy settings readers (CLI, web host: proxy/system/system-proxy.ts); unused with a systemResolver. */
  systemProxy?: SystemProxy;
  frameStore?: { maxFrames?: number; maxBytes?: number };
  /** Each subscriber's batching; maxUnacked: frames out without `frames:ack` before its batches are coalesced (see FrameBatcher). */
  batch?: { intervalMs?: number; maxFrames?: number; maxUnacked?: number };
  /** Times the batch intervals (default real time; tests: fake time). Not `clock`: that one times the grace and retention. */
  batchClock?: Clock;
  /** Whether `frames:export-to-file` may write files: only a host whose user chose the path (the CLI). */
  allowFileExport?: boolean;
  /** Largest log text `frames:import` accepts (default 256 MiB of text). */
  maxImportChars?: number;
  /** How often an open session emits `stats` (default 1000 ms). */
  statsIntervalMs?: number;
  /**
   * Where profiles are kept (Electron: app.getPath('userData'); web host and CLI: see
   * profiles/data-dir.ts) and how their secrets are encrypted (Electron: safeStorage; default:
   * the OS keyring, else a key file). Without it the profile commands answer FORBIDDEN.
   */
  profiles?: { dataDir: string; cipher?: SecretCipher | (() => SecretCipher | Promise<SecretCipher>) };
  /** Sessions per client and per engine, the client grace and the closed-session retention (session-owners.ts). */
  sessionLimits?: Partial<SessionLimits>;
  /** How the host lets a user change each limit (named in the LIMIT_REACHED error), e.g. "--max-sessions N". */
  limitHints?: { maxSessions?: string; maxSessionsPerClient?: string };
  /** The time source of the grace and retention timers and of repeated sends (tests: fake time). */
  clock?: Clock;
  /** Where `{{$uuid}}`, `{{$randomInt}}` and the timestamps come from (tests: fixed values). */
  builtinSources?: BuiltinSources;
}

/**
 * Who is calling: the client (a web page, an Electron window) that owns the sessions it opens.
 * A host says when a client connects and goes (clientConnected / clientDisconnected). No
 * caller or no clientId (the CLI, in-process use): the host's own sessions, never reaped for a
 * vanished client. `subscriptionId`: the connection's event subscription (Engine.subscribe),
 * whose acknowledgements `frames:ack` carries and which hears the sessions it opens, imports or
 * adopts.
 */
export interface Caller {
  clientId?: string;
  subscriptionId?: string;
}

/** A consumer's hold on the engine's events (Engine.subscribe); hosts make one per connection. */
export interface EventSubscription {
  readonly id: string;
  /** Subscribes to these sessions (a `subscribed` event first for each); answers the ids the engine does not have. */
  watch(sessionIds: readonly string[]): string[];
  unwatch(sessionIds: readonly string[]): void;
  /** Whether it hears the list-level events of every session (LIST_EVENT_TYPES). */
  setList(on: boolean): void;
  /** It has taken in the session's frames up to `seq` (its own flow control). */
  ack(sessionId: string, seq: number): void;
  /** What it was sent so far (tests, the benchmark). */
  readonly counts: Subscriber['counts'];
  /** It has gone: nothing more is sent to it. */
  close(): void;
}

/** What a consumer says when it subscribes (subscriptions/subscriber.ts). */
export type SubscribeOptions = SubscriberOptions;

/** A live session (one attempt, or a reconnecting connection of several: one session either way), or a read-only log imported from a file. */
type EngineSession = WsSession | WsConnection | ImportedSession;

type Handlers = {
  [C in CommandName]: (arg: CommandArg<C>, caller: Caller | undefined) => Promise<Result<CommandResult<C>>> | Result<CommandResult<C>>;
};

export class Engine {
  private readonly options: EngineOptions;
  private readonly environment: ResolveEnvironment;
  private readonly sessions = new Map<string, EngineSession>();
  /** Each session's credential places, for the previews and payloads the app is sent (not in the CLI). */
  private readonly credentialRanges = new WeakMap<EngineSession, FrameCredentialRanges>();
  /** The variables of each session that opened with an environment or values: its messages use them too. */
  private readonly sessionVariables = new Map<string, VariableSet>();
  /** The secret variables an intercept profile's way out used (interceptProfile): every captured session redacts them. */
  private capturedSecretValues: readonly string[] = [];
  private readonly subscriptions: Subscriptions;
  private readonly handlers: Handlers;
  private readonly inspect: InspectCommands;
  private readonly decodes = new DecodeCommands();
  private disposed = false;
  private readonly owners: SessionOwners;
  private readonly profiles: ProfileService | undefined;
  private readonly sends: SendCommands;
  /** The intercepting proxy a host starts with `intercept-proxy:start` (one at a time). */
  private readonly interceptProxy: InterceptService;
  /**
   * The intercepting proxy's breakpoints, held messages and relays: a host that runs an
   * InterceptProxy passes this as its `breakpoints`, and the `intercept:*` commands act on it.
   */
  readonly interceptBreakpoints = new InterceptBreakpoints();
  private readonly intercept: InterceptCommands;

  constructor(options: EngineOptions) {
    applyHeapGrowthPolicy();
    this.options = options;
    this.environment = {
      env: options.env ?? process.env,
      ...(options.systemResolver ? { systemResolver: options.systemResolver } : {}),
      ...(options.systemLabel ? { systemLabel: options.systemLabel } : {}),
      ...(options.systemProxy ? { systemProxy: options.systemProxy } : {}),
    };
    this.profiles = options.profiles
      ? new ProfileService({ ...options.profiles, env: this.environment.env })
      : undefined;
    this.subscriptions = new Subscriptions({
      ...(options.batch ? { batch: options.batch } : {}),
      ...(options.batchClock ? { clock: options.batchClock } : {}),
      snapshot: (sessionId, clientId) => this.sessionInfo(sessionId, clientId),
    });
    this.owners = new SessionOwners({
      clock: options.clock ?? systemClock,
      limits: { ...DEFAULT_SESSION_LIMITS, ...options.sessionLimits },
      ...(options.limitHints ? { limitHints: options.limitHints } : {}),
      // The engine's own removals: an export reading the session says which (export/session-removal.ts).
      disposeSession: (sessionId, why) =>
        this.disposeSession(sessionId, why === 'retention' ? { by: 'retention', afterMs: this.owners.limits.closedRetentionMs } : { by: 'owner-gone' }),
    });
    this.inspect = new InspectCommands({
      version: options.version,
      allowFileExport: options.allowFileExport === true,
      ...(options.frameStore ? { frameStore: options.frameStore } : {}),
      ...(options.maxImportChars !== undefined ? { maxImportChars: options.maxImportChars } : {}),
      adopt: (session) => {
        this.track(session.id, session);
      },
      emit: (event) => this.emit(event),
    });
    this.sends = new SendCommands({
      clock: options.clock ?? systemClock,
      sources: options.builtinSources ?? { ...defaultBuiltinSources, now: () => (options.clock ?? systemClock).now() },
      emit: (event) => this.emit(event),
    });
    this.intercept = new InterceptCommands(this.interceptBreakpoints, (event) => this.emit(event));
    this.interceptProxy = new InterceptService({
      engine: this,
      environment: this.environment,
      ...(options.profiles
        ? {
            openCa: () => this.openInterceptCa(),
            passthrough: passthroughStore(options.profiles.dataDir),
            profiles: {
              intercept: (profileId: string) => this.interceptProfile(profileId),
              addPassthrough: (profileId: string, host: string) => this.withProfiles((p) => p.addInterceptPassthrough(profileId, host)),
            },
          }
        : {}),
      broadcast: (event) => this.subscriptions.broadcast(event),
      breakpoints: () => this.interceptBreakpoints,
    });
    this.handlers = {
      ...this.interceptProxyHandlers(),
      ...this.intercept.handlers(),
      ...this.profileHandlers(),
      ...this.environmentHandlers(),
      ...this.inspectHandlers(),
      'session:open': (arg, caller) => this.openSession(arg, caller),
      'session:send': (arg) => this.withSession(arg.sessionId, (session) => this.sends.send(session, arg, this.sessionVariables.get(arg.sessionId))),
      'session:send-stop': (arg) => this.withSession(arg.sessionId, () => this.sends.stop(arg.sessionId)),
      'session:ping': (arg) => this.send(arg.sessionId, 'ping', Buffer.from(arg.data ?? '', 'utf8')),
      'session:pong': (arg) => this.send(arg.sessionId, 'pong', Buffer.from(arg.data ?? '', 'utf8')),
      'session:close': (arg) =>
        this.withSession(arg.sessionId, (session) => {
          // The close completes in the background; the `closed` event reports it.
          void session.close(arg.code ?? 1000, arg.reason ?? '');
          return ok({});
        }),
      'session:list': (_arg, caller) => ok([...this.sessions.values()].map((session) => this.infoOf(session, caller?.clientId))),
      'session:adopt': (arg, caller) =>
        this.withSession(arg.sessionId, () => {
          const refusal = this.owners.refusal(caller?.clientId, false);
          if (refusal !== undefined) return fail('LIMIT_REACHED', `session:adopt: ${refusal}`);
          this.owners.adopt(arg.sessionId, caller?.clientId);
          // The adopting connection shows it now: it hears it from here on.
          this.watchFor(caller, arg.sessionId, true);
          return ok({});
        }),
      'session:subscribe': (arg, caller) => {
        const subscriber = this.subscriberOf(caller);
        if (!subscriber) return noSubscription('session:subscribe');
        if (arg.replace === true) {
          const keep = new Set(arg.sessionIds);
          for (const sessionId of subscriber.sessionIds()) if (!keep.has(sessionId)) this.subscriptions.unwatch(subscriber, sessionId);
        }
        if (arg.list !== undefined) this.subscriptions.setList(subscriber, arg.list);
        const unknown = arg.sessionIds.filter((sessionId) => !this.subscriptions.watch(subscriber, sessionId));
        return ok({ unknown });
      },
      'session:unsubscribe': (arg, caller) => {
        const subscriber = this.subscriberOf(caller);
        if (!subscriber) return noSubscription('session:unsubscribe');
        for (const sessionId of arg.sessionIds) this.subscriptions.unwatch(subscriber, sessionId);
        return ok({});
      },
      'session:pin': (arg) =>
        this.withSession(arg.sessionId, () => {
          this.owners.pin(arg.sessionId, arg.pinned);
          return ok({});
        }),
      'session:dispose': (arg) => this.disposeSession(arg.sessionId, { by: 'dispose' }),
      'session:reconnect-now': (arg) =>
        this.withSession(arg.sessionId, (session) =>
          session instanceof WsConnection && session.reconnectNow()
            ? ok({})
            : fail('SESSION_NOT_OPEN', `session ${arg.sessionId} is not waiting to reconnect`, 'sessionId'),
        ),
      'frames:page': (arg) =>
        this.withSession(arg.sessionId, (session) => ok(session.frames.page(arg.fromSeq, arg.limit))),
      'frames:get': (arg) =>
        this.withSession(arg.sessionId, (session) => {
          // A part (the detail pane): one answer stays a few MiB however large the frame.
          const body = arg.maxBytes !== undefined ? payloadPart(session.frames, arg.seq, arg.offset ?? 0, arg.maxBytes) : session.frames.get(arg.seq);
          // Credentials masked unless the pane asked to show them (its Show credentials).
          const credentials = body ? this.credentialRanges.get(session)?.of(arg.seq) : undefined;
          if (body) return ok(credentials ? maskedFrameBody(body, credentials, arg.reveal === true) : body);
          const why = arg.seq > session.frames.lastAssignedSeq ? 'does not exist yet' : 'was evicted from the bounded frame store';
          return fail('NOT_FOUND', `frame ${arg.seq} ${why}`, 'seq');
        }),
      'session:decoding': (arg) => this.withSession(arg.sessionId, (session) => this.decodes.state(session, arg)),
      'frames:decode': (arg) => this.withSession(arg.sessionId, (session) => this.decodes.decode(session, arg)),
      'message:encode': (arg) => this.decodes.encode(arg.message),
      'protobuf:compile': (arg) => this.decodes.compileProtobuf(arg.protobuf),
      'proxy:resolve': (arg) => this.resolve(arg.url, arg.proxy),
      'app:info': () =>
        ok({
          name: 'Tunnelscope',
          version: this.options.version,
          host: this.options.host,
          platform: process.platform,
          systemProxy: this.options.systemResolver !== undefined || this.options.systemProxy !== undefined,
        }),
    };
  }

  /** Validates the argument with the contract's schema and runs the command; never throws. */
  async invoke(name: string, rawArg: unknown, caller?: Caller): Promise<Result<unknown>> {
    if (!isCommandName(name)) return fail('UNKNOWN_COMMAND', `unknown command "${String(name).slice(0, 100)}"`);
    return this.run(name, rawArg, caller);
  }

  /** Typed form of invoke for in-process callers (CLI, tests). */
  async call<C extends CommandName>(name: C, arg: CommandArgInput<C>, caller?: Caller): Promise<Result<CommandResult<C>>> {
    if (!isCommandName(name)) return fail('UNKNOWN_COMMAND', `unknown command "${String(name).slice(0, 100)}"`);
    return this.run(name, arg, caller);
  }

  /** A connection of a client opened (a page loaded or reloaded): its sessions are no longer waiting to be reaped. */
  clientConnected(clientId: string): void {
    this.owners.connected(clientId);
  }

  /**
   * A connection of a client closed. With none left, its sessions are closed and disposed
   * after the grace (default: sessionLimits.clientGraceMs) unless it connects again first.
   */
  clientDisconnected(clientId: string, options: { graceMs?: number } = {}): void {
    this.owners.disconnected(clientId, options.graceMs);
  }

  /**
   * Every event of every session, present and future, with every frame batch (never
   * acknowledged, so never coalesced): an in-process consumer such as the CLI, whose engine
   * holds the one session it opened. Hosts with several consumers use `subscribe` instead.
   */
  onEvent(listener: EventListener): () => void {
    // Sessions only: the intercepting proxy's own events (no session) are for the hosts' consumers of the list.
    const deliver = (event: HostEvent): void => {
      if (isSessionEvent(event)) listener(event);
    };
    const subscriber = this.subscriptions.subscribe({ deliver, everySession: true, list: true });
    return () => this.subscriptions.unsubscribe(subscriber);
  }

  /**
   * A consumer of its own (a host connection: a page, a window): it hears only the sessions it
   * subscribes to (`watch`, `session:subscribe` with this id as the caller's `subscriptionId`,
   * and those it opens, imports or adopts), each in its own batches with its own flow control.
   */
  subscribe(options: SubscribeOptions): EventSubscription {
    const subscriber = this.subscriptions.subscribe(options);
    const subscriptions = this.subscriptions;
    return {
      id: subscriber.id,
      counts: subscriber.counts,
      watch: (sessionIds) => sessionIds.filter((sessionId) => !subscriptions.watch(subscriber, sessionId)),
      unwatch: (sessionIds) => {
        for (const sessionId of sessionIds) subscriptions.unwatch(subscriber, sessionId);
      },
      setList: (on) => subscriptions.setList(subscriber, on),
      ack: (sessionId, seq) => void subscriber.ack(sessionId, seq),
      close: () => subscriptions.unsubscribe(subscriber),
    };
  }

  /**
   * A stored frame's full payload, read at once (undefined when it is not stored), for an
   * in-process consumer printing every frame (the CLI): a `frames:get` per frame, validated
   * and answered through a promise, cost more than the frame itself in a binary flood.
   */
  frameBody(sessionId: string, seq: number): FrameBody | undefined {
    return this.sessions.get(sessionId)?.frames.get(seq);
  }

  /**
   * A profile's way out and passthrough patterns for an intercept run (`intercept --profile`, the
   * app's Intercept page): from the options a connect with it opens with, secrets decrypted here.
   */
  async interceptProfile(profileId: string, given: { environmentId?: string; values: { name: string; value: string }[] } = { values: [] }): Promise<Result<InterceptProfile>> {
    const resolved = await this.withProfiles((profiles) => profiles.connection(profileId));
    if (!resolved.ok) return resolved;
    // Its {{variables}} from its environment, as connect --profile fills them (one deleted since:
    // none, with a note); an environment given (intercept --env) instead, and values given (--var) over it.
    const { name } = resolved.value;
    const environmentId = given.environmentId ?? resolved.value.environmentId;
    const notes: string[] = [];
    let variables = VariableSet.empty();
    if (given.environmentId !== undefined) {
      const read = await this.withProfiles((profiles) => profiles.environments.variableSet(given.environmentId ?? ''));
      if (!read.ok) return read;
      variables = read.value;
    } else if (environmentId !== undefined) {
      const listed = await this.withProfiles((profiles) => profiles.environments.list());
      if (!listed.ok) return listed;
      if (listed.value.environments.some((e) => e.id === environmentId)) {
        const read = await this.withProfiles((profiles) => profiles.environments.variableSet(environmentId));
        if (!read.ok) return read;
        variables = read.value;
      } else notes.push(`the environment of profile "${name}" was deleted; intercepting without one`);
    }
    const filled = resolveWayOut(resolved.value.options, variables.withValues(given.values), this.builtinSources());
    if (!filled.ok) return filled;
    // The intercepted sessions go out this way: they redact the secret variables it used.
    this.capturedSecretValues = filled.value.secretValues;
    return ok(interceptProfileOf(resolved.value, filled.value.options, { notes, secretValues: filled.value.secretValues }));
  }

  /**
   * An intercepted WebSocket (core/intercept/) as a session like any other: its upstream leg
   * runs the same pipeline as `session:open` (proxy resolution, sign-in, TLS, upgrade) and
   * records every frame; the relay passes the server's side on to the client, and the caller
   * sends the client's messages with `send`. It belongs to the host (never reaped).
   */
  openCaptured(options: ConnectionOptions, captured: CapturedFrom, relay: SessionRelay): Result<CapturedSession> {
    if (this.disposed) return fail('FORBIDDEN', 'the engine is shutting down');
    const refusal = this.owners.refusal(undefined);
    if (refusal !== undefined) return fail('LIMIT_REACHED', `intercept: ${refusal}`);
    const sessionId = randomUUID();
    // Its frames go to whoever subscribes to it, each in its own batches.
    const feed = this.subscriptions.addSession(sessionId);
    const session = new WsSession({
      id: sessionId,
      options,
      feed,
      environment: this.environment,
      emit: (event: EngineEvent) => {
        this.emit(event);
        if (event.type === 'closed') this.sessionEnded(sessionId);
      },
      relay,
      captured,
      ...(this.capturedSecretValues.length > 0 ? { secretValues: this.capturedSecretValues } : {}),
      ...(this.options.frameStore ? { frameStore: this.options.frameStore } : {}),
      ...(this.options.batch ? { batch: this.options.batch } : {}),
      ...(this.options.statsIntervalMs !== undefined ? { statsIntervalMs: this.options.statsIntervalMs } : {}),
    });
    feed.attach(session.frames);
    this.track(sessionId, session);
    this.owners.add(sessionId, undefined, {});
    this.emit({ type: 'session-created', sessionId, url: redactUrl(session.url), at: session.createdAt, captured: { ...captured } });
    // Started now: the caller holds the id already, and the client is waiting.
    session.start();
    return ok(session);
  }

  /** Closes every session (a close frame where open, an abort where connecting) and waits for them. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.interceptProxy.dispose();
    this.owners.dispose();
    this.sends.stopAll();
    await Promise.all([...this.sessions.values()].map((session) => session.dispose()));
    this.intercept.dispose();
    this.subscriptions.dispose();
  }

  private async run<C extends CommandName>(name: C, rawArg: unknown, caller: Caller | undefined): Promise<Result<CommandResult<C>>> {
    const parsed = parseCommandArg(name, rawArg);
    if (!parsed.ok) return parsed;
    try {
      const handler: (arg: CommandArg<C>, caller: Caller | undefined) => Promise<Result<CommandResult<C>>> | Result<CommandResult<C>> =
        this.handlers[name];
      return await handler(parsed.value, caller);
    } catch (error) {
      return fail('INTERNAL', `${name} failed: ${errorMessage(error)}`);
    }
  }

  private async openSession(arg: CommandArg<'session:open'>, caller: Caller | undefined): Promise<Result<CommandResult<'session:open'>>> {
    if (this.disposed) return fail('FORBIDDEN', 'the engine is shutting down');
    let options = arg.options;
    if (arg.profileId !== undefined) {
      // The secrets are decrypted here and go no further than the session.
      const resolved = await this.withProfiles((profiles) => profiles.connection(arg.profileId ?? ''));
      if (!resolved.ok) return resolved;
      options = resolved.value.options;
    } else if (options !== undefined && arg.savedSecrets !== undefined) {
      // A changed profile tab: the secrets it kept come from the saved profile, decrypted here.
      const request = arg.savedSecrets;
      const base = options;
      const filled = await this.withProfiles((profiles) => profiles.fillSavedSecrets(base, request));
      if (!filled.ok) return filled;
      options = filled.value;
    }
    if (options === undefined) return fail('INVALID_ARGUMENT', 'session:open: give options or profileId');
    if (arg.resend !== undefined && options.reconnect) options = { ...options, reconnect: { ...options.reconnect, resend: arg.resend } };
    // The {{variables}} and built-ins, filled in before anything is sent (core/variables/).
    const variables = await this.variablesFor(arg.variables);
    if (!variables.ok) return variables;
    const filledIn = resolveConnection(options, variables.value ?? VariableSet.empty(), this.builtinSources());
    if (!filledIn.ok) return filledIn;
    options = filledIn.value.options;
    const { secretValues } = filledIn.value;
    if (this.disposed) return fail('FORBIDDEN', 'the engine is shutting down');
    // Checked here, after the awaits above, so concurrent opens cannot pass the limit together.
    const refusal = this.owners.refusal(caller?.clientId);
    if (refusal !== undefined) return fail('LIMIT_REACHED', `session:open: ${refusal}`);
    const sessionId = randomUUID();
    // Each subscriber watching the session takes its frames from this feed, in its own batches.
    const feed = this.subscriptions.addSession(sessionId);
    const config = {
      id: sessionId,
      options,
      feed,
      ...(secretValues.length > 0 ? { secretValues } : {}),
      environment: this.environment,
      emit: (event: EngineEvent) => {
        this.emit(event);
        // A reconnecting connection sends `closed` once, when no attempt follows.
        if (event.type === 'closed') this.sessionEnded(sessionId);
      },
      ...(this.options.frameStore ? { frameStore: this.options.frameStore } : {}),
      ...(this.options.batch ? { batch: this.options.batch } : {}),
      ...(this.options.statsIntervalMs !== undefined ? { statsIntervalMs: this.options.statsIntervalMs } : {}),
    };
    // One session id either way, so a reconnecting connection counts as one session for the limits.
    const session = options.reconnect
      ? new WsConnection({ ...config, reconnect: options.reconnect, ...(this.options.clock ? { backoffClock: this.options.clock } : {}) })
      : new WsSession(config);
    feed.attach(session.frames);
    this.track(sessionId, session);
    if (variables.value) this.sessionVariables.set(sessionId, variables.value);
    this.owners.add(sessionId, caller?.clientId, { pinned: arg.pin === true });
    // The opening connection hears it from its first event (nothing has happened yet: no snapshot).
    this.watchFor(caller, sessionId, false);
    // The URL's password is a secret: events carry the URL without it.
    this.emit({ type: 'session-created', sessionId, url: shownUrlOf(session), at: session.createdAt });
    // Connect after the caller has the id, so the session's other events name a session it knows.
    setImmediate(() => {
      if (this.sessions.get(sessionId) === session) session.start();
    });
    return ok({ sessionId });
  }

  private send(sessionId: string, kind: SendKind, payload: Buffer): Result<{ seq: number }> {
    return this.withSession(sessionId, (session) => {
      let seq: number | undefined;
      try {
        seq = session.send(kind, payload);
      } catch (error) {
        // SEND_QUEUE_FULL: refused, the session stays open.
        if (error instanceof NetFailure) return { ok: false, error: error.netError };
        throw error;
      }
      if (seq === undefined) {
        const why = 'readOnly' in session ? 'a read-only imported log' : `${session.state}, not open`;
        return fail('SESSION_NOT_OPEN', `session ${sessionId} is ${why}`, 'sessionId');
      }
      return ok({ seq });
    });
  }

  private async disposeSession(sessionId: string, removal: SessionRemoval): Promise<Result<Record<string, never>>> {
    const session = this.sessions.get(sessionId);
    if (!session) return unknownSession(sessionId);
    this.inspect.forget(sessionId, removal);
    this.decodes.forget(sessionId);
    this.sends.stop(sessionId);
    await session.dispose();
    this.sessions.delete(sessionId);
    this.sessionVariables.delete(sessionId);
    this.owners.remove(sessionId);
    session.frames.release();
    this.emit({ type: 'session-removed', sessionId });
    this.subscriptions.removeSession(sessionId);
    return ok({});
  }

  /**
   * A session closed or failed: nothing records into it any more, so its store gives back the
   * write slab it no longer fills (frames stay readable), and the retention clock starts.
   */
  private sessionEnded(sessionId: string): void {
    this.sessions.get(sessionId)?.frames.seal();
    this.owners.closed(sessionId);
  }

  private async resolve(url: string, proxy: CommandArg<'proxy:resolve'>['proxy']): Promise<Result<CommandResult<'proxy:resolve'>>> {
    try {
      const { decision } = await resolveProxy(url, proxy, undefined, this.environment);
      return ok(decision);
    } catch (error) {
      if (error instanceof NetFailure) return { ok: false, error: error.netError };
      throw error;
    }
  }

  private profileHandlers(): Pick<Handlers, Extract<CommandName, `profiles:${string}`>> {
    return {
      'profiles:list': () => this.withProfiles((p) => p.list()),
      'profiles:get': (arg) => this.withProfiles((p) => p.get(arg.id)),
      'profiles:save': (arg) => this.withProfiles((p) => p.save(arg)),
      'profiles:delete': (arg) => this.withProfiles((p) => p.delete(arg.id, arg.expectedRevision)),
      'profiles:restore': (arg) => this.withProfiles((p) => p.restore(arg.undoToken)),
      'profiles:duplicate': (arg) => this.withProfiles((p) => p.duplicate(arg.id, arg.name)),
      'profiles:rename': (arg) => this.withProfiles((p) => p.rename(arg.id, arg.name, arg.expectedRevision)),
      'profiles:import': (arg) => this.withProfiles((p) => p.importText(arg.text)),
      'profiles:export': (arg) => this.withProfiles((p) => p.exportProfiles(arg)),
      'profiles:status': () => this.withProfiles((p) => p.status()),
    };
  }

  private environmentHandlers(): Pick<Handlers, Extract<CommandName, `environments:${string}`>> {
    return {
      'environments:list': () => this.withProfiles((p) => p.environments.list()),
      'environments:save': (arg) => this.withProfiles((p) => p.environments.save(arg)),
      'environments:delete': (arg) => this.withProfiles((p) => p.environments.delete(arg.id, arg.expectedRevision)),
    };
  }

  /** The intercepting proxy run for a host (intercept/intercept-service.ts). */
  private interceptProxyHandlers(): Pick<Handlers, Extract<CommandName, `intercept-proxy:${string}`>> {
    return {
      'intercept-proxy:start': (arg) => (this.disposed ? fail('FORBIDDEN', 'the engine is shutting down') : this.interceptProxy.start(arg)),
      'intercept-proxy:stop': () => this.interceptProxy.stop(),
      'intercept-proxy:status': () => ok(this.interceptProxy.snapshot()),
      'intercept-proxy:ca-cert': () => this.interceptProxy.caCert(),
      'intercept-proxy:passthrough-add': (arg) => this.interceptProxy.addPassthrough(arg.host, arg.list),
      // The desktop app answers this in its main process (a save dialog); no other host writes files for the page.
      'intercept-proxy:ca-save': () =>
        fail('FORBIDDEN', 'intercept-proxy:ca-save: only the desktop app saves the certificate itself; in a browser, download it (intercept-proxy:ca-cert)'),
    };
  }

  /** The intercept CA in the profiles' data folder, its key sealed by the profiles' cipher (the host's: safeStorage in the app). */
  private async openInterceptCa(): Promise<InterceptCa> {
    const profiles = this.options.profiles;
    if (!profiles) throw new Error('this host keeps no data folder');
    const { cipher } = profiles;
    if (cipher === undefined) return openInterceptCa(profiles.dataDir, this.environment.env);
    return loadOrCreateInterceptCa({ dataDir: profiles.dataDir, cipher: typeof cipher === 'function' ? await cipher() : cipher });
  }

  /**
   * A session's variables: its environment's (decrypted here), then the values given with it.
   * undefined when it names neither (its messages' `{{name}}`s are then sent as typed).
   */
  private async variablesFor(request: CommandArg<'session:open'>['variables']): Promise<Result<VariableSet | undefined>> {
    if (request === undefined || (request.environmentId === undefined && request.values.length === 0)) return ok(undefined);
    const { environmentId } = request;
    let base = VariableSet.empty();
    if (environmentId !== undefined) {
      const read = await this.withProfiles((p) => p.environments.variableSet(environmentId));
      if (!read.ok) return read;
      base = read.value;
    }
    return ok(base.withValues(request.values));
  }

  /** Where `{{$uuid}}`, `{{$randomInt}}` and the timestamps come from: the engine's clock unless given. */
  private builtinSources(): BuiltinSources {
    return this.options.builtinSources ?? { ...defaultBuiltinSources, now: () => (this.options.clock ?? systemClock).now() };
  }

  private async withProfiles<T>(use: (profiles: ProfileService) => Promise<Result<T>>): Promise<Result<T>> {
    if (!this.profiles) return fail('FORBIDDEN', 'this host keeps no profiles (it was started without a data folder)');
    return use(this.profiles);
  }

  /** Search, flow control, statistics, export and import (inspect-commands.ts). */
  private inspectHandlers(): Pick<Handlers, 'frames:search' | 'frames:search-cancel' | 'frames:ack' | 'session:stats' | 'frames:export' | 'frames:export-to-file' | 'frames:import' | 'frames:numbers'> {
    return {
      'frames:search': (arg) =>
        this.withSessionAsync(arg.sessionId, async (session) => {
          // Decoded criteria test each frame through the session's decoding (decode-commands.ts).
          const decoded = arg.filter.decoded ? this.decodes.predicate(session, arg.filter.decoded) : undefined;
          if (decoded && !decoded.ok) return decoded;
          return this.inspect.search(session, arg, decoded?.value);
        }),
      'frames:search-cancel': (arg) => this.withSession(arg.sessionId, () => this.inspect.cancelSearch(arg.sessionId, arg.searchId)),
      'frames:ack': (arg, caller) =>
        this.withSession(arg.sessionId, (session) => {
          // A connection's acknowledgement moves its own batches only; without one, the session's own batcher (a bare session).
          const subscriber = this.subscriberOf(caller);
          if (subscriber) {
            subscriber.ack(arg.sessionId, arg.seq);
            return ok({});
          }
          return this.inspect.ack(session, arg.seq);
        }),
      'session:stats': (arg) => this.withSession(arg.sessionId, (session) => ok(session.statsNow())),
      'frames:export': (arg) =>
        this.withSessionAsync(arg.sessionId, async (session) => {
          const decoded = arg.filter?.decoded ? this.decodes.predicate(session, arg.filter.decoded, 'frames:export') : undefined;
          if (decoded && !decoded.ok) return decoded;
          return this.inspect.exportText(session, arg, decoded?.value, this.decodes.rowCheckpoints(session.id));
        }),
      'frames:export-to-file': (arg) =>
        this.withSessionAsync(arg.sessionId, async (session) => {
          const decoded = arg.filter?.decoded ? this.decodes.predicate(session, arg.filter.decoded, 'frames:export-to-file') : undefined;
          if (decoded && !decoded.ok) return decoded;
          return this.inspect.exportFile(session, arg, decoded?.value, this.decodes.rowCheckpoints(session.id));
        }),
      'frames:import': (arg, caller) => this.importLog(arg, caller),
      'frames:numbers': (arg) =>
        this.withSession(arg.sessionId, (session) => {
          // Only an import has numbers of its own (a live session's are its seqs).
          const numbers = 'frameNumbers' in session ? session.frameNumbers() : undefined;
          return ok(numbers ? { numbers: numbers.toList() } : {});
        }),
    };
  }

  /** An import is a session like any other: it counts against the limits and belongs to its caller. */
  private async importLog(arg: CommandArg<'frames:import'>, caller: Caller | undefined): Promise<Result<CommandResult<'frames:import'>>> {
    if (this.disposed) return fail('FORBIDDEN', 'the engine is shutting down');
    const refusal = this.owners.refusal(caller?.clientId);
    if (refusal !== undefined) return fail('LIMIT_REACHED', `frames:import: ${refusal}`);
    const result = await this.inspect.import(arg, (sessionId) => {
      // Before its announcement, so the importing connection hears it (the rest may not).
      this.subscriptions.addSession(sessionId).attach(this.sessions.get(sessionId)?.frames ?? emptySource);
      this.watchFor(caller, sessionId, false);
    });
    if (!result.ok) return result;
    // Checked again: other imports or opens may have taken the room while this one was parsed.
    const late = this.owners.refusal(caller?.clientId);
    if (late !== undefined) {
      await this.disposeSession(result.value.sessionId, { by: 'dispose' });
      return fail('LIMIT_REACHED', `frames:import: ${late}`);
    }
    // Nothing more is recorded into an import: its store gives back the room it kept for writing.
    this.sessions.get(result.value.sessionId)?.frames.seal();
    this.owners.add(result.value.sessionId, caller?.clientId, { closed: true });
    return result;
  }

  /** A session the engine holds; outside the CLI its previews and payloads are sent with credentials masked. */
  private track(sessionId: string, session: EngineSession): void {
    this.sessions.set(sessionId, session);
    if (this.options.host === 'cli') return;
    const ranges = new FrameCredentialRanges(session);
    this.credentialRanges.set(session, ranges);
    session.frames.maskPreviewsWith(ranges);
  }

  private withSession<T>(sessionId: string, use: (session: EngineSession) => Result<T>): Result<T> {
    const session = this.sessions.get(sessionId);
    return session ? use(session) : unknownSession(sessionId);
  }

  private async withSessionAsync<T>(sessionId: string, use: (session: EngineSession) => Promise<Result<T>>): Promise<Result<T>> {
    const session = this.sessions.get(sessionId);
    return session ? use(session) : unknownSession(sessionId);
  }

  /** Hands an event to the subscribers that hear its session (subscriptions.ts); one that throws is reported and skipped. */
  private emit(event: EngineEvent): void {
    // A repeat hears its session first: a drained queue, or the session leaving open.
    this.sends.sessionEvent(event);
    this.interceptProxy.sessionEvent(event);
    this.subscriptions.dispatch(event);
  }

  private subscriberOf(caller: Caller | undefined): Subscriber | undefined {
    const id = caller?.subscriptionId;
    return id === undefined ? undefined : this.subscriptions.get(id);
  }

  /** The calling connection hears the session from now on (it opened, imported or adopted it). */
  private watchFor(caller: Caller | undefined, sessionId: string, snapshot: boolean): void {
    const subscriber = this.subscriberOf(caller);
    if (subscriber) this.subscriptions.watch(subscriber, sessionId, { snapshot });
  }

  /** What session:list says of a session, to this client. */
  private infoOf(session: EngineSession, clientId: string | undefined): SessionInfo {
    return { ...session.info(), ...this.owners.info(session.id, clientId), heldBytes: session.frames.heldBytes };
  }

  private sessionInfo(sessionId: string, clientId: string | undefined): SessionInfo | undefined {
    const session = this.sessions.get(sessionId);
    return session ? this.infoOf(session, clientId) : undefined;
  }
}

/** What the intercepting proxy drives of a captured session (a WsSession seen through this window). */
export interface CapturedSession {
  readonly id: string;
  readonly state: WsSession['state'];
  /** The client's message or control frame, sent to the server and recorded (`out`); undefined when not open. Throws SEND_QUEUE_FULL. */
  send(kind: SendKind, payload: Buffer, mark?: RelayMark): number | undefined;
  /** A relayed message that did not go out through the session's socket, logged with its mark (WsSession.logRelayed). */
  logRelayed(dir: 'in' | 'out', kind: 'text' | 'binary', payload: Buffer, mark?: RelayMark): number;
  /** The relay records the server's messages itself from now on (with breakpoints: as they leave its queue). */
  recordIncomingAsRelayed(): void;
  /** The upstream WebSocket while open: the relay's fast path forwards whole frames through its socket (WsSession.upstreamWebSocket). */
  upstreamWebSocket(): WebSocket | undefined;
  /** A message forwarded as it came, past the session's ws, recorded as received (`in`) or sent (`out`). */
  recordForwarded(dir: 'in' | 'out', binary: boolean, payload: Buffer): number;
  /** The client got its 101: its side of the handshake goes on the session (session:list, exports). */
  setClientHandshake(handshake: ClientHandshake): void;
  queuedBytes(): number;
  close(code?: number, reason?: string): Promise<void>;
  pauseReading(): void;
  resumeReading(): void;
  failure(): ReturnType<WsSession['failure']>;
  closedInfo(): ReturnType<WsSession['closedInfo']>;
  readonly ended: Promise<void>;
}

/** The data folder's passthrough list, as `tunnelscope intercept passthrough` edits it. */
function passthroughStore(dataDir: string): { read: () => ReturnType<typeof readPassthroughFile>; add: (host: string) => ReturnType<typeof addPassthroughHost> } {
  return { read: () => readPassthroughFile(dataDir), add: (host) => addPassthroughHost(dataDir, host) };
}

/** A source with no frames, for a session gone before its feed was made. */
const emptySource = { summaries: () => [], dropped: 0 };

function noSubscription<T>(command: string): Result<T> {
  return fail('FORBIDDEN', `${command}: this connection has no event subscription (hosts make one per connection with Engine.subscribe)`);
}

function unknownSession<T>(sessionId: string): Result<T> {
  return fail('UNKNOWN_SESSION', `no session ${sessionId.slice(0, 100)}`, 'sessionId');
}
