/**
 * The Intercept page and a captured tab name who closed an intercepted WebSocket in the CLI's
 * words (shared/intercept-closed-by.ts), from the relay's 'closing' report on the connection's
 * row: the application, you through intercept (and the side), Tunnelscope, or, with no report,
 * the server. Before, the row said only "closed" and nothing told the application's close
 * from Tunnelscope's; the captured tab's status bar said "closed by you". On the fake bridge.
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { InterceptClosing } from '../../../src-main/shared/intercept-closed-by';
import type { InterceptConnection } from '../../../src-main/shared/intercept-proxy';
import { useAppFixture } from './app-fixture';
import { emitState } from './store-fixture';

const fx = useAppFixture();

function row(id: string, closing?: InterceptClosing): InterceptConnection {
  return {
    id,
    sessionId: id,
    kind: 'captured',
    at: Date.UTC(2026, 0, 1, 12, 0, 0),
    clientAddress: '127.0.0.1:51234',
    clientProcess: { pid: 4242, name: 'node' },
    target: `wss://chat.example/${id}`,
    ...(closing ? { closing } : {}),
  };
}

/** A captured WebSocket that opened, then closed with the engine's initiatedBy and the relay's report (if any, sent first as the relay does). */
function captureAndClose(id: string, initiatedBy: 'client' | 'server', closing?: InterceptClosing): void {
  fx.fake.emit({ type: 'session-created', sessionId: id, url: `wss://chat.example/${id}`, at: 1, captured: { clientAddress: '127.0.0.1:51234' } });
  fx.fake.emit({ type: 'intercept-connection', connection: row(id) });
  emitState(fx.fake, id, 'open');
  if (closing) fx.fake.emit({ type: 'intercept-connection', connection: row(id, closing) });
  emitState(fx.fake, id, 'closed');
  fx.fake.emit({ type: 'closed', sessionId: id, code: 1000, reason: '', wasClean: true, initiatedBy, at: 2 });
}

function outcomeOf(w: VueWrapper, id: string): string {
  const found = w.findAll('[data-testid="intercept-connections"] tbody tr').find((tr) => tr.get('td.target').text() === `wss://chat.example/${id}`);
  if (!found) throw new Error(`no row for ${id}`);
  return found.get('td.outcome').text();
}

describe('who closed an intercepted WebSocket', () => {
  it('the Intercept page says it as the CLI does', async () => {
    const w = await fx.mountApp();
    await w.get('[data-testid="intercept-entry"]').trigger('click');
    await flushPromises();
    captureAndClose('app', 'client', { by: 'application' });
    captureAndClose('srv', 'server');
    captureAndClose('you', 'client', { by: 'you', side: 'server' });
    captureAndClose('youc', 'server', { by: 'you', side: 'client' });
    captureAndClose('ts', 'client', { by: 'tunnelscope' });
    await flushPromises();
    expect(outcomeOf(w, 'app')).toBe('■ closed by the application');
    expect(outcomeOf(w, 'srv')).toBe('■ closed by the server');
    expect(outcomeOf(w, 'you')).toBe('■ closed by you through intercept, sent to the server');
    // The client's answer to a close sent to it is still yours (the relay's first starter wins).
    expect(outcomeOf(w, 'youc')).toBe('■ closed by you through intercept, sent to the client');
    expect(outcomeOf(w, 'ts')).toBe('■ closed by Tunnelscope');
  });

  it('a captured tab says it under its URL', async () => {
    const w = await fx.mountApp();
    captureAndClose('app', 'client', { by: 'application' });
    await flushPromises();
    const tab = fx.store.tabs.find((t) => t.sessionId === 'app');
    if (!tab) throw new Error('no tab for the captured session');
    fx.store.selectTab(tab.id);
    await flushPromises();
    expect(w.get('[data-testid="captured-closed-by"]').text()).toBe('· closed by the application');
    // The status bar agrees with the header: the application's close is not "closed by you".
    const statusDetails = w.get('.statusbar .details').text();
    expect(statusDetails).toContain('closed by the application');
    expect(statusDetails).not.toContain('closed by you');
  });
});
