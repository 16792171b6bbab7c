/**
 * `connect --profile … --send …` with a profile that reconnects: the CLI sends its --send…
 * messages again on each attempt itself, so the profile's resend (by default the opening and the
 * subscriptions) must not send the STOMP CONNECT a second time. A `ws` server on 127.0.0.1
 * (port 0) drops the first connection after its first message and answers CONNECT with
 * CONNECTED on the second; the test counts the CONNECTs the second connection got.
 */
import { describe, expect, it } from 'vitest';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { fakeIo } from '../../unit/cli/fake-engine';
import { valueOf } from '../../unit/profiles/profile-fixtures';
import { useConnectFixture } from './connect-fixture';
import type { ResendChoice } from '../../../src-main/shared/model';

const CONNECT = 'CONNECT\naccept-version:1.2\nhost:/\n\n\u0000';
/** A profile's resend: absent (the default, subscriptions) and the two that send the opening. */
const PROFILE_RESENDS: (ResendChoice | undefined)[] = [undefined, 'subscriptions', 'opening'];
const CONNECTED = 'CONNECTED\nversion:1.2\n\n\u0000';

const cli = useConnectFixture();

/** A STOMP broker that cuts the first connection at its first frame and answers CONNECT after. */
function startStompServer(): Promise<{ url: string; received: string[][] }> {
  return cli.startWsServer('/', (ws, text, index) => {
    if (index === 0) ws.terminate();
    else if (text.startsWith('CONNECT\n')) ws.send(CONNECTED);
  });
}

describe('connect --profile --send with a reconnecting profile', () => {
  it.each(PROFILE_RESENDS)('the second attempt gets the CONNECT once (profile resend: %s)', async (resend) => {
    const { url, received } = await startStompServer();
    const engine = cli.engineWithProfiles();
    const reconnect = { enabled: true, initialDelayMs: 100, ...(resend !== undefined ? { resend } : {}) };
    valueOf(await engine.call('profiles:save', { profile: { name: 'Broker', url, proxy: { mode: 'none' }, tls: {}, reconnect } }));
    const command = parseCommandLine(['connect', '--profile', 'Broker', '--send', CONNECT, '--json']);
    if (command.kind !== 'connect') throw new Error('expected connect');
    const code = await runConnect(command, engine, fakeIo());
    expect(received.length).toBe(2);
    expect(received[1]).toEqual([CONNECT]);
    expect(code).toBe(0);
  });
});
