/**
 * `{{variables}}` end to end on 127.0.0.1: an environment saved with a secret variable, a
 * session opened with it whose URL, header, subprotocol and origin reach a local echo server
 * filled in, messages filled in at each send, and the secret in no event, list or export.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import type { EngineEvent } from '../../../src-main/shared/events';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { errorOf, makeTempDir, valueOf } from '../../unit/profiles/profile-fixtures';
import fs from 'node:fs';
import path from 'node:path';

const SECRET = 'tok-SECRET-5f3a9c';

let echo: EchoServer;
let temp: ReturnType<typeof makeTempDir>;
let engine: Engine | undefined;

beforeAll(async () => {
  echo = await startEchoServer({ subprotocols: ['chat.v2'] });
});

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  temp?.cleanup();
});

afterAll(async () => {
  await echo.close();
});

function waitFor(events: EngineEvent[], test: (event: EngineEvent) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let polls = 0;
    const poll = (): void => {
      if (events.some(test)) resolve();
      else if (++polls > 1000) reject(new Error(`no matching event: ${events.map((e) => e.type).join(', ')}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

async function engineWithStaging(): Promise<{ engine: Engine; environmentId: string }> {
  temp = makeTempDir();
  const made = new Engine({ host: 'web', version: '0', env: {}, batch: { intervalMs: 5 }, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  engine = made;
  const saved = valueOf(
    await made.call('environments:save', {
      environment: {
        name: 'Staging',
        variables: [
          { name: 'host', secret: false, value: `127.0.0.1:${echo.port}` },
          { name: 'room', secret: false, value: 'lobby' },
          { name: 'proto', secret: false, value: 'chat.v2' },
          { name: 'token', secret: true, value: { value: SECRET } },
        ],
      },
    }),
  );
  return { engine: made, environmentId: saved.id };
}

describe('a session opened with an environment', () => {
  it('reaches the server filled in; messages are filled in per send; the secret is in no event, list, export or file', async () => {
    const { engine: e, environmentId } = await engineWithStaging();
    const listed = valueOf(await e.call('environments:list', {}));
    expect(listed.environments[0]?.variables.find((v) => v.name === 'token')).toMatchObject({ secret: true, value: { set: true } });
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    expect(fs.readFileSync(path.join(temp.dir, 'profiles.json'), 'utf8')).not.toContain(SECRET);

    const events: EngineEvent[] = [];
    e.onEvent((event) => events.push(event));
    const before = echo.upgrades.length;
    const { sessionId } = valueOf(
      await e.call('session:open', {
        options: {
          url: 'ws://{{host}}/chat/{{room}}?key={{token}}',
          headers: [{ name: 'X-Api-Token', value: 'Bearer {{token}}' }],
          subprotocols: ['{{proto}}'],
          origin: 'http://{{host}}',
          proxy: { mode: 'none' },
        },
        variables: { environmentId },
      }),
    );
    await waitFor(events, (event) => event.type === 'state' && event.state === 'open');
    const upgrade = echo.upgrades[before];
    expect(upgrade?.['x-api-token']).toBe(`Bearer ${SECRET}`);
    expect(upgrade?.['sec-websocket-protocol']).toBe('chat.v2');
    expect(upgrade?.origin).toBe(`http://127.0.0.1:${echo.port}`);
    const handshake = events.find((event) => event.type === 'handshake' && event.step.leg === 'upgrade');
    expect(handshake?.type === 'handshake' ? handshake.step.request?.startLine : '').toBe('GET /chat/lobby?key=•••••• HTTP/1.1');
    const created = events.find((event) => event.type === 'session-created');
    expect(created?.type === 'session-created' ? created.url : '').toBe(`ws://127.0.0.1:${echo.port}/chat/lobby?key=••••••`);

    valueOf(await e.call('session:send', { sessionId, kind: 'text', data: 'in {{room}} #{{$counter}}', builtins: true }));
    await waitFor(events, (event) => event.type === 'frames' && event.frames.some((f) => f.dir === 'in' && f.preview === 'in lobby #1'));
    const refused = errorOf(await e.call('session:send', { sessionId, kind: 'text', data: 'leak {{token}}', builtins: true }));
    expect(refused).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'data' });
    expect(refused.message).toContain('{{token}} is a secret variable');
    const unknown = errorOf(await e.call('session:send', { sessionId, kind: 'text', data: 'to {{nobody}}', builtins: true }));
    expect(unknown.message).toBe('session:send: data: {{nobody}} is not defined in the environment "Staging"; nothing was sent');

    const list = valueOf(await e.call('session:list', {}));
    const exported = valueOf(await e.call('frames:export', { sessionId, format: 'ndjson' }));
    const har = valueOf(await e.call('frames:export', { sessionId, format: 'har' }));
    for (const text of [JSON.stringify(events), JSON.stringify(list), JSON.stringify(exported), JSON.stringify(har)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(encodeURIComponent(SECRET).slice(0, 12));
    }
  });

  it('an unknown variable is refused before anything is sent, naming it and the field', async () => {
    const { engine: e, environmentId } = await engineWithStaging();
    const before = echo.upgrades.length;
    const error = errorOf(
      await e.call('session:open', {
        options: { url: 'ws://{{host}}/', headers: [{ name: 'X-Tenant', value: '{{tenant}}' }], proxy: { mode: 'none' } },
        variables: { environmentId },
      }),
    );
    expect(error).toEqual({ code: 'INVALID_ARGUMENT', path: 'options.headers.0.value', message: 'header X-Tenant: {{tenant}} is not defined in the environment "Staging"; nothing was sent' });
    expect(valueOf(await e.call('session:list', {}))).toEqual([]);
    const noEnvironment = errorOf(await e.call('session:open', { options: { url: 'ws://{{host}}/', proxy: { mode: 'none' } } }));
    expect(noEnvironment).toMatchObject({ path: 'options.url', message: 'the URL: {{host}} is not defined: no environment is chosen; nothing was sent' });
    const gone = errorOf(await e.call('session:open', { options: { url: 'ws://{{host}}/', proxy: { mode: 'none' } }, variables: { environmentId: 'gone' } }));
    expect(gone).toMatchObject({ code: 'NOT_FOUND', path: 'variables.environmentId' });
    expect(echo.upgrades.length).toBe(before);
  });

  it('a profile with {{variables}} opens with the environment, values given on the spot winning', async () => {
    const { engine: e, environmentId } = await engineWithStaging();
    const profile = valueOf(
      await e.call('profiles:save', {
        profile: { name: 'Templated', url: 'ws://{{host}}/p/{{room}}', headers: [{ name: 'X-Room', secret: false, value: '{{room}}' }], proxy: { mode: 'none' }, tls: {} },
      }),
    );
    expect(profile.url).toBe('ws://{{host}}/p/{{room}}');
    const events: EngineEvent[] = [];
    e.onEvent((event) => events.push(event));
    const before = echo.upgrades.length;
    valueOf(await e.call('session:open', { profileId: profile.id, variables: { environmentId, values: [{ name: 'room', value: 'override' }] } }));
    await waitFor(events, (event) => event.type === 'state' && event.state === 'open');
    expect(echo.upgrades[before]?.['x-room']).toBe('override');
  });

  it('environments are saved, renamed, kept secret across saves and deleted', async () => {
    const { engine: e, environmentId } = await engineWithStaging();
    const view = valueOf(await e.call('environments:list', {})).environments[0];
    if (!view) throw new Error('no environment');
    const renamed = valueOf(
      await e.call('environments:save', {
        environment: {
          id: environmentId,
          name: 'Staging EU',
          variables: view.variables.map((v) => (v.secret ? { id: v.id, name: v.name, secret: true, value: { set: true } } : v)),
        },
        expectedRevision: view.revision,
      }),
    );
    expect(renamed).toMatchObject({ name: 'Staging EU', revision: 2 });
    const set = valueOf(await e.call('environments:list', {})).environments[0]?.variables.find((v) => v.name === 'token');
    expect(set).toMatchObject({ value: { set: true } });
    const stale = errorOf(await e.call('environments:save', { environment: { id: environmentId, name: 'x', variables: [] }, expectedRevision: 1 }));
    expect(stale.code).toBe('CONFLICT');
    const taken = errorOf(await e.call('environments:save', { environment: { name: 'staging eu', variables: [] } }));
    expect(taken).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'environment.name' });
    const twice = errorOf(
      await e.invoke('environments:save', { environment: { name: 'Dup', variables: [{ name: 'a', secret: false, value: '1' }, { name: 'a', secret: false, value: '2' }] } }),
    );
    expect(twice.message).toContain('the variable a is defined twice in this environment');
    valueOf(await e.call('environments:delete', { id: environmentId }));
    expect(valueOf(await e.call('environments:list', {})).environments).toEqual([]);
  });
});
