/**
 * A value given on the spot (`connect --var token=…`, session:open's `variables.values`) under a
 * credential's name is redacted wherever the session shows it, as a saved secret is: before, only
 * the CLI's own printing hid it, and the engine's events, session list and exports (the CLI's
 * `--export` among them) carried it in the URL. It may still go into a message, since the caller
 * put it there; a value under an ordinary name stays readable. On 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { EngineEvent } from '../../../src-main/shared/events';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { valueOf } from '../../unit/profiles/profile-fixtures';
import { waitUntil } from '../../support/wait-until';

const SPOT = 'spot-TOKEN-8c41d2';

let echo: EchoServer;
let engine: Engine | undefined;

beforeAll(async () => {
  echo = await startEchoServer();
});
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});
afterAll(async () => {
  await echo.close();
});

describe('a credential-named value given on the spot', () => {
  it('reaches the server, and is in no event, list or export; an ordinary value is shown', async () => {
    const made = new Engine({ host: 'web', version: '0', env: {}, batch: { intervalMs: 5 } });
    engine = made;
    const events: EngineEvent[] = [];
    made.onEvent((event) => events.push(event));
    const before = echo.upgrades.length;
    const { sessionId } = valueOf(
      await made.call('session:open', {
        options: { url: `ws://127.0.0.1:${echo.port}/chat/{{room}}?key={{api_key}}`, headers: [{ name: 'X-Trace', value: 't-{{token}}' }], proxy: { mode: 'none' } },
        variables: { values: [{ name: 'room', value: 'lobby' }, { name: 'api_key', value: SPOT }, { name: 'token', value: `${SPOT}-2` }] },
      }),
    );
    await waitUntil('the session open', () => events.some((event) => event.type === 'state' && event.state === 'open'));
    const upgrade = echo.upgrades[before];
    expect(upgrade?.['x-trace']).toBe(`t-${SPOT}-2`);

    const created = events.find((event) => event.type === 'session-created');
    expect(created?.type === 'session-created' ? created.url : '').toBe(`ws://127.0.0.1:${echo.port}/chat/lobby?key=••••••`);

    // Into a message it may go (the caller typed it there), unlike a saved secret.
    valueOf(await made.call('session:send', { sessionId, kind: 'text', data: 'room {{room}}', builtins: true }));
    await waitUntil('the echo of room lobby', () => events.some((event) => event.type === 'frames' && event.frames.some((f) => f.dir === 'in' && f.preview === 'room lobby')));
    valueOf(await made.call('session:send', { sessionId, kind: 'text', data: 'key {{api_key}}', builtins: true }));

    const list = valueOf(await made.call('session:list', {}));
    const ndjson = valueOf(await made.call('frames:export', { sessionId, format: 'ndjson' }));
    const har = valueOf(await made.call('frames:export', { sessionId, format: 'har' }));
    const handshakeEvents = events.filter((event) => event.type !== 'frames');
    for (const text of [JSON.stringify(handshakeEvents), JSON.stringify(list)]) {
      expect(text).not.toContain(SPOT);
      expect(text).toContain('/chat/lobby');
    }
    // The exports' handshake and URL hide it; the frame the caller sent with it is theirs.
    for (const text of [JSON.stringify(ndjson), JSON.stringify(har)]) {
      expect(text.split(SPOT).length - 1).toBeLessThanOrEqual(2);
      expect(text).not.toContain(`key=${SPOT}`);
      expect(text).not.toContain(`t-${SPOT}`);
    }
  });
});
