// The composer's ids advance after a send (issue 14 QA, H3): a STOMP SUBSCRIBE's id, a GraphQL
// subscribe's id, an MQTT packet id, unless typed by the user; an id this composer sent in the
// session and did not close is said before it goes again, with the next one offered. And the
// MQTT packets added (L1): PUBACK/PUBREC/PUBREL/PUBCOMP, UNSUBSCRIBE, PINGREQ, DISCONNECT.
// The engine's real encoder answers message:encode behind the fake bridge.
import type { VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { button, byLabel, composerTest } from './composer-fixture';

const composer = composerTest({ settleMs: 300 });
const { settle, mountProtocolFormat: mountOpen, sends } = composer;
const sendButton = (w: VueWrapper) => button(w, 'Send');


const sentTexts = () => sends().map((s) => (s as { data: string }).data);
const hexOf = (base64: string) => [...atob(base64)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
const warning = (w: VueWrapper) => w.find('[data-testid="protocol-id-warning"]');

async function clickSend(w: VueWrapper): Promise<void> {
  await settle();
  await sendButton(w).trigger('click');
  await settle();
}

describe("the composer's ids", () => {
  it('STOMP: SUBSCRIBE sub-0 then sub-1; UNSUBSCRIBE proposes the one open; a SUBSCRIBE again gets sub-2', async () => {
    const w = await mountOpen();
    await byLabel(w, 'Header 2 value').setValue('/topic/a');
    await clickSend(w);
    expect(byLabel(w, 'Header 1 value').element).toHaveProperty('value', 'sub-1');
    await byLabel(w, 'Header 2 value').setValue('/topic/b');
    await clickSend(w);
    expect(sentTexts()).toEqual(['SUBSCRIBE\nid:sub-0\ndestination:/topic/a\n\n\u0000', 'SUBSCRIBE\nid:sub-1\ndestination:/topic/b\n\n\u0000']);
    expect(warning(w).exists()).toBe(false);
    await byLabel(w, 'Command').setValue('UNSUBSCRIBE');
    await settle();
    expect(byLabel(w, 'Header 1 value').element).toHaveProperty('value', 'sub-1');
    await clickSend(w);
    await byLabel(w, 'Command').setValue('SUBSCRIBE');
    await settle();
    expect(byLabel(w, 'Header 1 value').element).toHaveProperty('value', 'sub-2');
    // The advanced id is the composer's proposal, not a typed header: a SEND does not carry it
    // (seen against RabbitMQ: SEND went out with id:sub-2, passed on to subscribers).
    await byLabel(w, 'Command').setValue('SEND');
    await byLabel(w, 'Header 1 value').setValue('/topic/a');
    await clickSend(w);
    expect(sentTexts().at(-1)).toBe('SEND\ndestination:/topic/a\n\n\u0000');
  });

  it('a typed id is sent and kept as typed; sent again it is warned about, and "Use" offers the next one free', async () => {
    const w = await mountOpen();
    await byLabel(w, 'Header 1 value').setValue('mine');
    await byLabel(w, 'Header 2 value').setValue('/topic/a');
    await clickSend(w);
    expect(byLabel(w, 'Header 1 value').element).toHaveProperty('value', 'mine');
    expect(warning(w).text()).toContain("The subscription id mine was sent in this session's SUBSCRIBE already and is still open");
    expect(warning(w).text()).toContain('Use mine-1');
    // A warning, not a refusal: the user may mean it.
    await clickSend(w);
    expect(sentTexts()).toHaveLength(2);
    const use = w.findAll('button').find((b) => b.text() === 'Use mine-1');
    if (!use) throw new Error('no Use button');
    await use.trigger('click');
    await settle();
    expect(warning(w).exists()).toBe(false);
    await clickSend(w);
    // Now the composer's proposal: it advances.
    expect(byLabel(w, 'Header 1 value').element).toHaveProperty('value', 'mine-2');
  });

  it('GraphQL: subscribe 1 then 2; complete proposes the open one; an id sent before is warned about', async () => {
    const w = await mountOpen();
    await byLabel(w, 'Protocol').setValue('graphql');
    await byLabel(w, 'Query').setValue('subscription { a }');
    await clickSend(w);
    expect(byLabel(w, 'Id').element).toHaveProperty('value', '2');
    await clickSend(w);
    expect(sentTexts().map((t) => (JSON.parse(t) as { id: string }).id)).toEqual(['1', '2']);
    await byLabel(w, 'GraphQL message').setValue('complete');
    await settle();
    expect(byLabel(w, 'Id').element).toHaveProperty('value', '2');
    await clickSend(w);
    expect(JSON.parse(sentTexts()[2] ?? '')).toEqual({ id: '2', type: 'complete' });
    await byLabel(w, 'GraphQL message').setValue('subscribe');
    await settle();
    // 2 was completed: free again, but the proposal stays 3 (ids only move forward).
    expect(byLabel(w, 'Id').element).toHaveProperty('value', '3');
    await byLabel(w, 'Id').setValue('1');
    await settle();
    expect(warning(w).text()).toContain('The id 1 was sent');
  });

  it('MQTT: the packet id advances after SUBSCRIBE, PUBLISH QoS 1 and UNSUBSCRIBE; not after QoS 0 or a PUBACK', async () => {
    const w = await mountOpen();
    await byLabel(w, 'Protocol').setValue('mqtt');
    await byLabel(w, 'MQTT packet').setValue('subscribe');
    await byLabel(w, 'Topic').setValue('a/#');
    await clickSend(w);
    expect(byLabel(w, 'Packet id').element).toHaveProperty('value', '2');
    await byLabel(w, 'MQTT packet').setValue('publish');
    await byLabel(w, 'Topic').setValue('a/1');
    await clickSend(w);
    expect(byLabel(w, 'Packet id').element).toHaveProperty('value', '2');
    await byLabel(w, 'QoS').setValue('1');
    await clickSend(w);
    expect(byLabel(w, 'Packet id').element).toHaveProperty('value', '3');
    await byLabel(w, 'MQTT packet').setValue('puback');
    await settle();
    // An answer's id is the broker's PUBLISH's: its own box, empty until typed.
    expect(byLabel(w, 'Packet id').element).toHaveProperty('value', '');
    await byLabel(w, 'Packet id').setValue('9');
    await clickSend(w);
    await byLabel(w, 'MQTT packet').setValue('unsubscribe');
    await byLabel(w, 'Topic').setValue('a/#');
    await settle();
    expect(byLabel(w, 'Packet id').element).toHaveProperty('value', '3');
    await clickSend(w);
    const hex = sends().map((s) => hexOf((s as { data: string }).data));
    // SUBSCRIBE id 1, PUBLISH QoS 0 (no id), PUBLISH QoS 1 id 2, PUBACK 9, UNSUBSCRIBE id 3.
    expect(hex).toEqual(['820800010003612f2300', '30050003612f31', '32070003612f310002', '40020009', 'a20700030003612f23']);
  });
});

describe('the MQTT packets added', () => {
  async function mqttSent(w: VueWrapper, cmd: string, change: () => Promise<void> = async () => undefined): Promise<string> {
    await byLabel(w, 'MQTT packet').setValue(cmd);
    await change();
    await clickSend(w);
    const last = sends().at(-1) as { kind: string; data: string };
    expect(last.kind).toBe('binary');
    return hexOf(last.data);
  }

  it('PUBACK, PUBREC, PUBREL, PUBCOMP with a packet id, UNSUBSCRIBE, PINGREQ and DISCONNECT, in 3.1.1 and 5', async () => {
    const w = await mountOpen();
    await byLabel(w, 'Protocol').setValue('mqtt');
    const withId = (id: string) => async () => {
      await byLabel(w, 'Packet id').setValue(id);
    };
    expect(await mqttSent(w, 'puback', withId('3'))).toBe('40020003');
    expect(await mqttSent(w, 'pubrec', withId('3'))).toBe('50020003');
    expect(await mqttSent(w, 'pubrel', withId('3'))).toBe('62020003');
    expect(await mqttSent(w, 'pubcomp', withId('3'))).toBe('70020003');
    expect(await mqttSent(w, 'pingreq')).toBe('c000');
    expect(await mqttSent(w, 'disconnect')).toBe('e000');
    expect(await mqttSent(w, 'unsubscribe', async () => byLabel(w, 'Topic').setValue('a/b'))).toBe('a2070001' + '0003612f62');
    await byLabel(w, 'MQTT version').setValue('5');
    expect(await mqttSent(w, 'puback', withId('3'))).toBe('400400030000');
    expect(await mqttSent(w, 'disconnect')).toBe('e0020000');
    expect(await mqttSent(w, 'unsubscribe', async () => byLabel(w, 'Topic').setValue('a/b'))).toBe('a2080002' + '00' + '0003612f62');
  });

  it('an answer without its packet id is said, and a PUBREL proposes the last QoS 2 PUBLISH\'s id', async () => {
    const w = await mountOpen();
    await byLabel(w, 'Protocol').setValue('mqtt');
    await byLabel(w, 'MQTT packet').setValue('puback');
    await sendButton(w).trigger('click');
    await settle();
    expect(w.get('[data-testid="protocol-problem"]').text()).toBe('A PUBACK needs the packet id of the PUBLISH it answers.');
    expect(sends()).toEqual([]);
    await byLabel(w, 'MQTT packet').setValue('publish');
    await byLabel(w, 'Topic').setValue('t');
    await byLabel(w, 'QoS').setValue('2');
    await clickSend(w);
    await byLabel(w, 'MQTT packet').setValue('pubrel');
    await settle();
    expect(byLabel(w, 'Packet id').element).toHaveProperty('value', '1');
    await clickSend(w);
    expect(hexOf((sends().at(-1) as { data: string }).data)).toBe('62020001');
  });
});
