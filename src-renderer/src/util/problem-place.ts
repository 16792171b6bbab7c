/**
 * A profile problem's place (`savedMessages.1.body`, `headers.0.name`, `tls.caFiles.2`) in the
 * words and numbers the editor shows: "message 2's body", "header 1's name", "extra CA file
 * 3". Lists count from 1, as the editor's rows do ("Message 2 body").
 */

/** Fields as the editor labels them. */
const FIELDS: Readonly<Record<string, string>> = {
  id: 'profile id',
  name: 'name',
  url: 'URL',
  urlPassword: 'URL password',
  headers: 'headers',
  subprotocols: 'subprotocols',
  origin: 'Origin',
  handshakeTimeoutMs: 'handshake timeout',
  timeouts: 'timeouts',
  'timeouts.proxyConnectMs': 'timeouts (proxy connect)',
  'timeouts.proxyAnswerMs': 'timeouts (proxy answer)',
  'timeouts.tlsMs': 'timeouts (TLS)',
  'timeouts.upgradeMs': 'timeouts (upgrade)',
  'timeouts.openMs': 'timeouts (open)',
  history: 'history kept',
  'history.maxFrames': 'history kept (frames)',
  'history.maxBytes': 'history kept (MiB)',
  keepalive: 'keep-alive',
  'keepalive.enabled': 'keep-alive',
  'keepalive.intervalMs': 'keep-alive interval',
  'keepalive.pongTimeoutMs': 'pong deadline',
  engineioHeartbeat: 'Engine.IO heartbeat',
  mqttKeepalive: 'MQTT keep-alive',
  proxy: 'proxy',
  'proxy.mode': 'proxy mode',
  'proxy.url': 'proxy address',
  'proxy.pac': 'PAC',
  'proxy.pacUrl': 'PAC URL',
  'proxy.pacPath': 'PAC file',
  'proxy.pacScript': 'PAC script',
  'proxy.pacPassword': 'PAC URL password',
  'proxy.username': 'proxy username',
  'proxy.password': 'proxy password',
  'proxy.caFiles': 'proxy CA files',
  tls: 'TLS',
  'tls.insecure': 'certificate verification',
  'tls.trust': 'trust',
  'tls.caFiles': 'extra CA files',
  'tls.certFile': 'client certificate',
  'tls.keyFile': 'client key',
  'tls.passphrase': 'key passphrase',
  reconnect: 'auto-reconnect',
  'reconnect.enabled': 'auto-reconnect',
  'reconnect.initialDelayMs': 'first wait',
  'reconnect.maxDelayMs': 'longest wait',
  'reconnect.maxAttempts': 'attempts',
  savedMessages: 'saved messages',
  interceptPassthrough: 'intercept passthrough hosts',
};

/** Lists whose items the editor numbers, and their items' fields. */
const LISTS: Readonly<Record<string, { item: string; fields: Readonly<Record<string, string>> }>> = {
  savedMessages: { item: 'message', fields: { name: 'name', kind: 'kind', body: 'body', id: 'id' } },
  headers: { item: 'header', fields: { name: 'name', value: 'value', secret: 'secret switch' } },
  'tls.caFiles': { item: 'extra CA file', fields: {} },
  'proxy.caFiles': { item: 'proxy CA file', fields: {} },
  interceptPassthrough: { item: 'passthrough host', fields: {} },
  'decodeProtobuf.rules': { item: 'type rule', fields: { type: 'message type', firstByte: 'first byte', dir: 'direction', urlIncludes: 'URL part', subprotocol: 'subprotocol' } },
};

/** The place in words; '' for the profile as a whole. */
export function placeLabel(place: string): string {
  if (place === '' || place === 'general') return '';
  const parts = place.split('.');
  for (let i = 1; i < parts.length; i++) {
    const list = LISTS[parts.slice(0, i).join('.')];
    const index = parts[i] ?? '';
    if (!list || !/^\d+$/.test(index)) continue;
    const item = `${list.item} ${Number(index) + 1}`;
    const rest = parts.slice(i + 1).join('.');
    if (rest === '') return item;
    return `${item}'s ${list.fields[rest] ?? rest}`;
  }
  for (let n = parts.length; n > 0; n--) {
    const words = FIELDS[parts.slice(0, n).join('.')];
    if (words !== undefined) return n === parts.length ? words : `${words} (${parts.slice(n).join('.')})`;
  }
  return place;
}
