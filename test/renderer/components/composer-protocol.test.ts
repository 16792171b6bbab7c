// The composer's Protocol format (issue 14): a STOMP SUBSCRIBE built from its command and
// headers and a Socket.IO emit with arguments and an ack id are encoded by the engine's encoder
// (the real one behind the fake bridge) and sent as the bytes it answers; what will go out is
// said before sending; a bad field is said in words and nothing is sent; MQTT goes out binary.
import type { VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { button, byLabel, composerTest } from './composer-fixture';

const composer = composerTest({ settleMs: 300 });
const { settle, mountProtocolFormat: mountOpen, sends } = composer;
const sendButton = (w: VueWrapper) => button(w, 'Send');

describe('the Protocol format', () => {
  it('builds a STOMP SUBSCRIBE from its headers, says what will go out, and sends the frame', async () => {
    const w = await mountOpen();
    expect(byLabel(w, 'Command').element).toHaveProperty('value', 'SUBSCRIBE');
    // The command's headers are proposed: id sub-0 and an empty destination, not an error before anything is typed.
    expect(w.find('[data-testid="protocol-problem"]').exists()).toBe(false);
    expect(w.get('[data-testid="protocol-waiting"]').text()).toBe('Fill in the fields: what will go out is shown here.');
    // Leaving the empty destination says what it needs.
    await byLabel(w, 'Header 2 value').trigger('focusout');
    expect(w.get('[data-testid="protocol-problem"]').text()).toBe('The headers: a SUBSCRIBE frame needs a destination header.');
    await byLabel(w, 'Header 2 value').setValue('/topic/prices');
    await settle();
    expect(w.get('[data-testid="protocol-preview"]').text()).toBe('Will send (text, 47 B): SUBSCRIBE /topic/prices id=sub-0');
    await sendButton(w).trigger('click');
    await settle();
    expect(sends()).toEqual([{ sessionId: 's1', kind: 'text', data: 'SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\n\n\u0000' }]);
  });

  it('a SEND after a SUBSCRIBE keeps the typed destination, not the SUBSCRIBE\'s proposed id nor its receipt', async () => {
    const w = await mountOpen();
    await byLabel(w, 'Header 2 value').setValue('/topic/prices');
    const add = w.findAll('button').find((b) => b.text() === '+ Header');
    if (!add) throw new Error('no + Header');
    await add.trigger('click');
    await byLabel(w, 'Header 3 name').setValue('receipt');
    await byLabel(w, 'Header 3 value').setValue('r-1');
    await byLabel(w, 'Command').setValue('SEND');
    await byLabel(w, 'Body').setValue('{"price":1}');
    await settle();
    await sendButton(w).trigger('click');
    await settle();
    // Before: SEND\nid:sub-0\ndestination:/topic/prices\nreceipt:r-1 (RabbitMQ passed the id on in its MESSAGE; a receipt names one frame).
    expect(sends()).toEqual([{ sessionId: 's1', kind: 'text', data: 'SEND\ndestination:/topic/prices\ncontent-length:11\n\n{"price":1}\u0000' }]);
  });

  it('builds a Socket.IO emit with arguments and an ack id', async () => {
    const w = await mountOpen();
    await byLabel(w, 'Protocol').setValue('socketio');
    await settle();
    await byLabel(w, 'Namespace').setValue('/admin');
    await byLabel(w, 'Event').setValue('chat');
    await byLabel(w, 'Ack id').setValue('12');
    await byLabel(w, 'Arguments (a JSON array)').setValue('["hi", {"room": 1}]');
    await settle();
    expect(w.get('[data-testid="protocol-preview"]').text()).toContain("emit 'chat' on /admin ack 12");
    await sendButton(w).trigger('click');
    await settle();
    expect(sends()).toEqual([{ sessionId: 's1', kind: 'text', data: '42/admin,12["chat","hi",{"room":1}]' }]);
  });

  it('says what is wrong in words and sends nothing', async () => {
    const w = await mountOpen();
    await byLabel(w, 'Protocol').setValue('socketio');
    await byLabel(w, 'Event').setValue('chat');
    await byLabel(w, 'Ack id').setValue('twelve');
    await settle();
    expect(w.get('[data-testid="protocol-problem"]').text()).toBe('The ack id must be a whole number (got “twelve”).');
    await byLabel(w, 'Ack id').setValue('');
    await byLabel(w, 'Arguments (a JSON array)').setValue('{"room": 1}');
    await settle();
    expect(w.get('[data-testid="protocol-problem"]').text()).toBe('The arguments are a JSON array, e.g. ["hello", {"room": 1}].');
    await sendButton(w).trigger('click');
    await settle();
    expect(sends()).toEqual([]);
    expect(w.text()).toContain('Not sent: The arguments');
    // Said on screen once, by the form; the Send's "Not sent" goes to screen readers.
    expect(w.get('[data-testid="send-error"]').classes()).toContain('ts-sr-only');
  });

  it('a required field left empty is said once typed in or on Send, not when the form is picked; another packet kind starts quiet again', async () => {
    const w = await mountOpen();
    await byLabel(w, 'Protocol').setValue('graphql');
    await settle();
    // The subscribe's query is empty: quiet until the user acts.
    expect(w.find('[data-testid="protocol-problem"]').exists()).toBe(false);
    expect(w.find('[data-testid="protocol-waiting"]').exists()).toBe(true);
    await sendButton(w).trigger('click');
    await settle();
    expect(sends()).toEqual([]);
    expect(w.get('[data-testid="protocol-problem"]').text()).toMatch(/^The query: /);
    expect(w.text()).toContain('Not sent: The query');
    // A new form (MQTT SUBSCRIBE with its empty topic): quiet again, until something is typed.
    await byLabel(w, 'Protocol').setValue('mqtt');
    await byLabel(w, 'MQTT packet').setValue('subscribe');
    await settle();
    expect(w.find('[data-testid="protocol-problem"]').exists()).toBe(false);
    await byLabel(w, 'Packet id').setValue('7');
    await settle();
    expect(w.get('[data-testid="protocol-problem"]').text()).toMatch(/^The topic: /);
    await byLabel(w, 'Topic').setValue('sensors/#');
    await settle();
    expect(w.get('[data-testid="protocol-preview"]').text()).toContain('SUBSCRIBE');
  });

  it('names every text box on screen, for each protocol (a placeholder goes once typed in: GraphQL\'s "{}" said nothing)', async () => {
    const w = await mountOpen();
    /** The visible label of each text box the form shows. */
    const boxNames = (): string[] => w.findAll('[role="group"][aria-label="Protocol message"] textarea').map((box) => w.find(`label[for="${box.attributes('id') ?? '-'}"]`).text());
    expect(boxNames()).toEqual(['Body']);
    const shown: Record<string, string[]> = {};
    for (const [protocol, packet] of [['socketio', null], ['mqtt', 'publish'], ['graphql', null], ['msgpack', null], ['cbor', null]] as const) {
      await byLabel(w, 'Protocol').setValue(protocol);
      if (packet !== null) await byLabel(w, 'MQTT packet').setValue(packet);
      await settle();
      shown[protocol] = boxNames();
    }
    expect(shown).toEqual({ socketio: ['Arguments'], mqtt: ['Payload'], graphql: ['Query', 'Variables'], msgpack: ['Value (JSON)'], cbor: ['Value (JSON)'] });
  });

  it('sends an MQTT PUBLISH as binary', async () => {
    const w = await mountOpen();
    await byLabel(w, 'Protocol').setValue('mqtt');
    await settle();
    await byLabel(w, 'MQTT packet').setValue('publish');
    await settle();
    await byLabel(w, 'Topic').setValue('sensors/1');
    await byLabel(w, 'Payload').setValue('21.5');
    await settle();
    expect(w.get('[data-testid="protocol-preview"]').text()).toContain('PUBLISH sensors/1 QoS 0 4 B');
    await sendButton(w).trigger('click');
    await settle();
    const sent = sends()[0] as { kind: string; data: string };
    expect(sent.kind).toBe('binary');
    const hex = [...atob(sent.data)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
    // PUBLISH QoS 0, remaining length 15, topic length 9, "sensors/1", payload "21.5".
    expect(hex).toBe('300f0009' + '73656e736f72732f31' + '32312e35');
  });
});
