/**
 * Sessions through a real Squid in rounds: each session opens through the proxy, echoes one
 * message and closes; after each round every session is disposed. Held when no session fails,
 * the engine lists none afterwards, and the heap after the last round is near the first's.
 */
import { Engine } from '../../src-main/core/engine';
import type { EngineEvent } from '../../src-main/shared/events';
import { startEchoServer } from '../../test/support/echo-server';
import { squidMissing, startSquid } from '../../test/support/squid';
import { heapMb, inBatches, percentile, type SoakResult } from './soak-result';

const ROUNDS = 5;
const PER_ROUND = 500;
const AT_ONCE = 50;
const SESSION_BUDGET_MS = 20_000;
/** Heap growth over the rounds that still counts as "no leak" (allocator noise). */
const HEAP_SLACK_MB = 16;

interface Outcome {
  ok: boolean;
  ms: number;
  why?: string;
}

function runOne(engine: Engine, url: string, proxyUrl: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let sessionId = '';
    let echoed = false;
    const early: EngineEvent[] = [];
    const finish = (outcome: Outcome): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, ms: SESSION_BUDGET_MS, why: 'no outcome within the budget' }), SESSION_BUDGET_MS);
    const onEvent = (event: EngineEvent): void => {
      if (sessionId === '') {
        early.push(event);
        return;
      }
      if (event.sessionId !== sessionId) return;
      if (event.type === 'state' && event.state === 'open') {
        void engine.call('session:send', { sessionId, kind: 'text', data: 'soak' });
      } else if (event.type === 'frames' && event.frames.some((frame) => frame.dir === 'in' && frame.opcode === 'text')) {
        if (!echoed) {
          echoed = true;
          void engine.call('session:close', { sessionId, code: 1000 });
        }
      } else if (event.type === 'error') {
        finish({ ok: false, ms: performance.now() - started, why: `${event.error.stage}/${event.error.code}: ${event.error.message}` });
      } else if (event.type === 'closed') {
        finish(echoed ? { ok: true, ms: performance.now() - started } : { ok: false, ms: performance.now() - started, why: `closed before the echo (${event.code ?? 'no code'})` });
      }
    };
    const unsubscribe = engine.onEvent(onEvent);
    void engine.call('session:open', { options: { url, proxy: { mode: 'manual', url: proxyUrl } } }).then((result) => {
      if (!result.ok) {
        finish({ ok: false, ms: 0, why: `session:open refused: ${result.error.message}` });
        return;
      }
      sessionId = result.value.sessionId;
      for (const event of early.splice(0)) onEvent(event);
    });
  });
}

export async function soakSquidRounds(): Promise<SoakResult> {
  const name = `${ROUNDS} rounds × ${PER_ROUND} sessions through Squid (${AT_ONCE} at once)`;
  if (squidMissing) return { name, figures: [`skipped: ${squidMissing}`], problems: [] };
  const squid = await startSquid({ connectPorts: 'any' });
  const echo = await startEchoServer();
  const engine = new Engine({ host: 'cli', version: 'soak', env: {} });
  const figures: string[] = [];
  const problems: string[] = [];
  const heaps: number[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const outcomes: Outcome[] = [];
      await inBatches(
        Array.from({ length: PER_ROUND }, (_, i) => i),
        AT_ONCE,
        async () => {
          outcomes.push(await runOne(engine, echo.url, squid.url));
        },
      );
      const listed = await engine.call('session:list', {});
      const ids = listed.ok ? listed.value.map((info) => info.sessionId) : [];
      for (const sessionId of ids) await engine.call('session:dispose', { sessionId });
      const left = await engine.call('session:list', {});
      heaps.push(heapMb());
      const failed = outcomes.filter((outcome) => !outcome.ok);
      const ms = outcomes.filter((outcome) => outcome.ok).map((outcome) => outcome.ms);
      figures.push(
        `round ${round}: ${outcomes.length - failed.length}/${outcomes.length} echoed, median ${percentile(ms, 50).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms, heap ${heaps.at(-1)?.toFixed(1)} MB`,
      );
      for (const failure of failed.slice(0, 3)) problems.push(`round ${round}: a session failed: ${failure.why ?? 'unknown'}`);
      if (failed.length > 3) problems.push(`round ${round}: ${failed.length - 3} more sessions failed`);
      if (left.ok && left.value.length > 0) problems.push(`round ${round}: ${left.value.length} sessions still listed after dispose`);
    }
    const growth = (heaps.at(-1) ?? 0) - (heaps[0] ?? 0);
    figures.push(`heap growth from round 1 to ${ROUNDS}: ${growth.toFixed(1)} MB`);
    if (growth > HEAP_SLACK_MB) problems.push(`the heap grew by ${growth.toFixed(1)} MB over ${ROUNDS} rounds (a leak?)`);
  } finally {
    await engine.dispose();
    await echo.close();
    await squid.stop();
  }
  return { name, figures, problems };
}
