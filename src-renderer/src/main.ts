/**
 * Renderer start-up: take the access token out of the address bar (first, before any other
 * module runs), pick the bridge for this host (Electron's preload or the web host's
 * WebSocket), hand it to the stores, mount the app, then subscribe to the event stream.
 */
import './forget-access-token';
import './zod-setup';
import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import App from './App.vue';
import { setBridge } from './bridge/active-bridge';
import { mountConnectionBanner } from './bridge/connection-banner';
import { pickBridge } from './bridge/pick-bridge';
import { SessionSubscriptions } from './bridge/session-subscriptions';
import { useTabsStore } from './stores/tabs-store';
import { useSessionsStore } from './stores/sessions-store';
import { useSessionOwnersStore } from './stores/session-owners-store';
import { useInterceptStore } from './stores/intercept-store';

const picked = pickBridge(window);

if (picked.kind === 'broken') {
  // Nothing above the bridge can work; say why instead of showing a dead UI.
  const root = document.getElementById('app') ?? document.body;
  const message = document.createElement('p');
  message.setAttribute('role', 'alert');
  message.textContent = `${picked.reason} Reinstall or rebuild the app (npm run build).`;
  root.replaceChildren(message);
} else {
  setBridge(picked.bridge);
  if (picked.kind === 'web') mountConnectionBanner(picked.connection, document);
  const app = createApp(App);
  app.use(createPinia());
  app.mount('#app');
  const tabStore = useTabsStore();
  const sessionStore = useSessionsStore();
  sessionStore.start();
  // The engine sends this page only the sessions its tabs show (and the list); see session-subscriptions.ts.
  const bridge = picked.bridge;
  const subscriptions = new SessionSubscriptions({
    subscribe: (arg) => bridge['session:subscribe'](arg),
    unsubscribe: (arg) => bridge['session:unsubscribe'](arg),
  });
  watch(
    () => tabStore.tabs.flatMap((tab) => (tab.sessionId ? [tab.sessionId] : [])),
    (sessionIds) => subscriptions.show(sessionIds),
    { immediate: true },
  );
  void subscriptions.start();
  // Sessions the engine already holds (this page's before a reload, another page's) are listed, to adopt.
  const ownersStore = useSessionOwnersStore();
  void ownersStore.refresh({ atStart: true });
  if (picked.kind === 'web') {
    // Events sent while the socket was down are lost: ask the engine where things stand.
    let wasLost = false;
    picked.connection.onChange((state) => {
      if (state === 'lost') wasLost = true;
      if (state === 'open' && wasLost) {
        wasLost = false;
        // A new connection hears nothing yet: subscribe again to what the tabs show, then take stock.
        void subscriptions.start().then(() => ownersStore.refresh());
        // The intercepting proxy's status and lists too (its events of the gap are lost as well).
        void useInterceptStore().refresh();
      }
    });
    // The host skipped events while this page was behind (too much waiting to be sent to it).
    picked.connection.onEventsMissed(() => {
      void sessionStore.resync();
      void useInterceptStore().refresh();
    });
  }
}
