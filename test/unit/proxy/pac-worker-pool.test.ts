/**
 * The PAC worker pool's timing rules on fake time, with fake workers: which answer each caller
 * gets, and which worker is reused, parked or terminated, at each step. A script's time counts
 * from its request; getting a ready worker has its own allowance (startMs). The real worker thread
 * is exercised in test/net/proxy/pac-worker.test.ts.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DRAIN_MS, GRACE_MS, PacWorkerPool, SHARE_WAIT_MS, type PacJob, type PacWorker, type PacWorkerResult } from '../../../src-main/core/proxy/pac-worker-pool';
import { pacRequestSchema, type PacOutcome, type PacRequest } from '../../../src-main/core/proxy/pac-worker-protocol';
import type { CompiledWasm } from '../../../src-main/core/proxy/quickjs-wasm';
import { ManualClock } from '../../support/manual-clock';

/** A worker thread that does what the test tells it to, when it tells it to. */
class FakeWorker extends EventEmitter implements PacWorker {
  threadId = 1;
  referenced = true;
  readonly requests: PacRequest[] = [];

  /** The module the pool gave it to warm up with. */
  constructor(readonly warmUp: CompiledWasm) {
    super();
  }

  postMessage(message: PacRequest): void {
    // What the pool sends must be what the real worker accepts.
    this.requests.push(pacRequestSchema.parse(message));
  }

  ref(): void {
    this.referenced = true;
  }

  unref(): void {
    this.referenced = false;
  }

  terminate(): Promise<number> {
    this.stop(1);
    return Promise.resolve(1);
  }

  get stopped(): boolean {
    return this.threadId < 0;
  }

  /** Says it has loaded, as pac-worker.ts does. */
  ready(): void {
    this.emit('message', { type: 'ready' });
  }

  /** Answers the last request. */
  reply(outcome: PacOutcome): void {
    const request = this.requests.at(-1);
    if (request === undefined) throw new Error('the fake worker has no request to answer');
    this.emit('message', { type: 'outcome', id: request.id, outcome });
  }

  stop(code: number): void {
    if (this.stopped) return;
    this.threadId = -1;
    this.emit('exit', code);
  }
}

/** Lets the pool's promise jobs run (a message or a timer → its reaction). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

function watch(promise: Promise<PacWorkerResult>): () => PacWorkerResult | 'pending' {
  let state: PacWorkerResult | 'pending' = 'pending';
  void promise.then((result) => (state = result));
  return () => state;
}

const ANSWER: PacOutcome = { kind: 'answer', answer: 'DIRECT' };
// Node has the WebAssembly global; this project's TypeScript libs do not declare it (see quickjs-wasm.ts).
declare const WebAssembly: { Module: new (bytes: Uint8Array) => CompiledWasm };
// A compiled module as the real pool sends it; the fake worker only checks its type.
const wasm = new WebAssembly.Module(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

function setup(options: { maxWorkers?: number; idleMs?: number; startMs?: number } = {}) {
  const clock = new ManualClock();
  const workers: FakeWorker[] = [];
  const pool = new PacWorkerPool({
    ...options,
    clock,
    start: (warmUp) => {
      const worker = new FakeWorker(warmUp);
      workers.push(worker);
      return worker;
    },
  });
  /** An evaluation whose script has `ms` of its own. */
  const run = (ms: number) => {
    const job: PacJob = { wasm, script: 'function FindProxyForURL() { return "DIRECT"; }', url: 'https://a.example/', host: 'a.example', timeoutMs: ms };
    return watch(pool.run(job));
  };
  // One millisecond at a time, with the pool's reactions in between: a timer set by a
  // reaction (the grace period after the deadline) then falls due at the right time.
  const advance = async (ms: number): Promise<void> => {
    await settle();
    for (let step = 0; step < ms; step += 1) {
      clock.advance(1);
      await settle();
    }
  };
  const worker = (index: number): FakeWorker => {
    const found = workers[index];
    if (found === undefined) throw new Error(`worker ${index} was never started (${workers.length} were)`);
    return found;
  };
  return { clock, pool, workers, worker, run, advance };
}

describe('PacWorkerPool on fake time', () => {
  it('answers when the worker does, and reuses the worker for the next evaluation', async () => {
    const { run, worker, workers, advance } = setup();
    const first = run(1_000);
    await settle();
    worker(0).ready();
    await settle();
    expect(worker(0).requests).toHaveLength(1);
    worker(0).reply(ANSWER);
    await settle();
    expect(first()).toEqual({ kind: 'outcome', outcome: ANSWER });

    const second = run(1_000);
    await settle();
    worker(0).reply({ kind: 'answer', answer: 'PROXY b:1' });
    await settle();
    expect(second()).toEqual({ kind: 'outcome', outcome: { kind: 'answer', answer: 'PROXY b:1' } });
    expect(workers).toHaveLength(1);
    await advance(0);
  });

  it('a worker that QuickJS interrupted within the grace period: the caller gets a timeout, the worker is reused', async () => {
    const { run, worker, workers, advance } = setup();
    const result = run(1_000);
    await settle();
    worker(0).ready();
    await settle();
    await advance(999);
    expect(result()).toBe('pending');
    await advance(1);
    // The deadline has passed; the caller waits for the grace period.
    expect(result()).toBe('pending');
    await advance(GRACE_MS - 1);
    worker(0).reply({ kind: 'timeout' });
    await settle();
    expect(result()).toEqual({ kind: 'timeout' });
    expect(worker(0).stopped).toBe(false);

    const next = run(1_000);
    await settle();
    worker(0).reply(ANSWER);
    await settle();
    expect(next()).toEqual({ kind: 'outcome', outcome: ANSWER });
    expect(workers).toHaveLength(1);
  });

  it('a worker still busy after the grace period: the caller gets its timeout then; a report during the drain parks the worker', async () => {
    const { run, worker, workers, advance } = setup();
    const result = run(500);
    await settle();
    worker(0).ready();
    await settle();
    await advance(500 + GRACE_MS - 1);
    expect(result()).toBe('pending');
    await advance(1);
    expect(result()).toEqual({ kind: 'timeout' });
    // Not keeping the process alive while it drains.
    expect(worker(0).referenced).toBe(false);
    await advance(DRAIN_MS - 1);
    worker(0).reply({ kind: 'timeout' });
    await settle();
    expect(worker(0).stopped).toBe(false);

    const next = run(1_000);
    await settle();
    worker(0).reply(ANSWER);
    await settle();
    expect(next()).toEqual({ kind: 'outcome', outcome: ANSWER });
    expect(workers).toHaveLength(1);
  });

  it('a worker silent through the grace period and the drain is terminated; the next evaluation starts a new one', async () => {
    const { run, worker, workers, advance } = setup();
    const result = run(500);
    await settle();
    worker(0).ready();
    await settle();
    await advance(500 + GRACE_MS);
    expect(result()).toEqual({ kind: 'timeout' });
    await advance(DRAIN_MS - 1);
    expect(worker(0).stopped).toBe(false);
    await advance(1);
    expect(worker(0).stopped).toBe(true);

    const next = run(1_000);
    await settle();
    expect(workers).toHaveLength(2);
    worker(1).ready();
    await settle();
    worker(1).reply(ANSWER);
    await settle();
    expect(next()).toEqual({ kind: 'outcome', outcome: ANSWER });
  });

  it.each([
    ['exits', (w: FakeWorker) => w.stop(3), 'it exited with code 3'],
    ['throws', (w: FakeWorker) => w.emit('error', new Error('worker blew up')), 'worker blew up'],
    ['answers something that is not an answer', (w: FakeWorker) => w.emit('message', { type: 'outcome', id: w.requests[0]?.id, outcome: { kind: 'answer', answer: 42 } }), 'not the answer to the request'],
    ['answers another request', (w: FakeWorker) => w.emit('message', { type: 'outcome', id: (w.requests[0]?.id ?? 0) + 1, outcome: ANSWER }), 'not the answer to the request'],
    ['sends a message that cannot be read', (w: FakeWorker) => w.emit('messageerror', new Error('bad clone')), 'its answer could not be read (bad clone)'],
  ])('a worker that %s: crashed at once, before the deadline, and stopped', async (_name, misbehave, cause) => {
    const { run, worker, workers } = setup();
    const result = run(10_000);
    await settle();
    worker(0).ready();
    await settle();
    misbehave(worker(0));
    await settle();
    expect(result()).toEqual({ kind: 'crashed', cause: expect.stringContaining(cause) });
    expect(worker(0).stopped).toBe(true);
    run(10_000);
    await settle();
    expect(workers).toHaveLength(2);
  });

  it.each([
    ['starts with something other than "ready"', (w: FakeWorker) => w.emit('message', { type: 'outcome', id: 1 }), 'its first message was not "ready"'],
    ['dies while loading', (w: FakeWorker) => w.stop(4), 'it exited with code 4'],
    ['fails to load', (w: FakeWorker) => w.emit('error', new Error("Cannot find module './no-such-module.mjs'")), 'no-such-module.mjs'],
  ])('a worker that %s: crashed at once', async (_name, misbehave, cause) => {
    const { run, worker } = setup();
    const result = run(10_000);
    await settle();
    misbehave(worker(0));
    await settle();
    expect(result()).toEqual({ kind: 'crashed', cause: expect.stringContaining(cause) });
  });

  it('a worker that cannot be started at all: crashed, with why', async () => {
    const clock = new ManualClock();
    const pool = new PacWorkerPool({
      clock,
      start: () => {
        throw new Error('the PAC worker code is missing');
      },
    });
    const result = watch(pool.run({ wasm, script: '', url: 'https://a.example/', host: 'a.example', timeoutMs: 1_000 }));
    await settle();
    expect(result()).toEqual({ kind: 'crashed', cause: 'the PAC worker code is missing' });
  });

  it('a worker slower to start than the script’s time: the script’s time starts with the request, so it answers', async () => {
    const { run, worker, workers, advance } = setup({ startMs: 5_000 });
    const result = run(300);
    await settle();
    // Started with the job's QuickJS module, to warm up with before it says ready.
    expect(worker(0).warmUp).toBe(wasm);
    // A starved machine: the worker loads (and warms up) for ten times the script's time.
    await advance(3_000);
    expect(result()).toBe('pending');
    expect(worker(0).requests).toHaveLength(0);
    worker(0).ready();
    await settle();
    expect(worker(0).requests.map((r) => r.timeoutMs)).toEqual([300]);
    await advance(299);
    worker(0).reply(ANSWER);
    await settle();
    expect(result()).toEqual({ kind: 'outcome', outcome: ANSWER });
    expect(workers).toHaveLength(1);
  });

  it('the script’s own time still ends it: timeoutMs after the request (plus the grace), however late the worker was ready', async () => {
    const { run, worker, advance } = setup({ startMs: 5_000 });
    const result = run(300);
    await advance(2_000);
    worker(0).ready();
    await settle();
    await advance(300 + GRACE_MS - 1);
    expect(result()).toBe('pending');
    await advance(1);
    expect(result()).toEqual({ kind: 'timeout' });
  });

  it('a worker not ready within startMs: not-started (the script never ran); the worker is parked once ready and reused', async () => {
    const { run, worker, workers, advance } = setup({ startMs: 5_000 });
    const result = run(300);
    await advance(4_999);
    expect(result()).toBe('pending');
    await advance(1);
    expect(result()).toEqual({ kind: 'not-started', waitedMs: 5_000 });
    expect(worker(0).requests).toHaveLength(0);
    expect(worker(0).stopped).toBe(false);
    worker(0).ready();
    await settle();
    const next = run(1_000);
    await settle();
    worker(0).reply(ANSWER);
    await settle();
    expect(next()).toEqual({ kind: 'outcome', outcome: ANSWER });
    expect(workers).toHaveLength(1);
  });

  it('with every worker busy, a waiting evaluation’s time starts when it gets the worker; it gives up only after startMs', async () => {
    const { run, worker, workers, advance } = setup({ maxWorkers: 1, startMs: 5_000 });
    const busy = run(10_000);
    await settle();
    worker(0).ready();
    const short = run(300);
    await advance(2_000);
    // Waited longer than its own time: not counted against it.
    expect(short()).toBe('pending');
    worker(0).reply(ANSWER);
    await settle();
    expect(busy()).toEqual({ kind: 'outcome', outcome: ANSWER });
    // It took over the same worker and now has its 300 ms.
    await advance(299);
    worker(0).reply({ kind: 'answer', answer: 'PROXY short:1' });
    await settle();
    expect(short()).toEqual({ kind: 'outcome', outcome: { kind: 'answer', answer: 'PROXY short:1' } });
    expect(workers).toHaveLength(1);

    // A slot held past startMs: the waiting one gives up, without running its script.
    const held = run(10_000);
    await settle();
    const waiting = run(300);
    await advance(5_000);
    expect(waiting()).toEqual({ kind: 'not-started', waitedMs: 5_000 });
    worker(0).reply(ANSWER);
    await settle();
    expect(held()).toEqual({ kind: 'outcome', outcome: ANSWER });
  });

  it('two evaluations on a cold pool share the one worker being loaded, one after the other', async () => {
    const { run, worker, workers } = setup();
    const a = run(20_000);
    const b = run(20_000);
    await settle();
    expect(workers).toHaveLength(1);
    worker(0).ready();
    await settle();
    worker(0).reply(ANSWER);
    await settle();
    expect(a()).toEqual({ kind: 'outcome', outcome: ANSWER });
    worker(0).reply({ kind: 'answer', answer: 'PROXY b:1' });
    await settle();
    expect(b()).toEqual({ kind: 'outcome', outcome: { kind: 'answer', answer: 'PROXY b:1' } });
    expect(workers).toHaveLength(1);
  });

  it('stops waiting for a loading worker after SHARE_WAIT_MS and starts its own', async () => {
    const { run, worker, workers, advance } = setup();
    run(20_000);
    const second = run(20_000);
    await advance(SHARE_WAIT_MS - 1);
    expect(workers).toHaveLength(1);
    await advance(1);
    expect(workers).toHaveLength(2);
    worker(1).ready();
    await settle();
    worker(1).reply(ANSWER);
    await settle();
    expect(second()).toEqual({ kind: 'outcome', outcome: ANSWER });
  });

  it('stops an idle worker after the quiet spell, unref-ed meanwhile', async () => {
    const { run, worker, advance } = setup({ idleMs: 30_000 });
    run(1_000);
    await settle();
    worker(0).ready();
    await settle();
    worker(0).reply(ANSWER);
    await settle();
    expect(worker(0).referenced).toBe(false);
    await advance(29_999);
    expect(worker(0).stopped).toBe(false);
    await advance(1);
    expect(worker(0).stopped).toBe(true);
  });

  it('dispose() stops the idle worker and leaves no timer behind', async () => {
    const { clock, pool, run, worker } = setup();
    run(1_000);
    await settle();
    worker(0).ready();
    await settle();
    worker(0).reply(ANSWER);
    await settle();
    await pool.dispose();
    expect(worker(0).stopped).toBe(true);
    expect(clock.pending).toBe(0);
  });
});
