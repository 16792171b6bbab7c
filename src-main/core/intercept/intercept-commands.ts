/**
 * The engine's `intercept:*` commands (shared/commands.ts) over the one InterceptBreakpoints the
 * engine owns: whichever host runs an InterceptProxy hands it `engine.interceptBreakpoints`, so
 * the app, the web host and the CLI drive the same rules and held messages. Each change of a
 * connection's queue becomes one `intercept-queue` event per connection and turn (a flood
 * queued behind a held message is not an event per message).
 */
import type { CommandArg, CommandName, CommandResult } from '../../shared/commands';
import type { EngineEvent } from '../../shared/events';
import type { HeldFrame, HeldFrameBody, InterceptQueue } from '../../shared/intercept-control';
import { fail, ok, type Result } from '../../shared/result';
import { preview, type HeldMessage, type InterceptBreakpoints } from './breakpoints';
import { payloadBytes } from './typed-payload';

type InterceptCommandName = Extract<
  CommandName,
  'intercept:breakpoints' | 'intercept:set-breakpoints' | 'intercept:held' | 'intercept:forward' | 'intercept:drop' | 'intercept:forward-all' | 'intercept:inject' | 'intercept:close-side'
>;
export type InterceptHandlers = { [C in InterceptCommandName]: (arg: CommandArg<C>) => Result<CommandResult<C>> };

export class InterceptCommands {
  /** Connections whose queue changed this turn (one event each when the turn ends). */
  private readonly pending = new Set<string>();
  private readonly stop: () => void;

  constructor(
    private readonly breakpoints: InterceptBreakpoints,
    private readonly emit: (event: EngineEvent) => void,
  ) {
    this.stop = breakpoints.onQueueChange((sessionId) => this.changed(sessionId));
  }

  dispose(): void {
    this.stop();
    this.pending.clear();
  }

  /** One connection's queue now, as the event says it. */
  queue(sessionId: string): InterceptQueue {
    const waiting = this.breakpoints.relay(sessionId)?.waiting() ?? { in: 0, out: 0 };
    return { sessionId, held: this.breakpoints.list(sessionId).map(heldFrame), waiting };
  }

  handlers(): InterceptHandlers {
    const bp = this.breakpoints;
    return {
      'intercept:breakpoints': () => ok({ rules: bp.rules() }),
      'intercept:set-breakpoints': (arg) => {
        const set = bp.setRules(arg.rules);
        if (!set.ok) return fail('INVALID_ARGUMENT', `intercept:set-breakpoints: ${set.path}: ${set.problem}`, set.path);
        return ok({ rules: bp.rules() });
      },
      'intercept:held': (arg) => {
        const ids = arg.sessionId === undefined ? bp.sessionIds() : [arg.sessionId];
        return ok({ frames: bp.list(arg.sessionId).map(heldFrameBody), queues: ids.map((id) => this.queue(id)) });
      },
      'intercept:forward': (arg) => {
        const held = bp.get(arg.id);
        if (!held) return notHeld(arg.id);
        if (arg.edit === undefined) {
          bp.forward(arg.id);
          return ok({ edited: false });
        }
        const bytes = payloadBytes(arg.edit, held.kind);
        if (!bytes.ok) return fail('INVALID_ARGUMENT', `intercept:forward: edit.value: ${bytes.problem}`, 'edit.value');
        bp.forward(arg.id, bytes.payload);
        return ok({ edited: true });
      },
      'intercept:drop': (arg) => (bp.drop(arg.id) ? ok({}) : notHeld(arg.id)),
      'intercept:forward-all': (arg) => ok({ count: bp.forwardAll(arg.sessionId) }),
      'intercept:inject': (arg) => {
        const relay = bp.relay(arg.sessionId);
        if (!relay) return notRelaying(arg.sessionId);
        const bytes = payloadBytes(arg.payload, arg.kind);
        if (!bytes.ok) return fail('INVALID_ARGUMENT', `intercept:inject: payload.value: ${bytes.problem}`, 'payload.value');
        const waitingBefore = relay.waiting()[arg.direction];
        if (!relay.inject(arg.direction, arg.kind, bytes.payload)) return notOpen(arg.sessionId);
        return ok({ queued: waitingBefore > 0 });
      },
      'intercept:close-side': (arg) => {
        const relay = bp.relay(arg.sessionId);
        if (!relay) return notRelaying(arg.sessionId);
        if (!relay.closeSide(arg.side, arg.code, arg.reason)) return fail('SESSION_NOT_OPEN', `intercept:close-side: the ${arg.side} side of ${arg.sessionId} is not open`);
        return ok({});
      },
    };
  }

  private changed(sessionId: string): void {
    if (this.pending.size === 0) queueMicrotask(() => this.flush());
    this.pending.add(sessionId);
  }

  private flush(): void {
    const ids = [...this.pending];
    this.pending.clear();
    for (const sessionId of ids) this.emit({ type: 'intercept-queue', ...this.queue(sessionId) });
  }
}

function heldFrame(held: HeldMessage): HeldFrame {
  const shown = preview(held.kind, held.payload);
  return {
    id: held.id,
    sessionId: held.sessionId,
    direction: held.direction,
    kind: held.kind,
    size: held.payload.length,
    at: held.at,
    preview: shown,
    truncated: held.kind === 'text' ? shown.length < held.payload.toString('utf8').length : held.payload.length * 2 > shown.length,
  };
}

function heldFrameBody(held: HeldMessage): HeldFrameBody {
  return { ...heldFrame(held), base64: held.payload.toString('base64'), ...(held.kind === 'text' ? { text: held.payload.toString('utf8') } : {}) };
}

function notHeld<T>(id: number): Result<T> {
  return fail('NOT_FOUND', `no message #${id} is held (it was forwarded or dropped, or its connection ended)`, 'id');
}

function notRelaying<T>(sessionId: string): Result<T> {
  return fail('UNKNOWN_SESSION', `no intercepted connection ${sessionId.slice(0, 100)} is relaying (it ended, or it is not a captured session)`, 'sessionId');
}

function notOpen<T>(sessionId: string): Result<T> {
  return fail('SESSION_NOT_OPEN', `intercepted connection ${sessionId.slice(0, 100)} is not open on both sides yet (or any more)`);
}
