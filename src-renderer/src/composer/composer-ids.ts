/**
 * The ids the composer proposes, and which of them it has sent (issue 14 QA, H3). A STOMP
 * SUBSCRIBE's `id`, a GraphQL subscribe's `id`, an MQTT packet id and a Socket.IO ack id name
 * one conversation; sent twice, a server ends the connection (graphql-ws closes 4409 "Subscriber
 * for 1 already exists", RabbitMQ "STOMP died" on a second SUBSCRIBE id:sub-0) or the answers
 * merge. So after a send the id the user did not change (still the proposed one) moves to the
 * next one not sent in this session, and an id still open is said before it is sent again.
 *
 * "Open" is what the session's current connection has: the ids the composer sent, and those the
 * log's frames opened whoever sent them (a subscribe typed in the Text box, a profile's message
 * on open, a reconnect's resend), less those either side closed (an UNSUBSCRIBE or complete sent,
 * the server's complete or error, an MQTT broker's PUBACK / SUBACK, a Socket.IO ACK; log-ids.ts).
 * The log is read as it grows (composer-store.ts syncIds, noteLogFrame). A new reconnect attempt
 * is a new connection: nothing is open on it (noteAttemptStart).
 *
 * A proposed id is never open; nor, but for MQTT, one used earlier in the attempt and freed
 * since: graphql-ws would take a completed "3" again, but the log's conversation for 3 would then
 * run two operations together, and a late answer to the first would look like the second's.
 * MQTT's packet ids are few (65535) and meant to be reused once answered. An id typed by the
 * user is sent as typed and left as typed. Plain functions over a plain ledger, tested as such.
 */
import type { ProtocolMessage } from '../../../src-main/shared/protocol-message';
import type { ProtocolDraft } from './protocol-draft';
import type { IdEvent, LogEvent, MqttAnswer } from './log-ids';

export type IdFamily = 'stomp' | 'graphql' | 'mqtt' | 'socketio' | 'signalr';

export interface IdLedger {
  /** The session the ids were sent in; the ledger starts again for another. */
  sessionId: string | null;
  /** Open on the session's current connection (sent and not closed, by either side), per family, in order of opening. */
  open: Record<IdFamily, string[]>;
  /** Every id opened in the current attempt (closed ones too): a subscribe picked again does not propose one. */
  sent: Record<IdFamily, Set<string>>;
  /** The last seq of the session's log read into the ledger (0: none yet). */
  scannedTo: number;
  /** The first seq of the attempt the ledger holds (1 before any reconnect). */
  attemptStart: number;
  /** The value the composer put in each field; a field holding another was typed. */
  proposed: Record<IdFamily, string>;
  /** The last QoS 2 PUBLISH's packet id, proposed for the PUBREL that follows its PUBREC. */
  lastQos2Publish: string | null;
  /** The broker's packet ids the client owes an answer, per answer, oldest first (log-ids.ts mqttEvent). */
  awaiting: Record<MqttAnswer, string[]>;
  /** The topic filters the client subscribed to and has not unsubscribed, oldest first. */
  subscriptions: string[];
  /** The id the composer put in an MQTT answer's box ('' none): a box holding another was typed. */
  proposedAck: string;
  /** SignalR invocation ids a StreamInvocation opened in the attempt (a CancelInvocation proposes the newest still open). */
  streams: Set<string>;
  /** STOMP receipt ids the client's frames carried in the current attempt (a RECEIPT names one frame). */
  receipts: Set<string>;
  /** Socket.IO namespaces on the current attempt: the server connected it, or the client asked (no answer read yet). */
  namespaces: Map<string, 'joined' | 'asked'>;
  /** Whether the log was read from the attempt's first frame: only then is a namespace not listed not connected. */
  namespacesKnown: boolean;
}

export function emptyIdLedger(): IdLedger {
  return { sessionId: null, open: emptyOpen(), sent: emptySent(), scannedTo: 0, attemptStart: 1, proposed: { stomp: 'sub-0', graphql: '1', mqtt: '1', socketio: '', signalr: '1' }, lastQos2Publish: null, awaiting: emptyAwaiting(), subscriptions: [], proposedAck: '', streams: new Set(), receipts: new Set(), namespaces: new Map(), namespacesKnown: false };
}

function emptyAwaiting(): Record<MqttAnswer, string[]> {
  return { puback: [], pubrec: [], pubcomp: [] };
}

function emptyOpen(): Record<IdFamily, string[]> {
  return { stomp: [], graphql: [], mqtt: [], socketio: [], signalr: [] };
}

function emptySent(): Record<IdFamily, Set<string>> {
  return { stomp: new Set(), graphql: new Set(), mqtt: new Set(), socketio: new Set(), signalr: new Set() };
}

/** What a message does to an id: opens it (names a new conversation), closes it, or neither. */
export function idOfMessage(message: ProtocolMessage): { family: IdFamily; id: string; role: 'opens' | 'closes' } | null {
  switch (message.protocol) {
    case 'stomp': {
      const id = message.headers.find((h) => h.name === 'id')?.value;
      if (id === undefined) return null;
      if (message.command === 'SUBSCRIBE') return { family: 'stomp', id, role: 'opens' };
      if (message.command === 'UNSUBSCRIBE') return { family: 'stomp', id, role: 'closes' };
      return null;
    }
    case 'graphql':
      if (message.type === 'subscribe') return { family: 'graphql', id: message.id, role: 'opens' };
      if (message.type === 'complete') return { family: 'graphql', id: message.id, role: 'closes' };
      return null;
    case 'mqtt': {
      const p = message.packet;
      // A packet id is the client's until the broker answers it (SUBACK, UNSUBACK, PUBACK / PUBCOMP).
      if (p.cmd === 'subscribe' || p.cmd === 'unsubscribe') return { family: 'mqtt', id: String(p.messageId), role: 'opens' };
      if (p.cmd === 'publish' && p.qos > 0 && p.messageId !== undefined) return { family: 'mqtt', id: String(p.messageId), role: 'opens' };
      return null;
    }
    case 'socketio':
      return message.type === 'emit' && message.ackId !== undefined ? { family: 'socketio', id: String(message.ackId), role: 'opens' } : null;
    case 'signalr':
      // An invocation id names the call until the server's Completion (or the client's cancel of a stream).
      if (message.invocationId === undefined) return null;
      if (message.type === 'invocation' || message.type === 'streamInvocation') return { family: 'signalr', id: message.invocationId, role: 'opens' };
      if (message.type === 'cancelInvocation') return { family: 'signalr', id: message.invocationId, role: 'closes' };
      return null;
    default:
      return null;
  }
}

const MQTT_MAX_ID = 65535;

/**
 * The next id after `current` not taken: `sub-0` → `sub-1`, `1` → `2`, `x` → `x-1`; an MQTT
 * packet id wraps from 65535 to 1.
 */
export function nextUnusedId(family: IdFamily, current: string, taken: ReadonlySet<string>): string {
  const match = /^(.*?)(\d+)$/.exec(current);
  const prefix = match ? (match[1] ?? '') : current === '' ? '' : `${current}-`;
  let n = match ? Number(match[2]) : 0;
  for (let tries = 0; tries <= taken.size + 1; tries++) {
    n += 1;
    if (family === 'mqtt' && n > MQTT_MAX_ID) n = 1;
    const candidate = `${prefix}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
  return `${prefix}${n + 1}`;
}

/** The ids a proposal avoids: those open, and (but for MQTT) those used earlier in the attempt. */
export function takenIds(ledger: IdLedger, family: IdFamily): ReadonlySet<string> {
  const open = ledger.open[family];
  return family === 'mqtt' ? new Set(open) : new Set([...ledger.sent[family], ...open]);
}

/** The ledger of this session (another session's ids are forgotten). */
function ledgerFor(ledger: IdLedger, sessionId: string): IdLedger {
  if (ledger.sessionId !== sessionId) {
    ledger.sessionId = sessionId;
    ledger.open = emptyOpen();
    ledger.sent = emptySent();
    ledger.scannedTo = 0;
    ledger.attemptStart = 1;
    ledger.lastQos2Publish = null;
    ledger.awaiting = emptyAwaiting();
    ledger.subscriptions = [];
    ledger.streams = new Set();
    ledger.receipts = new Set();
    ledger.namespaces = new Map();
    ledger.namespacesKnown = false;
  }
  return ledger;
}

function opened(l: IdLedger, family: IdFamily, id: string): void {
  if (!l.open[family].includes(id)) l.open[family].push(id);
  l.sent[family].add(id);
}

function closed(l: IdLedger, family: IdFamily, id: string): void {
  const open = l.open[family];
  if (open.includes(id)) l.open[family] = open.filter((o) => o !== id);
}

/**
 * The session's attempt under way starts at `start` (composer-store.ts reads it from the
 * session's attempt records): on a later one, a new connection, nothing is open nor used.
 */
export function noteAttemptStart(ledger: IdLedger, sessionId: string, start: number): void {
  const l = ledgerFor(ledger, sessionId);
  if (start <= l.attemptStart) return;
  l.attemptStart = start;
  l.open = emptyOpen();
  l.sent = emptySent();
  l.lastQos2Publish = null;
  l.awaiting = emptyAwaiting();
  l.subscriptions = [];
  l.streams = new Set();
  l.receipts = new Set();
  l.namespaces = new Map();
  l.namespacesKnown = false;
}

/** Frame `seq` of the session's log opened or closed these ids (log-ids.ts); read in order, each once. */
export function noteLogFrame(ledger: IdLedger, sessionId: string, seq: number, events: readonly IdEvent[], others: readonly LogEvent[] = []): void {
  const l = ledgerFor(ledger, sessionId);
  if (seq <= l.scannedTo) return;
  l.scannedTo = seq;
  if (seq < l.attemptStart) return;
  for (const event of events) {
    if (event.role === 'opens') opened(l, event.family, event.id);
    else closed(l, event.family, event.id);
  }
  for (const event of others) noteOther(l, event);
}

/** A delivery to answer or answered, a subscription opened or closed (MQTT); a receipt; a namespace's change. */
function noteOther(l: IdLedger, event: LogEvent): void {
  if (event.kind === 'mqtt-answer') {
    const list = l.awaiting[event.answer].filter((id) => id !== event.id);
    l.awaiting[event.answer] = event.role === 'awaits' ? [...list, event.id] : list;
  } else if (event.kind === 'subscribed' || event.kind === 'unsubscribed') {
    // A filter subscribed again is the newest.
    l.subscriptions = l.subscriptions.filter((t) => !event.topics.includes(t));
    if (event.kind === 'subscribed') l.subscriptions.push(...event.topics);
  } else if (event.kind === 'stream') l.streams.add(event.id);
  else if (event.kind === 'receipt') l.receipts.add(event.id);
  // The server's CONNECT connects it; the client's asks (unless already connected); DISCONNECT or CONNECT_ERROR ends it.
  else if (event.kind === 'joined') l.namespaces.set(event.nsp, 'joined');
  else if (event.kind === 'asked') {
    if (!l.namespaces.has(event.nsp)) l.namespaces.set(event.nsp, 'asked');
  } else l.namespaces.delete(event.nsp);
}

const FAMILIES: readonly IdFamily[] = ['stomp', 'graphql', 'mqtt', 'socketio', 'signalr'];

/**
 * After the log was read: a proposal the log has since taken (a subscribe typed in the Text box
 * used the id, say) moves to the next free one, in the draft's field too when it still holds it.
 */
export function refreshProposals(draft: ProtocolDraft, ledger: IdLedger): void {
  for (const family of FAMILIES) {
    const proposed = ledger.proposed[family];
    const taken = takenIds(ledger, family);
    if (proposed === '' || !taken.has(proposed)) continue;
    const next = nextUnusedId(family, proposed, taken);
    if (draftId(draft, family) === proposed) setDraftId(draft, family, next);
    ledger.proposed[family] = next;
  }
}

const WORDS: Record<IdFamily, { name: string; sent: string; close: string }> = {
  stomp: { name: 'subscription id', sent: 'SUBSCRIBE', close: 'send UNSUBSCRIBE with it first, or' },
  graphql: { name: 'id', sent: 'subscribe', close: 'send complete with it first, or' },
  mqtt: { name: 'packet id', sent: 'packet', close: 'unless the broker has answered it,' },
  socketio: { name: 'ack id', sent: 'emit', close: 'unless the server has acknowledged it,' },
  signalr: { name: 'invocation id', sent: 'invocation', close: 'unless the server has completed it,' },
};

/** What a reused id does, per family: Socket.IO servers do not track the client's ack ids, the client's callbacks would mix. */
const REUSE: Record<IdFamily, string> = {
  stomp: 'a server may end the connection on a reused id',
  graphql: 'a server may end the connection on a reused id',
  mqtt: 'a server may end the connection on a reused id',
  socketio: "a Socket.IO server does not check ack ids, but its ACK for either emit would be taken as the other's by the client's ack callbacks",
  signalr: "the server's Completion for either call would be taken as the other's",
};

export interface IdWarning {
  text: string;
  family: IdFamily;
  /** The id to use instead: the next not open. */
  next: string;
}

/** Said before sending a message whose id this composer already sent in the session and did not close. */
export function idInUse(message: ProtocolMessage, ledger: IdLedger, sessionId: string | null): IdWarning | null {
  const id = idOfMessage(message);
  if (!id || id.role !== 'opens' || sessionId === null || ledger.sessionId !== sessionId) return null;
  if (!ledger.open[id.family].includes(id.id)) return null;
  const w = WORDS[id.family];
  const next = nextUnusedId(id.family, id.id, takenIds(ledger, id.family));
  return { family: id.family, next, text: `The ${w.name} ${id.id} was sent in this session's ${w.sent} already and is still open: ${w.close} use ${next} (${REUSE[id.family]}).` };
}

/** The next receipt id not sent in the attempt (`r-1` → `r-2`). */
export function nextReceipt(ledger: IdLedger, current: string): string {
  return nextUnusedId('stomp', current, ledger.receipts);
}

/**
 * A STOMP frame whose receipt id a frame of this attempt carried already: the broker's RECEIPT
 * names the frame by it (STOMP 1.2 §5.1 "receipt"), so two frames with one id cannot be told apart.
 */
export function receiptInUse(message: ProtocolMessage, ledger: IdLedger, sessionId: string | null): { text: string; next: string } | null {
  if (message.protocol !== 'stomp' || sessionId === null || ledger.sessionId !== sessionId) return null;
  const receipt = message.headers.find((h) => h.name === 'receipt')?.value;
  if (receipt === undefined || !ledger.receipts.has(receipt)) return null;
  const next = nextReceipt(ledger, receipt);
  return { next, text: `The receipt id ${receipt} was sent on a frame of this connection already: the broker's RECEIPT for it could not be told from the earlier one's; use ${next}.` };
}

/** The server's name for a namespace (Engine.IO 3 keys it by the path: `/admin?token=1` is `/admin`). */
export function namespaceName(nsp: string): string {
  const query = nsp.indexOf('?');
  return query < 0 ? nsp : nsp.slice(0, query);
}

/**
 * A Socket.IO emit on a namespace the log shows no CONNECT for in this attempt (said only when the
 * log was read from the attempt's start): a socket.io server closes the whole connection on it.
 */
export function namespaceNotConnected(message: ProtocolMessage, ledger: IdLedger, sessionId: string | null): { text: string; namespace: string } | null {
  if (message.protocol !== 'socketio' || message.type !== 'emit' || sessionId === null || ledger.sessionId !== sessionId || !ledger.namespacesKnown) return null;
  const nsp = namespaceName(message.namespace);
  if (ledger.namespaces.has(nsp)) return null;
  return { namespace: message.namespace, text: `${nsp} is not connected on this connection: a socket.io server closes the connection on an emit there; send a connect to ${nsp} first.` };
}

/**
 * A Socket.IO CONNECT to a namespace this attempt has connected already (the server's CONNECT
 * read) or asked for (a client CONNECT with no answer read yet): a socket.io v4 server closes the
 * whole connection on a CONNECT for a namespace it holds a socket of ("invalid state").
 */
export function namespaceConnectedAlready(message: ProtocolMessage, ledger: IdLedger, sessionId: string | null): { text: string; namespace: string } | null {
  if (message.protocol !== 'socketio' || message.type !== 'connect' || sessionId === null || ledger.sessionId !== sessionId) return null;
  const nsp = namespaceName(message.namespace);
  const state = ledger.namespaces.get(nsp);
  if (state === undefined) return null;
  const already = state === 'joined' ? `${nsp} is connected on this connection already` : `a connect to ${nsp} was sent on this connection already (no answer read yet)`;
  return { namespace: message.namespace, text: `${already}: a socket.io server closes the connection on a second connect there; emit on ${nsp} instead.` };
}

/** Writes an id into the draft's field for its family. */
export function setDraftId(draft: ProtocolDraft, family: IdFamily, value: string): void {
  switch (family) {
    case 'stomp': {
      const header = draft.stomp.headers.find((h) => h.name === 'id');
      if (header) header.value = value;
      break;
    }
    case 'graphql':
      draft.graphql.id = value;
      break;
    case 'mqtt':
      draft.mqtt.messageId = value;
      break;
    case 'socketio':
      draft.socketio.ackId = value;
      break;
    case 'signalr':
      draft.signalr.invocationId = value;
      break;
  }
}

function draftId(draft: ProtocolDraft, family: IdFamily): string | undefined {
  switch (family) {
    case 'stomp':
      return draft.stomp.headers.find((h) => h.name === 'id')?.value;
    case 'graphql':
      return draft.graphql.id;
    case 'mqtt':
      return draft.mqtt.messageId;
    case 'socketio':
      return draft.socketio.ackId;
    case 'signalr':
      return draft.signalr.invocationId;
  }
}

/** "Use 5": the id becomes the composer's proposal, so it advances after the send. */
export function useNextId(draft: ProtocolDraft, ledger: IdLedger, warning: IdWarning): void {
  setDraftId(draft, warning.family, warning.next);
  ledger.proposed[warning.family] = warning.next;
}

/**
 * After `message` (built from `draft`) was sent in `sessionId`: its id is noted open (or closed),
 * and the draft's field, when it still holds the proposed id, moves to the next one not open.
 */
export function noteSent(draft: ProtocolDraft, ledger: IdLedger, sessionId: string, message: ProtocolMessage): void {
  const l = ledgerFor(ledger, sessionId);
  if (message.protocol === 'mqtt' && message.packet.cmd === 'publish' && message.packet.qos === 2 && message.packet.messageId !== undefined) {
    l.lastQos2Publish = String(message.packet.messageId);
  }
  // The composer's own connect: asked (the server's answer, read from the log, connects it).
  if (message.protocol === 'socketio' && message.type === 'connect' && !l.namespaces.has(namespaceName(message.namespace))) l.namespaces.set(namespaceName(message.namespace), 'asked');
  if (message.protocol === 'stomp') {
    const receipt = message.headers.find((h) => h.name === 'receipt')?.value;
    if (receipt !== undefined) l.receipts.add(receipt);
  }
  if (message.protocol === 'mqtt') noteSentMqtt(draft, l, message.packet);
  if (message.protocol === 'signalr' && message.type === 'streamInvocation' && message.invocationId !== undefined) l.streams.add(message.invocationId);
  const id = idOfMessage(message);
  if (!id) return;
  if (id.role === 'closes') {
    closed(l, id.family, id.id);
    return;
  }
  opened(l, id.family, id.id);
  const field = draftId(draft, id.family);
  // Only the composer's own proposal moves; a typed id is the user's.
  if (field !== undefined && field === l.proposed[id.family] && field === id.id) {
    const next = nextUnusedId(id.family, field, takenIds(l, id.family));
    setDraftId(draft, id.family, next);
    l.proposed[id.family] = next;
  }
}

type MqttPacket = Extract<ProtocolMessage, { protocol: 'mqtt' }>['packet'];

/** The client's answer settles the delivery it names; its SUBSCRIBE and UNSUBSCRIBE open and close filters. */
function noteSentMqtt(draft: ProtocolDraft, l: IdLedger, p: MqttPacket): void {
  if (p.cmd === 'subscribe') noteOther(l, { kind: 'subscribed', topics: [p.topic] });
  else if (p.cmd === 'unsubscribe') noteOther(l, { kind: 'unsubscribed', topics: p.topics });
  else if (p.cmd === 'puback' || p.cmd === 'pubrec' || p.cmd === 'pubcomp') {
    noteOther(l, { kind: 'mqtt-answer', answer: p.cmd, id: String(p.messageId), role: 'answered' });
    // The proposal answered: the next delivery still owed (or none) is proposed.
    if (draft.mqtt.cmd === p.cmd && draft.mqtt.ackId === l.proposedAck) proposeAck(draft, l);
  }
}

/** The id an MQTT answer answers: a PUBREL the client's last QoS 2 PUBLISH's, the others the newest delivery owed that answer. */
function answerId(l: IdLedger, cmd: MqttAnswer | 'pubrel'): string | null {
  return cmd === 'pubrel' ? l.lastQos2Publish : (l.awaiting[cmd].at(-1) ?? null);
}

/** Puts the answer's id in the box (empty when none is owed), as the composer's proposal. */
function proposeAck(draft: ProtocolDraft, l: IdLedger): void {
  const cmd = draft.mqtt.cmd;
  if (cmd !== 'puback' && cmd !== 'pubrec' && cmd !== 'pubrel' && cmd !== 'pubcomp') return;
  const id = answerId(l, cmd) ?? '';
  draft.mqtt.ackId = id;
  l.proposedAck = id;
}

/** The stock SUBSCRIBE / UNSUBSCRIBE id (protocol-draft.ts stompHeadersFor). */
const STOCK_STOMP_ID = 'sub-0';

/**
 * After another STOMP command, GraphQL message or MQTT packet is picked: a subscribe proposes the
 * next id (in place of one sent in the session), an UNSUBSCRIBE / complete the last one still open, a PUBREL the
 * last QoS 2 PUBLISH's id, a PUBACK / PUBREC the newest QoS 1 / QoS 2 PUBLISH received and not yet
 * answered, a PUBCOMP the newest PUBREL received and not answered; an MQTT UNSUBSCRIBE the newest
 * filter still subscribed; a SignalR invocation the next invocation id, a CancelInvocation the
 * newest stream still open. Only ids the composer proposed are replaced, never a typed one.
 */
export function proposeIdsFor(draft: ProtocolDraft, ledger: IdLedger, sessionId: string | null): void {
  const mine = sessionId !== null && ledger.sessionId === sessionId;
  const open = (family: IdFamily): readonly string[] => (mine ? ledger.open[family] : []);
  const taken = (family: IdFamily, id: string): boolean => mine && takenIds(ledger, family).has(id);
  const header = draft.stomp.headers.find((h) => h.name === 'id');
  if (header && draft.stomp.command === 'SUBSCRIBE' && (taken('stomp', header.value) || header.value === STOCK_STOMP_ID)) header.value = ledger.proposed.stomp;
  if (header && draft.stomp.command === 'UNSUBSCRIBE' && (header.value === ledger.proposed.stomp || header.value === STOCK_STOMP_ID)) header.value = open('stomp').at(-1) ?? header.value;
  const g = draft.graphql;
  if (g.type === 'subscribe' && taken('graphql', g.id)) g.id = ledger.proposed.graphql;
  if (g.type === 'complete' && g.id === ledger.proposed.graphql) g.id = open('graphql').at(-1) ?? g.id;
  const r = draft.signalr;
  if ((r.type === 'invocation' || r.type === 'streamInvocation') && taken('signalr', r.invocationId)) r.invocationId = ledger.proposed.signalr;
  // A cancel names a stream still open (the newest), in place of the proposal for a new call.
  if (r.type === 'cancelInvocation' && (r.invocationId === ledger.proposed.signalr || r.invocationId === '')) r.invocationId = open('signalr').filter((id) => ledger.streams.has(id)).at(-1) ?? r.invocationId;
  const m = draft.mqtt;
  // An answer's box holding the composer's proposal (for another answer, say) or nothing: this answer's id.
  if (mine && (m.ackId === '' || m.ackId === ledger.proposedAck)) proposeAck(draft, ledger);
  // An UNSUBSCRIBE names a filter still subscribed (the box may hold the PUBLISH's topic before it).
  const subscribed = mine ? ledger.subscriptions : [];
  if (m.cmd === 'unsubscribe' && !subscribed.includes(m.topic)) m.topic = subscribed.at(-1) ?? m.topic;
}
