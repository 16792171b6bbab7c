/**
 * `session:send` with built-ins or a repeat, and `session:send-stop`: the body is checked
 * (an unknown built-in is refused before anything is sent), then sent once or handed to a
 * SendRepeat (session/send-repeat.ts). One repeat per session at a time; the engine routes the
 * session's events here so a repeat waits on a full queue and ends with the session.
 */
import { randomUUID } from 'node:crypto';
import { parseBuiltins, renderBuiltins, type BuiltinSources } from '../shared/builtin-variables';
import type { CommandArg, CommandResult } from '../shared/commands';
import { SEND_HIGH_WATER_MARK } from '../shared/model';
import type { EngineEvent } from '../shared/events';
import { fail, ok, type Result } from '../shared/result';
import type { Clock } from './net/clock';
import { NetFailure } from './errors/net-failure';
import type { ImportedSession } from './session/imported-session';
import type { WsConnection } from './session/ws-connection';
import type { WsSession } from './session/ws-session';
import { SendRepeat, type SendRepeatConfig } from './session/send-repeat';
import { resolveMessage } from './variables/resolve-variables';
import type { VariableSet } from './variables/variable-set';

type RepeatBody = SendRepeatConfig['body'];

type AnySession = WsSession | WsConnection | ImportedSession;

export interface SendCommandsOptions {
  clock: Clock;
  sources: BuiltinSources;
  emit(event: EngineEvent): void;
}

export class SendCommands {
  private readonly options: SendCommandsOptions;
  private readonly repeats = new Map<string, SendRepeat>();

  constructor(options: SendCommandsOptions) {
    this.options = options;
  }

  /**
   * `variables`: the session's, when it opened with an environment or values (session:open
   * `variables`); then a text sent with `builtins` has its `{{name}}`s filled in too, and an
   * unknown one is refused. Without, `{{name}}` is sent as typed (only built-ins are filled in).
   */
  send(session: AnySession, arg: CommandArg<'session:send'>, variables?: VariableSet): Result<CommandResult<'session:send'>> {
    const sessionId = session.id;
    let body: RepeatBody = { bytes: Buffer.from(arg.data, arg.kind === 'text' ? 'utf8' : 'base64') };
    if (arg.kind === 'text' && arg.builtins === true) {
      const parsed = variables ? resolveMessage(arg.data, variables) : parseBuiltins(arg.data);
      if (!parsed.ok) return fail('INVALID_ARGUMENT', `session:send: data: ${parsed.error}; nothing was sent`, 'data');
      if (parsed.template.dynamic) body = { template: parsed.template };
      else if (variables) body = { bytes: Buffer.from(parsed.template.parts.filter((part) => typeof part === 'string').join(''), 'utf8') };
    }
    if ('readOnly' in session) return fail('SESSION_NOT_OPEN', `session ${sessionId} is a read-only imported log`, 'sessionId');
    if (!arg.repeat) {
      const payload = 'bytes' in body ? body.bytes : Buffer.from(renderBuiltins(body.template, 1, this.options.sources), 'utf8');
      return sendOnce(session, arg.kind, payload);
    }
    if (session.state !== 'open') return fail('SESSION_NOT_OPEN', `session ${sessionId} is ${session.state}, not open`, 'sessionId');
    if (this.repeats.has(sessionId)) {
      return fail('INVALID_ARGUMENT', `session:send: a repeat is already running on session ${sessionId}: stop it first (session:send-stop)`, 'repeat');
    }
    const live = session;
    const repeat: SendRepeat = new SendRepeat({
      id: randomUUID(),
      sessionId,
      target: {
        get state() {
          return live.state;
        },
        send: (kind, payload) => live.send(kind, payload),
        queuedBytes: () => live.stats.queuedBytes,
      },
      kind: arg.kind,
      body,
      count: arg.repeat.until === 'count' ? (arg.repeat.count ?? 1) : null,
      intervalMs: arg.repeat.intervalMs,
      highWaterMark: live.statsNow().queued?.highWaterMark ?? SEND_HIGH_WATER_MARK,
      clock: this.options.clock,
      sources: this.options.sources,
      emit: (event) => this.options.emit(event),
      onEnd: () => {
        if (this.repeats.get(sessionId) === repeat) this.repeats.delete(sessionId);
      },
    });
    this.repeats.set(sessionId, repeat);
    const seq = repeat.start();
    return ok({ seq, repeatId: repeat.id });
  }

  /** Stops the session's repeat; false when none runs. */
  stop(sessionId: string): Result<CommandResult<'session:send-stop'>> {
    const repeat = this.repeats.get(sessionId);
    return ok({ stopped: repeat !== undefined && repeat.stop() });
  }

  /** Every event of every session passes here first. */
  sessionEvent(event: EngineEvent): void {
    if (event.type === 'repeat') return;
    this.repeats.get(event.sessionId)?.sessionEvent(event);
  }

  stopAll(): void {
    for (const repeat of [...this.repeats.values()]) repeat.stop();
  }
}

/**
 * One send, as a plain `session:send` answers it: refused (SEND_QUEUE_FULL) on a full queue
 * rather than waiting, since the caller waits for the answer.
 */
function sendOnce(session: WsSession | WsConnection, kind: 'text' | 'binary', payload: Buffer): Result<CommandResult<'session:send'>> {
  let seq: number | undefined;
  try {
    seq = session.send(kind, payload);
  } catch (error) {
    if (error instanceof NetFailure) return { ok: false, error: error.netError };
    throw error;
  }
  return seq === undefined ? fail('SESSION_NOT_OPEN', `session ${session.id} is ${session.state}, not open`, 'sessionId') : ok({ seq });
}
