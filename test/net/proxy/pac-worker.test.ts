/**
 * PAC evaluation runs in a worker thread that is terminated at the deadline: a hostile script
 * must never hold the calling thread (in the desktop app, Electron's main process). These
 * tests run the real worker from the sources (pac-worker-start.ts loads it through tsx) and
 * assert what happened (which answer, which worker), never how long it took: the pool's timing
 * rules are tested on fake time in test/unit/proxy/pac-worker-pool.test.ts, and how long the
 * calling thread pauses is measured by `npm run bench -- 6`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src-main/shared/errors';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { disposePacWorkers, evaluatePac } from '../../../src-main/core/proxy/pac-script';
import { PacWorkerPool, type PacJob, type PacWorker, type PacWorkerPoolOptions } from '../../../src-main/core/proxy/pac-worker-pool';
import { startPacWorker } from '../../../src-main/core/proxy/pac-worker-start';
import { quickJsModule, type CompiledWasm } from '../../../src-main/core/proxy/quickjs-wasm';
import { resolveProxy } from '../../../src-main/core/proxy/resolve';
import { ManualClock } from '../../support/manual-clock';

const GOOD_PAC = 'function FindProxyForURL(url, host) { return "PROXY pac.corp:3128; DIRECT"; }';
/** One built-in call that runs for tens of seconds: QuickJS never polls its interrupt handler inside it. */
const ONE_LONG_CALL = 'function FindProxyForURL(url, host) { return new Array(1e9).join(); }';
/** Few loop steps, each one long: QuickJS polls its interrupt handler only every ~10,000 steps. */
const EXPENSIVE_STEPS = 'function FindProxyForURL(url, host) { var n = 0; for (;;) { n += new Array(4e6).join("x").length; } }';

const pools: PacWorkerPool[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
let dir: string;
let wasm: CompiledWasm;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  dir = await mkdtemp(join(tmpdir(), 'tunnelscope-pac-worker-'));
  wasm = await quickJsModule();
  // Start the shared worker (and compile QuickJS) once, so short deadlines below measure the
  // scripts, not the start-up.
  await evaluatePac({ kind: 'script', script: GOOD_PAC }, 'https://warm.example/', 'warm.example', 30_000);
});

afterEach(() => {
  expect(unhandled).toEqual([]);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await Promise.all(pools.map((pool) => pool.dispose()));
  await disposePacWorkers();
  await rm(dir, { recursive: true, force: true });
});

/** A pool that records the workers it starts (to see reuse and termination). */
function recordingPool(options: Partial<PacWorkerPoolOptions> = {}): { pool: PacWorkerPool; started: PacWorker[] } {
  const started: PacWorker[] = [];
  const start = options.start ?? startPacWorker;
  const pool = new PacWorkerPool({
    ...options,
    start: (warmUp) => {
      const worker = start(warmUp);
      started.push(worker);
      return worker;
    },
  });
  pools.push(pool);
  return { pool, started };
}

/** A request whose script has `timeoutMs` of its own, counted in the worker from the request on. */
function job(script: string, timeoutMs: number): PacJob {
  return { wasm, script, url: 'https://echo.example/', host: 'echo.example', timeoutMs };
}

/** Resolves once the worker's thread has stopped (threadId is -1 once it has). */
function exited(worker: PacWorker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.threadId < 0) resolve();
    else worker.once('exit', () => resolve());
  });
}

/** Counts turns of the calling thread's event loop until stopped: a blocked thread makes none. */
function turnCounter(): { stop(): number } {
  let turns = 0;
  let running = true;
  const turn = (): void => {
    if (!running) return;
    turns += 1;
    setImmediate(turn);
  };
  setImmediate(turn);
  return {
    stop(): number {
      running = false;
      return turns;
    },
  };
}

async function expectPacFailure(script: string, timeoutMs: number, code: ErrorCode, text: string): Promise<NetFailure> {
  let caught: unknown;
  try {
    await evaluatePac({ kind: 'script', script }, 'https://echo.example/', 'echo.example', timeoutMs);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(NetFailure);
  if (!(caught instanceof NetFailure)) throw new Error('expected a NetFailure');
  expect(caught.netError.stage).toBe('resolve');
  expect(caught.netError.code).toBe(code);
  expect(caught.netError.message).toContain(text);
  return caught;
}

describe('a hostile PAC script does not hold the calling thread', () => {
  it.each([
    ['one built-in call that runs for tens of seconds (new Array(1e9).join())', ONE_LONG_CALL],
    ['a loop whose every step is expensive', EXPENSIVE_STEPS],
  ])('%s: ends with the timeout error while the calling thread keeps turning', async (_name, script) => {
    // A warm worker (the previous case's was terminated), so the script itself runs into the deadline.
    await evaluatePac({ kind: 'script', script: GOOD_PAC }, 'https://warm.example/', 'warm.example', 30_000);
    const counter = turnCounter();
    const failure = await expectPacFailure(script, 1_000, 'PAC_EVALUATION_FAILED', 'The PAC script (inline script) did not finish within 1000 ms.');
    const turns = counter.stop();
    expect(failure.netError.details.timeoutMs).toBe(1_000);
    // Run on the calling thread, these scripts would block it for 20-60 s: not one turn in between.
    // (How long its pauses are is a speed figure: `npm run bench -- 6`.)
    expect(turns).toBeGreaterThan(10);
  });

  it('terminates the worker of a script still busy after its deadline, and starts a new one next time', async () => {
    const { pool, started } = recordingPool();
    // Loaded first, so the hostile script really runs in it.
    await pool.run(job(GOOD_PAC, 30_000));
    expect(await pool.run(job(ONE_LONG_CALL, 500))).toEqual({ kind: 'timeout' });
    expect(started).toHaveLength(1);
    // Terminated, not left burning a core (it would run ~20 s more): it exits.
    const [hostile] = started;
    if (hostile === undefined) throw new Error('no worker started');
    await exited(hostile);

    expect(await pool.run(job(GOOD_PAC, 30_000))).toEqual({ kind: 'outcome', outcome: { kind: 'answer', answer: 'PROXY pac.corp:3128; DIRECT' } });
    expect(started).toHaveLength(2);
  });

  it('keeps the worker of a script that QuickJS interrupted (an ordinary endless loop), and reuses it', async () => {
    // The pool's timers on a clock that does not move: only QuickJS in the worker (real time,
    // from the request on) can end the loop, so its report decides, on any machine.
    const clock = new ManualClock();
    const { pool, started } = recordingPool({ clock });
    const run = (script: string, ms: number) => pool.run(job(script, ms));
    await run(GOOD_PAC, 30_000);
    expect(await run('function FindProxyForURL(u, h) { while (true) {} }', 300)).toEqual({ kind: 'outcome', outcome: { kind: 'timeout' } });
    expect(await run(GOOD_PAC, 30_000)).toMatchObject({ kind: 'outcome', outcome: { kind: 'answer' } });
    expect(started).toHaveLength(1);
  });

  it('reuses one worker for scripts that end in time, each in a fresh VM', async () => {
    const { pool, started } = recordingPool();
    const results = [];
    for (const script of [
      'var leaked = "PROXY leak:1"; function FindProxyForURL(u, h) { return "DIRECT"; }',
      'function FindProxyForURL(u, h) { return typeof leaked === "undefined" ? "DIRECT" : leaked; }',
      'function FindProxyForURL(u, h) { throw new Error("boom"); }',
      'function FindProxyForURL(u, h) { return "PROXY after:1"; }',
    ]) {
      results.push(await pool.run(job(script, 30_000)));
    }
    expect(results).toEqual([
      { kind: 'outcome', outcome: { kind: 'answer', answer: 'DIRECT' } },
      { kind: 'outcome', outcome: { kind: 'answer', answer: 'DIRECT' } },
      { kind: 'outcome', outcome: { kind: 'failed', description: 'boom' } },
      { kind: 'outcome', outcome: { kind: 'answer', answer: 'PROXY after:1' } },
    ]);
    expect(started).toHaveLength(1);
    await pool.dispose();
    const [worker] = started;
    if (worker === undefined) throw new Error('no worker started');
    await exited(worker);
  });
});

describe('a PAC worker that crashes', () => {
  async function fixture(name: string, code: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, `import { parentPort } from 'node:worker_threads';\n${code}\n`);
    return path;
  }

  // Each says "ready" as the real worker does, then misbehaves when asked.
  const READY = 'parentPort.postMessage({ type: "ready" });';
  it.each([
    ['exits', `parentPort.on("message", () => process.exit(3)); ${READY}`, 'it exited with code 3'],
    ['throws', `parentPort.on("message", () => { throw new Error("worker blew up"); }); ${READY}`, 'worker blew up'],
    ['answers something that is not an answer', `parentPort.on("message", (m) => parentPort.postMessage({ type: "outcome", id: m.id, outcome: { kind: "answer", answer: 42 } })); ${READY}`, 'not the answer to the request'],
    ['answers another request', `parentPort.on("message", (m) => parentPort.postMessage({ type: "outcome", id: m.id + 1, outcome: { kind: "answer", answer: "DIRECT" } })); ${READY}`, 'not the answer to the request'],
    ['starts with something other than "ready"', 'parentPort.postMessage({ type: "outcome", id: 1 });', 'its first message was not "ready"'],
    ['dies while loading', 'process.exit(4);', 'it exited with code 4'],
    ['fails to load', 'import "./no-such-module.mjs";', 'no-such-module.mjs'],
  ])('%s: a clear PAC_EVALUATION_FAILED at once, and the next evaluation gets a new worker', async (name, code, cause) => {
    const path = await fixture(`${name.replace(/\W+/g, '-')}.mjs`, code);
    const { pool, started } = recordingPool({ start: () => new Worker(path) });
    let caught: unknown;
    try {
      await evaluatePac({ kind: 'script', script: GOOD_PAC }, 'https://echo.example/', 'echo.example', 30_000, pool);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NetFailure);
    if (!(caught instanceof NetFailure)) throw new Error('expected a NetFailure');
    expect(caught.netError).toMatchObject({ stage: 'resolve', code: 'PAC_EVALUATION_FAILED', details: { causeMessage: expect.stringContaining(cause) } });
    expect(caught.netError.message).toContain('The PAC engine stopped while running the PAC script (inline script): ');
    expect(caught.netError.message).toContain(cause);
    // Noticed when it happens: a crash, not the deadline's timeout error.
    expect(caught.netError.details.timeoutMs).toBeUndefined();
    await expect(evaluatePac({ kind: 'script', script: GOOD_PAC }, 'https://echo.example/', 'echo.example', 30_000, pool)).rejects.toBeInstanceOf(NetFailure);
    expect(started).toHaveLength(2);
  });

  it('a worker that cannot be started at all', async () => {
    const pool = new PacWorkerPool({
      start: () => {
        throw new Error('the PAC worker code is missing');
      },
    });
    pools.push(pool);
    expect(await pool.run(job(GOOD_PAC, 1_000))).toEqual({ kind: 'crashed', cause: 'the PAC worker code is missing' });
  });
});

describe('many evaluations at once', () => {
  it('each gets its own answer, with hostile scripts among them', { timeout: 40_000 }, async () => {
    // The hostile scripts first, so they hold workers while the others queue. The long
    // deadline is for a starved machine, where starting a worker from the sources (tsx) can
    // take seconds; this case is about every answer reaching its own caller.
    const hostile = [ONE_LONG_CALL, EXPENSIVE_STEPS].map((script) => expectPacFailure(script, 800, 'PAC_EVALUATION_FAILED', 'did not finish within 800 ms'));
    const good = Array.from({ length: 24 }, (_unused, i) =>
      resolveProxy(`wss://host${i}.example/`, { mode: 'pac', source: { kind: 'script', script: `function FindProxyForURL(url, host) { return "PROXY p${i}.corp:" + (1000 + ${i}) + "; DIRECT"; }` } }, undefined, { env: {}, pacTimeoutMs: 30_000 }),
    );
    const answers = await Promise.all(good);
    const failures = await Promise.all(hostile);
    answers.forEach((answer, i) => {
      expect(answer.decision.reason).toBe(`PAC returned "PROXY p${i}.corp:${1000 + i}; DIRECT" (inline script)`);
    });
    for (const failure of failures) expect(failure.netError.details.timeoutMs).toBe(800);
  });

  it('two at once on a cold pool share the one worker being loaded, one after the other', async () => {
    // The pool's share wait on a clock that does not move: however slowly the worker starts on
    // a busy machine, the second evaluation waits for it (giving up is tested on fake time).
    const clock = new ManualClock();
    const { pool, started } = recordingPool({ clock });
    const run = () => pool.run(job(GOOD_PAC, 20_000));
    const answers = await Promise.all([run(), run()]);
    for (const answer of answers) expect(answer).toMatchObject({ kind: 'outcome', outcome: { kind: 'answer' } });
    expect(started).toHaveLength(1);
  });

  it('does not wait long for a loading worker whose first script runs into its deadline', async () => {
    const { pool, started } = recordingPool();
    const hostile = pool.run(job(ONE_LONG_CALL, 20_000));
    expect(await pool.run(job(GOOD_PAC, 20_000))).toMatchObject({ kind: 'outcome', outcome: { kind: 'answer' } });
    // It gave up sharing (after SHARE_WAIT_MS: pac-worker-pool.test.ts) and started a worker of its own.
    expect(started).toHaveLength(2);
    started[0]?.terminate().catch(() => undefined);
    expect(await hostile).toMatchObject({ kind: 'crashed' });
  });

  it('a queued evaluation waits for a free worker, and its script’s time starts only when it has one', async () => {
    const { pool } = recordingPool({ maxWorkers: 1 });
    const hostile = pool.run(job(ONE_LONG_CALL, 600));
    // Queued behind the hostile script, with a shorter time of its own than the wait: the wait
    // is not the script's, so it still runs and answers once the hostile worker is gone.
    expect(await pool.run(job(GOOD_PAC, 300))).toMatchObject({ kind: 'outcome', outcome: { kind: 'answer' } });
    expect(await hostile).toEqual({ kind: 'timeout' });
  });
});

describe("a PAC script's myIpAddress()", () => {
  // The route probe is 127.0.0.1 here (tests touch no other address); in the app it is 8.8.8.8,
  // which only picks a route: a UDP connect sends nothing.
  const withProbe = (script: string, timeoutMs: number): PacJob => ({ ...job(script, timeoutMs), routeProbe: '127.0.0.1' });

  it('answers the local address towards the probe, at once, without pac-resolver\'s TCP connection', async () => {
    const { pool } = recordingPool();
    // A deadline the evaluation never reaches unless it waits on the network.
    const result = await pool.run(withProbe('function FindProxyForURL(url, host) { return "PROXY " + myIpAddress() + ":3128"; }', 30_000));
    expect(result).toEqual({ kind: 'outcome', outcome: { kind: 'answer', answer: 'PROXY 127.0.0.1:3128' } });
  });

  it('works inside isInNet, as corporate PAC files use it', async () => {
    const { pool } = recordingPool();
    const script = 'function FindProxyForURL(url, host) { return isInNet(myIpAddress(), "127.0.0.0", "255.0.0.0") ? "PROXY office.corp:8080" : "DIRECT"; }';
    expect(await pool.run(withProbe(script, 30_000))).toEqual({ kind: 'outcome', outcome: { kind: 'answer', answer: 'PROXY office.corp:8080' } });
  });
});
