/**
 * Auto-reconnect against real proxies, on fake time (the engine's clock is a ManualClock that
 * never moves, so a scheduled wait shows as `next` without anything timed): a refusal that
 * another attempt cannot change ends the connection after its first attempt with one reason
 * ("not retried: …"): tinyproxy's ConnectPort 403, stock Squid's "deny CONNECT !SSL_ports" 403,
 * Squid rejecting the password. What can change is still retried: Squid's 503 for a CONNECT
 * to a closed port. And the CLI as a user runs it: one attempt, its page printed as often as
 * without --reconnect, the ↻ line saying why, exit 1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import { closedPort } from '../../support/fake-proxy';
import { envWithoutProxies, runCli, stopCliProcesses } from '../../support/cli-process';
import { ManualClock } from '../../support/manual-clock';
import { squidMissing, startSquid } from '../../support/squid';
import { startTinyproxy, tinyproxyMissing } from '../../support/tinyproxy';
import { useRealProxies } from './real-proxy-fixture';

const missing = squidMissing ?? tinyproxyMissing;
const title = `auto-reconnect and the proxy's refusals (real tinyproxy and Squid, fake time)${missing ? ` (skipped: ${missing})` : ''}`;

interface Run {
  engine: Engine;
  clock: ManualClock;
  events: EngineEvent[];
}

/** An engine on a clock that does not move: a wait before the next attempt never ends by itself. */
function onFakeTime(): Run {
  const clock = new ManualClock();
  const engine = new Engine({ host: 'cli', version: 'test', env: {}, clock });
  const events: EngineEvent[] = [];
  engine.onEvent((event) => events.push(event));
  return { engine, clock, events };
}

/** The first attempt's record (the engine's own answer; the budget only turns a hang into a message). */
async function firstAttempt(run: Run, options: ConnectionOptionsInput): Promise<AttemptRecord> {
  const opened = await run.engine.call('session:open', { options: { ...options, reconnect: { maxAttempts: 0 } } });
  if (!opened.ok) throw new Error(`session:open refused: ${JSON.stringify(opened.error)}`);
  for (let waited = 0; waited < 200; waited += 1) {
    const attempt = run.events.find((e): e is Extract<EngineEvent, { type: 'attempt' }> => e.type === 'attempt');
    if (attempt) return attempt.record;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no attempt event; events: ${run.events.map((e) => e.type).join(', ')}`);
}

describe.skipIf(missing !== undefined)(title, () => {
  const fixture = useRealProxies('proxy', {
    tinyOnly443: () => startTinyproxy({ connectPorts: [443] }),
    squidStock: () => startSquid({ connectPorts: 'stock' }),
    squidAny: () => startSquid({ connectPorts: 'any' }),
    squidAuth: () => startSquid({ connectPorts: 'any', auth: { username: 'alice', password: 'right-one' } }),
  });
  const runs: Run[] = [];
  afterEach(async () => {
    await Promise.all(runs.splice(0).map((run) => run.engine.dispose()));
    await stopCliProcesses();
  });

  function run(): Run {
    const made = onFakeTime();
    runs.push(made);
    return made;
  }

  function through(proxyUrl: string, extra: Partial<ConnectionOptionsInput> = {}): ConnectionOptionsInput {
    return { url: fixture.servers().ws.url, proxy: { mode: 'manual', url: proxyUrl }, proxyTimeoutMs: 3000, openTimeoutMs: 6000, ...extra };
  }

  it("tinyproxy's 403 Access violation (CONNECT to a port it does not allow): not retried, saying why, and the connection ends", async () => {
    const r = run();
    const record = await firstAttempt(r, through(fixture.proxy('tinyOnly443').url));
    expect(record.outcome.error?.code).toBe('PROXY_REFUSED');
    expect(record.next).toBeNull();
    expect(record.stopReason).toBe('not retried: the proxy refuses this CONNECT by its rules (403 Access violation), and another attempt would get the same answer');
    expect(r.events.some((e) => e.type === 'closed')).toBe(true);
  });

  it("stock Squid's deny CONNECT to a port other than 443: not retried", async () => {
    const record = await firstAttempt(run(), through(fixture.proxy('squidStock').url));
    expect(record.outcome.error?.details.proxyResponse?.startLine).toMatch(/ 403 /);
    expect(record.next).toBeNull();
    expect(record.stopReason).toMatch(/^not retried: the proxy refuses this CONNECT by its rules \(403 Forbidden\)/);
  });

  it('Squid rejecting the password: not retried (the same password again could lock the account)', async () => {
    const record = await firstAttempt(run(), through(fixture.proxy('squidAuth').url, { proxyAuth: { username: 'alice', password: 'wrong-one' } }));
    expect(record.outcome.error?.code).toBe('PROXY_AUTH_FAILED');
    expect(record.next).toBeNull();
    expect(record.stopReason).toMatch(/^not retried: the proxy rejected the credentials/);
  });

  it("Squid's 503 for a CONNECT to a closed port: retried (the server may come back), the wait on the fake clock", async () => {
    const port = await closedPort();
    const r = run();
    const record = await firstAttempt(r, { ...through(fixture.proxy('squidAny').url), url: `ws://127.0.0.1:${port}/` });
    expect(record.outcome.error?.details.proxyResponse?.startLine).toMatch(/ 503 /);
    expect(record.next).toMatchObject({ attempt: 2, retry: 1 });
    expect(record.stopReason).toBeUndefined();
    expect(r.events.some((e) => e.type === 'closed')).toBe(false);
  });

  it('the CLI with --reconnect through tinyproxy: one attempt, the page as often as without --reconnect, the ↻ line says why, exit 1', async () => {
    const args = ['connect', fixture.servers().ws.url, '--proxy', fixture.proxy('tinyOnly443').url, '--listen'];
    const env = { ...envWithoutProxies(), NO_COLOR: '1' };
    const once = await runCli(args, { env });
    const reconnecting = await runCli([...args, '--reconnect', '--reconnect-max', '3', '--reconnect-delay', '100'], { env });
    const page = /The CONNECT method not allowed with the port you tried to use/g;
    const output = reconnecting.stdout + reconnecting.stderr;
    expect(reconnecting.code, output).toBe(1);
    expect(output.match(page)?.length).toBe((once.stdout + once.stderr).match(page)?.length);
    expect(output).toContain('↻ attempt 1 failed: PROXY_REFUSED · not retried: the proxy refuses this CONNECT by its rules (403 Access violation), and another attempt would get the same answer');
    expect(output).not.toContain('attempt 2');
  });
});
