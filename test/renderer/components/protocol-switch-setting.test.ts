/**
 * MqttKeepAliveSetting and EngineIoHeartbeatSetting share their layout (ProtocolSwitchSetting)
 * and still render what each rendered on its own: the markup below is theirs from before the
 * merge (ids numbered, the scoped-style attribute dropped), the only difference a comment where
 * the MQTT hint has no second line. The switch writes the model back, and the label is the
 * checkbox's.
 */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import EngineIoHeartbeatSetting from '../../../src-renderer/src/components/EngineIoHeartbeatSetting.vue';
import MqttKeepAliveSetting from '../../../src-renderer/src/components/MqttKeepAliveSetting.vue';

/** The markup with useId's ids numbered in order of appearance and without data-v attributes. */
function markup(html: string): string {
  const ids = new Map<string, string>();
  return html.replace(/ data-v-[0-9a-f]+=""/g, '').replace(/"(v-[\w-]+)"/g, (_whole, id: string) => {
    const known = ids.get(id) ?? `ID${ids.size}`;
    ids.set(id, known);
    return `"${known}"`;
  });
}

const MQTT_ON_HINT =
  "Only when a CONNECT this tab sends proposes a keep-alive the broker accepts: a PINGREQ goes out whenever no MQTT packet was sent for that long (MQTT 5: the broker's Server Keep Alive), shown as a sent frame.";
const MQTT_OFF_HINT = 'No PINGREQ is sent: a broker closes the session after 1.5 × keep-alive without a packet (the status bar then says why). WebSocket pings do not count for MQTT.';
const EIO_ON_HINT =
  'Only for a server whose first message is an Engine.IO open packet (Socket.IO): each ping 2 is answered with 3 (EIO=3 in the URL: a 2 every pingInterval), shown as sent frames.';
const EIO_OFF_HINT = 'Engine.IO pings go unanswered: a Socket.IO server closes the session at its ping timeout (the status bar then says why).';

function row(label: string, testid: string, check: string, hint: string, problem: string | null): string {
  return [
    `<label for="ID0" class="switch-label">${label}</label>`,
    `<div><label class="ts-check"><input id="ID0" type="checkbox" aria-describedby="ID1" data-testid="${testid}"> ${check}</label>`,
    `  <p id="ID1" class="hint ts-muted" data-testid="${testid}-hint">${hint}</p>`,
    problem === null ? '  <!--v-if-->' : `  <p class="problem ts-tone-error">✖ ${problem}</p>`,
    '</div>',
  ].join('\n');
}
/** A hint without its second line: the comment Vue leaves for the absent note. */
const alone = (hint: string): string => `${hint}\n    <!--v-if-->\n  `;

describe('the rows render as before the merge', () => {
  it.each([
    [true, null],
    [false, 'bad value'],
  ])('MQTT keep-alive, on %s, problem %j', (on, problem) => {
    const w = mount(MqttKeepAliveSetting, { props: { modelValue: on, problem } });
    const hint = alone(on ? MQTT_ON_HINT : MQTT_OFF_HINT);
    expect(markup(w.html())).toBe(row('MQTT keep-alive', 'mqtt-keepalive', 'send PINGREQ when the keep-alive falls due', hint, problem));
  });

  it.each([
    [true, 'auto', null, alone(EIO_ON_HINT)],
    [true, 'none', null, `${EIO_ON_HINT}<br>Decode is None: that changes only how frames are shown. A server that opens with Engine.IO is still answered.`],
    [false, 'stomp', 'nope', alone(EIO_OFF_HINT)],
  ])('Engine.IO heartbeat, on %s, Decode %s, problem %j', (on, decode, problem, hint) => {
    const w = mount(EngineIoHeartbeatSetting, { props: { modelValue: on, decode, problem } });
    expect(markup(w.html())).toBe(row('Engine.IO heartbeat', 'engineio-heartbeat', "answer the server's Engine.IO pings", hint, problem));
  });
});

describe('the switch', () => {
  it('writes the model back through the wrapper, and the hint follows it', async () => {
    const mqtt = mount(MqttKeepAliveSetting, { props: { modelValue: true, problem: null, 'onUpdate:modelValue': (value: boolean) => mqtt.setProps({ modelValue: value }) } });
    const engineio = mount(EngineIoHeartbeatSetting, {
      props: { modelValue: true, decode: 'auto', problem: null, 'onUpdate:modelValue': (value: boolean) => engineio.setProps({ modelValue: value }) },
    });
    for (const [w, testid, offText] of [
      [mqtt, 'mqtt-keepalive', 'No PINGREQ is sent'],
      [engineio, 'engineio-heartbeat', 'Engine.IO pings go unanswered'],
    ] as const) {
      await w.get<HTMLInputElement>(`[data-testid="${testid}"]`).setValue(false);
      expect(w.emitted('update:modelValue')).toEqual([[false]]);
      expect(w.get(`[data-testid="${testid}-hint"]`).text()).toContain(offText);
      w.unmount();
    }
  });
});
