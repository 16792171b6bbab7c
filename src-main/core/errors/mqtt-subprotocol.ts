/**
 * Why an MQTT broker's WebSockets listener did nothing with the session's CONNECT: it expects the
 * `mqtt` subprotocol (MQTT 3.1.1 §6.0 and MQTT 5 §6: the client MUST include "mqtt" in the
 * subprotocols it offers, [MQTT-6.0.0-3]/[MQTT-6.0.0-4]), and the session offered none. Checked
 * against Mosquitto 2.0.11 (test/net/real-servers/mqtt-subprotocol-mosquitto.test.ts): without
 * the subprotocol it still answers the upgrade (101, no Sec-WebSocket-Protocol), then reads
 * nothing: no CONNACK, no close, the connection held open (90 s and more), its log silent.
 *
 * The rule: the session's first outgoing data message began a CONNECT (what mqtt-keepalive.ts
 * reads as MQTT), no subprotocol was agreed, and nothing came back after it while the connection
 * lasted, however it ended (the server closed it, the connection dropped, the user closed it
 * waiting). A session the broker answered, or that agreed any subprotocol, is not this.
 * The session's MQTT keep-alive (session/mqtt-keepalive.ts) already reads the first outgoing
 * message as a CONNECT and waits for the broker's first packet: its 'connecting' phase at the end
 * is "CONNECT sent, nothing back".
 */

export interface MqttSubprotocolSigns {
  /** The session's first outgoing data message began an MQTT CONNECT. */
  readonly connectSent: boolean;
  /** The subprotocol the server chose in its 101 (undefined or '': none). */
  readonly subprotocol: string | undefined;
  /** A data message came from the server after the CONNECT went. */
  readonly answered: boolean;
}

export const MQTT_SUBPROTOCOL_DIAGNOSIS =
  'The MQTT CONNECT got no answer, and the connection agreed no subprotocol: an MQTT broker over WebSocket expects the `mqtt` subprotocol (MQTT §6.0; Mosquitto accepts the upgrade without it and then reads nothing). Connect again offering it: --subprotocol mqtt, or mqtt in the Subprotocols field.';

/** The diagnosis for such a session, or undefined when what it saw does not match. */
export function mqttSubprotocolDiagnosis(signs: MqttSubprotocolSigns): string | undefined {
  if (!signs.connectSent || signs.answered) return undefined;
  if (signs.subprotocol !== undefined && signs.subprotocol !== '') return undefined;
  return MQTT_SUBPROTOCOL_DIAGNOSIS;
}

