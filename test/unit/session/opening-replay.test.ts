/**
 * Sending a plan again (opening-replay.ts): the openings at once, the subscriptions only after the
 * server accepted the opening, nothing after a refusal or once the attempt is gone; each case
 * reported as it is (what went, what did not and why).
 */
import { describe, expect, it } from 'vitest';
import type { ResentReport } from '../../../src-main/shared/attempts';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { OpeningLedger } from '../../../src-main/core/session/opening-ledger';
import { MAX_ANSWER_MESSAGES, OpeningReplay } from '../../../src-main/core/session/opening-replay';

const stomp = (command: string, headers: Record<string, string> = {}): string => `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}\n`).join('')}\n\0`;

function stompPlan() {
  const l = new OpeningLedger({ url: 'ws://h/', subprotocols: [] });
  for (const m of [stomp('CONNECT', { passcode: 'p' }), stomp('SUBSCRIBE', { id: '0', destination: '/a' }), stomp('SUBSCRIBE', { id: '1', destination: '/b' })]) l.sent('text', Buffer.from(m));
  const plan = l.plan();
  if (!plan) throw new Error('no plan');
  return plan;
}

function run(choice: 'opening' | 'subscriptions', send: (payload: string) => number | undefined = () => 0) {
  const sent: string[] = [];
  const reports: ResentReport[] = [];
  let seq = 10;
  const replay = new OpeningReplay({
    attempt: 2,
    plan: stompPlan(),
    choice,
    target: {
      send: (_kind, payload) => {
        const outcome = send(payload.toString());
        if (outcome === undefined) return undefined;
        sent.push(payload.toString().split('\n')[0] ?? '');
        return ++seq;
      },
    },
    report: (report) => reports.push(report),
  });
  return { replay, sent, reports };
}

describe('OpeningReplay', () => {
  it('sends the CONNECT at once and the SUBSCRIBEs after CONNECTED, in order, reporting each step', () => {
    const { replay, sent, reports } = run('subscriptions');
    replay.start();
    expect(sent).toEqual(['CONNECT']);
    expect(replay.waiting).toBe(true);
    expect(reports.at(-1)).toEqual({ attempt: 2, sent: [{ seq: 11, label: 'STOMP CONNECT' }], notSent: [], waiting: '2 subscriptions wait for CONNECTED' });
    replay.incoming('text', Buffer.from('\n'));
    expect(sent).toEqual(['CONNECT']);
    replay.incoming('text', Buffer.from(stomp('CONNECTED', { version: '1.2' })));
    expect(sent).toEqual(['CONNECT', 'SUBSCRIBE', 'SUBSCRIBE']);
    expect(replay.complete).toBe(true);
    expect(reports.at(-1)).toEqual({ attempt: 2, sent: [{ seq: 11, label: 'STOMP CONNECT' }, { seq: 12, label: 'STOMP SUBSCRIBE /a' }, { seq: 13, label: 'STOMP SUBSCRIBE /b' }], notSent: [] });
  });

  it('with "opening" only the CONNECT goes, and it is complete at once', () => {
    const { replay, sent, reports } = run('opening');
    replay.start();
    expect(sent).toEqual(['CONNECT']);
    expect(replay.waiting).toBe(false);
    expect(replay.complete).toBe(true);
    expect(reports).toHaveLength(1);
  });

  it('an ERROR answer: no SUBSCRIBE, said why, and complete: the same CONNECT again would get the same ERROR (the attempt\'s own ledger, which names the refusal, is what comes next)', () => {
    const { replay, sent, reports } = run('subscriptions');
    replay.start();
    replay.incoming('text', Buffer.from(stomp('ERROR', { message: 'bad login' })));
    expect(sent).toEqual(['CONNECT']);
    expect(replay.complete).toBe(true);
    expect(reports.at(-1)?.notSent).toEqual(['2 subscriptions: the broker answered ERROR']);
  });

  it('an MQTT CONNACK refusal leaves it not complete (the next attempt tries the plan again: a broker may be busy for a while)', () => {
    const l = new OpeningLedger({ url: 'ws://h/mqtt', subprotocols: ['mqtt'] });
    l.sent('binary', Buffer.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00]));
    l.sent('binary', Buffer.from([0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x00]));
    const plan = l.plan();
    if (!plan) throw new Error('no plan');
    const reports: ResentReport[] = [];
    let seq = 10;
    const replay = new OpeningReplay({ attempt: 2, plan, choice: 'subscriptions', target: { send: () => ++seq }, report: (r) => reports.push(r) });
    replay.start();
    replay.incoming('binary', Buffer.from([0x20, 0x02, 0x00, 0x03]));
    expect(replay.complete).toBe(false);
    expect(reports.at(-1)?.notSent).toEqual(['1 subscription: the broker refused the CONNECT (CONNACK 3)']);
  });

  it('the attempt closes before the resend: nothing sent, said so, not complete', () => {
    const { replay, sent, reports } = run('subscriptions', () => undefined);
    replay.start();
    expect(sent).toEqual([]);
    expect(replay.complete).toBe(false);
    expect(reports).toEqual([{ attempt: 2, sent: [], notSent: ['STOMP CONNECT: the connection was no longer open, or not reading'] }]);
  });

  it('a full send queue (SEND_QUEUE_FULL) stops it the same way', () => {
    const { replay, reports } = run('subscriptions', () => {
      throw NetFailure.of('transport', 'SEND_QUEUE_FULL', { target: 'h' });
    });
    replay.start();
    expect(reports.at(-1)?.notSent).toHaveLength(1);
    expect(replay.complete).toBe(false);
  });

  it('closed while waiting for CONNECTED: stop says the subscriptions did not go', () => {
    const { replay, sent, reports } = run('subscriptions');
    replay.start();
    replay.stop('the connection was closed first');
    replay.incoming('text', Buffer.from(stomp('CONNECTED')));
    expect(sent).toEqual(['CONNECT']);
    expect(reports.at(-1)?.notSent).toEqual(['2 subscriptions: the connection was closed first']);
    expect(replay.complete).toBe(false);
  });

  it(`gives up waiting after ${MAX_ANSWER_MESSAGES} server messages without an answer`, () => {
    const { replay, sent, reports } = run('subscriptions');
    replay.start();
    for (let i = 0; i < MAX_ANSWER_MESSAGES; i++) replay.incoming('text', Buffer.from(stomp('MESSAGE', { destination: '/x' })));
    expect(replay.waiting).toBe(false);
    expect(sent).toEqual(['CONNECT']);
    expect(reports.at(-1)?.notSent[0]).toMatch(/no CONNECTED in the server's first 64 messages/);
  });
});
