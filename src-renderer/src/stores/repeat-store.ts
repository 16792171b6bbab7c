/**
 * Repeated sends as the engine runs them (core/session/send-repeat.ts): the renderer keeps no
 * timer. It starts a repeat (`session:send { repeat }`), stops it (`session:send-stop`) and
 * shows the engine's `repeat` events: the counter, "waiting for the server to read", how it
 * ended. Also the Repeat row's settings per tab (as typed), and single sends with built-ins.
 */
import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type { HostEvent } from '../../../src-main/shared/events';
import { REPEAT_MAX_COUNT, REPEAT_MAX_INTERVAL_MS, type RepeatRequest, type RepeatStatus } from '../../../src-main/shared/send-repeat';
import type { Result } from '../../../src-main/shared/result';
import { getBridge } from '../bridge/active-bridge';
import { useTabsStore } from './tabs-store';

export interface RepeatView {
  repeatId: string | null;
  sent: number;
  count: number | null;
  intervalMs: number;
  status: RepeatStatus;
  reason?: string | undefined;
}

export interface RepeatSettings {
  /** The Repeat row is shown: Send and the saved messages start repeats. */
  open: boolean;
  until: 'count' | 'stopped';
  /** As typed, checked on start. */
  count: string;
  intervalMs: string;
}

export type RepeatMessage = { kind: 'text'; data: string } | { kind: 'binary'; data: string /* base64 */ };

export type RepeatCheck = { ok: true; repeat: RepeatRequest } | { ok: false; error: string; field: 'count' | 'interval' };

/** The typed settings as a repeat, or what is wrong with them in words. */
export function checkRepeatSettings(settings: RepeatSettings): RepeatCheck {
  const interval = settings.intervalMs.trim();
  if (!/^\d+$/.test(interval) || Number(interval) > REPEAT_MAX_INTERVAL_MS) {
    return { ok: false, field: 'interval', error: `The interval must be a whole number of milliseconds from 0 to ${REPEAT_MAX_INTERVAL_MS.toLocaleString('en-US')} (24 h).` };
  }
  if (settings.until === 'stopped') return { ok: true, repeat: { intervalMs: Number(interval), until: 'stopped' } };
  const count = settings.count.trim();
  if (!/^\d+$/.test(count) || Number(count) < 1 || Number(count) > REPEAT_MAX_COUNT) {
    return { ok: false, field: 'count', error: `The count must be a whole number from 1 to ${REPEAT_MAX_COUNT.toLocaleString('en-US')}.` };
  }
  return { ok: true, repeat: { count: Number(count), intervalMs: Number(interval), until: 'count' } };
}

export const useRepeatStore = defineStore('repeat', () => {
  const tabStore = useTabsStore();
  const bySession = reactive(new Map<string, RepeatView>());
  const settings = new Map<string, RepeatSettings>();

  // Listening from the store's first use: no repeat can run before (only this store starts one).
  getBridge().onEvent((event: HostEvent) => {
    if (event.type === 'repeat') {
      bySession.set(event.sessionId, {
        repeatId: event.repeatId,
        sent: event.sent,
        count: event.count,
        intervalMs: event.intervalMs,
        status: event.status,
        reason: event.reason,
      });
    } else if (event.type === 'session-removed') {
      bySession.delete(event.sessionId);
    }
  });

  function settingsOf(tabId: string): RepeatSettings {
    let found = settings.get(tabId);
    if (!found) {
      found = reactive<RepeatSettings>({ open: false, until: 'count', count: '10', intervalMs: '1000' });
      settings.set(tabId, found);
    }
    return found;
  }

  /** The tab's session's latest repeat (running or how it ended), if any. */
  function stateOf(tabId: string): RepeatView | null {
    const sessionId = tabStore.tabs.find((t) => t.id === tabId)?.sessionId;
    return sessionId ? (bySession.get(sessionId) ?? null) : null;
  }

  function running(tabId: string): boolean {
    const status = stateOf(tabId)?.status;
    return status === 'running' || status === 'waiting';
  }

  /** Starts a repeat of the message with the tab's settings; the error in words, or null. */
  async function start(tabId: string, message: RepeatMessage): Promise<string | null> {
    const sessionId = tabStore.tabs.find((t) => t.id === tabId)?.sessionId;
    if (!sessionId) return 'Connect first: messages can be sent once the connection is open.';
    const checked = checkRepeatSettings(settingsOf(tabId));
    if (!checked.ok) return checked.error;
    const base = message.kind === 'text' ? { sessionId, kind: 'text' as const, data: message.data, builtins: true } : { sessionId, kind: 'binary' as const, data: message.data };
    const result = await getBridge()['session:send']({ ...base, repeat: checked.repeat });
    if (!result.ok) return errorText(result);
    const repeatId = result.value.repeatId ?? null;
    // The first event may come after the answer: show the repeat as started until it does.
    if (bySession.get(sessionId)?.repeatId !== repeatId) {
      bySession.set(sessionId, { repeatId, sent: result.value.seq > 0 ? 1 : 0, count: checked.repeat.count ?? null, intervalMs: checked.repeat.intervalMs, status: 'running' });
    }
    return null;
  }

  async function stop(tabId: string): Promise<void> {
    const sessionId = tabStore.tabs.find((t) => t.id === tabId)?.sessionId;
    if (sessionId) await getBridge()['session:send-stop']({ sessionId });
  }

  /** One text send whose built-ins the engine fills in; the error in words, or null. */
  async function sendWithBuiltins(tabId: string, text: string): Promise<string | null> {
    const sessionId = tabStore.tabs.find((t) => t.id === tabId)?.sessionId;
    if (!sessionId) return 'Connect first: messages can be sent once the connection is open.';
    const result = await getBridge()['session:send']({ sessionId, kind: 'text', data: text, builtins: true });
    return result.ok ? null : errorText(result);
  }

  return { settingsOf, stateOf, running, start, stop, sendWithBuiltins };
});

function errorText(result: Extract<Result<unknown>, { ok: false }>): string {
  return result.error.message.replace(/^session:send: (data: )?/, '');
}
