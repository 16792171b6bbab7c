// The page's subscriptions follow its tabs: subscribe what a tab shows, unsubscribe what none does.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { SessionSubscriptions } from '../../../src-renderer/src/bridge/session-subscriptions';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';

let fake: FakeBridge;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
});

function subscriptionsOver(bridge: FakeBridge['bridge'], warnings: string[] = []): SessionSubscriptions {
  return new SessionSubscriptions({
    subscribe: (arg) => bridge['session:subscribe'](arg),
    unsubscribe: (arg) => bridge['session:unsubscribe'](arg),
    warn: (message) => warnings.push(message),
  });
}

const subscriptionCalls = (): { name: string; arg: unknown }[] => fake.calls.filter((call) => call.name === 'session:subscribe' || call.name === 'session:unsubscribe');

describe('SessionSubscriptions', () => {
  it('says nothing before start; start subscribes the list and every shown session at once, replacing what the connection had', async () => {
    const subscriptions = subscriptionsOver(fake.bridge);
    subscriptions.show(['s1', 's2']);
    expect(subscriptionCalls()).toEqual([]);
    await subscriptions.start();
    expect(subscriptionCalls()).toEqual([{ name: 'session:subscribe', arg: { sessionIds: ['s1', 's2'], list: true, replace: true } }]);
  });

  it('after start: a newly shown session is subscribed, one no tab shows any more unsubscribed, an unchanged set costs nothing', async () => {
    const subscriptions = subscriptionsOver(fake.bridge);
    await subscriptions.start();
    fake.calls.length = 0;
    subscriptions.show(['s1']);
    subscriptions.show(['s1', 's2']);
    subscriptions.show(['s2']);
    subscriptions.show(['s2']);
    expect(subscriptionCalls()).toEqual([
      { name: 'session:subscribe', arg: { sessionIds: ['s1'] } },
      { name: 'session:subscribe', arg: { sessionIds: ['s2'] } },
      { name: 'session:unsubscribe', arg: { sessionIds: ['s1'] } },
    ]);
    expect(subscriptions.shown()).toEqual(['s2']);
    // The link came back: one call again with everything shown.
    fake.calls.length = 0;
    await subscriptions.start();
    expect(subscriptionCalls()).toEqual([{ name: 'session:subscribe', arg: { sessionIds: ['s2'], list: true, replace: true } }]);
  });

  it('reports a refused subscription instead of failing silently', async () => {
    const warnings: string[] = [];
    fake.answer('session:subscribe', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'session:subscribe: this connection has no event subscription' } }));
    await subscriptionsOver(fake.bridge, warnings).start();
    expect(warnings).toEqual(["tunnelscope: could not change this page's subscriptions: session:subscribe: this connection has no event subscription"]);
  });
});

describe('the subscribed event', () => {
  it('gives a session the page starts to hear its state, range, decision, legs and ending, as a resync would', () => {
    const sessionStore = useSessionsStore();
    sessionStore.start();
    fake.emit({
      type: 'subscribed',
      sessionId: 'other',
      info: {
        sessionId: 'other',
        url: 'ws://127.0.0.1:9/elsewhere',
        state: 'open',
        createdAt: 5,
        framesStored: 40,
        framesDropped: 10,
        lastSeq: 50,
        decision: { source: 'none', candidates: [{ url: 'direct', protocol: 'direct', host: '', port: 0, hasCredentials: false }], reason: 'no proxy: the setting says so' },
      },
    });
    sessionStore.flushFrames();
    const view = sessionStore.sessions.get('other');
    expect(view).toMatchObject({ url: 'ws://127.0.0.1:9/elsewhere', state: 'open', firstSeq: 11, lastSeq: 50, dropped: 10 });
    expect(view?.decision).toMatchObject({ reason: 'no proxy: the setting says so' });
  });
});
