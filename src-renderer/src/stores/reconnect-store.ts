/**
 * The tab's auto-reconnect as the engine runs it (core/session/ws-connection.ts): read from
 * the session's `attempt` events (session-view.ts), never decided here. Cancel ends the wait
 * (`session:close`), Now cuts it short (`session:reconnect-now`). The renderer keeps no timer
 * and opens no session of its own: the connection, its log and its statistics stay one.
 */
import { defineStore } from 'pinia';
import { askedText, outcomeText } from '../../../src-main/shared/attempts';
import { getBridge } from '../bridge/active-bridge';
import { useTabsStore } from './tabs-store';

export interface ReconnectState {
  /** The attempt that is waiting (or the last one, after giving up), 1-based over the connection. */
  attempt: number;
  /** The reconnect it is since the connection was last open for long, and the limit (0: none). */
  retry: number;
  maxAttempts: number;
  /** When the waiting attempt starts (epoch ms); null after giving up. */
  nextAt: number | null;
  delayMs: number;
  /** No attempt follows: the limit was reached (a close by the user or a normal close shows nothing). */
  gaveUp: boolean;
  /** How the last attempt ended, in words. */
  reason: string;
  sessionId: string | null;
}

export const useReconnectStore = defineStore('reconnect', () => {
  const tabStore = useTabsStore();

  function stateOf(tabId: string): ReconnectState | null {
    const view = tabStore.sessionOf(tabId);
    const last = view?.attempts.at(-1);
    if (!view || !last) return null;
    const reason = `attempt ${last.attempt} ${outcomeText(last.outcome)}`;
    if (view.retry) {
      // A Retry-After the wait honours is said with the reason: "…; the server asked to wait 120 s".
      const asked = askedText(view.retry);
      return { attempt: view.retry.attempt, retry: view.retry.retry, maxAttempts: view.retry.maxRetries, nextAt: view.retry.at, delayMs: view.retry.waitMs, gaveUp: false, reason: asked !== undefined ? `${reason}; ${asked}` : reason, sessionId: view.id };
    }
    // A limit reached, or a refusal no attempt can change ("not retried: …"), is worth a notice; other ends say themselves (the user closed, the server said 1000).
    if (view.closed && (last.stopReason?.startsWith('gave up') === true || last.stopReason?.startsWith('not retried') === true)) {
      return { attempt: last.attempt, retry: 0, maxAttempts: 0, nextAt: null, delayMs: 0, gaveUp: true, reason: `${reason}; ${last.stopReason}`, sessionId: view.id };
    }
    return null;
  }

  /** Cancel: the engine ends the wait and closes the connection (no more attempts). */
  function cancel(tabId: string): void {
    const view = tabStore.sessionOf(tabId);
    if (view?.retry) void getBridge()['session:close']({ sessionId: view.id });
  }

  /** Now: the next attempt starts at once; after giving up, Connect starts a new connection. */
  function retryNow(tabId: string): void {
    const view = tabStore.sessionOf(tabId);
    if (view?.retry) void getBridge()['session:reconnect-now']({ sessionId: view.id });
    else if (view?.closed) void tabStore.connect(tabId);
  }

  return { stateOf, cancel, retryNow };
});
