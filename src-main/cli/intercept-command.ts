/**
 * `tunnelscope intercept`: runs the intercepting proxy until Ctrl-C and prints what it captures.
 * With --json every engine event of a captured session is the line `connect --json` prints,
 * with its `session` id added, and each captured connection starts with a `session` line
 * (client address, URL, upstream); the proxy's own reports (relaying, refused, client-tls,
 * http) are lines of their own. Without --json one line per connection and per ending.
 *
 * `tunnelscope intercept ca-cert [--out file]`: the CA certificate in PEM.
 */
import path from 'node:path';
import readline from 'node:readline';
import {
  clientLabel,
  clientTlsLine,
  createSystemProxy,
  InterceptCaError,
  InterceptProxy,
  LeafCertificates,
  OutputFileError,
  PassthroughFileError,
  PassthroughList,
  openInterceptCa,
  passthroughSourceText,
  readPassthroughFile,
  writeOutputFile,
  type Engine,
  type InterceptCa,
  type InterceptEvent,
  type InterceptProfile,
} from '../core';
import { findProfile } from './find-profile';
import { findEnvironment, type VariableFlags } from './variable-flags';
import { decisionRoute } from '../shared/decision-route';
import type { EngineEvent } from '../shared/events';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, lineWriter, type CliIo } from './cli-io';
import type { InterceptCaCertCommand, InterceptCommand } from './intercept-args';
import { JsonPrinter } from './json-output';
import { Scrubber } from './scrub';
import { printable, terminalJson, terminalWriter } from './terminal-text';
import { runBreakpointCommand } from './breakpoint-commands';
import { closedByText, httpSizeText, type Closing } from './intercept-ending';
import { maskedHeldPreview } from './held-masking';
import { actionFlags } from './human-output';
import { hintFor } from '../shared/hint-text';

type Writer = { out(line: string): void; err(line: string): void };

export async function runInterceptCaCert(command: InterceptCaCertCommand, dataDir: string, io: CliIo): Promise<number> {
  const writer = lineWriter(io);
  let ca: InterceptCa;
  try {
    ca = await openInterceptCa(dataDir, io.env);
  } catch (error) {
    return caFailure(writer, error);
  }
  if (ca.created) writer.err(`Made a new intercept CA in ${printable(ca.file)} (SHA-256 ${ca.fingerprint256}).`);
  if (command.out === undefined) {
    io.stdout.write(ca.certPem);
    return EXIT_OK;
  }
  try {
    // A new file (O_EXCL), or with --force a replaced one; never through a link. A certificate is public: 0644.
    await writeOutputFile(path.resolve(command.out), ca.certPem, { replace: command.force, mode: 0o644 });
  } catch (error) {
    if (error instanceof OutputFileError) {
      writer.err(`tunnelscope: the CA certificate was not written: ${printable(error.message)}${error.problem === 'exists' ? ' (add --force to replace it)' : ''}`);
      return EXIT_USAGE;
    }
    writer.err(`tunnelscope: could not write ${printable(command.out)}: ${printable(error instanceof Error ? error.message : String(error))}`);
    return EXIT_FAILED;
  }
  writer.err(`CA certificate written to ${printable(command.out)} (SHA-256 ${ca.fingerprint256}).`);
  return EXIT_OK;
}

export async function runIntercept(command: InterceptCommand, engine: Engine, dataDir: string, io: CliIo): Promise<number> {
  const writer: Writer = terminalWriter(lineWriter(io), false);
  let ca: InterceptCa;
  try {
    ca = await openInterceptCa(dataDir, io.env);
  } catch (error) {
    return caFailure(writer, error);
  }
  const profile = await profileNamed(command.profile, command.variables, engine, writer);
  if (profile === 'usage') return EXIT_USAGE;
  if (profile === 'failed') return EXIT_FAILED;
  let passthroughHosts: PassthroughList;
  try {
    // The profile's patterns, the data folder's list, then this run's --passthrough (a host on several is said to be on the first).
    const global = await readPassthroughFile(dataDir);
    const run = new PassthroughList(command.passthrough).from({ list: 'run' });
    passthroughHosts = (profile ? profile.passthrough.with(global) : global).with(run);
  } catch (error) {
    writer.err(`tunnelscope: ${printable(error instanceof PassthroughFileError ? error.message : String(error))}`);
    return EXIT_FAILED;
  }
  const run: InterceptCommand = profile
    ? {
        ...command,
        upstream: profile.route.proxy,
        upstreamText: `profile "${profile.name}": ${profile.upstreamText}`,
        profile: profile.name,
        // The profile's proxy password is never printed either.
        ...(profile.route.proxyAuth ? { upstreamAuth: { username: profile.route.proxyAuth.username, password: profile.route.proxyAuth.password } } : {}),
      }
    : command;
  const output = new InterceptOutput(run, engine, writer);
  // The engine's breakpoints: the rules from --break*, and stdin's commands act on them (breakpoint-commands.ts).
  const breakpoints = engine.interceptBreakpoints;
  const rules = breakpoints.setRules(command.breakpoints);
  if (!rules.ok) {
    writer.err(`tunnelscope: ${printable(rules.problem)}`);
    return EXIT_USAGE;
  }
  const stopPaused = breakpoints.listen((event) => output.report(event));
  const proxy = new InterceptProxy({
    engine,
    leaves: new LeafCertificates(ca),
    choice: profile
      ? // The profile's way out; deadlines given as flags win over its own.
        { ...profile.route, deflate: command.deflate, ...(command.timeouts ? { timeouts: command.timeouts } : {}) }
      : {
          proxy: command.upstream,
          ...(command.upstreamAuth ? { proxyAuth: command.upstreamAuth } : {}),
          tls: { caFiles: command.caFiles, ...(command.trust ? { trust: command.trust } : {}) },
          deflate: command.deflate,
          ...(command.timeouts ? { timeouts: command.timeouts } : {}),
        },
    report: (event) => output.report(event),
    // Plain HTTP goes out the way the engine's sessions do: the same variables and system settings.
    environment: { env: io.env, systemProxy: createSystemProxy({ env: io.env }) },
    breakpoints,
    passthroughHosts,
  });
  const stopEvents = engine.onEvent((event) => output.event(event));
  let url: string;
  try {
    const address = await proxy.listen(command.host, command.port);
    url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  } catch (error) {
    stopEvents();
    stopPaused();
    await proxy.close();
    writer.err(`tunnelscope: the intercepting proxy could not listen on ${printable(command.host)}:${command.port}: ${printable(error instanceof Error ? error.message : String(error))}`);
    return EXIT_FAILED;
  }
  output.started(url, ca, passthroughHosts);
  // Each line on stdin forwards, edits or drops a held message, injects one or closes a side; answered in order.
  const commands = readline.createInterface({ input: io.stdin, terminal: false });
  let answering = Promise.resolve();
  commands.on('line', (line) => {
    answering = answering.then(async () => {
      const answer = await runBreakpointCommand(line, engine);
      if (answer) output.answer(answer);
    });
  });
  await new Promise<void>((resolve) => {
    const stop = io.onInterrupt(() => {
      stop();
      resolve();
    });
  });
  commands.close();
  stopPaused();
  await proxy.close();
  await output.drained();
  stopEvents();
  return EXIT_OK;
}

/**
 * --profile's profile (by name, id, or name in any case, as connect finds it) with its way out
 * and passthrough patterns, secrets decrypted in the engine; `usage` when there is none by that
 * name or a `{{variable}}` of its way out is not defined, `failed` when the profiles cannot be read
 * or the profile cannot be used.
 */
async function profileNamed(name: string | undefined, variables: VariableFlags | undefined, engine: Engine, writer: Writer): Promise<InterceptProfile | undefined | 'usage' | 'failed'> {
  if (name === undefined) return undefined;
  const listed = await engine.call('profiles:list', {});
  if (!listed.ok) {
    writer.err(`tunnelscope: could not read the saved profiles: ${printable(listed.error.message)}`);
    return 'failed';
  }
  const found = findProfile(listed.value.profiles, name);
  if (!found.ok) {
    writer.err(`tunnelscope: --profile: ${printable(found.message)}`);
    return 'usage';
  }
  // --env (found as connect finds it) and --var, as connect --profile takes them.
  const wanted = variables?.environment;
  let environmentId: string | undefined;
  if (wanted !== undefined) {
    const environments = await engine.call('environments:list', {});
    if (!environments.ok) {
      writer.err(`tunnelscope: could not read the saved environments: ${printable(environments.error.message)}`);
      return 'failed';
    }
    const environment = findEnvironment(environments.value.environments, wanted);
    if (!environment.ok) {
      writer.err(`tunnelscope: --env: ${printable(environment.message)}`);
      return 'usage';
    }
    environmentId = environment.environment.id;
  }
  const profile = await engine.interceptProfile(found.profile.id, { ...(environmentId !== undefined ? { environmentId } : {}), values: variables?.values ?? [] });
  if (!profile.ok) {
    writer.err(`tunnelscope: --profile: ${printable(profile.error.message)}`);
    // A {{variable}} its environment lacks is the user's to fix: exit 2, as connect --profile.
    return profile.error.code === 'INVALID_ARGUMENT' ? 'usage' : 'failed';
  }
  for (const note of profile.value.notes) writer.err(`tunnelscope: note: ${printable(note)}`);
  return profile.value;
}

function caFailure(writer: Writer, error: unknown): number {
  const message = error instanceof InterceptCaError ? error.message : `the intercept CA could not be made: ${error instanceof Error ? error.message : String(error)}`;
  writer.err(`tunnelscope: ${printable(message)}`);
  return EXIT_FAILED;
}

/** Prints a captured session's events, one session among many (each with its own printer). */
class InterceptOutput {
  private readonly scrubber: Scrubber;
  private readonly printers = new Map<string, JsonPrinter>();
  /** Captured sessions not yet ended (each is disposed once its end is printed). */
  private readonly captured = new Set<string>();
  /** Who began closing each connection, from the relay's 'closing' report (it comes before the closed event). */
  private readonly closings = new Map<string, Closing>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly command: InterceptCommand,
    private readonly engine: Engine,
    private readonly writer: Writer,
  ) {
    this.scrubber = new Scrubber(command.secrets, command.upstreamAuth);
  }

  started(url: string, ca: InterceptCa, passthrough: PassthroughList): void {
    const { command } = this;
    const hosts = passthrough.patterns.map((p) => p.text);
    const listed = passthrough.patterns.map((p) => (p.source?.list === 'profile' ? `${p.text} (${passthroughSourceText(p.source)})` : p.text));
    if (command.json) {
      this.line({
        type: 'listening',
        url,
        upstream: command.upstreamText,
        deflate: command.deflate,
        passthrough: hosts,
        ca: { subject: ca.subject, fingerprint256: ca.fingerprint256, file: ca.file, created: ca.created },
      });
      return;
    }
    if (command.remoteClients) this.writer.err(`tunnelscope: warning: listening on ${printable(command.host)}, not loopback: anyone who reaches it can use your way out and see decrypted traffic.`);
    this.writer.err(`Intercepting on ${url} (upstream: ${printable(this.scrubber.text(command.upstreamText))}; permessage-deflate: ${command.deflate}).`);
    this.writer.err(`CA ${printable(ca.subject)}, SHA-256 ${ca.fingerprint256}${ca.created ? ' (made now)' : ''}: trust it in the client (tunnelscope intercept ca-cert --out tunnelscope-ca.pem).`);
    if (hosts.length > 0) this.writer.err(`Passed through untouched (not decrypted): ${printable(listed.join(', '))}.`);
    this.writer.err('Ctrl-C stops.');
  }

  /** What a breakpoint command on stdin did. */
  answer(answer: { ok: boolean; text: string; json: Record<string, unknown> }): void {
    this.enqueue(() => {
      if (this.command.json) this.line(answer.json);
      else if (answer.ok) this.writer.out(`  ${printable(answer.text)}`);
      else this.writer.err(`tunnelscope: ${printable(answer.text)}`);
    });
  }

  /** Waits until every line so far is written. */
  drained(): Promise<void> {
    return this.queue;
  }

  event(event: EngineEvent): void {
    this.enqueue(() => this.handle(event));
  }

  report(event: InterceptEvent): void {
    this.enqueue(() => this.handleReport(event));
  }

  private enqueue(task: () => void | Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      this.writer.err(`tunnelscope: internal error while printing: ${printable(error instanceof Error ? error.message : String(error))}`);
    });
  }

  private async handle(event: EngineEvent): Promise<void> {
    if (event.type === 'session-created' && event.captured) this.captured.add(event.sessionId);
    await this.print(event);
    // Once a captured session's end is printed, nothing in the CLI reads it again (it has no
    // export, search or log view), so it is disposed at once instead of after the engine's
    // 10 minutes of retention: its payload slabs go back to the slab pool and the next
    // connection writes into them. Without this a long run holds every connection of the last
    // 10 minutes, and each new one grows the process into fresh memory (page faults, and V8's
    // full collections for the external growth: README, bench part 9). A session already gone
    // (UNKNOWN_SESSION) needs nothing more.
    if (event.type === 'closed') this.closings.delete(event.sessionId);
    if (event.type === 'closed' && this.captured.delete(event.sessionId)) await this.engine.call('session:dispose', { sessionId: event.sessionId });
  }

  private async print(event: EngineEvent): Promise<void> {
    if (event.type === 'session-created') {
      if (!event.captured) return;
      if (this.command.json) {
        const sessionId = event.sessionId;
        this.printers.set(
          sessionId,
          new JsonPrinter((line) => this.writer.out(withSession(line, sessionId)), this.scrubber, (seq) => this.engine.frameBody(sessionId, seq)),
        );
        this.line({
          type: 'session',
          session: sessionId,
          client: event.captured.clientAddress,
          // null: the OS did not tell (another user's process, another machine, not Linux).
          clientProcess: event.captured.clientProcess ?? null,
          url: event.url,
          upstream: this.command.upstreamText,
          deflate: this.command.deflate,
        });
      } else {
        this.writer.out(`● ${short(event.sessionId)} ${printable(clientLabel(event.captured.clientAddress, event.captured.clientProcess))} → ${printable(this.scrubber.text(event.url))}`);
      }
      return;
    }
    if (!('sessionId' in event)) return;
    const printer = this.printers.get(event.sessionId);
    if (!this.command.json) {
      this.human(event);
      return;
    }
    if (!printer) return;
    switch (event.type) {
      case 'proxy-decision':
        printer.decision(event);
        break;
      case 'state':
        printer.state(event);
        break;
      case 'handshake':
        printer.handshake(event);
        break;
      case 'frames':
        await printer.frames(event);
        break;
      case 'stats':
        printer.stats(event);
        break;
      case 'error':
        printer.error(event.error);
        break;
      case 'closed':
        printer.closed(event);
        break;
      case 'session-removed':
        this.printers.delete(event.sessionId);
        break;
      default:
        break;
    }
  }

  /** Without --json: how each captured session ended. */
  private human(event: EngineEvent): void {
    if (event.type === 'error') {
      this.writer.out(`  ${short(event.sessionId)} failed at ${event.error.stage}: ${printable(this.scrubber.text(event.error.message))}`);
      // What to do, as connect says it, with the flags intercept has (no --insecure, no --proxy-auth).
      const hint = hintFor(event.error, { host: 'cli' });
      if (hint !== '') this.writer.out(`           Hint: ${printable(this.scrubber.text(hint))}`);
      const flags = actionFlags(event.error).filter((flag) => flag.startsWith('--ca ') || flag.startsWith('--proxy-user '));
      if (flags.length > 0) this.writer.out(`           On the command line: ${flags.join('; ')}`);
    } else if (event.type === 'closed') {
      const by = closedByText(event.initiatedBy, this.closings.get(event.sessionId));
      this.writer.out(`  ${short(event.sessionId)} closed ${event.code ?? '(no close frame)'}${event.reason !== '' ? ` ${printable(this.scrubber.text(event.reason))}` : ''}${by}`);
    }
  }

  private handleReport(event: InterceptEvent): void {
    if (event.type === 'captured') return; // the engine's session-created says it, with the session's own events
    if (event.type === 'closing') this.closings.set(event.sessionId, { by: event.by, ...(event.side ? { side: event.side } : {}) });
    if (this.command.json) {
      const { type, ...rest } = event;
      const sessionId = 'sessionId' in rest ? rest.sessionId : undefined;
      const fields: Record<string, unknown> = { ...rest };
      delete fields.sessionId;
      // The sentence the human output prints, with the way around a refusal.
      if (event.type === 'client-tls') fields.message = this.refusalLine(event);
      if (event.type === 'paused') fields.preview = maskedHeldPreview(event.direction, event.kind, event.preview);
      this.line({ type, ...(sessionId !== undefined ? { session: sessionId } : {}), ...fields });
      return;
    }
    switch (event.type) {
      case 'relaying':
        this.writer.out(`  ${short(event.sessionId)} relaying${event.protocol !== '' ? ` (${printable(event.protocol)})` : ''}; permessage-deflate: client ${printable(event.deflate.client)}, server ${printable(event.deflate.server)}`);
        break;
      case 'refused':
        this.writer.out(`  ${event.sessionId !== undefined ? short(event.sessionId) : '-'} ${printable(event.clientAddress)} answered ${event.status}: ${printable(this.scrubber.text(event.text))}`);
        break;
      case 'client-tls':
        this.writer.out(`✗ ${printable(this.refusalLine(event))}`);
        break;
      case 'passthrough':
        this.writer.out(
          `⇄ ${printable(clientLabel(event.clientAddress, event.clientProcess))} ${printable(event.host)}:${event.port} passed through untouched (${printable(event.pattern)}, ${printable(passthroughSourceText(event.source))} list` +
            // The way out it took, as a captured session's decision line says it.
            `${event.decision ? `; ${printable(this.scrubber.text(decisionRoute(event.decision)))}` : ''}): ` +
            (event.status === 200 ? `${event.sent} B sent, ${event.received} B received` : `answered ${event.status}`) +
            `${event.error !== undefined ? ` (${printable(this.scrubber.text(event.error))})` : ''}`,
        );
        break;
      case 'paused':
        this.writer.out(`  ${short(event.sessionId)} held #${event.id} (${event.direction === 'out' ? 'to the server' : 'to the client'}, ${event.kind}, ${event.size} B): ${printable(this.scrubber.text(maskedHeldPreview(event.direction, event.kind, event.preview)))}`);
        break;
      case 'http':
        this.writer.out(`  ${printable(event.method)} ${printable(event.host)}${printable(event.path)} ${event.status ?? '-'} ${httpSizeText(event.size)} ${Math.round(event.ms)} ms${event.error !== undefined ? ` (${printable(event.error)})` : ''}`);
        break;
    }
  }

  /** clientTlsLine, and with --profile the way to put the host on that profile's list instead. */
  private refusalLine(event: Extract<InterceptEvent, { type: 'client-tls' }>): string {
    const line = clientTlsLine(event);
    const profile = this.command.profile;
    if (!event.rejectedCertificate || profile === undefined) return line;
    return `${line}; or on the profile's own list: tunnelscope intercept passthrough add ${event.host} --profile ${shellWord(profile)}`;
  }

  private line(value: Record<string, unknown>): void {
    this.writer.out(terminalJson(this.scrubber.deep(value)));
  }
}

/** `{"type":…}` → `{"session":"<id>","type":…}`: the printers' lines, each naming its session. */
function withSession(line: string, sessionId: string): string {
  return line.startsWith('{') ? `{"session":${JSON.stringify(sessionId)},${line.slice(1)}` : line;
}

/** A profile name as one shell word (quoted when it needs to be). */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_.@%+=:,/-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function short(sessionId: string): string {
  return sessionId.slice(0, 8);
}
