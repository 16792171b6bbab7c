/**
 * A captured tab's "#N" is never given twice in a run (QA after e5c6362): the numbers counted
 * the captures still open, so with "… #2" closed the next capture of the URL was "#2" again, and
 * with the first closed "#2" lost its number. On the fake bridge, through the App's tab strip.
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { CaptureNumbering } from '../../../src-renderer/src/util/capture-numbers';
import { useAppFixture } from './app-fixture';

const fx = useAppFixture();

const URL = 'wss://127.0.0.1:35525/ws';

function capture(id: string, port: number, url = URL): void {
  const client = { clientAddress: `127.0.0.1:${port}`, clientProcess: { pid: 5428, name: 'chromium' } };
  fx.fake.emit({ type: 'session-created', sessionId: id, url, at: 1, captured: client });
  fx.fake.emit({ type: 'intercept-connection', connection: { id, sessionId: id, kind: 'captured', at: 1, target: url, ...client } });
}

function capturedNames(w: VueWrapper): string[] {
  return w
    .findAll('.tab')
    .filter((tab) => tab.find('.captured').exists())
    .map((tab) => tab.get('.name').text());
}

async function closeTabOf(sessionId: string): Promise<void> {
  const tab = fx.store.tabs.find((t) => t.sessionId === sessionId);
  if (!tab) throw new Error(`no tab shows ${sessionId}`);
  await fx.store.closeTab(tab.id);
  await flushPromises();
}

describe('captured tabs to one URL', () => {
  it('never reuse a number: #2 closed, the next is #3; #1 closed, #2 keeps its number', async () => {
    const w = await fx.mountApp();
    capture('capA', 50142);
    capture('capB', 50150);
    await flushPromises();
    expect(capturedNames(w)).toEqual(['127.0.0.1:35525/ws', '127.0.0.1:35525/ws #2']);

    await closeTabOf('capB');
    capture('capC', 50158);
    await flushPromises();
    expect(capturedNames(w)).toEqual(['127.0.0.1:35525/ws', '127.0.0.1:35525/ws #3']);

    await closeTabOf('capA');
    await flushPromises();
    expect(capturedNames(w)).toEqual(['127.0.0.1:35525/ws #3']);
    // The sessions list says the same.
    expect(w.text()).toContain('127.0.0.1:35525/ws #3');
    expect(w.text()).not.toContain('#2');

    // Another URL counts on its own, from 1.
    capture('capD', 50166, 'wss://127.0.0.1:35525/other');
    capture('capE', 50174);
    await flushPromises();
    expect(capturedNames(w)).toEqual(['127.0.0.1:35525/ws #3', '127.0.0.1:35525/other', '127.0.0.1:35525/ws #4']);
  });

  it('numbers in the order created, forgets sessions gone, and counts only captured ones', () => {
    const numbering = new CaptureNumbering();
    const a = { id: 'a', url: URL, captured: true };
    const b = { id: 'b', url: URL, captured: true };
    const typed = { id: 't', url: URL, captured: undefined };
    expect([...numbering.numbers([a, typed, b])]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect([...numbering.numbers([b])]).toEqual([['b', 2]]);
    // 'a' was forgotten: seen again, it is a new capture.
    expect([...numbering.numbers([b, a])]).toEqual([
      ['b', 2],
      ['a', 3],
    ]);
  });
});
