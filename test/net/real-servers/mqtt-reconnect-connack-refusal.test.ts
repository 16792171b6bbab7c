/**
 * A CONNACK refusal another attempt cannot pass, against a real Mosquitto that wants a password
 * (password_file, no anonymous clients): the engine with auto-reconnect (resend on) stops after
 * the attempt whose CONNECT the broker refused, its line naming the refusal, instead of sending
 * the same CONNECT on every reconnect. Mosquitto 2.0.11 answers a wrong password and none alike:
 * MQTT 3.1.1 code 5 not authorized, MQTT 5 0x87 (codes 4 and 0x86 are in the unit test). The right password opens and stays open. The CLI with --reconnect and its
 * CONNECT in --send-binary-file (resend off: the CLI sends it itself) stops too, saying why.
 * Waits end on events (a ManualClock moved at each announced wait); skipped without mosquitto.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt-packet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/core/engine';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import type { EngineEvent } from '../../../src-main/shared/events';
import { envWithoutProxies, runCli, stopCliProcesses } from '../../support/cli-process';
import { hasMosquitto, startMosquitto, type Broker } from '../../support/mosquitto';
import { reconnectingEngine } from '../../support/reconnecting-engine';
import { valueOf } from '../../unit/profiles/profile-fixtures';

const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';
const missing = !hasMosquitto() || !existsSync(MOSQUITTO_PASSWD);

let broker: Broker | undefined;
let engine: Engine | undefined;
let dir: string | undefined;

beforeAll(async () => {
  if (missing) return;
  dir = await mkdtemp(path.join(os.tmpdir(), 'tunnelscope-mqtt-passwd-'));
  const passwords = path.join(dir, 'passwd');
  await writeFile(passwords, '', { mode: 0o644 });
  execFileSync(MOSQUITTO_PASSWD, ['-b', passwords, 'alice', 'right-one']);
  // Run as root, Mosquitto drops to its own user, which must read the file; mkdtemp makes the dir 0700.
  await chmod(passwords, 0o644);
  await chmod(dir, 0o755);
  broker = await startMosquitto([`password_file ${passwords}`, 'allow_anonymous false']);
});
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await stopCliProcesses();
});
afterAll(async () => {
  await broker?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function connect(version: 4 | 5, credentials?: { username: string; password: string }): Buffer {
  return mqtt.generate(
    {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: version,
      clean: true,
      keepalive: 60,
      clientId: `refused-${version}`,
      ...(credentials ? { username: credentials.username, password: Buffer.from(credentials.password) } : {}),
    },
    { protocolVersion: version },
  );
}

/** Sends the CONNECT once the first attempt opens; resolves once the connection stopped, attempt 2 began or a CONNACK 0 came, with the first attempt's record if it ended. */
async function sendConnect(packet: Buffer): Promise<{ record: AttemptRecord | undefined; events: EngineEvent[] }> {
  if (!broker) throw new Error('no broker');
  const run = reconnectingEngine();
  engine = run.engine;
  const { events, until } = run;
  const { sessionId } = valueOf(
    await engine.call('session:open', { options: { url: `ws://127.0.0.1:${broker.wsPort}/`, proxy: { mode: 'none' }, subprotocols: ['mqtt'], reconnect: { resend: 'subscriptions' } } }),
  );
  await until(() => events.some((e) => e.type === 'state' && e.state === 'open'));
  valueOf(await engine.call('session:send', { sessionId, kind: 'binary', data: packet.toString('base64') }));
  await until(() => events.some((e) => e.type === 'closed' || (e.type === 'attempt-started' && e.attempt === 2) || (e.type === 'frames' && e.frames.some((f) => f.dir === 'in' && f.preview.startsWith('20 02 00 00')))));
  const first = events.find((e): e is Extract<EngineEvent, { type: 'attempt' }> => e.type === 'attempt' && e.record.attempt === 1);
  return { record: first?.record, events };
}

describe.skipIf(missing)('a CONNACK refusal stops auto-reconnect (real Mosquitto with a password file; skipped without mosquitto)', () => {
  it('MQTT 3.1.1, a wrong password: CONNACK 5, not retried, the line names it and what to change', async () => {
    const { record, events } = await sendConnect(connect(4, { username: 'alice', password: 'wrong-one' }));
    expect(record?.next).toBeNull();
    expect(record?.stopReason).toBe(
      'not retried: the broker refused the CONNECT with CONNACK 5 (not authorized), and would refuse the same CONNECT again: change the user name or password, or ask for this client to be allowed',
    );
    expect(events.some((e) => e.type === 'closed')).toBe(true);
    expect(events.filter((e) => e.type === 'state' && e.state === 'open')).toHaveLength(1);
  });

  it('MQTT 3.1.1 without credentials: CONNACK 5 not authorized, not retried', async () => {
    const { record } = await sendConnect(connect(4));
    expect(record?.next).toBeNull();
    expect(record?.stopReason).toMatch(/^not retried: the broker refused the CONNECT with CONNACK 5 \(not authorized\), and would refuse the same CONNECT again: /);
  });

  it('MQTT 5, a wrong password: CONNACK 0x87, not retried', async () => {
    const { record } = await sendConnect(connect(5, { username: 'alice', password: 'wrong-one' }));
    expect(record?.next).toBeNull();
    expect(record?.stopReason).toMatch(/^not retried: the broker refused the CONNECT with CONNACK 0x87 \(not authorized\), and would refuse the same CONNECT again: /);
  });

  it('the right password: accepted, the attempt stays open', async () => {
    const { record } = await sendConnect(connect(4, { username: 'alice', password: 'right-one' }));
    expect(record).toBeUndefined();
    const run = engine;
    expect(run).toBeDefined();
    const list = valueOf(await (run as Engine).call('session:list', {}));
    expect(list[0]?.state).toBe('open');
    expect(list[0]?.attempts).toBeUndefined();
  });

  it('the CLI, its CONNECT in --send-binary-file with --reconnect: one attempt, the ↻ line says why, exit 1', async () => {
    if (!broker || !dir) throw new Error('no broker');
    const file = path.join(dir, 'connect-wrong.bin');
    await writeFile(file, connect(4, { username: 'alice', password: 'wrong-one' }));
    const result = await runCli(['connect', `ws://127.0.0.1:${broker.wsPort}/`, '--no-proxy', '--subprotocol', 'mqtt', '--listen', '--reconnect', '--reconnect-delay', '100', '--send-binary-file', file], {
      env: { ...envWithoutProxies(), NO_COLOR: '1' },
    });
    const output = result.stdout + result.stderr;
    expect(output).toMatch(
      /↻ attempt 1 [^\n]*· not retried: the broker refused the CONNECT with CONNACK 5 \(not authorized\), and would refuse the same CONNECT again: change the user name or password/,
    );
    expect(output).not.toContain('attempt 2');
    expect(result.code, output).toBe(1);
  });
});
