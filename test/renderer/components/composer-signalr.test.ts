// The composer's SignalR form (QA 5, finding 4): there was no way to write a SignalR message (the
// Text box cannot hold the 0x1E record separator). Now Protocol → SignalR builds the JSON hub
// protocol's handshake, Invocation, StreamInvocation, CancelInvocation, Ping and Close, each
// ended by 0x1E, the preview showing the record with \x1e; the invocation id is proposed as the
// next free one and a CancelInvocation proposes the newest stream still open (read from the log
// too); arguments not a JSON array and an empty target are refused, saying which field. A built
// message saved to a profile keeps its kind (protocol) and reads back into the same form.
import type { VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { checkProtocolDraft, draftFromMessage, emptyProtocolDraft } from '../../../src-renderer/src/composer/protocol-draft';
import { protocolBodyProblem } from '../../../src-main/shared/profiles';
import { button, byLabel, composerTest } from './composer-fixture';

const ACTIVE = { protocol: 'signalr', title: 'SignalR', guess: false, reason: 'the records' };
const composer = composerTest({ settleMs: 400, active: () => ACTIVE });
const { settle, logged, sends } = composer;

const lastSent = () => sends().at(-1) as { kind: string; data: string };
const idBox = (w: VueWrapper) => (byLabel(w, 'Invocation id').element as HTMLInputElement).value;
const preview = (w: VueWrapper) => w.get('[data-testid="protocol-preview"]').text();
const wire = (w: VueWrapper) => w.get('[data-testid="protocol-wire"]').text();
const problem = (w: VueWrapper) => w.get('[data-testid="protocol-problem"]').text();

async function clickSend(w: VueWrapper): Promise<void> {
  await settle();
  await button(w, 'Send').trigger('click');
  await settle();
}

async function mountSignalR(): Promise<VueWrapper> {
  const w = await composer.mountProtocolFormat();
  await byLabel(w, 'Protocol').setValue('signalr');
  await settle();
  return w;
}

describe('the SignalR form', () => {
  it('sends the handshake, then Invocations with the next free id, each ended by 0x1E, the preview showing it as \\x1e', async () => {
    const w = await mountSignalR();
    expect(w.findAll('option').map((o) => o.text())).toContain('SignalR');
    expect(wire(w)).toBe('{"protocol":"json","version":1}\\x1e');
    expect(preview(w)).toContain('Will send (text, 32 B): handshake json v1');
    await clickSend(w);
    expect(lastSent()).toMatchObject({ kind: 'text', data: '{"protocol":"json","version":1}\u001e' });
    await byLabel(w, 'SignalR message').setValue('invocation');
    await byLabel(w, 'Target').setValue('SendMessage');
    await byLabel(w, 'SignalR arguments (a JSON array)').setValue('["ann", {"text": "hi"}]');
    await settle();
    expect(idBox(w)).toBe('1');
    expect(wire(w)).toBe('{"type":1,"invocationId":"1","target":"SendMessage","arguments":["ann", {"text": "hi"}]}\\x1e');
    expect(preview(w)).toContain("invoke 'SendMessage' (2 args) #1");
    await clickSend(w);
    expect(lastSent().data).toBe('{"type":1,"invocationId":"1","target":"SendMessage","arguments":["ann", {"text": "hi"}]}\u001e');
    expect(idBox(w)).toBe('2');
    // No id: a non-blocking call (no Completion asked).
    await byLabel(w, 'Invocation id').setValue('');
    await clickSend(w);
    expect(lastSent().data).toBe('{"type":1,"target":"SendMessage","arguments":["ann", {"text": "hi"}]}\u001e');
    await byLabel(w, 'SignalR message').setValue('ping');
    await clickSend(w);
    await byLabel(w, 'SignalR message').setValue('close');
    await clickSend(w);
    expect(sends().slice(-2).map((s) => (s as { data: string }).data)).toEqual(['{"type":6}\u001e', '{"type":7}\u001e']);
  });

  it('{{…}} in the arguments goes with builtins, for the engine to fill in at each send (SignalR is text)', async () => {
    const w = await mountSignalR();
    await byLabel(w, 'SignalR message').setValue('invocation');
    await byLabel(w, 'Target').setValue('Send');
    await byLabel(w, 'SignalR arguments (a JSON array)').setValue('["n-{{$counter}}"]');
    await settle();
    expect(w.find('[data-testid="protocol-fill"]').exists()).toBe(true);
    await clickSend(w);
    expect(lastSent()).toMatchObject({ kind: 'text', data: '{"type":1,"invocationId":"1","target":"Send","arguments":["n-{{$counter}}"]}\u001e', builtins: true });
  });

  it('refuses arguments that are not a JSON array and an empty target, saying which', async () => {
    const w = await mountSignalR();
    await byLabel(w, 'SignalR message').setValue('invocation');
    await byLabel(w, 'Target').setValue('Send');
    await byLabel(w, 'SignalR arguments (a JSON array)').setValue('{"text": "hi"}');
    await settle();
    expect(problem(w)).toBe('The arguments: they are a JSON object, not an array: write them in [ ], e.g. ["hello", 1].');
    await byLabel(w, 'SignalR arguments (a JSON array)').setValue('["hi", ]');
    await settle();
    expect(problem(w)).toMatch(/^The arguments must be JSON: .* at character 8\.$/);
    await byLabel(w, 'SignalR arguments (a JSON array)').setValue('["hi"]');
    await byLabel(w, 'Target').setValue(' ');
    await settle();
    expect(problem(w)).toBe("The target: an Invocation needs a target (the hub method's name).");
    await button(w, 'Send').trigger('click');
    await settle();
    expect(sends()).toEqual([]);
  });

  it('a CancelInvocation proposes the newest stream still open, from the log as well as its own sends', async () => {
    const w = await mountSignalR();
    await byLabel(w, 'SignalR message').setValue('streamInvocation');
    await byLabel(w, 'Target').setValue('Counter');
    await byLabel(w, 'SignalR arguments (a JSON array)').setValue('[10, 500]');
    await settle();
    expect(idBox(w)).toBe('1');
    await clickSend(w);
    expect(lastSent().data).toBe('{"type":4,"invocationId":"1","target":"Counter","arguments":[10, 500]}\u001e');
    // Typed elsewhere: a stream 2, then an Invocation 3; the server completed 1.
    await logged(
      ['out', { messageType: 'StreamInvocation', type: 4, invocationId: '1', target: 'Counter', arguments: [10, 500] }],
      ['out', { messageType: 'StreamInvocation', type: 4, invocationId: '2', target: 'Counter', arguments: [1, 1] }],
      ['out', { messageType: 'Invocation', type: 1, invocationId: '3', target: 'Echo', arguments: [] }],
      ['in', { messageType: 'Completion', type: 3, invocationId: '1' }],
    );
    await byLabel(w, 'SignalR message').setValue('invocation');
    await settle();
    // 1 was used in this connection, 2 and 3 are open: 4.
    expect(idBox(w)).toBe('4');
    await byLabel(w, 'SignalR message').setValue('cancelInvocation');
    await settle();
    // Not 3 (the newest open, but an Invocation's, not a stream), not 1 (completed).
    expect(idBox(w)).toBe('2');
    expect(wire(w)).toBe('{"type":5,"invocationId":"2"}\\x1e');
    await clickSend(w);
    await byLabel(w, 'SignalR message').setValue('invocation');
    await byLabel(w, 'SignalR message').setValue('cancelInvocation');
    await settle();
    // 2 cancelled: no stream open, the box keeps what it held.
    expect(idBox(w)).toBe('4');
  });

  it('a SignalR message saved to a profile keeps its kind and reads back into the same form', () => {
    const draft = emptyProtocolDraft();
    draft.protocol = 'signalr';
    draft.signalr = { type: 'streamInvocation', target: 'Counter', arguments: '[1, "a"]', invocationId: '7' };
    const checked = checkProtocolDraft(draft);
    if (!checked.ok) throw new Error(checked.error);
    expect(checked.message).toEqual({ protocol: 'signalr', type: 'streamInvocation', target: 'Counter', arguments: '[1, "a"]', invocationId: '7' });
    // What ComposerSaveMessage stores: kind protocol, the message as JSON, which the profile accepts.
    expect(protocolBodyProblem(JSON.stringify(checked.message))).toBeNull();
    const back = draftFromMessage(checked.message);
    expect(back.protocol).toBe('signalr');
    expect(back.signalr).toEqual(draft.signalr);
    expect(protocolBodyProblem(JSON.stringify({ protocol: 'signalr', type: 'invocation', target: 'S', arguments: '{}' }))).toBe('not a protocol message: arguments: they are a JSON object, not an array: write them in [ ], e.g. ["hello", 1]');
  });
});
