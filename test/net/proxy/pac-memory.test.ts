/**
 * A PAC script that allocates without end is stopped at its memory limit (32 MiB) with an
 * error that says so, not at the deadline after the process has grown by gigabytes. Runs the
 * real worker from the sources, as the app does.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { disposePacWorkers, evaluatePac } from '../../../src-main/core/proxy/pac-script';
import { runPacScript } from '../../../src-main/core/proxy/pac-sandbox';
import { PAC_WORKER_RESOURCE_LIMITS, startPacWorker } from '../../../src-main/core/proxy/pac-worker-start';
import { PAC_MEMORY_LIMIT_BYTES, quickJsModule } from '../../../src-main/core/proxy/quickjs-wasm';

/** Far longer than any of these scripts needs to reach its limit: a timeout here is the bug. */
const LONG_DEADLINE_MS = 60_000;

const ALLOCATING = [
  // Many mid-sized arrays: QuickJS's own memoryLimit never saw these (2 GB RSS, then the deadline).
  ['many arrays of 100,000 numbers', 'var a = []; for (;;) a.push(new Array(1e5).fill(1));'],
  ['millions of small strings', 'var a = []; for (;;) a.push("x" + a.length);'],
  ['millions of small arrays', 'var a = []; for (;;) a.push([a.length, a.length]);'],
  ['millions of objects', 'var a = []; for (;;) a.push({ k: a.length });'],
  ['one array larger than the limit', 'return new Array(1e7).fill(1).length;'],
] as const;

afterAll(async () => {
  await disposePacWorkers();
});

async function pacFailure(script: string): Promise<NetFailure> {
  try {
    await evaluatePac({ kind: 'script', script }, 'https://echo.example/', 'echo.example', LONG_DEADLINE_MS);
  } catch (error) {
    if (error instanceof NetFailure) return error;
    throw error;
  }
  throw new Error('the PAC script was expected to fail');
}

describe('a PAC script that allocates without end', () => {
  it('uses a 32 MiB limit', () => {
    expect(PAC_MEMORY_LIMIT_BYTES).toBe(32 * 1024 * 1024);
  });

  it.each(ALLOCATING)('%s: stopped at the memory limit, and the error says so', async (_name, body) => {
    const failure = await pacFailure(`function FindProxyForURL(url, host) { ${body} }`);
    expect(failure.netError).toMatchObject({
      stage: 'resolve',
      code: 'PAC_EVALUATION_FAILED',
      message: 'The PAC script (inline script) was stopped at its memory limit of 32 MiB: it allocates more than a PAC script may.',
      details: { causeMessage: `out of memory (limit ${PAC_MEMORY_LIMIT_BYTES} bytes)` },
    });
    expect(failure.netError.message).not.toContain('must return a string');
    expect(failure.netError.details.timeoutMs).toBeUndefined();
  });

  it('at the top of the script (before FindProxyForURL): the memory limit too, not "invalid"', async () => {
    const failure = await pacFailure('var a = []; for (;;) a.push(new Array(1e5).fill(1)); function FindProxyForURL() { return "DIRECT"; }');
    expect(failure.netError.code).toBe('PAC_EVALUATION_FAILED');
    expect(failure.netError.message).toContain('memory limit of 32 MiB');
  });

  it('the next evaluation in the same worker starts with a fresh VM and answers', async () => {
    await pacFailure(`function FindProxyForURL(url, host) { ${ALLOCATING[0][1]} }`);
    const answer = await evaluatePac({ kind: 'script', script: 'function FindProxyForURL() { return "PROXY after.corp:3128"; }' }, 'https://echo.example/', 'echo.example', LONG_DEADLINE_MS);
    expect(answer.answer).toBe('PROXY after.corp:3128');
  });
});

describe('what is not the memory limit', () => {
  const run = async (script: string) => {
    const wasm = await quickJsModule();
    // A deadline no script here comes near: what ends each one is the script itself.
    const timeoutMs = 600_000;
    return runPacScript({ wasm, script, url: 'https://a.example/', host: 'a.example', timeoutMs });
  };

  it('a script that throws null (as QuickJS does when it runs out while reporting it) but allocated little', async () => {
    expect(await run('function FindProxyForURL() { throw null; }')).toEqual({ kind: 'failed', description: '<null>: <null>' });
  });

  it('a script that uses a few MiB and answers', async () => {
    expect(await run('function FindProxyForURL() { var a = new Array(2e5).fill("x"); return a.length > 0 ? "DIRECT" : "PROXY x:1"; }')).toEqual({ kind: 'answer', answer: 'DIRECT' });
  });
});

describe('the PAC worker thread itself', () => {
  it('starts with a bounded JavaScript heap, so its RSS cannot run away', async () => {
    const worker = startPacWorker();
    try {
      expect(worker.resourceLimits).toMatchObject(PAC_WORKER_RESOURCE_LIMITS);
      expect(PAC_WORKER_RESOURCE_LIMITS).toEqual({ maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16, codeRangeSizeMb: 32 });
    } finally {
      await worker.terminate();
    }
  });
});
