/**
 * The rule behind "offer the mqtt subprotocol" (core/errors/mqtt-subprotocol.ts): only a session
 * whose first data message began an MQTT CONNECT, that agreed no subprotocol, and got nothing
 * back after it. What Mosquitto really does: test/net/real-servers/mqtt-subprotocol-mosquitto.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MQTT_SUBPROTOCOL_DIAGNOSIS, mqttSubprotocolDiagnosis } from '../../../src-main/core/errors/mqtt-subprotocol';

describe('the mqtt subprotocol diagnosis', () => {
  it('a CONNECT sent, no subprotocol agreed, nothing back: names the subprotocol, the flag and the field', () => {
    expect(mqttSubprotocolDiagnosis({ connectSent: true, subprotocol: undefined, answered: false })).toBe(MQTT_SUBPROTOCOL_DIAGNOSIS);
    expect(mqttSubprotocolDiagnosis({ connectSent: true, subprotocol: '', answered: false })).toBe(MQTT_SUBPROTOCOL_DIAGNOSIS);
    expect(MQTT_SUBPROTOCOL_DIAGNOSIS).toContain('--subprotocol mqtt');
    expect(MQTT_SUBPROTOCOL_DIAGNOSIS).toContain('Subprotocols field');
  });

  it('not when the broker answered, a subprotocol was agreed, or no CONNECT went', () => {
    expect(mqttSubprotocolDiagnosis({ connectSent: true, subprotocol: undefined, answered: true })).toBeUndefined();
    expect(mqttSubprotocolDiagnosis({ connectSent: true, subprotocol: 'mqtt', answered: false })).toBeUndefined();
    // Another subprotocol agreed: the broker chose something; not this rule's case.
    expect(mqttSubprotocolDiagnosis({ connectSent: true, subprotocol: 'mqttv3.1', answered: false })).toBeUndefined();
    expect(mqttSubprotocolDiagnosis({ connectSent: false, subprotocol: undefined, answered: false })).toBeUndefined();
  });

});
