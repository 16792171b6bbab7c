/**
 * `connect --profile` with a profile that reconnects and sends the opening again (resend
 * 'opening'), its messages typed on stdin: the CLI prints what the engine sent again when attempt
 * 2 opened (the `resent` report), as a line in the human output and as a `resent` object with
 * --json, as the app's reconnect notice shows it. A graphql-transport-ws server on 127.0.0.1
 * (port 0) acknowledges connection_init and drops the first connection after it; the second
 * connection gets connection_init again from the engine and acknowledges it.
 */
import { describe, expect, it } from 'vitest';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { fakeIo } from '../../unit/cli/fake-engine';
import { waitUntil } from '../../support/wait-until';
import { valueOf } from '../../unit/profiles/profile-fixtures';
import { useConnectFixture } from './connect-fixture';

const INIT = '{"type":"connection_init","payload":{}}';

const cli = useConnectFixture();

/** A graphql-transport-ws server that acknowledges connection_init and cuts the first connection once it has. */
function startGraphqlServer(): Promise<{ url: string; received: string[][] }> {
  return cli.startWsServer(
    '/graphql',
    (ws, text, index) => {
      if (!text.includes('"connection_init"')) return;
      ws.send('{"type":"connection_ack"}', () => {
        if (index === 0) ws.terminate();
      });
    },
    { handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) },
  );
}

/** Runs `connect --profile Api` (plus `extra`), types connection_init, and ends stdin once attempt 2 got it again. */
async function run(extra: string[]): Promise<{ out: string; code: number }> {
  const { url, received } = await startGraphqlServer();
  const engine = cli.engineWithProfiles();
  valueOf(await engine.call('profiles:save', { profile: { name: 'Api', url, subprotocols: ['graphql-transport-ws'], proxy: { mode: 'none' }, tls: {}, reconnect: { enabled: true, initialDelayMs: 100, resend: 'opening' } } }));
  const command = parseCommandLine(['connect', '--profile', 'Api', ...extra]);
  if (command.kind !== 'connect') throw new Error('expected connect');
  const io = fakeIo();
  const running = runConnect(command, engine, io);
  io.stdinStream.write(`${INIT}\n`);
  // The second acknowledgement printed: the report (emitted as the engine sent connection_init) came before it.
  await waitUntil('attempt 2 acknowledged', () => (received[1]?.length ?? 0) >= 1 && io.stdoutText().split('connection_ack').length > 2);
  io.stdinStream.end();
  const code = await running;
  expect(received[1]).toEqual([INIT]);
  return { out: io.stdoutText(), code };
}

describe('connect --profile with a resend: what attempt 2 sent again is printed', () => {
  it('human output: a line naming the attempt and what was sent again', async () => {
    const { out } = await run([]);
    expect(out).toContain('↻ attempt 2 reconnected: sent again: GraphQL connection_init');
  });

  it('--json: a resent object with the attempt, what was sent (seq and label) and what was not', async () => {
    const { out } = await run(['--json']);
    const lines = out.split('\n').filter((line) => line.startsWith('{')).map((line): unknown => JSON.parse(line));
    const resent = lines.find((line) => typeof line === 'object' && line !== null && 'type' in line && line.type === 'resent');
    expect(resent).toEqual({ type: 'resent', attempt: 2, sent: [{ seq: expect.any(Number), label: 'GraphQL connection_init' }], notSent: [] });
  });
});
