// A window is a client: its page's sessions are its own, a reload keeps them, closing the
// window (its WebContents destroyed) closes and disposes them at once.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { WindowClients } from '../../../src-main/electron/window-clients';
import type { EngineEvent } from '../../../src-main/shared/events';
import { ManualClock } from '../../support/manual-clock';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

/** A WebContents as far as WindowClients sees it: something that emits `destroyed`. */
function fakeContents(): EventEmitter {
  return new EventEmitter();
}

describe('WindowClients', () => {
  it('gives each window one id and tells the engine when it first calls and when it is destroyed', () => {
    const tracker = { clientConnected: vi.fn(), clientDisconnected: vi.fn() };
    const clients = new WindowClients(tracker);
    const first = fakeContents();
    const second = fakeContents();
    const id = clients.of(first);
    expect(clients.of(first)).toBe(id);
    expect(clients.of(second)).not.toBe(id);
    expect(tracker.clientConnected.mock.calls).toEqual([[id], [clients.of(second)]]);
    first.emit('destroyed');
    expect(tracker.clientDisconnected.mock.calls).toEqual([[id, { graceMs: 0 }]]);
  });

  it('keeps working with a sender that cannot say when it goes', () => {
    const tracker = { clientConnected: vi.fn(), clientDisconnected: vi.fn() };
    const clients = new WindowClients(tracker);
    expect(clients.of({})).toMatch(/^window-\d+$/);
    expect(tracker.clientDisconnected).not.toHaveBeenCalled();
  });

  it('with the engine: a reloaded window still owns its session; a closed one has it disposed at once', async () => {
    const clock = new ManualClock();
    engine = new Engine({ host: 'electron', version: 'test', env: {}, clock });
    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    const clients = new WindowClients(engine);
    const contents = fakeContents();
    const caller = { clientId: clients.of(contents) };
    // Port 9 on 127.0.0.1 (discard): refused or not, the session exists until it is disposed.
    const opened = await engine.call('session:open', { options: { url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' } }, pin: true }, caller);
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    const sessionId = opened.value.sessionId;
    // A reload: same WebContents, same client.
    expect(clients.of(contents)).toBe(caller.clientId);
    expect(await engine.call('session:list', {}, { clientId: clients.of(contents) })).toMatchObject({ ok: true, value: [{ sessionId, owner: 'you' }] });
    contents.emit('destroyed');
    clock.advance(0);
    await vi.waitFor(() => expect(events.some((event) => event.type === 'session-removed' && event.sessionId === sessionId)).toBe(true), { timeout: 10_000 });
    expect(await engine.call('session:list', {})).toEqual({ ok: true, value: [] });
  });
});
