/**
 * Spawned as a user runs it: a URL the engine's parser refuses (port 0, a backslash that hides
 * another host) ends the CLI with exit 2 and the problem on stderr, before any connection.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, stopCliProcesses } from '../../support/cli-process';
import { startFakeProxy, type FakeProxy } from '../../support/fake-proxy';

let listener: FakeProxy;

beforeAll(async () => {
  // Stands for the host a misread URL would reach: it must see no connection.
  listener = await startFakeProxy(({ socket }) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
});

afterEach(stopCliProcesses);

afterAll(async () => {
  await listener.close();
});

describe('URLs the engine parser refuses', () => {
  it('port 0 in the server URL: exit 2', async () => {
    const run = await runCli(['connect', 'ws://127.0.0.1:0/', '--no-proxy']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('port 0 is not a port');
    expect(run.stdout).toBe('');
  });

  it('a backslash before @ in --proxy: exit 2, the other port hears nothing', async () => {
    const run = await runCli(['resolve', 'ws://127.0.0.1:1/', '--proxy', `http://127.0.0.1:1\\@127.0.0.1:${listener.port}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('a backslash is not allowed in a proxy URL');
    expect(listener.accepted).toBe(0);
  });
});
