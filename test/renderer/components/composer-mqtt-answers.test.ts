// The MQTT answers' proposed ids (QA 5, finding 3): after our own QoS 2 exchange (PUBREL 2) the
// broker delivered a QoS 1 PUBLISH id 1, and PUBACK proposed 2, our PUBREL's id. Now PUBACK /
// PUBREC propose the newest QoS 1 / QoS 2 PUBLISH received and not yet answered, PUBCOMP the
// newest PUBREL received, PUBREL our last QoS 2 PUBLISH's; an id typed stays; UNSUBSCRIBE
// proposes the newest filter still subscribed, not the PUBLISH's topic left in the box. The log
// is served by the fake bridge; the engine's real encoder answers message:encode.
import type { VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { button, byLabel, composerTest } from './composer-fixture';

const ACTIVE = { protocol: 'mqtt', title: 'MQTT', guess: false, reason: 'the subprotocol' };
const composer = composerTest({ settleMs: 400, active: () => ACTIVE });
const { settle, logged, sends } = composer;

const hexOf = (base64: string) => [...atob(base64)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
const lastSent = () => hexOf((sends().at(-1) as { data: string }).data);
const ackBox = (w: VueWrapper) => (byLabel(w, 'Packet id').element as HTMLInputElement).value;

async function clickSend(w: VueWrapper): Promise<void> {
  await settle();
  await button(w, 'Send').trigger('click');
  await settle();
}

async function pick(w: VueWrapper, cmd: string): Promise<void> {
  await byLabel(w, 'MQTT packet').setValue(cmd);
  await settle();
}

describe('the ids an MQTT answer proposes', () => {
  it("PUBACK answers the broker's QoS 1 PUBLISH, not our QoS 2 exchange's id; PUBREC, PUBCOMP and UNSUBSCRIBE likewise", async () => {
    const w = await composer.mountProtocolFormat();
    await byLabel(w, 'Protocol').setValue('mqtt');
    await pick(w, 'subscribe');
    await byLabel(w, 'Topic').setValue('qa/#');
    await byLabel(w, 'QoS').setValue('1');
    await clickSend(w);
    await pick(w, 'publish');
    await byLabel(w, 'Topic').setValue('qa/temp');
    await byLabel(w, 'QoS').setValue('2');
    await byLabel(w, 'Payload').setValue('{"temp": 22.5}');
    await clickSend(w);
    await logged(
      ['out', { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'qa/#', qos: 1 }] }],
      ['in', { cmd: 'suback', messageId: 1, granted: [1] }],
      ['out', { cmd: 'publish', qos: 2, messageId: 2, topic: 'qa/temp' }],
      ['in', { cmd: 'pubrec', messageId: 2 }],
    );
    await pick(w, 'pubrel');
    expect(ackBox(w)).toBe('2');
    await clickSend(w);
    expect(lastSent()).toBe('62020002');
    await logged(['out', { cmd: 'pubrel', messageId: 2 }], ['in', { cmd: 'pubcomp', messageId: 2 }], ['in', { cmd: 'publish', qos: 1, messageId: 1, topic: 'qa/temp' }]);
    await pick(w, 'puback');
    expect(ackBox(w)).toBe('1');
    expect(w.get('[data-testid="protocol-preview"]').text()).toContain('PUBACK id=1');
    await clickSend(w);
    expect(lastSent()).toBe('40020001');
    // Answered: nothing else is owed a PUBACK, so none is proposed.
    expect(ackBox(w)).toBe('');
    await logged(['out', { cmd: 'puback', messageId: 1 }], ['in', { cmd: 'publish', qos: 2, messageId: 7, topic: 'qa/x' }], ['in', { cmd: 'publish', qos: 1, messageId: 8, topic: 'qa/y' }]);
    await pick(w, 'pubrec');
    expect(ackBox(w)).toBe('7');
    await pick(w, 'puback');
    expect(ackBox(w)).toBe('8');
    await pick(w, 'pubcomp');
    // No PUBREL received yet: nothing to complete.
    expect(ackBox(w)).toBe('');
    await logged(['out', { cmd: 'pubrec', messageId: 7 }], ['in', { cmd: 'pubrel', messageId: 7 }]);
    await pick(w, 'puback');
    await pick(w, 'pubcomp');
    expect(ackBox(w)).toBe('7');
    // A typed id is the user's: another answer picked keeps it.
    await byLabel(w, 'Packet id').setValue('9');
    await pick(w, 'puback');
    expect(ackBox(w)).toBe('9');
    // The box holds the PUBLISH's topic; UNSUBSCRIBE proposes the filter subscribed.
    await pick(w, 'unsubscribe');
    expect((byLabel(w, 'Topic').element as HTMLInputElement).value).toBe('qa/#');
  });

  it('a reconnect forgets what the broker delivered and what was subscribed', async () => {
    const w = await composer.mountProtocolFormat();
    await byLabel(w, 'Protocol').setValue('mqtt');
    await logged(['out', { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/#', qos: 1 }] }], ['in', { cmd: 'publish', qos: 1, messageId: 4, topic: 'a/b' }]);
    await pick(w, 'puback');
    expect(ackBox(w)).toBe('4');
    composer.fake.emit({ type: 'attempt', sessionId: 's1', record: { attempt: 1, startedAt: 0, endedAt: 0, afterSeq: 2, outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' }, next: { attempt: 2, retry: 1, maxRetries: 0, waitMs: 10, at: 0 } } });
    await logged(['out', { cmd: 'connect', clientId: 'x' }]);
    await pick(w, 'pubrec');
    await pick(w, 'puback');
    expect(ackBox(w)).toBe('');
    await pick(w, 'publish');
    await byLabel(w, 'Topic').setValue('a/c');
    await pick(w, 'unsubscribe');
    expect((byLabel(w, 'Topic').element as HTMLInputElement).value).toBe('a/c');
  });
});
