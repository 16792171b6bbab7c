// The Protocol form's checks before Send (QA pass 3): a STOMP command change carries only the
// headers the new command takes (STOMP 1.2 §5) and the user's own, never a receipt (one frame's)
// nor a body on a frame that takes none; a receipt id used on the connection is said; a Socket.IO
// emit on a namespace the log shows no CONNECT for is said, with Connect <ns> first; an ack id the
// server's ACK answered is free. The engine's real encoder answers message:encode; the log is
// served by the fake bridge (its search finds every frame; the decoded values tell).
import type { VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DecodedJson } from '../../../src-main/shared/decoding';
import { button as findButton, byLabel, composerTest } from './composer-fixture';

// Whether the log is filtering or searching: false unless a test says otherwise (log-search-busy.ts).
const logBusy = vi.hoisted(() => ({ value: false, listeners: new Set<() => void>() }));
vi.mock('../../../src-renderer/src/composer/log-search-busy', async () => {
  const { ref, watch } = await import('vue');
  const busy = ref(false);
  logBusy.listeners.add(() => (busy.value = logBusy.value));
  const idle = () => new Promise<void>((resolve) => (busy.value ? watch(busy, () => resolve(), { once: true }) : resolve()));
  return { logSearchBusy: () => busy.value, logSearchGate: () => ({ busy: () => busy.value, idle }) };
});
function setLogBusy(value: boolean): void {
  logBusy.value = value;
  for (const listener of logBusy.listeners) listener();
}

const ACTIVES = {
  stomp: { protocol: 'stomp', title: 'STOMP', guess: false, reason: 'the subprotocol' },
  socketio: { protocol: 'socketio', title: 'Socket.IO', guess: false, reason: 'the path' },
};
let active: (typeof ACTIVES)['stomp'] = ACTIVES.stomp;

const composer = composerTest({ settleMs: 400, active: () => active });
const { settle, logged } = composer;
// Registered after composerTest's: runs before its unmount (after-hooks run last-registered first).
afterEach(() => setLogBusy(false));

async function mountProtocol(protocol: 'stomp' | 'socketio'): Promise<VueWrapper> {
  active = ACTIVES[protocol];
  const wrapper = await composer.mountProtocolFormat();
  await byLabel(wrapper, 'Protocol').setValue(protocol);
  await settle();
  return wrapper;
}

const sent = () => composer.fake.calls.filter((c) => c.name === 'session:send').map((c) => (c.arg as { data: string }).data);
const values_ = (w: VueWrapper) => w.findAll('input').map((i) => `${i.attributes('aria-label') ?? i.attributes('id')?.replace(/-[^-]*$/, '') ?? ''}=${(i.element as HTMLInputElement).value}`);
const headerInputs = (w: VueWrapper) => values_(w).filter((v) => v.startsWith('Header '));

async function clickSend(w: VueWrapper): Promise<void> {
  await settle();
  await findButton(w, 'Send').trigger('click');
  await settle();
}

async function addHeader(w: VueWrapper, name: string, value: string): Promise<void> {
  await findButton(w, '+ Header').trigger('click');
  const n = w.findAll('.header').length;
  await byLabel(w, `Header ${n} name`).setValue(name);
  await byLabel(w, `Header ${n} value`).setValue(value);
  await settle();
}

const sioEvent = (type: string, nsp: string, extra: Record<string, DecodedJson> = {}): DecodedJson => ({ engineIO: 'message', type, nsp, ...extra });

describe('STOMP: a command change carries only what the new command takes (QA stomp-carry, stomp-sub-conv)', () => {
  it("CONNECT's login and passcode do not go on the SUBSCRIBE, the SUBSCRIBE's receipt not on the SEND, the SEND's body not on the UNSUBSCRIBE", async () => {
    const w = await mountProtocol('stomp');
    await byLabel(w, 'Command').setValue('CONNECT');
    await addHeader(w, 'login', 'guest');
    await addHeader(w, 'passcode', 'guest');
    await clickSend(w);
    expect(sent()).toEqual(['CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\n\n\u0000']);
    await byLabel(w, 'Command').setValue('SUBSCRIBE');
    await settle();
    // Before: Header 3 name=login, Header 4 name=passcode, … went out on the SUBSCRIBE.
    expect(headerInputs(w)).toEqual(['Header 1 name=id', 'Header 1 value=sub-0', 'Header 2 name=destination', 'Header 2 value=']);
    await byLabel(w, 'Header 2 value').setValue('/topic/prices');
    await addHeader(w, 'receipt', 'r-1');
    await clickSend(w);
    await byLabel(w, 'Command').setValue('SEND');
    await settle();
    // Before: receipt:r-1 stayed, and went out on each SEND (nothing warned).
    expect(headerInputs(w)).toEqual(['Header 1 name=destination', 'Header 1 value=/topic/prices']);
    await byLabel(w, 'Body').setValue('one');
    await clickSend(w);
    await byLabel(w, 'Body').setValue('two');
    await clickSend(w);
    await byLabel(w, 'Command').setValue('UNSUBSCRIBE');
    await settle();
    // Before: body "two", content-length:3 and receipt:r-1, previewed as "UNSUBSCRIBE id=sub-0 receipt=r-1 3 B".
    expect((byLabel(w, 'Body').element as HTMLTextAreaElement).value).toBe('');
    expect(headerInputs(w)).toEqual(['Header 1 name=id', 'Header 1 value=sub-0']);
    await clickSend(w);
    expect(sent().slice(1)).toEqual([
      'SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\nreceipt:r-1\n\n\u0000',
      'SEND\ndestination:/topic/prices\ncontent-length:3\n\none\u0000',
      'SEND\ndestination:/topic/prices\ncontent-length:3\n\ntwo\u0000',
      'UNSUBSCRIBE\nid:sub-0\n\n\u0000',
    ]);
  });

  it('a body typed on a frame that takes none is refused before Send, citing STOMP 1.2', async () => {
    const w = await mountProtocol('stomp');
    await byLabel(w, 'Command').setValue('UNSUBSCRIBE');
    await byLabel(w, 'Body').setValue('two');
    await settle();
    await findButton(w, 'Send').trigger('click');
    await settle();
    expect(sent()).toEqual([]);
    expect(w.get('[data-testid="protocol-problem"]').text()).toBe('The body: an UNSUBSCRIBE frame takes none (STOMP 1.2 allows a body only on SEND, MESSAGE and ERROR frames); empty the body or pick SEND.');
  });

  it('a receipt id a frame of this connection carried is warned about, whoever sent it, with the next one to use', async () => {
    const w = await mountProtocol('stomp');
    await byLabel(w, 'Header 2 value').setValue('/q');
    await addHeader(w, 'receipt', 'r-1');
    expect(w.find('[data-testid="protocol-receipt-warning"]').exists()).toBe(false);
    await clickSend(w);
    await byLabel(w, 'Command').setValue('SEND');
    await settle();
    await addHeader(w, 'receipt', 'r-1');
    expect(w.get('[data-testid="protocol-receipt-warning"]').text()).toContain("The receipt id r-1 was sent on a frame of this connection already: the broker's RECEIPT for it could not be told from the earlier one's; use r-2.");
    await findButton(w, 'Use r-2').trigger('click');
    await settle();
    expect(w.find('[data-testid="protocol-receipt-warning"]').exists()).toBe(false);
    // One the log holds (a frame typed in the Text box), read when the next command is picked.
    await logged(['out', { command: 'SEND', headers: { destination: '/q', receipt: 'r-7' }, body: '' }], ['in', { command: 'RECEIPT', headers: { 'receipt-id': 'r-7' }, body: '' }]);
    await byLabel(w, 'Command').setValue('BEGIN');
    await settle();
    await addHeader(w, 'receipt', 'r-7');
    expect(w.get('[data-testid="protocol-receipt-warning"]').text()).toContain('The receipt id r-7 was sent');
  });
});

describe("STOMP: a body in its content-type's charset (the real encoder)", () => {
  it('goes in the charset, as a binary message with its content-length; a character the charset lacks is said where it is, and not sent', async () => {
    const w = await mountProtocol('stomp');
    await byLabel(w, 'Command').setValue('SEND');
    await settle();
    await byLabel(w, 'Header 1 value').setValue('/queue/a');
    await addHeader(w, 'content-type', 'text/plain;charset=iso-8859-1');
    await byLabel(w, 'Body').setValue('café €');
    await settle();
    expect(w.get('[data-testid="protocol-preview"]').text()).toContain('Will send (binary,');
    await clickSend(w);
    const call = composer.fake.calls.filter((c) => c.name === 'session:send').at(-1)?.arg as { kind: string; data: string } | undefined;
    // Before: 'café €' went as UTF-8 in a text message, content-length:9, and the log read 'cafÃ© â‚¬'.
    expect(call?.kind).toBe('binary');
    const head = new TextEncoder().encode('SEND\ndestination:/queue/a\ncontent-type:text/plain;charset=iso-8859-1\ncontent-length:6\n\n');
    expect([...Uint8Array.from(atob(call?.data ?? ''), (c) => c.charCodeAt(0))]).toEqual([...head, 0x63, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x00]);
    const sends = composer.fake.calls.filter((c) => c.name === 'session:send').length;
    await byLabel(w, 'Body').setValue('caf\u0113');
    await settle();
    expect(w.get('[data-testid="protocol-problem"]').text()).toBe(
      "The body: “\u0113” (U+0113) at character 4 is not in windows-1252 (charset 'iso-8859-1'), the charset the content-type names; leave it out, or name a charset that has it (utf-8 has every character)",
    );
    await clickSend(w);
    expect(composer.fake.calls.filter((c) => c.name === 'session:send').length).toBe(sends);
  });
});

describe('Socket.IO: an emit on a namespace the connection has not connected (QA sio-noconnect)', () => {
  it('is warned about before Send, with Connect <namespace> first; the server connecting it ends the warning', async () => {
    const w = await mountProtocol('socketio');
    // The connection as logged: Engine.IO open, the client's CONNECT to / and the server's answer.
    await logged(['in', { engineIO: 'open', sid: 'e1' }], ['out', sioEvent('CONNECT', '/')], ['in', sioEvent('CONNECT', '/', { data: { sid: 's1' } })]);
    await byLabel(w, 'Event').setValue('chat');
    await settle();
    expect(w.find('[data-testid="protocol-namespace-warning"]').exists()).toBe(false);
    await byLabel(w, 'Namespace').setValue('/chat');
    await settle();
    expect(w.get('[data-testid="protocol-namespace-warning"]').text()).toContain('/chat is not connected on this connection: a socket.io server closes the connection on an emit there; send a connect to /chat first.');
    await findButton(w, 'Connect /chat first').trigger('click');
    await settle();
    expect(byLabel(w, 'Socket.IO packet').element).toHaveProperty('value', 'connect');
    await clickSend(w);
    expect(sent()).toEqual(['40/chat,']);
    await logged(['out', sioEvent('CONNECT', '/chat')], ['in', sioEvent('CONNECT', '/chat', { data: { sid: 's2' } })]);
    await byLabel(w, 'Socket.IO packet').setValue('emit');
    await settle();
    expect(w.find('[data-testid="protocol-namespace-warning"]').exists()).toBe(false);
    // The server disconnecting it: said again once the log is read (here: the packet picked again).
    await logged(['in', sioEvent('DISCONNECT', '/chat')]);
    await byLabel(w, 'Socket.IO packet').setValue('connect');
    await byLabel(w, 'Socket.IO packet').setValue('emit');
    await settle();
    expect(w.get('[data-testid="protocol-namespace-warning"]').text()).toContain('/chat is not connected');
  });

  it("Engine.IO 3: the server's own CONNECT to / connects it (no client CONNECT); /admin?token=1 is /admin", async () => {
    const w = await mountProtocol('socketio');
    await logged(['in', { engineIO: 'open', sid: 'e1' }], ['in', sioEvent('CONNECT', '/')], ['out', sioEvent('CONNECT', '/admin?token=1')], ['in', sioEvent('CONNECT', '/admin')]);
    await byLabel(w, 'Event').setValue('chat');
    await settle();
    expect(w.find('[data-testid="protocol-namespace-warning"]').exists()).toBe(false);
    await byLabel(w, 'Namespace').setValue('/admin?token=1');
    await settle();
    expect(w.find('[data-testid="protocol-namespace-warning"]').exists()).toBe(false);
  });
});

describe('Socket.IO: a connect to a namespace the connection has connected already', () => {
  it('is warned about before Send, with Emit on <namespace>; the server disconnecting it ends the warning', async () => {
    const w = await mountProtocol('socketio');
    await logged(['in', { engineIO: 'open', sid: 'e1' }], ['out', sioEvent('CONNECT', '/')], ['in', sioEvent('CONNECT', '/', { data: { sid: 's1' } })]);
    await byLabel(w, 'Socket.IO packet').setValue('connect');
    await settle();
    const warning = () => w.find('[data-testid="protocol-namespace-connected-warning"]');
    // Before: nothing said, and a socket.io v4 server closed the connection on the second CONNECT ("invalid state").
    expect(warning().text()).toContain('/ is connected on this connection already: a socket.io server closes the connection on a second connect there; emit on / instead.');
    await byLabel(w, 'Namespace').setValue('/chat');
    await settle();
    expect(warning().exists()).toBe(false);
    await clickSend(w);
    expect(sent()).toEqual(['40/chat,']);
    // Sent, no answer read yet: a second one is said too.
    expect(warning().text()).toContain('a connect to /chat was sent on this connection already (no answer read yet)');
    await logged(['out', sioEvent('CONNECT', '/chat')], ['in', sioEvent('CONNECT', '/chat', { data: { sid: 's2' } })]);
    expect(warning().text()).toContain('/chat is connected on this connection already');
    // Frames that come while it shows are read: the server's DISCONNECT of /chat ends it.
    await logged(['in', sioEvent('DISCONNECT', '/chat')]);
    expect(warning().exists()).toBe(false);
    await logged(['out', sioEvent('CONNECT', '/chat')], ['in', sioEvent('CONNECT', '/chat', { data: { sid: 's3' } })]);
    // Connected again (read when the packet is picked again): said again.
    await byLabel(w, 'Socket.IO packet').setValue('emit');
    await byLabel(w, 'Socket.IO packet').setValue('connect');
    await settle();
    expect(warning().text()).toContain('/chat is connected on this connection already');
    await findButton(w, 'Emit on /chat').trigger('click');
    await settle();
    expect(byLabel(w, 'Socket.IO packet').element).toHaveProperty('value', 'emit');
    expect(warning().exists()).toBe(false);
  });
});

describe('Socket.IO ack ids (QA: a false "still open" after the ACK was received)', () => {
  it("an ack id the server's ACK answered is not warned about; one still open says what a reuse does in Socket.IO", async () => {
    const w = await mountProtocol('socketio');
    await logged(['in', { engineIO: 'open', sid: 'e1' }], ['out', sioEvent('CONNECT', '/')], ['in', sioEvent('CONNECT', '/', { data: { sid: 's1' } })]);
    await byLabel(w, 'Event').setValue('chat');
    await byLabel(w, 'Ack id').setValue('0');
    await clickSend(w);
    await logged(['out', sioEvent('EVENT', '/', { id: 0, data: ['chat'] })]);
    await settle();
    const warning = () => w.find('[data-testid="protocol-id-warning"]');
    // Still open: said, in Socket.IO's terms (a server does not track ack ids).
    expect(warning().text()).toContain("The ack id 0 was sent in this session's emit already and is still open: unless the server has acknowledged it, use 1 (a Socket.IO server does not check ack ids, but its ACK for either emit would be taken as the other's by the client's ack callbacks).");
    expect(warning().text()).not.toContain('may end the connection');
    // The server's ACK 0 ("↩ ack 0 … +3 ms") closes it: no warning.
    await logged(['in', sioEvent('ACK', '/', { id: 0, data: [] })]);
    await byLabel(w, 'Event').setValue('chat2');
    await settle();
    expect(warning().exists()).toBe(false);
  });
  it('while the log filters or searches, frames that come do not read the log (each read would cancel its page); its end does', async () => {
    const w = await mountProtocol('socketio');
    await logged(['in', { engineIO: 'open', sid: 'e1' }], ['out', sioEvent('CONNECT', '/')], ['in', sioEvent('CONNECT', '/', { data: { sid: 's1' } })]);
    await byLabel(w, 'Event').setValue('chat');
    await byLabel(w, 'Ack id').setValue('0');
    await clickSend(w);
    await logged(['out', sioEvent('EVENT', '/', { id: 0, data: ['chat'] })]);
    await settle();
    const warning = () => w.find('[data-testid="protocol-id-warning"]');
    expect(warning().exists()).toBe(true);
    const searches = () => composer.fake.calls.filter((c) => c.name === 'frames:search').length;
    setLogBusy(true);
    await settle();
    const before = searches();
    // The server's ACK comes while the log is busy: not read yet, so the warning stays.
    await logged(['in', sioEvent('ACK', '/', { id: 0, data: [] })]);
    await logged(['in', sioEvent('EVENT', '/', { data: ['tick'] })]);
    expect(searches()).toBe(before);
    expect(warning().exists()).toBe(true);
    // The log is done: read now, and the ACK frees the id.
    setLogBusy(false);
    await settle();
    expect(searches()).toBeGreaterThan(before);
    expect(warning().exists()).toBe(false);
  });
});
