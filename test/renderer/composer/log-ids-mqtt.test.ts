// What the client owes the broker, read from the log (QA 5, finding 3): a QoS 1 / QoS 2 PUBLISH
// received awaits its PUBACK / PUBREC, a PUBREL its PUBCOMP, the client's answer settles it; its
// SUBSCRIBE and UNSUBSCRIBE open and close topic filters. The log's read asks for the PUBREC and
// PUBREL frames too (the id queries do not find them).
import { describe, expect, it } from 'vitest';
import { logEventsOfFrame } from '../../../src-renderer/src/composer/log-ids';
import { otherQueriesFor } from '../../../src-renderer/src/composer/read-log-ids';

describe("the MQTT answers the client owes, from the log's frames", () => {
  it('deliveries await their answer; the answer settles it; the client\'s own PUBLISH and PUBREL do not', () => {
    expect(logEventsOfFrame('mqtt', 'in', { cmd: 'publish', qos: 1, messageId: 1, topic: 't' })).toEqual([{ kind: 'mqtt-answer', answer: 'puback', id: '1', role: 'awaits' }]);
    expect(logEventsOfFrame('mqtt', 'in', { cmd: 'publish', qos: 2, messageId: 3, topic: 't' })).toEqual([{ kind: 'mqtt-answer', answer: 'pubrec', id: '3', role: 'awaits' }]);
    expect(logEventsOfFrame('mqtt', 'in', { cmd: 'publish', qos: 0, topic: 't' })).toEqual([]);
    expect(logEventsOfFrame('mqtt', 'in', { cmd: 'pubrel', messageId: 3 })).toEqual([{ kind: 'mqtt-answer', answer: 'pubcomp', id: '3', role: 'awaits' }]);
    for (const cmd of ['puback', 'pubrec', 'pubcomp']) expect(logEventsOfFrame('mqtt', 'out', { cmd, messageId: 5 })).toEqual([{ kind: 'mqtt-answer', answer: cmd, id: '5', role: 'answered' }]);
    expect(logEventsOfFrame('mqtt', 'out', { cmd: 'publish', qos: 2, messageId: 2, topic: 't' })).toEqual([]);
    expect(logEventsOfFrame('mqtt', 'out', { cmd: 'pubrel', messageId: 2 })).toEqual([]);
    expect(logEventsOfFrame('mqtt', 'in', { cmd: 'puback', messageId: 2 })).toEqual([]);
  });

  it('SUBSCRIBE and UNSUBSCRIBE name filters; several packets in a message are each read', () => {
    expect(logEventsOfFrame('mqtt', 'out', { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/#' }, { topic: 'b' }] })).toEqual([{ kind: 'subscribed', topics: ['a/#', 'b'] }]);
    expect(logEventsOfFrame('mqtt', 'out', { cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['a/#'] })).toEqual([{ kind: 'unsubscribed', topics: ['a/#'] }]);
    expect(logEventsOfFrame('mqtt', 'out', { packets: [{ cmd: 'puback', messageId: 1 }, { cmd: 'pubrec', messageId: 2 }] }).map((e) => (e.kind === 'mqtt-answer' ? e.answer : e.kind))).toEqual(['puback', 'pubrec']);
  });

  it("the log's read finds PUBREC and PUBREL frames", () => {
    expect(otherQueriesFor('mqtt')).toContain('$.messageId && $.cmd =~ /^(pubrec|pubrel)$/');
  });
});
