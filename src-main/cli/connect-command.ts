/**
 * `tunnelscope connect <url>`: opens one session through the engine, prints every event, sends
 * what the user asked for (flags or stdin lines), and decides when to close and with which exit
 * status. Events are handled strictly in arrival order through one queue, so output order is
 * the engine's order even when a line needs an engine call first (a frame's full body).
 */
import readline from 'node:readline';
import { isNetError, type NetError } from '../shared/errors';
import type { EngineEvent } from '../shared/events';
import type { FrameBody, FrameSummary } from '../shared/model';
import type { CommandError } from '../shared/result';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, lineWriter, type CliIo, type EngineApi } from './cli-io';
import { choosePalette, COLOURS, failureHeadline, HumanPrinter } from './human-output';
import { JsonPrinter } from './json-output';
import type { ConnectCommand, OutgoingMessage } from './parse-args';
import { Scrubber } from './scrub';
import { writeExport } from './write-export';
import { findProfile } from './find-profile';
import { profileDecodeChoice, profileProtobufSettings } from './decode-flag';
import type { ProtobufChoice } from '../shared/decoding';
import { findEnvironment } from './variable-flags';
import { printable, terminalWriter } from './terminal-text';
import { DEFAULT_CLOSE_TIMEOUT_MS } from '../core';
import { sendQueueFull } from '../shared/send-queue';
import { isRepeatRunning, repeatProgressText } from '../shared/send-repeat';
import { RepeatWaits, repeatJsonLine, type RepeatEvent } from './repeat-waits';
import { terminalJson } from './terminal-text';
import { CliFrameDecoding, decodingNotice } from './frame-decoding';
import { handshakeHeaderNotes } from './handshake-header-notes';

/** With --send alone: close after this long without an incoming message. */
export const REPLY_IDLE_MS = 2000;
/**
 * After asking to close, give the close handshake this long before giving up on it: longer
 * than the engine's own close deadline, so an unanswered close is reported (CLOSE_TIMEOUT).
 */
const CLOSE_GRACE_MS = DEFAULT_CLOSE_TIMEOUT_MS + 1000;
/** After `failed`/`closed` state, how long to wait for the `closed` event before finishing anyway. */
const TERMINAL_GRACE_MS = 300;

interface Printer {
  decision(event: Extract<EngineEvent, { type: 'proxy-decision' }>): void;
  state(event: Extract<EngineEvent, { type: 'state' }>): void;
  handshake(event: Extract<EngineEvent, { type: 'handshake' }>): void;
  frames(event: Extract<EngineEvent, { type: 'frames' }>): void | Promise<void>;
  error(error: NetError): void;
  closed(event: Extract<EngineEvent, { type: 'closed' }>): void;
  stats(event: Extract<EngineEvent, { type: 'stats' }>): void;
  attempt(event: Extract<EngineEvent, { type: 'attempt' }>): void;
  attemptStarted(event: Extract<EngineEvent, { type: 'attempt-started' }>): void;
  resent(event: Extract<EngineEvent, { type: 'resent' }>): void;
}

export class ConnectRun {
  private sessionId: string | undefined;
  private opened = false;
  /** Attempts that opened (--reconnect: each one sends the --send… messages again). */
  private opens = 0;
  private failure: NetError | undefined;
  /** The failure arrived before the user pressed Ctrl-C (then it still counts). */
  private failedBeforeInterrupt = false;
  private interrupted = false;
  private closeRequested = false;
  private finished = false;
  private incomingData = 0;
  /**
   * With --send…: replies are the messages that come after this attempt's first sent one
   * (its seq); a greeting the server sends on its own (Socket.IO's open packet, a banner)
   * is not an answer. `waiting` until the sends start, `undefined` before.
   */
  private repliesAfter: number | 'waiting' | undefined;
  private sendsDone = false;
  private stdinEnded = false;
  private readonly pendingLines: string[] = [];
  private eventQueue: Promise<void> = Promise.resolve();
  private sendQueue: Promise<void> = Promise.resolve();
  /** Sends waiting for the server to read again (SEND_QUEUE_FULL). */
  private readonly sendWaiters: (() => void)[] = [];
  /** --repeat: each message's repeat runs in the engine; the next message waits for its end. */
  private readonly repeats = new RepeatWaits();
  /**
   * --repeat: a repeat's final event comes before the batch holding its last frames, so what it
   * says (and the next message's sends) waits until as many messages were printed as sent.
   */
  private sentPrinted = 0;
  private sentByEndedRepeats = 0;
  private readonly heldRepeatLines: { after: number; print: () => void }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleTimer: NodeJS.Timeout | undefined;
  /** Finishes the run if `closed` does not follow a final state; an attempt that is retried (--reconnect) cancels it. */
  private terminalTimer: NodeJS.Timeout | undefined;
  private readonly printer: Printer;
  private readonly writer: { out(line: string): void; err(line: string): void };
  private readonly human: HumanPrinter | undefined;
  private readonly scrubber: Scrubber;
  private readonly decoding: CliFrameDecoding;
  private resolveDone: (code: number) => void = () => undefined;
  private readonly cleanups: (() => void)[] = [];
  private rl: readline.Interface | undefined;

  constructor(
    private readonly command: ConnectRunCommand,
    private readonly engine: EngineApi,
    private readonly io: CliIo,
  ) {
    const palette = choosePalette(io.stdout.isTTY, io.env);
    // The safety net under the field-by-field escaping: no line reaches the terminal unescaped.
    this.writer = terminalWriter(lineWriter(io), palette === COLOURS);
    this.scrubber = new Scrubber(command.secrets, command.options?.proxyAuth);
    // --decode: said once when a protocol is chosen (a guess says why), before the first decoded frame.
    this.decoding = new CliFrameDecoding(command.decode ?? 'auto', (seq) => this.fetchBody(seq), (active) => {
      if (command.json) this.writer.out(terminalJson(this.scrubber.deep({ type: 'decode', protocol: active.protocol, guess: active.guess, reason: active.reason })));
      else this.human?.notice(decodingNotice(active));
    }, command.decodeSettings, command.decodeReason);
    if (command.json) {
      this.printer = new JsonPrinter((line) => this.writer.out(line), this.scrubber, (seq) => this.fetchBody(seq), this.decoding);
    } else {
      this.human = new HumanPrinter(this.writer, palette, this.scrubber, this.decoding);
      this.printer = this.human;
      // A named choice (--decode, a profile's) is made while CliFrameDecoding is built, before
      // this.human exists: said here, else the human output never says it.
      const named = this.decoding.active;
      if (named) this.human.notice(decodingNotice(named));
    }
  }

  /** Whether typed lines are the messages (no --send, --send-binary, --send-file, --send-binary-file, --count or --listen). */
  private get stdinMode(): boolean {
    return this.command.outgoing.length === 0 && this.command.count === undefined && !this.command.listen;
  }

  async run(): Promise<number> {
    const done = new Promise<number>((resolve) => (this.resolveDone = resolve));
    // A consumer of the one session it opens (the engine's own subscriber; it never acknowledges, so it gets every batch).
    const subscription = this.engine.subscribe({
      deliver: (event) => {
        // A batch's summaries are built on first read (FrameStore.deferredSummaries): read them now,
        // while the frames are still in the store, not when the print queue gets to them.
        if (event.type === 'frames') readNow(event.frames);
        this.enqueue(() => this.handle(event));
      },
    });
    this.cleanups.push(() => subscription.close());
    this.cleanups.push(this.io.onInterrupt(() => this.interrupt()));
    if (this.stdinMode) this.readStdin();

    // A profile's secrets stay in the engine: the CLI names the profile, like the app's renderer does.
    const { profileId, profileName, environmentId } = this.command;
    // --env / --var: the engine fills the {{name}}s in (secret ones decrypted there, never here).
    const values = this.command.variables?.values ?? [];
    const variables = environmentId !== undefined || values.length > 0 ? { variables: { ...(environmentId !== undefined ? { environmentId } : {}), values } } : {};
    // --reconnect sends the --send… messages again itself (onReopen): the profile's resend would send its CONNECT twice.
    const resendsItself = this.command.outgoing.length > 0 ? { resend: 'none' as const } : {};
    const opened = await this.engine.call(
      'session:open',
      profileId !== undefined
        ? { profileId, ...(profileName !== undefined ? { label: profileName } : {}), ...variables, ...resendsItself }
        : { options: this.command.options, ...variables },
      { subscriptionId: subscription.id },
    );
    if (opened.ok) {
      this.sessionId ??= opened.value.sessionId;
      if (this.interrupted) void this.requestClose();
    } else {
      const error = opened.error;
      this.enqueue(() => {
        if (isNetError(error)) {
          if (!this.failure) this.reportFailure(error);
          this.finish();
        } else {
          this.commandError(error, 'could not open the session');
          this.finish(error.code === 'INVALID_ARGUMENT' ? EXIT_USAGE : EXIT_FAILED);
        }
      });
    }
    let code = await done;
    await this.eventQueue;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    const target = this.command.exportLog;
    if (target && this.sessionId !== undefined) {
      const written = await writeExport(this.engine, this.sessionId, target, { json: this.command.json, ...this.writer });
      if (!written && code === EXIT_OK) code = EXIT_FAILED;
    }
    return code;
  }

  private enqueue(task: () => void | Promise<void>): void {
    this.eventQueue = this.eventQueue.then(task).catch((error: unknown) => {
      this.writer.err(`tunnelscope: internal error while printing: ${printable(error instanceof Error ? error.message : String(error))}`);
    });
  }

  private async handle(event: EngineEvent): Promise<void> {
    if (this.finished) return;
    if (this.sessionId === undefined) this.sessionId = event.sessionId;
    else if (event.sessionId !== this.sessionId) return; // one session per CLI run; anything else is not ours
    switch (event.type) {
      case 'session-created':
        // Protocol Buffers type rules read this URL (variables filled in), as the app and exports do.
        this.decoding.sessionCreated(event.url);
        return;
      case 'proxy-decision':
        this.printer.decision(event);
        return;
      case 'state':
        this.printer.state(event);
        if (event.state === 'open') {
          this.opened = true;
          this.opens += 1;
          void (this.opens === 1 ? this.onOpen() : this.onReopen(this.opens));
        }
        if (event.state === 'failed' || event.state === 'closed') this.terminalTimer = this.later(TERMINAL_GRACE_MS, () => this.finish());
        return;
      case 'handshake':
        this.printer.handshake(event);
        this.decoding.handshake(event.step);
        return;
      case 'frames':
        await this.printer.frames(event);
        this.sentPrinted += event.frames.filter((f) => f.dir === 'out' && (f.opcode === 'text' || f.opcode === 'binary')).length;
        this.printHeldRepeatLines(false);
        this.countIncoming(this.replies(event.frames));
        return;
      case 'error':
        this.reportFailure(event.error);
        return;
      case 'stats':
        this.printer.stats(event);
        if (!sendQueueFull(event.stats)) this.wakeSenders();
        return;
      case 'closed':
        this.printHeldRepeatLines(true);
        this.printer.closed(event);
        this.finish();
        return;
      case 'session-removed':
        this.finish();
        return;
      case 'attempt':
        // The attempt is over: what its repeats said is said before the separator.
        this.printHeldRepeatLines(true);
        this.sentByEndedRepeats = this.sentPrinted;
        this.printer.attempt(event);
        if (event.record.next) this.awaitNextAttempt();
        return;
      case 'attempt-started':
        this.printer.attemptStarted(event);
        return;
      case 'resent':
        this.printer.resent(event);
        return;
      case 'repeat':
        this.onRepeat(event);
        return;
    }
  }

  /**
   * --reconnect: the attempt that ended is retried, so the run goes on; the exit status is the
   * last attempt's, so this attempt's failure no longer counts.
   */
  private awaitNextAttempt(): void {
    if (this.terminalTimer) {
      clearTimeout(this.terminalTimer);
      this.timers.delete(this.terminalTimer);
      this.terminalTimer = undefined;
    }
    this.failure = undefined;
    this.failedBeforeInterrupt = false;
  }

  private reportFailure(error: NetError): void {
    if (!this.failure && !this.interrupted) this.failedBeforeInterrupt = true;
    this.failure ??= error;
    this.printer.error(error);
    // In --json the explanation is on stdout; stderr still says in one line what went wrong.
    if (this.command.json) this.writer.err(this.scrubber.text(`tunnelscope: ${failureHeadline(error)}: ${printable(error.message)} (${error.code})`));
  }

  private commandError(error: CommandError, what: string): void {
    this.writer.err(this.scrubber.text(`tunnelscope: ${what}: ${printable(error.message)}`));
  }

  // -------------------------------------------------------------------------------------
  // Sending
  // -------------------------------------------------------------------------------------

  private async onOpen(): Promise<void> {
    if (this.interrupted) {
      await this.requestClose();
      return;
    }
    const opening = this.opens;
    this.incomingData = 0;
    this.repliesAfter = 'waiting';
    for (const message of this.command.outgoing) {
      // The connection dropped and came back meanwhile: the new attempt sends them all again.
      if (this.opens !== opening) return;
      await this.send(message, true);
    }
    if (this.opens !== opening) return;
    this.sendsDone = true;
    if (this.stdinMode) {
      if (this.io.stdin.isTTY && !this.command.json) {
        this.human?.notice('Type a message and press Enter to send it; Ctrl-D closes, Ctrl-C quits.');
      }
      for (const line of this.pendingLines.splice(0)) this.queueSend({ kind: 'text', data: line });
      if (this.stdinEnded) this.sendQueue = this.sendQueue.then(() => this.requestClose());
      return;
    }
    this.checkDone();
  }

  /**
   * --reconnect: a later attempt opened. The --send… messages go again, in order: a protocol's
   * session starts afresh on a new connection (STOMP and MQTT need their CONNECT again), so
   * replies are counted from this attempt on. Typed lines are not sent again.
   */
  private async onReopen(opening: number): Promise<void> {
    if (this.interrupted || this.closeRequested) return;
    if (this.command.outgoing.length === 0) return;
    this.sendsDone = false;
    this.incomingData = 0;
    this.repliesAfter = 'waiting';
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.timers.delete(this.idleTimer);
      this.idleTimer = undefined;
    }
    for (const message of this.command.outgoing) {
      if (this.opens !== opening) return;
      await this.send(message, true);
    }
    if (this.opens !== opening) return;
    this.sendsDone = true;
    this.checkDone();
  }

  private queueSend(message: OutgoingMessage): void {
    this.sendQueue = this.sendQueue.then(() => this.send(message));
  }

  /** fromFlags: a --send / --send-binary / --send-file message (built-ins except from a file, --repeat); else a typed line, sent as it is. */
  private async send(message: OutgoingMessage, fromFlags = false): Promise<void> {
    const sessionId = this.sessionId;
    if (sessionId === undefined || this.closeRequested || this.finished) return;
    const repeat = this.command.repeat;
    if (fromFlags && repeat !== undefined) {
      await this.sendRepeated(sessionId, message, repeat);
      return;
    }
    const builtins = fromFlags && message.kind === 'text' && !message.verbatim ? { builtins: true } : {};
    let result = await this.engine.call('session:send', { sessionId, kind: message.kind, data: message.data, ...builtins });
    // The server is not reading: a command line waits (stdin stops being read) instead of
    // dropping the message, and sends it once the queue is below its mark again.
    while (!result.ok && isNetError(result.error) && result.error.code === 'SEND_QUEUE_FULL' && !this.closeRequested && !this.finished) {
      this.rl?.pause();
      await new Promise<void>((wake) => this.sendWaiters.push(wake));
      this.rl?.resume();
      if (this.closeRequested || this.finished) return;
      result = await this.engine.call('session:send', { sessionId, kind: message.kind, data: message.data, ...builtins });
    }
    if (!result.ok) {
      if (isNetError(result.error)) this.writer.err(this.scrubber.text(`tunnelscope: not sent: ${printable(result.error.message)}`));
      else this.commandError(result.error, 'not sent');
    }
  }

  /** --repeat: the engine sends the message count times (waiting while the server does not read); the next waits for its end. */
  private async sendRepeated(sessionId: string, message: OutgoingMessage, repeat: { count: number; intervalMs: number }): Promise<void> {
    const result = await this.engine.call('session:send', {
      sessionId,
      ...(message.kind === 'text' ? { kind: 'text', data: message.data, ...(message.verbatim ? {} : { builtins: true }) } : { kind: 'binary', data: message.data }),
      repeat: { count: repeat.count, intervalMs: repeat.intervalMs, until: 'count' },
    });
    if (!result.ok) {
      if (isNetError(result.error)) this.writer.err(this.scrubber.text(`tunnelscope: not sent: ${printable(result.error.message)}`));
      else this.commandError(result.error, 'not sent');
      return;
    }
    if (result.value.repeatId !== undefined) await this.repeats.wait(result.value.repeatId);
  }

  /** A repeat's progress: a --json line; for people, a line when it waits on the server and when it ends. */
  private onRepeat(event: RepeatEvent): void {
    const print = (): void => {
      if (this.command.json) this.writer.out(terminalJson(repeatJsonLine(event)));
      else if (event.status !== 'running') this.human?.notice(`repeat: ${repeatProgressText(event)}`);
    };
    if (isRepeatRunning(event.status)) {
      print();
      return;
    }
    // Ended by the connection (ended, failed): its last send may have no frame; said at once.
    if (event.status !== 'done' && event.status !== 'stopped') {
      this.printHeldRepeatLines(true);
      this.sentByEndedRepeats = this.sentPrinted;
      print();
      this.repeats.event(event);
      return;
    }
    // The next message's sends start once this end is printed, so its frames come after it.
    this.sentByEndedRepeats += event.sent;
    this.heldRepeatLines.push({
      after: this.sentByEndedRepeats,
      print: () => {
        print();
        this.repeats.event(event);
      },
    });
    this.printHeldRepeatLines(false);
  }

  /** The held ends of repeats whose sent frames are all printed; all of them at the end of the run. */
  private printHeldRepeatLines(all: boolean): void {
    while (this.heldRepeatLines[0] !== undefined && (all || this.heldRepeatLines[0].after <= this.sentPrinted)) this.heldRepeatLines.shift()?.print();
  }

  /** A stats event with the send queue below its mark (or the end of the run): waiting sends try again. */
  private wakeSenders(): void {
    for (const wake of this.sendWaiters.splice(0)) wake();
  }

  private readStdin(): void {
    // terminal: false keeps the TTY in cooked mode, so Ctrl-C stays a signal and Ctrl-D ends input.
    const rl = readline.createInterface({ input: this.io.stdin, terminal: false });
    this.rl = rl;
    rl.on('line', (line) => {
      if (this.opened) this.queueSend({ kind: 'text', data: line });
      else this.pendingLines.push(line);
    });
    rl.on('close', () => {
      this.stdinEnded = true;
      if (this.opened) this.sendQueue = this.sendQueue.then(() => this.requestClose());
    });
    this.cleanups.push(() => {
      rl.close();
      this.io.stdin.pause();
    });
  }

  // -------------------------------------------------------------------------------------
  // When to close
  // -------------------------------------------------------------------------------------

  /** How many of these frames count as replies: every message received, or with --send… those after the first sent. */
  private replies(frames: readonly FrameSummary[]): number {
    let n = 0;
    for (const frame of frames) {
      if (frame.opcode !== 'text' && frame.opcode !== 'binary') continue;
      if (this.command.outgoing.length === 0) {
        if (frame.dir === 'in') n += 1;
      } else if (frame.dir === 'out') {
        if (this.repliesAfter === 'waiting') this.repliesAfter = frame.seq;
      } else if (typeof this.repliesAfter === 'number' && frame.seq > this.repliesAfter) {
        n += 1;
      }
    }
    return n;
  }

  private countIncoming(n: number): void {
    if (n === 0) return;
    this.incomingData += n;
    if (this.idleTimer) this.armIdle();
    this.checkDone();
  }

  /** Closes once what was asked for has happened: n replies (--count), or replies to --send. */
  private checkDone(): void {
    if (!this.opened || this.closeRequested || !this.sendsDone) return;
    const { count, listen, outgoing } = this.command;
    if (count !== undefined) {
      if (this.incomingData >= count) void this.requestClose();
      return;
    }
    if (listen || outgoing.length === 0) return;
    // --send alone: one reply per message sent, or a quiet spell, then close.
    if (this.incomingData >= outgoing.length * (this.command.repeat?.count ?? 1)) void this.requestClose();
    else if (!this.idleTimer) this.armIdle();
  }

  private armIdle(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.timers.delete(this.idleTimer);
    }
    this.idleTimer = this.later(REPLY_IDLE_MS, () => void this.requestClose());
  }

  private interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    if (!this.command.json) this.human?.notice('Interrupted: closing with 1000 (press Ctrl-C again to quit at once).');
    void this.requestClose();
    // Nothing to close yet (session:open still running): finish once the engine answers or soon after.
    this.later(CLOSE_GRACE_MS, () => this.finish());
  }

  private async requestClose(): Promise<void> {
    const sessionId = this.sessionId;
    if (sessionId === undefined || this.closeRequested || this.finished) return;
    this.closeRequested = true;
    this.wakeSenders();
    this.later(CLOSE_GRACE_MS, () => this.finish());
    const result = await this.engine.call('session:close', { sessionId, code: 1000 });
    if (!result.ok && !isNetError(result.error) && result.error.code !== 'SESSION_NOT_OPEN') {
      this.commandError(result.error, 'could not close');
    }
  }

  private later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private finish(code?: number): void {
    if (this.finished) return;
    this.finished = true;
    this.printHeldRepeatLines(true);
    this.wakeSenders();
    this.repeats.releaseAll();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.rl?.close();
    this.resolveDone(code ?? this.exitCode());
  }

  private exitCode(): number {
    if (this.failure && (this.failedBeforeInterrupt || !this.interrupted)) return EXIT_FAILED;
    if (this.interrupted) return EXIT_OK;
    if (!this.opened) {
      this.writer.err('tunnelscope: the session ended before it opened');
      return EXIT_FAILED;
    }
    return EXIT_OK;
  }

  /** A frame's full payload: read at once where the engine offers it (in process), else frames:get. */
  private fetchBody(seq: number): FrameBody | undefined | Promise<FrameBody | undefined> {
    const sessionId = this.sessionId;
    if (sessionId === undefined) return undefined;
    if (this.engine.frameBody) return this.engine.frameBody(sessionId, seq);
    return this.engine.call('frames:get', { sessionId, seq }).then((result) => (result.ok ? result.value : undefined));
  }
}

/** `command` with the profile it names (--profile) looked up: its id and exact name. */
type ConnectRunCommand = ConnectCommand & { profileId?: string; profileName?: string; environmentId?: string };

export async function runConnect(given: ConnectCommand, engine: EngineApi, io: CliIo): Promise<number> {
  // A -H the handshake writes itself is not sent: said, not left out in silence.
  for (const note of handshakeHeaderNotes(given.options)) io.stderr.write(`tunnelscope: note: ${printable(note)}\n`);
  const wanted = given.variables?.environment;
  let command: ConnectRunCommand = given;
  if (wanted !== undefined) {
    const listed = await engine.call('environments:list', {});
    if (!listed.ok) {
      io.stderr.write(`tunnelscope: could not read the saved environments: ${printable(listed.error.message)}\n`);
      return EXIT_FAILED;
    }
    const found = findEnvironment(listed.value.environments, wanted);
    if (!found.ok) {
      io.stderr.write(`tunnelscope: --env: ${printable(found.message)}\n`);
      return EXIT_USAGE;
    }
    command = { ...given, environmentId: found.environment.id };
  }
  if (command.profile === undefined) return new ConnectRun(command, engine, io).run();
  const listed = await engine.call('profiles:list', {});
  if (!listed.ok) {
    io.stderr.write(`tunnelscope: could not read the saved profiles: ${printable(listed.error.message)}\n`);
    return EXIT_FAILED;
  }
  const found = findProfile(listed.value.profiles, command.profile);
  if (!found.ok) {
    io.stderr.write(`tunnelscope: ${printable(found.message)}\n`);
    return EXIT_USAGE;
  }
  const decoding = profileDecoding(command, found.profile);
  if ('problem' in decoding) {
    io.stderr.write(`tunnelscope: ${printable(decoding.problem)}\n`);
    return EXIT_USAGE;
  }
  const profileEnvironment = await profileEnvironmentId(found.profile, command.environmentId, engine, io);
  if (profileEnvironment === 'failed') return EXIT_FAILED;
  return new ConnectRun(
    {
      ...command,
      ...decoding,
      profileId: found.profile.id,
      profileName: found.profile.name,
      ...(profileEnvironment !== undefined ? { environmentId: profileEnvironment } : {}),
    },
    engine,
    io,
  ).run();
  function profileDecoding(run: ConnectCommand, profile: { name: string; decode?: string | undefined; decodeProtobuf?: ProtobufChoice | undefined }): Pick<ConnectCommand, 'decode' | 'decodeReason' | 'decodeSettings' | 'exportLog'> | { problem: string } {
    if (run.decode !== undefined) return {};
    const choice = profileDecodeChoice(profile.decode, (line) => io.stderr.write(`tunnelscope: note: ${printable(line)}\n`));
    if (choice === undefined) return {};
    // Protocol Buffers with the profile's schema, type and type rules (checked as the app does).
    const protobuf = choice === 'protobuf' ? profile.decodeProtobuf : undefined;
    const made = protobuf !== undefined ? profileProtobufSettings(profile.name, protobuf) : undefined;
    if (made !== undefined && 'problem' in made) return made;
    // Rules asking for a part of the URL read the session's URL (session-created), not the profile's template.
    const settings = made !== undefined ? { decodeSettings: made.settings } : {};
    // --export-decoded without --decode follows the profile too (none: the export decodes with auto).
    const decoded = { choice: choice === 'none' ? 'auto' : choice, ...(protobuf !== undefined ? { protobuf: { ...protobuf } } : {}) };
    // The file records the profile's choice (its schema by name), so an import decodes the same way.
    const decode = { choice, ...(protobuf !== undefined ? { protobuf: { schema: protobuf.schema.name, ...(protobuf.type !== undefined ? { type: protobuf.type } : {}) } } : {}) };
    const exportLog = run.exportLog ? { exportLog: { ...run.exportLog, decode, ...(run.exportLog.decoded ? { decoded } : {}) } } : {};
    return { decode: choice, decodeReason: `the profile "${profile.name}" decodes as ${choice}`, ...settings, ...exportLog };
  }
}

/**
 * The environment --profile connects with when --env is not given: the profile's own. One
 * deleted since is none, with a note on stderr (the connection goes on; an unknown {{name}}
 * is then the engine's error as usual).
 */
async function profileEnvironmentId(
  profile: { name: string; environmentId?: string | undefined },
  given: string | undefined,
  engine: EngineApi,
  io: CliIo,
): Promise<string | undefined | 'failed'> {
  if (given !== undefined || profile.environmentId === undefined) return given;
  const listed = await engine.call('environments:list', {});
  if (!listed.ok) {
    io.stderr.write(`tunnelscope: could not read the saved environments: ${printable(listed.error.message)}\n`);
    return 'failed';
  }
  if (listed.value.environments.some((e) => e.id === profile.environmentId)) return profile.environmentId;
  io.stderr.write(`tunnelscope: note: the environment of profile "${printable(profile.name)}" was deleted; connecting without one\n`);
  return undefined;
}

/** Touches a lazily built list so it is built now (its getter turns into a plain property). */
function readNow(frames: readonly unknown[]): number {
  return frames.length;
}
