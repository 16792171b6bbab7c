/**
 * ProtocolRefusalWatch's reading of a graphql-transport-ws server's close code (handed over as
 * the attempt ends): 4400, 4401 and 4403 before connection_ack stop, with what to change; after
 * the ack they are retried, as 4408, 4409, 4429 and 4500 are at any time; another protocol's
 * close codes are not read.
 */
import { describe, expect, it } from 'vitest';
import { ProtocolRefusalWatch } from '../../../src-main/core/session/reconnect-protocol-refusal';

function graphqlWatch(acknowledged: boolean): ProtocolRefusalWatch {
  const watch = new ProtocolRefusalWatch({ url: 'ws://api/graphql', subprotocols: ['graphql-transport-ws'] });
  if (acknowledged) watch.received('text', Buffer.from('{"type":"connection_ack"}'));
  return watch;
}

function afterClose(code: number, reason: string, acknowledged: boolean): ProtocolRefusalWatch['refusal'] {
  const watch = graphqlWatch(acknowledged);
  watch.serverClosed(code, reason);
  return watch.refusal;
}

describe('graphql-transport-ws close codes', () => {
  it('4401 and 4403 before connection_ack: unchanging, naming the code, the reason the server gave and the payload to change', () => {
    expect(afterClose(4401, 'Unauthorized', false)).toEqual({
      line: "the server closed with 4401 (Unauthorized) before connection_ack, and would refuse the same connection_init again: change the credentials in connection_init's payload (a token, a password), or the upgrade's headers or cookies",
      unchanging: true,
    });
    expect(afterClose(4403, 'token expired', false)?.line).toMatch(/^the server closed with 4403 \(Forbidden\) 'token expired' before connection_ack, /);
    expect(afterClose(4403, '', false)?.unchanging).toBe(true);
  });

  it('4400 before the ack refuses the opening itself: unchanging, change the connection_init', () => {
    expect(afterClose(4400, 'Invalid message received', false)).toMatchObject({ unchanging: true, line: expect.stringMatching(/4400 \(bad request\) 'Invalid message received' before connection_ack.*change the connection_init \(its payload must be an object\)$/) });
  });

  it('after the ack 4400, 4401, 4403 are retried (the next attempt answers the same connection_init)', () => {
    for (const code of [4400, 4401, 4403]) expect(afterClose(code, '', true), String(code)).toBeUndefined();
  });

  it('4408, 4409, 4429, 4500, 4499 and 1011 are retried, before the ack and after', () => {
    for (const code of [4408, 4409, 4429, 4500, 4499, 1011]) {
      expect(afterClose(code, '', false), String(code)).toBeUndefined();
      expect(afterClose(code, '', true), String(code)).toBeUndefined();
    }
  });

  it('another protocol (STOMP) closing with 4403 is not read as GraphQL', () => {
    const watch = new ProtocolRefusalWatch({ url: 'ws://mq/ws', subprotocols: ['v12.stomp'] });
    watch.serverClosed(4403, 'Forbidden');
    expect(watch.refusal).toBeUndefined();
  });

  it('a refusal already found (connection_error) is kept', () => {
    const watch = new ProtocolRefusalWatch({ url: 'ws://api/graphql', subprotocols: ['graphql-ws'] });
    watch.received('text', Buffer.from('{"type":"connection_error","payload":{}}'));
    watch.serverClosed(4403, '');
    expect(watch.refusal).toEqual({ line: 'the server answered connection_error', unchanging: false });
  });
});
