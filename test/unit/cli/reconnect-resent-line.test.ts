/** The CLI's line for a `resent` report: what was sent again, what waits, what was not and why; nothing sent said so. */
import { describe, expect, it } from 'vitest';
import { resentLine } from '../../../src-main/cli/reconnect-resent-line';

describe('resentLine', () => {
  it('sent, waiting and not sent, in the order the app says them', () => {
    expect(
      resentLine({
        attempt: 3,
        sent: [{ seq: 12, label: 'STOMP CONNECT' }],
        waiting: '2 subscriptions wait for CONNECTED',
        notSent: ["STOMP SUBSCRIBE /nowhere: the server answered it with ERROR 'no such destination'", 'STOMP SEND: not part of the opening'],
      }),
    ).toBe(
      "↻ attempt 3 reconnected: sent again: STOMP CONNECT · 2 subscriptions wait for CONNECTED · not sent again: STOMP SUBSCRIBE /nowhere: the server answered it with ERROR 'no such destination'; STOMP SEND: not part of the opening",
    );
  });

  it('nothing sent again', () => {
    expect(resentLine({ attempt: 2, sent: [], notSent: ["STOMP CONNECT: the server answered it with ERROR 'server busy'"] })).toBe(
      "↻ attempt 2 reconnected: nothing sent again · not sent again: STOMP CONNECT: the server answered it with ERROR 'server busy'",
    );
  });
});
