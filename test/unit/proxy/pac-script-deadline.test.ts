/**
 * evaluatePac's deadline counts fetching the script and running it, not the PAC engine's
 * start-up: on fake time (the pool's and evaluatePac's clock), with fake workers, a worker that
 * takes longer to start than the whole deadline still gets the script's full time, and an engine
 * that never starts is said as such, not as the script's timeout. (The QuickJS compile is real:
 * it happens once per process and is not on the fake clock.)
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { evaluatePac } from '../../../src-main/core/proxy/pac-script';
import { PacWorkerPool, type PacWorker } from '../../../src-main/core/proxy/pac-worker-pool';
import { pacRequestSchema, type PacRequest } from '../../../src-main/core/proxy/pac-worker-protocol';
import { ManualClock } from '../../support/manual-clock';
import { waitUntil } from '../../support/wait-until';

class FakeWorker extends EventEmitter implements PacWorker {
  threadId = 1;
  readonly requests: PacRequest[] = [];
  postMessage(message: PacRequest): void {
    this.requests.push(pacRequestSchema.parse(message));
  }
  ref(): void {}
  unref(): void {}
  terminate(): Promise<number> {
    this.threadId = -1;
    this.emit('exit', 1);
    return Promise.resolve(1);
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

function fixture(startMs?: number) {
  const clock = new ManualClock();
  const workers: FakeWorker[] = [];
  const pool = new PacWorkerPool({
    clock,
    ...(startMs !== undefined ? { startMs } : {}),
    start: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
  });
  const advance = async (ms: number): Promise<void> => {
    for (let step = 0; step < ms; step += 100) {
      clock.advance(100);
      await settle();
    }
  };
  return { clock, pool, workers, advance };
}

const SCRIPT = { kind: 'script' as const, script: 'function FindProxyForURL(url, host) { return "PROXY a.corp:3128"; }' };

describe('evaluatePac: the PAC deadline and the engine’s start-up', () => {
  it('a worker that takes 15 s to start on a 10 s deadline: the script still gets its 10 s and answers', async () => {
    const { clock, pool, workers, advance } = fixture();
    const evaluation = evaluatePac(SCRIPT, 'https://x.example/', 'x.example', 10_000, pool, clock);
    const worker = await waitUntil('a worker started', () => workers[0]);
    await advance(15_000);
    worker.emit('message', { type: 'ready' });
    await settle();
    const [request] = worker.requests;
    if (request === undefined) throw new Error('no request was sent');
    // Nothing was fetched: the script's time is the whole deadline.
    expect(request.timeoutMs).toBe(10_000);
    await advance(9_900);
    worker.emit('message', { type: 'outcome', id: request.id, outcome: { kind: 'answer', answer: 'PROXY a.corp:3128' } });
    await expect(evaluation).resolves.toMatchObject({ answer: 'PROXY a.corp:3128', origin: 'inline script' });
  });

  it('the script past its own time is the PAC timeout, naming the deadline', async () => {
    const { clock, pool, workers, advance } = fixture();
    const evaluation = evaluatePac(SCRIPT, 'https://x.example/', 'x.example', 10_000, pool, clock);
    evaluation.catch(() => undefined);
    const worker = await waitUntil('a worker started', () => workers[0]);
    await advance(15_000);
    worker.emit('message', { type: 'ready' });
    await advance(10_200);
    const failure = await evaluation.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(NetFailure);
    expect(failure instanceof NetFailure && failure.netError).toMatchObject({
      code: 'PAC_EVALUATION_FAILED',
      details: { timeoutMs: 10_000 },
      message: 'The PAC script (inline script) did not finish within 10000 ms.',
    });
  });

  it('an engine that never gets ready is said as such (not the script’s timeout), after its own allowance', async () => {
    const { clock, pool, workers, advance } = fixture(5_000);
    const evaluation = evaluatePac(SCRIPT, 'https://x.example/', 'x.example', 10_000, pool, clock);
    evaluation.catch(() => undefined);
    const worker = await waitUntil('a worker started', () => workers[0]);
    await advance(5_000);
    const failure = await evaluation.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure instanceof NetFailure && failure.netError).toMatchObject({
      code: 'PAC_EVALUATION_FAILED',
      details: { causeMessage: 'the PAC engine did not start within 5000 ms' },
      message: 'The PAC engine did not start within 5 s (the machine may be very busy); the PAC script (inline script) was not run.',
    });
    expect(worker.requests).toHaveLength(0);
  });
});
