/**
 * test/support/cli-process.ts, the CLI spawn every CLI test uses: a CLI still running at a
 * test's end is stopped by its pid and gone (no process left behind).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli, stopCliProcesses } from '../../support/cli-process';
import { startRawServer, type RawServer } from '../../support/raw-ws-server';
import { waitUntil } from '../../support/wait-until';

let server: RawServer | undefined;

afterEach(async () => {
  await stopCliProcesses();
  await server?.close();
  server = undefined;
});

/** True while a process with this pid exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('cli-process', () => {
  it('stopCliProcesses kills a CLI that is still running by its pid and waits until it is gone', async () => {
    // Reads the upgrade request and never answers: the CLI waits until it is stopped.
    let upgrades = 0;
    const silent = await startRawServer(() => (upgrades += 1));
    server = silent;
    const run = spawnCli(['connect', silent.url, '--no-proxy', '--listen', '--upgrade-timeout', '600000'], {
      stdin: 'open',
      // Past the test's own timeout: only stopCliProcesses can end it in time.
      budgetMs: 600_000,
    });
    await waitUntil('the upgrade request', () => upgrades === 1);
    const { pid } = run.child;
    if (pid === undefined) throw new Error('no pid');
    expect(alive(pid)).toBe(true);
    await stopCliProcesses();
    expect((await run.done).signal).toBe('SIGKILL');
    expect(alive(pid)).toBe(false);
  });
});
