/**
 * MQTT 5 enhanced authentication and a reconnect: the CONNECT (with its authentication method and
 * data) is sent again, the AUTH packets the user sent are not (each answers the challenge the
 * broker made on that connection; a new connection gets a new challenge), and the notice says so
 * instead of leaving them out without a word. When the broker answers the CONNECT sent again with
 * an AUTH challenge, the waiting subscriptions' line says that only the user can answer it.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import type { ResentReport } from '../../../src-main/shared/attempts';
import { OpeningLedger } from '../../../src-main/core/session/opening-ledger';
import { OpeningReplay } from '../../../src-main/core/session/opening-replay';

const v5 = { protocolVersion: 5 } as const;
const connect = (method?: string): Buffer =>
  mqtt.generate(
    { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean: true, keepalive: 60, clientId: 'c-5', ...(method ? { properties: { authenticationMethod: method, authenticationData: Buffer.from('n,,n=user,r=nonce1') } } : {}) },
    v5,
  );
const auth = (reasonCode: number, data: string): Buffer => mqtt.generate({ cmd: 'auth', reasonCode, properties: { authenticationMethod: 'SCRAM-SHA-256', authenticationData: Buffer.from(data) } }, v5);
const subscribe = mqtt.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 't/1', qos: 0 }] }, v5);

const AUTH_LINE =
  "MQTT AUTH (MQTT 5 enhanced authentication, SCRAM-SHA-256): not sent again, each AUTH answers the broker's challenge on that connection and a new connection gets a new one; the CONNECT went again, answer the broker's AUTH if it asks";

function ledgerAfter(...packets: Buffer[]): OpeningLedger {
  const l = new OpeningLedger({ url: 'ws://h/mqtt', subprotocols: ['mqtt'] });
  for (const packet of packets) l.sent('binary', packet);
  return l;
}

describe('MQTT 5 enhanced authentication on reconnect', () => {
  it('the CONNECT goes again, the AUTH answer does not, and the plan says why', () => {
    const plan = ledgerAfter(connect('SCRAM-SHA-256'), auth(0x18, 'c=biws,r=nonce1server,p=proof'), subscribe).plan();
    expect(plan?.openings.map((i) => i.label)).toEqual(['MQTT CONNECT']);
    expect(plan?.openings[0]?.messages[0]?.payload.equals(connect('SCRAM-SHA-256'))).toBe(true);
    expect(plan?.subscriptions.map((i) => i.label)).toEqual(['MQTT SUBSCRIBE t/1']);
    expect(plan?.notSent).toEqual([AUTH_LINE]);
    // Nothing of the exchange's data in the words.
    expect(JSON.stringify(plan?.notSent)).not.toContain('nonce');
  });

  it('a re-authentication (AUTH 0x19) after CONNACK is said the same way; nothing is said without an AUTH', () => {
    expect(ledgerAfter(connect('SCRAM-SHA-256'), subscribe, auth(0x19, 'n,,n=user,r=nonce2')).plan()?.notSent).toEqual([AUTH_LINE]);
    expect(ledgerAfter(connect('SCRAM-SHA-256'), subscribe).plan()?.notSent).toEqual([]);
    expect(ledgerAfter(connect(), subscribe).plan()?.notSent).toEqual([]);
  });

  it('a new CONNECT starts afresh (its own AUTHs, if any, are said); a DISCONNECT forgets all', () => {
    expect(ledgerAfter(connect('SCRAM-SHA-256'), auth(0x18, 'x'), connect()).plan()?.notSent).toEqual([]);
    const l = ledgerAfter(connect('SCRAM-SHA-256'), auth(0x18, 'x'), mqtt.generate({ cmd: 'disconnect' }, v5));
    expect(l.plan()).toBeUndefined();
  });

  it('the notice carries the line: the replay reports it with what went', () => {
    const plan = ledgerAfter(connect('SCRAM-SHA-256'), auth(0x18, 'x')).plan();
    if (!plan) throw new Error('no plan');
    const reports: ResentReport[] = [];
    new OpeningReplay({ attempt: 2, plan, choice: 'subscriptions', target: { send: () => 7 }, report: (r) => reports.push(r) }).start();
    expect(reports).toEqual([{ attempt: 2, sent: [{ seq: 7, label: 'MQTT CONNECT' }], notSent: [AUTH_LINE] }]);
  });

  it('MQTT 5 (no enhanced authentication): the SUBSCRIBE goes after a version 5 CONNACK (read as the CONNECT sent again says)', () => {
    const plan = ledgerAfter(connect(), subscribe).plan();
    if (!plan) throw new Error('no plan');
    const sent: Buffer[] = [];
    const replay = new OpeningReplay({ attempt: 2, plan, choice: 'subscriptions', target: { send: (_k, p) => sent.push(p) }, report: () => undefined });
    replay.start();
    replay.incoming('binary', mqtt.generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { topicAliasMaximum: 10, serverKeepAlive: 30 } }, v5));
    expect(sent.map((p) => p.equals(subscribe))).toEqual([false, true]);
    expect(replay.complete).toBe(true);
  });

  it('the broker answers the CONNECT sent again with an AUTH challenge: the waiting line says only the user can answer; CONNACK then sends the SUBSCRIBE', () => {
    const plan = ledgerAfter(connect('SCRAM-SHA-256'), auth(0x18, 'x'), subscribe).plan();
    if (!plan) throw new Error('no plan');
    const reports: ResentReport[] = [];
    const sent: Buffer[] = [];
    const replay = new OpeningReplay({ attempt: 2, plan, choice: 'subscriptions', target: { send: (_k, p) => sent.push(p) }, report: (r) => reports.push(r) });
    replay.start();
    expect(reports.at(-1)?.waiting).toBe('1 subscription waits for CONNACK');
    replay.incoming('binary', auth(0x18, 'r=nonce9server'));
    expect(reports.at(-1)?.waiting).toBe('1 subscription waits for CONNACK: the broker asked for MQTT 5 enhanced authentication (AUTH), which only you can answer');
    replay.incoming('binary', mqtt.generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, v5));
    expect(sent).toHaveLength(2);
    expect(reports.at(-1)?.waiting).toBeUndefined();
    expect(reports.at(-1)?.notSent).toEqual([AUTH_LINE]);
  });
});
