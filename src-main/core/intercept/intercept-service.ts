/**
 * The intercepting proxy as the engine runs it for the app (the `intercept-proxy:*` commands):
 * one InterceptProxy at a time, started and stopped by a host's command, with its CA and its
 * passthrough list from the host's data folder. Started with a profile, the profile gives the
 * way out and its own passthrough patterns, matched before the global list (intercept-profile.ts). What the proxy reports becomes the Intercept
 * list (bounded records of connections and plain HTTP) and the contract's `intercept-*` events;
 * the captured WebSockets are engine sessions like any other (Engine.openCaptured).
 * `tunnelscope intercept` runs its own proxy in process and does not come through here.
 */
import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { CommandResult } from '../../shared/commands';
import type { EngineEvent, InterceptProxyEvent } from '../../shared/events';
import { parseEndpointUrl } from '../../shared/endpoint-url';
import { formatHostPort } from '../../shared/host-port';
import {
  INTERCEPT_CA_FILE_NAME,
  MAX_INTERCEPT_CONNECTIONS,
  MAX_INTERCEPT_EXCHANGES,
  isLoopbackHost,
  type InterceptConnection,
  type InterceptCounts,
  type InterceptExchange,
  type InterceptStartArg,
  type InterceptStatus,
  type InterceptServerTrust,
  type InterceptUpstream,
} from '../../shared/intercept-proxy';
import { fail, ok, type Result } from '../../shared/result';
import type { Engine } from '../engine';
import { ValueRedactor } from '../capture/value-redactor';
import { errorMessage } from '../errors/net-failure';
import type { ResolveEnvironment } from '../proxy/resolve';
import type { InterceptBreakpoints } from './breakpoints';
import type { InterceptCa } from './intercept-ca';
import type { InterceptEvent } from './intercept-events';
import { InterceptProxy } from './intercept-proxy';
import { LeafCertificates } from './leaf-certificates';
import { PassthroughList, passthroughSourceText, type PassthroughPattern } from './passthrough-hosts';
import type { InterceptProfile } from './intercept-profile';
import type { UpstreamChoice } from './upstream-options';
import type { ProfileView } from '../../shared/profiles';

export interface InterceptServiceOptions {
  engine: Pick<Engine, 'openCaptured' | 'onEvent'>;
  /** The engine's way out (its variables, system settings or Chromium's resolver): plain HTTP goes out the same way. */
  environment: ResolveEnvironment;
  /** Opens (or makes) the CA in the host's data folder; absent: this host keeps no data folder. */
  openCa?: () => Promise<InterceptCa>;
  /** Hands an event of no session to every consumer of the session list. */
  broadcast: (event: InterceptProxyEvent) => void;
  /** The data folder's passthrough list (passthrough-file.ts); absent: every TLS tunnel is intercepted. */
  passthrough?: {
    read(): Promise<PassthroughList>;
    add(host: string): Promise<{ added: boolean; pattern: PassthroughPattern }>;
  };
  /** The host's profiles: a run with one takes its way out and passthrough patterns; absent: no profiles here. */
  profiles?: {
    intercept(profileId: string): Promise<Result<InterceptProfile>>;
    addPassthrough(profileId: string, host: string): Promise<Result<{ added: boolean; pattern: string; hosts: string[]; profile: ProfileView }>>;
  };
  /** The engine's breakpoints, if it has them: the proxy's relays hold messages by their rules. */
  breakpoints?: () => InterceptBreakpoints | undefined;
  now?: () => number;
}

type StartResult = Result<InterceptStatus>;

const AUTO_TEXT = 'auto (the proxy variables, else the system settings, else direct)';
const NONE_TEXT = 'none (direct)';

interface Running {
  proxy: InterceptProxy;
  address: NonNullable<InterceptStatus['address']>;
  startedAt: number;
  ca: InterceptCa;
}

export class InterceptService {
  private running: Running | undefined;
  /** A start in progress (a second start meanwhile is refused). */
  private starting = false;
  private upstream: InterceptUpstream = { mode: 'auto' };
  private upstreamText = AUTO_TEXT;
  private deflate: InterceptStatus['deflate'] = 'strip';
  private serverTrust: InterceptServerTrust = { caFiles: [] };
  private remoteHost: string | undefined;
  private counts: InterceptCounts = emptyCounts();
  /** The newest connections, in the order seen (a Map keeps insertion order). */
  private readonly connections = new Map<string, InterceptConnection>();
  private readonly exchanges: InterceptExchange[] = [];
  /** Captured sessions that have not ended yet. */
  private readonly open = new Set<string>();
  private nextConnection = 1;
  private nextExchange = 1;
  private statusQueued = false;
  private caPromise: Promise<InterceptCa> | undefined;
  /** The global passthrough list (the data folder's) in force; replaced when a host is added. */
  private globalHosts = new PassthroughList([]);
  /** The profile the run uses (its way out and its own passthrough patterns), if any. */
  private profile: { id: string; name: string; hosts: PassthroughList; notes: string[] } | undefined;
  /** What the running proxy matches CONNECTs against: the profile's patterns, then the global ones. */
  private passthroughHosts = new PassthroughList([]);
  /** The secret variables the run's profile's way out used: kept out of what the rows say. */
  private profileSecrets = new ValueRedactor();
  private readonly now: () => number;

  constructor(private readonly options: InterceptServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  async start(arg: InterceptStartArg): Promise<StartResult> {
    if (this.running) return fail('CONFLICT', `intercept-proxy:start: the intercepting proxy already listens on ${this.running.address.url}; stop it first`);
    if (this.starting) return fail('CONFLICT', 'intercept-proxy:start: the intercepting proxy is starting already');
    this.starting = true;
    try {
      const profile = await this.startProfile(arg);
      if (!profile.ok) return profile;
      const choice = profile.value ? ok({ choice: { ...profile.value.route, deflate: arg.deflate }, text: `profile "${profile.value.name}": ${profile.value.upstreamText}` }) : upstreamChoice(arg.upstream, arg.deflate, arg.serverTrust);
      if (!choice.ok) return choice;
      const unreadable = await unreadableCaFile(choice.value.choice.tls?.caFiles ?? [], profile.value ? 'the profile\'s server CA file' : 'serverTrust.caFiles');
      if (unreadable) return unreadable;
      const ca = await this.ca();
      if (!ca.ok) return ca;
      const hosts = await this.readPassthrough();
      if (!hosts.ok) return hosts;
      this.profile = profile.value ? { id: profile.value.id, name: profile.value.name, hosts: profile.value.passthrough, notes: profile.value.notes } : undefined;
      this.profileSecrets = new ValueRedactor(profile.value?.secretValues ?? []);
      this.setPassthrough(hosts.value);
      const breakpoints = this.options.breakpoints?.();
      const proxy = new InterceptProxy({
        engine: this.options.engine,
        leaves: new LeafCertificates(ca.value),
        choice: choice.value.choice,
        report: (event) => this.report(event),
        environment: this.options.environment,
        passthroughHosts: this.livePassthrough(),
        ...(breakpoints ? { breakpoints } : {}),
      });
      let address: AddressInfo;
      try {
        address = await proxy.listen(arg.host, arg.port);
      } catch (error) {
        await proxy.close();
        return listenFailure(error, arg.host, arg.port);
      }
      this.upstream = arg.upstream;
      this.upstreamText = choice.value.text;
      this.deflate = arg.deflate;
      this.serverTrust = profile.value ? serverTrustOf(profile.value) : arg.serverTrust;
      this.remoteHost = isLoopbackHost(address.address) ? undefined : address.address;
      this.counts = emptyCounts();
      this.open.clear();
      const host = address.address;
      this.running = {
        proxy,
        address: { host, port: address.port, url: `http://${formatHostPort(host, address.port)}` },
        startedAt: this.now(),
        ca: ca.value,
      };
      const status = this.status();
      this.options.broadcast({ type: 'intercept-status', status });
      return ok(status);
    } finally {
      this.starting = false;
    }
  }

  /** Stops listening and cuts every client connection; the captured sessions stay to read. */
  async stop(): Promise<Result<InterceptStatus>> {
    const running = this.running;
    if (!running) return ok(this.status());
    this.running = undefined;
    await running.proxy.close();
    this.open.clear();
    const status = this.status();
    this.options.broadcast({ type: 'intercept-status', status });
    return ok(status);
  }

  status(): InterceptStatus {
    const running = this.running;
    return {
      running: running !== undefined,
      ...(running ? { address: { ...running.address }, startedAt: running.startedAt, serverTrust: { ...this.serverTrust, caFiles: [...this.serverTrust.caFiles] } } : {}),
      remote: running !== undefined && this.remoteHost !== undefined,
      ...(running && this.remoteHost !== undefined
        ? { warning: `Listening on ${this.remoteHost}, not loopback: anyone who reaches it can use your way out and see decrypted traffic.` }
        : {}),
      upstream: this.upstreamText,
      upstreamMode: this.upstream.mode,
      deflate: this.deflate,
      counts: { ...this.counts, open: this.open.size },
      ...(running ? { ca: caInfo(running.ca), passthrough: this.globalHosts.patterns.map((p) => p.text) } : {}),
      ...(running && this.profile
        ? { profile: { id: this.profile.id, name: this.profile.name, passthrough: this.profile.hosts.patterns.map((p) => p.text), notes: [...this.profile.notes] } }
        : {}),
    };
  }

  /** The profile `arg` names, checked before anything listens: it must exist, and then it alone gives the way out. */
  private async startProfile(arg: InterceptStartArg): Promise<Result<InterceptProfile | undefined>> {
    if (arg.profileId === undefined) return ok(undefined);
    const profiles = this.options.profiles;
    if (!profiles) return fail('FORBIDDEN', 'intercept-proxy:start: profileId: this host keeps no profiles', 'profileId');
    if (arg.upstream.mode !== 'auto' || arg.serverTrust.trust !== undefined || arg.serverTrust.caFiles.length > 0) {
      return fail('INVALID_ARGUMENT', 'intercept-proxy:start: upstream: with a profile the way out and the servers\' trust are the profile\'s; leave upstream and serverTrust out (or start without a profile)', 'upstream');
    }
    const found = await profiles.intercept(arg.profileId);
    if (!found.ok) return withPrefix(found, 'intercept-proxy:start: profileId', 'profileId');
    return found;
  }

  /** The global list in force, and the proxy's list: the profile's patterns first (a host on both is said to be the profile's). */
  private setPassthrough(global: PassthroughList): void {
    this.globalHosts = global;
    this.passthroughHosts = this.profile ? this.profile.hosts.with(global) : global;
  }

  /**
   * Adds a host to the data folder's list, or (`list: 'profile'`) to the list of the profile the
   * run uses; a running proxy passes it through from its next CONNECT.
   */
  async addPassthrough(host: string, list: 'global' | 'profile' = 'global'): Promise<Result<CommandResult<'intercept-proxy:passthrough-add'>>> {
    if (list === 'profile') return this.addProfilePassthrough(host);
    const store = this.options.passthrough;
    if (!store) return fail('FORBIDDEN', 'intercept-proxy:passthrough-add: this host keeps no data folder, so it has no passthrough list');
    let added: { added: boolean; pattern: PassthroughPattern };
    try {
      added = await store.add(host);
    } catch (error) {
      // The pattern's problem in words (PassthroughFileError), or the file that cannot be written.
      return fail('INVALID_ARGUMENT', `intercept-proxy:passthrough-add: host: ${errorMessage(error)}`, 'host');
    }
    const hosts = await this.readPassthrough();
    if (!hosts.ok) return hosts;
    this.setPassthrough(hosts.value);
    if (this.running) this.options.broadcast({ type: 'intercept-status', status: this.status() });
    return ok({ added: added.added, pattern: added.pattern.text, hosts: hosts.value.patterns.map((p) => p.text), list: 'global' });
  }

  private async addProfilePassthrough(host: string): Promise<Result<CommandResult<'intercept-proxy:passthrough-add'>>> {
    const profile = this.running ? this.profile : undefined;
    const profiles = this.options.profiles;
    if (!profile || !profiles) return fail('INVALID_ARGUMENT', 'intercept-proxy:passthrough-add: list: the intercepting proxy is not running with a profile; add the host to the global list', 'list');
    const added = await profiles.addPassthrough(profile.id, host);
    if (!added.ok) return withPrefix(added, 'intercept-proxy:passthrough-add');
    // The run keeps its way out; only the profile's patterns are read again.
    const again = await profiles.intercept(profile.id);
    if (!again.ok) return withPrefix(again, 'intercept-proxy:passthrough-add');
    this.profile = { ...profile, name: again.value.name, hosts: again.value.passthrough };
    this.setPassthrough(this.globalHosts);
    this.options.broadcast({ type: 'intercept-status', status: this.status() });
    return ok({ added: added.value.added, pattern: added.value.pattern, hosts: added.value.hosts, list: 'profile', profile: added.value.profile });
  }

  snapshot(): CommandResult<'intercept-proxy:status'> {
    return { status: this.status(), connections: [...this.connections.values()], exchanges: [...this.exchanges] };
  }

  async caCert(): Promise<Result<CommandResult<'intercept-proxy:ca-cert'>>> {
    const ca = await this.ca();
    if (!ca.ok) return ca;
    return ok({ ...caInfo(ca.value), pem: ca.value.certPem, fileName: INTERCEPT_CA_FILE_NAME });
  }

  /**
   * Every session event passes here (Engine.emit): a captured session's upstream decision and
   * its end update its row; other sessions cost one map lookup.
   */
  sessionEvent(event: EngineEvent): void {
    const connection = this.connections.get(event.sessionId);
    if (!connection) return;
    if (event.type === 'proxy-decision') {
      this.update({ ...connection, decision: event.decision });
    } else if (event.type === 'session-removed') {
      // Its log is gone: the row stays, with nothing left to open.
      const { sessionId: _removed, ...rest } = connection;
      this.open.delete(event.sessionId);
      this.update({ ...rest, detail: 'its session was closed and removed' });
    } else if (event.type === 'closed' || (event.type === 'state' && (event.state === 'closed' || event.state === 'failed'))) {
      if (this.open.delete(event.sessionId)) this.queueStatus();
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private async readPassthrough(): Promise<Result<PassthroughList>> {
    const store = this.options.passthrough;
    if (!store) return ok(new PassthroughList([]));
    try {
      return ok(await store.read());
    } catch (error) {
      return fail('STORAGE_ERROR', `intercept-proxy: ${errorMessage(error)}`);
    }
  }

  /** What the proxy matches CONNECTs against: always the list as it is now (a host added while it runs counts from its next CONNECT). */
  private livePassthrough(): PassthroughList {
    const current = (): PassthroughList => this.passthroughHosts;
    return {
      get patterns() {
        return current().patterns;
      },
      match: (host) => current().match(host),
      with: (other) => current().with(other),
      from: (source) => current().from(source),
    };
  }

  private async ca(): Promise<Result<InterceptCa>> {
    const open = this.options.openCa;
    if (!open) return fail('FORBIDDEN', 'intercept-proxy: this host keeps no data folder, so it has no intercept CA');
    this.caPromise ??= open();
    try {
      return ok(await this.caPromise);
    } catch (error) {
      // Not kept: the next try reads the file again (a keyring that was locked may open).
      this.caPromise = undefined;
      return fail('STORAGE_ERROR', `intercept-proxy: the intercept CA could not be opened: ${errorMessage(error)}`);
    }
  }

  private report(event: InterceptEvent): void {
    const at = this.now();
    switch (event.type) {
      case 'captured':
        this.counts.captured += 1;
        this.open.add(event.sessionId);
        this.update({
          id: event.sessionId,
          sessionId: event.sessionId,
          kind: 'captured',
          at,
          clientAddress: event.clientAddress,
          ...(event.clientProcess ? { clientProcess: event.clientProcess } : {}),
          target: event.url,
        });
        break;
      case 'relaying': {
        const connection = this.connections.get(event.sessionId);
        if (connection) this.update({ ...connection, protocol: event.protocol, deflate: event.deflate, clientHandshake: event.handshakes.client });
        break;
      }
      case 'closing': {
        // Who began the close, for the row (before the session's closed event, which names only our side or the server).
        const connection = this.connections.get(event.sessionId);
        if (connection) this.update({ ...connection, closing: { by: event.by, ...(event.side !== undefined ? { side: event.side } : {}) } });
        break;
      }
      case 'refused': {
        this.counts.refused += 1;
        const known = event.sessionId !== undefined ? this.connections.get(event.sessionId) : undefined;
        if (event.sessionId !== undefined) this.open.delete(event.sessionId);
        this.update({
          ...(known ?? { id: this.connectionId(), at, clientAddress: event.clientAddress, target: event.url, ...(event.sessionId !== undefined ? { sessionId: event.sessionId } : {}) }),
          kind: 'refused',
          status: event.status,
          detail: event.text,
        });
        break;
      }
      case 'client-tls':
        this.counts.clientTls += 1;
        this.update({
          id: this.connectionId(),
          kind: 'client-tls',
          at,
          clientAddress: event.clientAddress,
          ...(event.clientProcess ? { clientProcess: event.clientProcess } : {}),
          target: event.host,
          detail: event.reason,
          rejectedCertificate: event.rejectedCertificate,
          evidence: event.evidence,
        });
        break;
      case 'passthrough':
        this.counts.passthrough += 1;
        this.update({
          id: this.connectionId(),
          kind: 'passthrough',
          at,
          clientAddress: event.clientAddress,
          ...(event.clientProcess ? { clientProcess: event.clientProcess } : {}),
          target: formatHostPort(event.host, event.port),
          status: event.status,
          passthroughList: event.source.list === 'profile' ? { list: 'profile', profile: event.source.profile } : { list: 'global' },
          // The way out it took, as a captured row's (a secret variable of the profile's way out kept out).
          ...(event.decision ? { decision: this.profileSecrets.decision(event.decision) } : {}),
          detail: `on the ${passthroughSourceText(event.source)} passthrough list (${event.pattern}); ${event.sent} B sent, ${event.received} B received${event.error !== undefined ? `; ${event.error}` : ''}`,
        });
        break;
      case 'http': {
        this.counts.http += 1;
        const exchange: InterceptExchange = {
          id: this.nextExchange++,
          at,
          clientAddress: event.clientAddress,
          method: event.method,
          host: event.host,
          path: event.path,
          status: event.status,
          size: event.size,
          ms: Math.max(0, event.ms),
          ...(event.error !== undefined ? { error: event.error } : {}),
        };
        this.exchanges.push(exchange);
        if (this.exchanges.length > MAX_INTERCEPT_EXCHANGES) this.exchanges.splice(0, this.exchanges.length - MAX_INTERCEPT_EXCHANGES);
        this.options.broadcast({ type: 'intercept-http', exchange });
        this.queueStatus();
        break;
      }
      default:
        // A breakpoint's `paused` and anything newer: the breakpoint commands and events say it.
        break;
    }
  }

  /** Keeps the row (newest last, at most MAX_INTERCEPT_CONNECTIONS) and says so. */
  private update(connection: InterceptConnection): void {
    if (!this.connections.has(connection.id)) {
      this.connections.set(connection.id, connection);
      for (const id of this.connections.keys()) {
        if (this.connections.size <= MAX_INTERCEPT_CONNECTIONS) break;
        this.connections.delete(id);
      }
    } else {
      this.connections.set(connection.id, connection);
    }
    this.options.broadcast({ type: 'intercept-connection', connection });
    this.queueStatus();
  }

  private connectionId(): string {
    return `c${this.nextConnection++}`;
  }

  /** One status event per turn, however many connections came in it. */
  private queueStatus(): void {
    if (this.statusQueued) return;
    this.statusQueued = true;
    queueMicrotask(() => {
      this.statusQueued = false;
      this.options.broadcast({ type: 'intercept-status', status: this.status() });
    });
  }
}

function emptyCounts(): InterceptCounts {
  return { captured: 0, open: 0, refused: 0, clientTls: 0, passthrough: 0, http: 0 };
}

function caInfo(ca: InterceptCa): { subject: string; fingerprint256: string; validTo: string } {
  return { subject: ca.subject, fingerprint256: ca.fingerprint256, validTo: ca.validTo };
}

/** The contract's upstream as the relays take it, and in words without credentials. */
export function upstreamChoice(
  upstream: InterceptUpstream,
  deflate: UpstreamChoice['deflate'],
  serverTrust: InterceptServerTrust = { caFiles: [] },
): Result<{ choice: UpstreamChoice; text: string }> {
  // The servers' certificates are checked as a connection's are: the trust setting, the extra CA files (checked when the leg opens).
  const tls = { caFiles: [...serverTrust.caFiles], ...(serverTrust.trust !== undefined ? { trust: serverTrust.trust } : {}) };
  const base = { tls, deflate };
  if (upstream.mode === 'auto') return ok({ choice: { ...base, proxy: { mode: 'auto' } }, text: AUTO_TEXT });
  if (upstream.mode === 'none') return ok({ choice: { ...base, proxy: { mode: 'none' } }, text: NONE_TEXT });
  const parsed = parseEndpointUrl(upstream.url, 'proxy');
  if (!parsed.ok) return fail('INVALID_ARGUMENT', `intercept-proxy:start: upstream.url: ${parsed.problem}`, 'upstream.url');
  const { endpoint } = parsed;
  const url = `${endpoint.scheme}://${endpoint.authority}`;
  // The fields win over credentials in the URL (as a connection's proxyAuth does).
  const username = upstream.username ?? endpoint.username;
  const password = upstream.password ?? endpoint.password ?? '';
  return ok({
    choice: { ...base, proxy: { mode: 'manual', url }, ...(username !== undefined && username !== '' ? { proxyAuth: { username, password } } : {}) },
    text: url,
  });
}

/** A CA file the engine cannot read, refused before anything listens (else every captured connection would fail on it). */
async function unreadableCaFile(files: readonly string[], what: string): Promise<Result<never> | undefined> {
  for (const [index, file] of files.entries()) {
    try {
      await fs.access(file, fs.constants.R_OK);
    } catch (error) {
      const path = what === 'serverTrust.caFiles' ? `serverTrust.caFiles.${index}` : 'profileId';
      const place = what === 'serverTrust.caFiles' ? path : what;
      return fail('INVALID_ARGUMENT', `intercept-proxy:start: ${place}: ${file} cannot be read (${errorMessage(error)})`, path);
    }
  }
  return undefined;
}

/** A failure from the profiles, said as this command's (a profile command's error keeps its code and place). */
function withPrefix(failure: { ok: false; error: Extract<Result<unknown>, { ok: false }>['error'] }, prefix: string, path?: string): Result<never> {
  const { error } = failure;
  if (!('kind' in error)) {
    const where = path ?? error.path;
    return { ok: false, error: { code: error.code, message: `${prefix}: ${error.message}`, ...(where !== undefined ? { path: where } : {}) } };
  }
  return fail('INTERNAL', `${prefix}: ${error.message}`);
}

/** The servers' trust a profile's run checks with, as the status shows it. */
function serverTrustOf(profile: InterceptProfile): InterceptServerTrust {
  const tls = profile.route.tls;
  return { caFiles: [...(tls?.caFiles ?? [])], ...(tls?.trust !== undefined ? { trust: tls.trust } : {}) };
}

/** Why listening failed, naming the field to change. */
function listenFailure(error: unknown, host: string, port: number): StartResult {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const where = formatHostPort(host, port);
  if (code === 'EADDRINUSE') return fail('CONFLICT', `intercept-proxy:start: port: ${where} is in use by another program; choose another port (0 picks a free one)`, 'port');
  if (code === 'EACCES') return fail('FORBIDDEN', `intercept-proxy:start: port: this user may not listen on ${where} (ports below 1024 need privileges)`, 'port');
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return fail('INVALID_ARGUMENT', `intercept-proxy:start: host: ${host} is not an address of this machine`, 'host');
  return fail('INTERNAL', `intercept-proxy:start: could not listen on ${where}: ${errorMessage(error)}`);
}
