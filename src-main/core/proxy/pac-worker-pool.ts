/**
 * Runs PAC evaluations in worker threads, so the calling thread stays free whatever the
 * script does: at the deadline the worker is terminated (V8 stops it even inside one long
 * WebAssembly call), and a worker that crashes or answers nonsense is a result, not an
 * exception.
 *
 * Workers start lazily and say when they have loaded. A worker whose script ended (in time,
 * or interrupted by QuickJS at the deadline) is kept (one idle worker, unref'd so it never
 * keeps the process alive, stopped after a quiet spell) or handed to the next waiting
 * evaluation; one that is still busy just after its deadline, crashed, or answered nonsense
 * is terminated. At most `maxWorkers` evaluations run at once, each in its own worker (a
 * hostile script never shares a thread with another evaluation); the others wait, within
 * their own deadlines.
 *
 * Two clocks. The script's own time (`job.timeoutMs`) is counted from the moment its worker has
 * the request (the worker's interrupt, and the timer here, both start then): a worker's start-up
 * never eats into it. Getting a worker — a free slot, a worker started (its code loaded, then a
 * warm-up run: the first VM and compile in a thread are the slow ones) — has its own allowance,
 * `startMs` (default PAC_ENGINE_START_MS), after which the evaluation is `not-started`.
 *
 * Starting a worker is the slow part of a first evaluation (a fraction of a second, seconds on
 * a busy machine). An evaluation that finds no idle worker while another one is still loading
 * waits up to SHARE_WAIT_MS for that worker to finish its evaluation and takes it over, instead
 * of starting a second worker that competes for the same CPU (the UI's live proxy decision and
 * Connect often ask at once). Each evaluation still has a worker to itself while it runs.
 */
import { availableParallelism } from 'node:os';
import { errorMessage } from '../errors/net-failure';
import { Deadline, MAX_TIMER_MS } from '../net/deadline';
import { systemClock, type Clock, type TimerHandle } from '../net/clock';
import { pacReadySchema, pacReplySchema, type PacOutcome, type PacRequest } from './pac-worker-protocol';
import type { CompiledWasm } from './quickjs-wasm';

export type PacJob = Omit<PacRequest, 'type' | 'id'>;

export type PacWorkerResult =
  | { kind: 'outcome'; outcome: PacOutcome }
  /** The script ran past its own time (`job.timeoutMs`, counted from the request). */
  | { kind: 'timeout' }
  /** No worker was ready within the start allowance (the script never ran). */
  | { kind: 'not-started'; waitedMs: number }
  /** The worker could not start, died, or sent something that is not an answer. */
  | { kind: 'crashed'; cause: string };

/**
 * The parts of a worker_threads Worker the pool uses (a Worker is one; tests give a fake one
 * to drive the pool on fake time).
 */
export interface PacWorker {
  /** -1 once the thread has stopped. */
  readonly threadId: number;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'messageerror' | 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'messageerror' | 'error', listener: (error: Error) => void): unknown;
  off(event: 'exit', listener: (code: number) => void): unknown;
  postMessage(message: PacRequest): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

export interface PacWorkerPoolOptions {
  /** Starts a worker; `warmUp` is the job's QuickJS module, for its warm-up run. */
  start: (warmUp: CompiledWasm) => PacWorker;
  /** How long getting a ready worker may take; default PAC_ENGINE_START_MS. */
  startMs?: number;
  /** Times the grace, drain, share-wait and idle periods and each deadline's timer (tests: fake time). */
  clock?: Clock;
  /** Evaluations running at once; default: the number of cores, from 2 to 4. */
  maxWorkers?: number;
  /** How long an idle worker is kept; default 30 s. */
  idleMs?: number;
}

/**
 * Past the deadline, how long the caller waits for the worker to report that QuickJS
 * interrupted the script (an ordinary endless loop: normally a few ms). If it does, the
 * worker is reused at once, by the very next evaluation.
 */
export const GRACE_MS = 100;
/**
 * After that, how long a worker still has (the caller has its timeout) before it is
 * terminated; a worker that reports in this time is parked (a starved machine is slow).
 */
export const DRAIN_MS = 500;
/**
 * How long an evaluation waits for a worker that is loading for another one before it starts
 * its own: enough for a start on a busy machine plus a normal evaluation (milliseconds), short
 * enough that a first script that runs into its deadline delays the other little.
 */
export const SHARE_WAIT_MS = 1500;
/**
 * How long an evaluation may wait for a ready worker (a free slot, the worker's start and its
 * warm-up) before it gives up without running the script: far more than a start takes on a
 * starved machine (seconds), bounded so a worker that never loads is an error, not a hang.
 */
export const PAC_ENGINE_START_MS = 60_000;

/** Hands a slot to a waiting evaluation, with a worker to reuse or null (start one). */
type Handoff = (thread: PacThread | null) => void;

/** A worker, and whether it has loaded: it says so with a `ready` message. */
class PacThread {
  readonly worker: PacWorker;
  /** Resolves to undefined once the worker is ready, or to why it never will be. */
  readonly ready: Promise<string | undefined>;

  constructor(worker: PacWorker) {
    this.worker = worker;
    // An 'error' event nobody listens to would be thrown in the calling thread; whoever
    // waits on this worker has its own listener and reports it.
    worker.on('error', () => undefined);
    this.ready = new Promise((resolve) => {
      const done = (cause: string | undefined): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(cause);
      };
      const onMessage = (message: unknown): void =>
        done(pacReadySchema.safeParse(message).success ? undefined : 'its first message was not "ready"');
      const onError = (error: Error): void => done(errorMessage(error));
      const onExit = (code: number): void => done(`it exited with code ${code}`);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  /** threadId is -1 once the thread has stopped. */
  get alive(): boolean {
    return this.worker.threadId >= 0;
  }

  stop(): void {
    // Returns at once: the thread is stopped in the background, even mid-computation.
    void this.worker.terminate().catch(() => undefined);
  }
}

interface IdleThread {
  thread: PacThread;
  timer: TimerHandle;
  onExit: () => void;
}

type Fate = 'reuse' | 'stop' | 'kept';

export class PacWorkerPool {
  private readonly start: (warmUp: CompiledWasm) => PacWorker;
  private readonly startMs: number;
  private readonly clock: Clock;
  private readonly maxWorkers: number;
  private readonly idleMs: number;
  private busy = 0;
  private readonly waiting: Handoff[] = [];
  private idle: IdleThread | undefined;
  private nextId = 1;
  /** Workers started and not yet ready (or failed to be). */
  private loading = 0;
  /** Evaluations holding a slot that wait to take over a worker another one started. */
  private readonly sharers: ((thread: PacThread) => void)[] = [];

  constructor(options: PacWorkerPoolOptions) {
    this.start = options.start;
    this.startMs = options.startMs ?? PAC_ENGINE_START_MS;
    this.clock = options.clock ?? systemClock;
    this.maxWorkers = options.maxWorkers ?? Math.min(4, Math.max(2, availableParallelism()));
    this.idleMs = options.idleMs ?? 30_000;
  }

  /** Runs `job` on a worker of its own; the script gets `job.timeoutMs` from the moment the worker has it. */
  async run(job: PacJob): Promise<PacWorkerResult> {
    // The allowance for getting a ready worker; the script's own clock starts at the request.
    const startBy = new Deadline(this.startMs, undefined, this.clock);
    const notStarted: PacWorkerResult = { kind: 'not-started', waitedMs: this.startMs };
    const leased = await this.acquire(startBy);
    if (leased === 'timeout') return notStarted;
    let thread: PacThread;
    try {
      thread = leased ?? (this.loading > 0 ? await this.shareOrStart(startBy, job.wasm) : this.startThread(job.wasm));
    } catch (error) {
      this.release(null);
      return { kind: 'crashed', cause: errorMessage(error) };
    }
    const { result, fate } = await this.evaluateOn(thread, job, startBy, notStarted);
    if (fate === 'stop') thread.stop();
    this.release(fate === 'reuse' ? thread : null);
    return result;
  }

  /** Stops the idle worker (tests, shutdown); running evaluations end at their deadlines. */
  async dispose(): Promise<void> {
    const idle = this.takeIdle();
    if (idle !== null) await idle.worker.terminate().catch(() => undefined);
  }

  private acquire(deadline: Deadline): Promise<PacThread | null | 'timeout'> {
    if (this.busy < this.maxWorkers) {
      this.busy += 1;
      return Promise.resolve(this.takeIdle());
    }
    return new Promise((resolve) => {
      const handoff: Handoff = (thread) => {
        this.clock.clearTimeout(timer);
        resolve(thread);
      };
      const timer = this.clock.setTimeout(() => {
        const index = this.waiting.indexOf(handoff);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve('timeout');
      }, untilDeadline(deadline));
      this.waiting.push(handoff);
    });
  }

  private startThread(warmUp: CompiledWasm): PacThread {
    const thread = new PacThread(this.start(warmUp));
    this.loading += 1;
    void thread.ready.then(() => {
      this.loading -= 1;
    });
    return thread;
  }

  /** The worker another evaluation is loading, once that one is done with it; else, after a while, a new one. */
  private shareOrStart(deadline: Deadline, warmUp: CompiledWasm): Promise<PacThread> {
    return new Promise((resolve, reject) => {
      const take = (thread: PacThread): void => {
        this.clock.clearTimeout(timer);
        resolve(thread);
      };
      const timer = this.clock.setTimeout(() => {
        const index = this.sharers.indexOf(take);
        if (index >= 0) this.sharers.splice(index, 1);
        try {
          resolve(this.startThread(warmUp));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }, Math.max(0, Math.min(SHARE_WAIT_MS, untilDeadline(deadline))));
      this.sharers.push(take);
    });
  }

  /** Hands a reusable worker to an evaluation waiting to share one; false when none waits. */
  private handToSharer(thread: PacThread): boolean {
    if (!thread.alive) return false;
    const sharer = this.sharers.shift();
    if (sharer === undefined) return false;
    sharer(thread);
    return true;
  }

  /** Ends a slot: the next waiting evaluation gets it (and the worker), or the worker idles. */
  private release(thread: PacThread | null): void {
    // A waiting sharer holds a slot already: it takes the worker, and the slot goes on as free.
    if (thread !== null && this.handToSharer(thread)) thread = null;
    const next = this.waiting.shift();
    if (next !== undefined) {
      next(thread);
      return;
    }
    this.busy -= 1;
    if (thread !== null) this.park(thread);
  }

  private park(thread: PacThread): void {
    if (this.handToSharer(thread)) return;
    if (this.idle !== undefined || !thread.alive) {
      thread.stop();
      return;
    }
    thread.worker.unref();
    const onExit = (): void => {
      if (this.idle?.thread === thread) this.takeIdle();
    };
    const timer = this.clock.setTimeout(() => this.takeIdle()?.stop(), this.idleMs);
    timer.unref();
    thread.worker.once('exit', onExit);
    this.idle = { thread, timer, onExit };
  }

  private takeIdle(): PacThread | null {
    const idle = this.idle;
    if (idle === undefined) return null;
    this.idle = undefined;
    this.clock.clearTimeout(idle.timer);
    idle.thread.worker.off('exit', idle.onExit);
    return idle.thread.alive ? idle.thread : null;
  }

  /**
   * Runs one request on `thread`. The caller learns the result, and whether the worker can be
   * reused ('reuse'), must be stopped ('stop'), or is no longer its business ('kept').
   * - A worker still loading when the start allowance ends is innocent: the caller gets
   *   `not-started`, and the worker is parked once it is ready.
   * - The script's own time starts with the request. A worker running the script past it has
   *   GRACE_MS, then (with the caller answered) DRAIN_MS, to report that QuickJS interrupted
   *   the script; one still busy then (one endless built-in call) is terminated.
   */
  private async evaluateOn(thread: PacThread, job: PacJob, startBy: Deadline, notStarted: PacWorkerResult): Promise<{ result: PacWorkerResult; fate: Fate }> {
    const readiness = await waitUntilReady(thread, startBy, this.clock);
    if (readiness === 'timeout') {
      // Not this worker's fault; it must not keep an exiting process alive meanwhile.
      thread.worker.unref();
      void thread.ready.then((cause) => (cause === undefined ? this.park(thread) : thread.stop()));
      return { result: notStarted, fate: 'kept' };
    }
    if (readiness !== 'ready') return { result: { kind: 'crashed', cause: readiness.cause }, fate: 'stop' };
    return this.send(thread, job, new Deadline(job.timeoutMs, undefined, this.clock));
  }

  private send(thread: PacThread, job: PacJob, deadline: Deadline): Promise<{ result: PacWorkerResult; fate: Fate }> {
    const worker = thread.worker;
    const id = this.nextId++;
    return new Promise((resolve) => {
      let phase: 'running' | 'grace' | 'draining' = 'running';
      let done = false;
      const conclude = (result: PacWorkerResult, reusable: boolean): void => {
        if (done) return;
        done = true;
        this.clock.clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('messageerror', onMessageError);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (phase !== 'draining') {
          // Past the deadline the caller's answer is a timeout, whatever the worker said.
          resolve({ result: phase === 'grace' ? { kind: 'timeout' } : result, fate: reusable ? 'reuse' : 'stop' });
        } else if (reusable) {
          this.park(thread);
        } else {
          thread.stop();
        }
      };
      const onDeadline = (): void => {
        if (phase === 'running') {
          phase = 'grace';
          timer = this.clock.setTimeout(onDeadline, GRACE_MS);
        } else if (phase === 'grace') {
          phase = 'draining';
          worker.unref();
          resolve({ result: { kind: 'timeout' }, fate: 'kept' });
          timer = this.clock.setTimeout(onDeadline, DRAIN_MS);
        } else {
          conclude({ kind: 'timeout' }, false);
        }
      };
      const onMessage = (message: unknown): void => {
        const reply = pacReplySchema.safeParse(message);
        if (!reply.success || reply.data.id !== id) {
          conclude({ kind: 'crashed', cause: 'it sent a message that is not the answer to the request' }, false);
          return;
        }
        // A worker whose engine failed is not reused.
        conclude({ kind: 'outcome', outcome: reply.data.outcome }, reply.data.outcome.kind !== 'engine-failed');
      };
      const onMessageError = (error: Error): void => conclude({ kind: 'crashed', cause: `its answer could not be read (${errorMessage(error)})` }, false);
      const onError = (error: Error): void => conclude({ kind: 'crashed', cause: errorMessage(error) }, false);
      const onExit = (code: number): void => conclude({ kind: 'crashed', cause: `it exited with code ${code}` }, false);
      let timer = this.clock.setTimeout(onDeadline, untilDeadline(deadline));

      worker.on('message', onMessage);
      worker.on('messageerror', onMessageError);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.ref();
      const request: PacRequest = { type: 'evaluate', id, ...job };
      try {
        worker.postMessage(request);
      } catch (error) {
        conclude({ kind: 'crashed', cause: `the request could not be sent (${errorMessage(error)})` }, false);
      }
    });
  }
}

/** 'ready', 'timeout' (the deadline passed first), or why the worker will never be ready. */
function waitUntilReady(thread: PacThread, deadline: Deadline, clock: Clock): Promise<'ready' | 'timeout' | { cause: string }> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(() => resolve('timeout'), untilDeadline(deadline));
    void thread.ready.then((cause) => {
      clock.clearTimeout(timer);
      resolve(cause === undefined ? 'ready' : { cause });
    });
  });
}

/** Time left on the deadline as a timer delay (a PAC deadline is seconds, never weeks). */
function untilDeadline(deadline: Deadline): number {
  return Math.min(MAX_TIMER_MS, deadline.remaining());
}
