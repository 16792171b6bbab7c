/**
 * What the MQTT keep-alive switch says under it. It follows the CONNECT this app sends (the
 * composer, a saved message), not the Decode choice: Decode only changes how frames are shown.
 */
export function mqttKeepaliveHint(on: boolean): string {
  return on
    ? "Only when a CONNECT this tab sends proposes a keep-alive the broker accepts: a PINGREQ goes out whenever no MQTT packet was sent for that long (MQTT 5: the broker's Server Keep Alive), shown as a sent frame."
    : 'No PINGREQ is sent: a broker closes the session after 1.5 × keep-alive without a packet (the status bar then says why). WebSocket pings do not count for MQTT.';
}
