/**
 * A scripted stand-in for the engine, to drive the CLI's connect logic without sockets: the
 * session opens (or fails) with the events a real one emits, sent messages are echoed, and a
 * close runs the close handshake. Events are emitted asynchronously, as the engine does.
 */
import { PassThrough } from 'node:stream';
import type { CliIo, EngineApi } from '../../../src-main/cli/cli-io';
import type { CommandArgInput, CommandName, CommandResult } from '../../../src-main/shared/commands';
import type { NetError } from '../../../src-main/shared/errors';
import type { EngineEvent, EventListener } from '../../../src-main/shared/events';
import type { FrameSummary, SessionState } from '../../../src-main/shared/model';
import { fail, ok, type Result } from '../../../src-main/shared/result';
import { checkedEvent, checkedResult, refusedArg } from '../../support/contract-check';

export interface FakeEngineOptions {
  /** Fail the open with this error instead of opening. */
  failWith?: NetError;
  /** Echo sent messages back (default true). */
  echo?: boolean;
  /** Incoming text messages the server sends right after open. */
  greet?: string[];
  /** The server never answers a close: after this many ms the session fails with CLOSE_TIMEOUT, as the engine's does. */
  closeUnansweredMs?: number;
  /** The first this many sends are refused (SEND_QUEUE_FULL); a stats event with the queue drained follows each. */
  refuseSends?: number;
}

const SID = 's1';

export class FakeEngine implements EngineApi {
  readonly calls: { name: string; arg: unknown }[] = [];
  private listeners = new Set<EventListener>();
  private seq = 0;
  private refused = 0;
  private state: SessionState = 'idle';
  private bodies = new Map<number, { base64: string; text?: string; frame: FrameSummary }>();

  constructor(private readonly options: FakeEngineOptions = {}) {}

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One session here: a subscriber hears all of it, like the engine's subscriber of the session it opened. */
  subscribe(options: { deliver: EventListener }): { readonly id: string; close(): void } {
    const listener: EventListener = (event) => options.deliver(event);
    this.listeners.add(listener);
    return { id: `fake-subscription-${this.listeners.size}`, close: () => void this.listeners.delete(listener) };
  }

  private emit(event: EngineEvent): void {
    checkedEvent('fake engine', event);
    for (const listener of this.listeners) listener(event);
  }

  private setState(state: SessionState): void {
    const previous = this.state;
    this.state = state;
    this.emit({ type: 'state', sessionId: SID, state, previous, at: Date.now() });
  }

  private frame(dir: 'in' | 'out', opcode: FrameSummary['opcode'], payload: Buffer, extra: Partial<FrameSummary> = {}): void {
    this.seq += 1;
    const frame: FrameSummary = {
      seq: this.seq,
      dir,
      opcode,
      at: Date.now(),
      size: payload.length,
      preview: opcode === 'text' ? payload.toString('utf8').slice(0, 10) : payload.subarray(0, 8).toString('hex'),
      truncated: opcode === 'text' ? payload.length > 10 : payload.length > 8,
      ...extra,
    };
    this.bodies.set(frame.seq, { frame, base64: payload.toString('base64'), ...(opcode === 'text' ? { text: payload.toString('utf8') } : {}) });
    this.emit({ type: 'frames', sessionId: SID, fromSeq: frame.seq, frames: [frame], dropped: 0 });
  }

  private tick(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  async call<C extends CommandName>(name: C, arg: CommandArgInput<C>): Promise<Result<CommandResult<C>>> {
    this.calls.push({ name, arg });
    // An argument the real engine refuses gets its refusal; an answer must be one the engine can give.
    const answer = refusedArg(name, arg) ?? checkedResult('fake engine', name, await this.answer(name, arg));
    // The fake answers each command with its own result type; the map is by name.
    return answer as Result<CommandResult<C>>;
  }

  private async answer(name: CommandName, arg: unknown): Promise<Result<unknown>> {
    const record = typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>) : {};
    switch (name) {
      case 'session:open':
        void this.open();
        return ok({ sessionId: SID });
      case 'session:send': {
        if (this.state !== 'open') return fail('SESSION_NOT_OPEN', 'the session is not open');
        if (this.refused < (this.options.refuseSends ?? 0)) {
          this.refused += 1;
          setTimeout(() => this.emitQueueStats(0), 10);
          const error: NetError = { kind: 'net', stage: 'transport', code: 'SEND_QUEUE_FULL', message: 'The server is not reading (16.0 MiB queued): the message was not sent.', hint: 'h', details: { queuedBytes: 16 * 1024 * 1024 } };
          return { ok: false, error };
        }
        const kind = record.kind === 'binary' ? 'binary' : 'text';
        const data = typeof record.data === 'string' ? record.data : '';
        const payload = kind === 'binary' ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8');
        await this.tick();
        this.frame('out', kind, payload);
        const seq = this.seq;
        if (this.options.echo !== false) {
          setTimeout(() => {
            if (this.state === 'open') this.frame('in', kind, payload);
          }, 5);
        }
        return ok({ seq });
      }
      case 'session:close': {
        if (this.state !== 'open' && this.state !== 'closing') {
          if (this.state === 'closed' || this.state === 'failed') return fail('SESSION_NOT_OPEN', 'the session is not open');
          // Closing while connecting: the session just ends.
          setTimeout(() => this.finishClosed(null, '', false), 5);
          return ok({});
        }
        const code = typeof record.code === 'number' ? record.code : 1000;
        const unansweredMs = this.options.closeUnansweredMs;
        if (unansweredMs !== undefined) {
          this.setState('closing');
          this.frame('out', 'close', Buffer.alloc(2), { closeCode: code, closeReason: '', preview: '' });
          setTimeout(() => this.failCloseTimeout(unansweredMs), unansweredMs);
          return ok({});
        }
        setTimeout(() => {
          this.setState('closing');
          this.frame('out', 'close', Buffer.alloc(2), { closeCode: code, closeReason: '', preview: '' });
          this.frame('in', 'close', Buffer.alloc(2), { closeCode: code, closeReason: '', preview: '' });
          this.finishClosed(code, '', true);
        }, 5);
        return ok({});
      }
      case 'frames:get': {
        const seq = typeof record.seq === 'number' ? record.seq : 0;
        const body = this.bodies.get(seq);
        return body ? ok(body) : fail('NOT_FOUND', `no frame ${seq}`);
      }
      default:
        return fail('UNKNOWN_COMMAND', `the fake engine does not do ${name}`);
    }
  }

  /** A stats event whose send queue holds `bytes`. */
  emitQueueStats(bytes: number): void {
    const dir = { messages: 0, bytes: 0 };
    const rate = { messagesPerSecond: 0, bytesPerSecond: 0 };
    this.emit({
      type: 'stats',
      sessionId: SID,
      stats: {
        at: Date.now(),
        totals: { in: dir, out: dir },
        window: { startAt: 0, seconds: 1, in: { messages: [0], bytes: [0] }, out: { messages: [0], bytes: [0] } },
        rate: { in: rate, out: rate },
        rtt: { lastMs: null, minMs: null, avgMs: null, maxMs: null, samples: [], pending: 0, unmatchedPongs: 0 },
        queued: { messages: bytes > 0 ? 1 : 0, bytes, highWaterMark: 16 * 1024 * 1024 },
      },
    });
  }

  private failCloseTimeout(ms: number): void {
    this.emit({
      type: 'error',
      sessionId: SID,
      error: { kind: 'net', stage: 'transport', code: 'CLOSE_TIMEOUT', message: 'The server did not answer the close within 5 s; the connection was cut.', hint: 'h', details: { timeoutMs: ms } },
    });
    this.setState('failed');
    this.emit({ type: 'closed', sessionId: SID, code: null, reason: '', wasClean: false, initiatedBy: 'client', at: Date.now() });
  }

  private finishClosed(code: number | null, reason: string, wasClean: boolean): void {
    this.setState('closed');
    this.emit({ type: 'closed', sessionId: SID, code, reason, wasClean, initiatedBy: 'client', at: Date.now() });
  }

  private async open(): Promise<void> {
    await this.tick();
    this.emit({ type: 'session-created', sessionId: SID, url: 'ws://127.0.0.1:1/', at: Date.now() });
    this.emit({
      type: 'proxy-decision',
      sessionId: SID,
      decision: {
        source: 'manual',
        reason: '--proxy given',
        candidates: [{ url: 'http://127.0.0.1:3128', protocol: 'http', host: '127.0.0.1', port: 3128, hasCredentials: true }],
      },
    });
    this.setState('connecting');
    this.setState('tunneling');
    this.emit({
      type: 'handshake',
      sessionId: SID,
      step: {
        leg: 'proxy',
        startedAt: Date.now(),
        ms: 3,
        ok: this.options.failWith === undefined,
        peer: '127.0.0.1:3128',
        request: {
          startLine: 'CONNECT 127.0.0.1:1 HTTP/1.1',
          // Deliberately unredacted: the CLI must redact on its own too.
          headers: [['Host', '127.0.0.1:1'], ['Proxy-Authorization', 'Basic YWxpY2U6czNjcmV0']],
        },
        response: this.options.failWith
          ? { startLine: 'HTTP/1.1 403 Forbidden', headers: [['Server', 'squid/5.7']], bodyPreview: '<html><body><p>Access denied</p></body></html>' }
          : { startLine: 'HTTP/1.1 200 Connection established', headers: [] },
      },
    });
    await this.tick();
    if (this.options.failWith) {
      this.emit({ type: 'error', sessionId: SID, error: this.options.failWith });
      this.setState('failed');
      this.emit({ type: 'closed', sessionId: SID, code: null, reason: '', wasClean: false, initiatedBy: 'none', at: Date.now() });
      return;
    }
    if (this.state !== 'tunneling') return; // closed while connecting
    this.setState('upgrading');
    this.setState('open');
    for (const text of this.options.greet ?? []) this.frame('in', 'text', Buffer.from(text));
  }
}

export interface FakeIo extends CliIo {
  stdoutText(): string;
  stderrText(): string;
  interrupt(): void;
  stdinStream: PassThrough;
}

export function fakeIo(options: { stdinTty?: boolean } = {}): FakeIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const handlers = new Set<() => void>();
  return {
    stdout,
    stderr,
    stdin: Object.assign(stdin, { isTTY: options.stdinTty ?? false }),
    stdinStream: stdin,
    env: {},
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    stdoutText: () => out,
    stderrText: () => err,
    interrupt: () => {
      for (const handler of handlers) handler();
    },
  };
}
