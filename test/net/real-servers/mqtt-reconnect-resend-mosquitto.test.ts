/**
 * The reconnect's resend against a real Mosquitto (its WebSockets listener, subprotocol mqtt),
 * through the Engine: the user sends CONNECT and SUBSCRIBE by hand; another client connects with
 * the same client id, so the broker drops ours (a session takeover). Attempt 2 (the wait on a
 * ManualClock) sends the CONNECT again and, after the broker's CONNACK, the SUBSCRIBE: a message
 * published afterwards by a third client arrives on our session. With an ACL that refuses
 * secret/# (the dynamic security plugin), the broker refuses filters in its SUBACK (MQTT 3.1.1 0x80, MQTT 5 0x87): a SUBSCRIBE
 * refused whole is not sent again and the notice says why; one refused in part goes again whole,
 * its label naming the filter refused before, and its granted filter works again. Waits end on
 * frames and events, never on time; skipped without /usr/sbin/mosquitto.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt-packet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Engine } from '../../../src-main/core/engine';
import { reconnectingEngine } from '../../support/reconnecting-engine';
import { hasMosquitto, startMosquitto, type Broker } from '../../support/mosquitto';
import { valueOf } from '../../unit/profiles/profile-fixtures';

let broker: Broker | undefined;
let engine: Engine | undefined;

beforeAll(async () => {
  if (hasMosquitto()) broker = await startMosquitto();
});
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});
afterAll(async () => {
  await broker?.stop();
});

const v4 = { protocolVersion: 4 } as const;
const connect = (clientId: string): Buffer => mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 60, clientId, username: 'u', password: Buffer.from('pw-in-memory') }, v4);

/** A plain client that sends `packets` once open and settles at the broker's answer to the last (or the close). */
function rawClient(port: number, packets: Buffer[], answers: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, 'mqtt');
    let got = 0;
    ws.on('open', () => packets.forEach((packet) => ws.send(packet)));
    ws.on('message', () => {
      if (++got >= answers) {
        ws.close();
        resolve();
      }
    });
    ws.on('close', () => resolve());
    ws.on('error', reject);
  });
}

describe.skipIf(!hasMosquitto())('reconnect resend against Mosquitto (skipped without /usr/sbin/mosquitto)', () => {
  it('after a takeover drops the session, attempt 2 CONNECTs and SUBSCRIBEs again, and a later PUBLISH arrives', async () => {
    if (!broker) throw new Error('no broker');
    const port = broker.wsPort;
    const reconnecting = reconnectingEngine();
    engine = reconnecting.engine;
    const { events, until } = reconnecting;
    const incoming = (hexStart: string): number => events.reduce((n, e) => n + (e.type === 'frames' ? e.frames.filter((f) => f.dir === 'in' && f.preview.startsWith(hexStart)).length : 0), 0);
    const opens = (): number => events.filter((e) => e.type === 'state' && e.state === 'open').length;

    const { sessionId } = valueOf(await engine.call('session:open', { options: { url: `ws://127.0.0.1:${port}/`, proxy: { mode: 'none' }, subprotocols: ['mqtt'], reconnect: { resend: 'subscriptions' } } }));
    await until(() => opens() === 1);
    valueOf(await engine.call('session:send', { sessionId, kind: 'binary', data: connect('resend-me').toString('base64') }));
    valueOf(await engine.call('session:send', { sessionId, kind: 'binary', data: mqtt.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'resend/t', qos: 0 }] }, v4).toString('base64') }));
    await until(() => incoming('90') === 1);

    // Same client id: the broker hands the session over and drops ours.
    await rawClient(port, [connect('resend-me')], 1);
    await until(() => opens() === 2 && events.some((e) => e.type === 'resent' && e.waiting === undefined));
    await until(() => incoming('90') === 2);
    await rawClient(port, [mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 60, clientId: 'publisher' }, v4), mqtt.generate({ cmd: 'publish', topic: 'resend/t', payload: Buffer.from('hello again'), qos: 1, messageId: 7, retain: false, dup: false }, v4)], 2);
    await until(() => incoming('30') === 1);

    const report = events.flatMap((e) => (e.type === 'resent' ? [e] : [])).at(-1);
    expect(report).toMatchObject({ attempt: 2, sent: [{ label: 'MQTT CONNECT' }, { label: 'MQTT SUBSCRIBE resend/t' }], notSent: [] });
    expect(JSON.stringify(events.filter((e) => e.type === 'resent'))).not.toContain('pw-in-memory');
  });
});

const DYNSEC = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';

describe.skipIf(!hasMosquitto() || !existsSync(DYNSEC))('reconnect resend against Mosquitto with an ACL: SUBSCRIBEs it refused (skipped without mosquitto and its dynamic security plugin)', () => {
  let aclBroker: Broker | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tunnelscope-acl-'));
    // Mosquitto 2.0's acl_file never refuses a SUBSCRIBE (it filters what is delivered); its dynamic
    // security plugin does: anonymous clients may subscribe to anything but secret/#.
    const config = path.join(dir, 'dynsec.json');
    const dynsec = {
      defaultACLAccess: { publishClientSend: true, publishClientReceive: true, subscribe: true, unsubscribe: true },
      clients: [],
      groups: [{ groupname: 'anonymous', roles: [{ rolename: 'no-secrets' }], clients: [] }],
      roles: [{ rolename: 'no-secrets', acls: [{ acltype: 'subscribePattern', topic: 'secret/#', priority: 0, allow: false }] }],
      anonymousGroup: 'anonymous',
    };
    await writeFile(config, JSON.stringify(dynsec), { mode: 0o666 });
    // Run as root, Mosquitto drops to its own user, which must read (and may rewrite) the file; mkdtemp makes the dir 0700.
    await chmod(dir, 0o777);
    aclBroker = await startMosquitto([`plugin ${DYNSEC}`, `plugin_opt_config_file ${config}`]);
  });
  afterAll(async () => {
    await aclBroker?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const version of [4, 5] as const) {
    it(`MQTT ${version === 4 ? '3.1.1' : '5'}: refused whole, not sent again (said why); refused in part, sent again whole and named; its granted filter gets the next PUBLISH`, async () => {
      if (!aclBroker) throw new Error('no broker');
      const port = aclBroker.wsPort;
      const opts = { protocolVersion: version };
      // Anonymous: the plugin's anonymous group holds the ACL.
      const hello = (clientId: string): Buffer => mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clean: true, keepalive: 60, clientId }, opts);
      const reconnecting = reconnectingEngine();
      engine = reconnecting.engine;
      const { events, until } = reconnecting;
      const incoming = (hexStart: string): number => events.reduce((n, e) => n + (e.type === 'frames' ? e.frames.filter((f) => f.dir === 'in' && f.preview.startsWith(hexStart)).length : 0), 0);
      const opens = (): number => events.filter((e) => e.type === 'state' && e.state === 'open').length;
      const clientId = `acl-${version}`;

      const { sessionId } = valueOf(await engine.call('session:open', { options: { url: `ws://127.0.0.1:${port}/`, proxy: { mode: 'none' }, subprotocols: ['mqtt'], reconnect: { resend: 'subscriptions' } } }));
      await until(() => opens() === 1);
      const send = async (packet: Buffer): Promise<void> => {
        valueOf(await engine!.call('session:send', { sessionId, kind: 'binary', data: packet.toString('base64') }));
      };
      await send(hello(clientId));
      await send(mqtt.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'resend/p', qos: 0 }, { topic: 'secret/a', qos: 0 }] }, opts));
      await send(mqtt.generate({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'secret/b', qos: 0 }] }, opts));
      await until(() => incoming('90') === 2);

      await rawClient(port, [hello(clientId)], 1);
      await until(() => opens() === 2 && events.some((e) => e.type === 'resent' && e.waiting === undefined));
      await until(() => incoming('90') >= 3);
      const refused = version === 4 ? '0x80 failure' : '0x87 not authorized';
      const report = events.flatMap((e) => (e.type === 'resent' ? [e] : [])).at(-1);
      expect(report?.sent.map((s) => s.label)).toEqual(['MQTT CONNECT', `MQTT SUBSCRIBE resend/p, secret/a (the broker refused secret/a ${refused} before; sent again as you sent it, the broker answers again)`]);
      expect(report?.notSent).toEqual([`MQTT SUBSCRIBE secret/b: the broker refused it (SUBACK secret/b ${refused})`]);

      await rawClient(port, [mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 60, clientId: `pub-${version}` }, v4), mqtt.generate({ cmd: 'publish', topic: 'resend/p', payload: Buffer.from('after'), qos: 1, messageId: 3, retain: false, dup: false }, v4)], 2);
      await until(() => incoming('30') === 1);
    });
  }
});
