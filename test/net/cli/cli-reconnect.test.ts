/**
 * `connect --reconnect` as a user runs it (spawned), against a server on 127.0.0.1 that drops
 * its first connections: a line per attempt, one session that opens on the third attempt, and
 * the exit status after the last attempt. The process is stopped by its pid (SIGINT, Ctrl-C).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, spawnCli, stopCliProcesses, waitForOutput } from '../../support/cli-process';
import { startFlakyServer, type FlakyServer } from '../../support/flaky-ws-server';

let server: FlakyServer | undefined;

afterEach(async () => {
  await stopCliProcesses();
  await server?.close();
  server = undefined;
});

function lines(stdout: string): { type: string; [key: string]: unknown }[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || !('type' in value) || typeof value.type !== 'string') throw new Error(`not a typed line: ${line}`);
      return { ...value, type: value.type };
    });
}

describe('tunnelscope connect --reconnect', () => {
  it('reconnects past two dropped connections, prints each attempt, and exits 0 on Ctrl-C', async () => {
    server = await startFlakyServer({ drop: 2, then: 'echo' });
    const run = spawnCli(['connect', `${server.url}/cli`, '--no-proxy', '--reconnect', '--reconnect-max', '3', '--reconnect-delay', '100', '--listen', '--json']);
    await waitForOutput(run, 'the session open', () => run.stdout().includes('"state":"open"'));
    const pid = run.child.pid;
    expect(pid).toBeDefined();
    if (pid !== undefined) process.kill(pid, 'SIGINT');
    const result = await run.done;
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    const attempts = out.filter((l) => l.type === 'attempt');
    expect(attempts.map((l) => l.attempt)).toEqual([1, 2, 3]);
    expect(attempts.slice(0, 2).map((l) => (l.next as { retry: number; maxRetries: number }).retry)).toEqual([1, 2]);
    expect(attempts.slice(0, 2).every((l) => (l.next as { maxRetries: number }).maxRetries === 3)).toBe(true);
    expect(attempts[2]).toMatchObject({ next: null, stopReason: 'closed by the user' });
    expect(out.filter((l) => l.type === 'attempt-started').map((l) => l.attempt)).toEqual([2, 3]);
    expect(out.filter((l) => l.type === 'closed')).toHaveLength(1);
    expect(server.connections).toBe(3);
  });

  it('gives up after --reconnect-max reconnects and exits 1, saying why in the last attempt line', async () => {
    server = await startFlakyServer({ drop: 100, then: 'echo' });
    const result = await runCli(['connect', server.url, '--no-proxy', '--reconnect-max', '2', '--reconnect-delay', '100', '--listen']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/↻ attempt 1 failed: \w+ · reconnect 1 of 2 in 0\.\d s/);
    expect(result.stdout).toMatch(/↻ attempt 2: connecting again/);
    expect(result.stdout).toMatch(/↻ attempt 3 failed: \w+ · gave up after 2 reconnects \(the limit\)/);
    expect(server.connections).toBe(3);
  });

  it('refuses a bad --reconnect-max with a usage error naming the flag', async () => {
    const result = await runCli(['connect', 'ws://127.0.0.1:9/', '--reconnect-max', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--reconnect-max must be a whole number');
  });
});
