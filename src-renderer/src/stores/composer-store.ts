/**
 * What each tab's composer holds: the message being written, its format, and the close form.
 * Kept per tab (not in the component) so switching tabs keeps every draft, and kept after
 * sending because a tester usually sends the same message again.
 */
import { defineStore } from 'pinia';
import { reactive, watch } from 'vue';
import { useTabsStore } from './tabs-store';
import { emptyProtocolDraft, type ProtocolDraft } from '../composer/protocol-draft';
import type { ProtocolEncoding } from '../composer/protocol-encoding';
import { emptyIdLedger, refreshProposals, type IdLedger } from '../composer/composer-ids';
import { readLogIds } from '../composer/read-log-ids';
import { logSearchGate } from '../composer/log-search-busy';
import { getBridge } from '../bridge/active-bridge';
import { useSessionsStore } from './sessions-store';

/** protocol: a message built in a protocol (STOMP, Socket.IO, MQTT …) and encoded by the engine. */
export type ComposerMode = 'text' | 'json' | 'binary' | 'protocol';
export type BinaryEncoding = 'hex' | 'base64';

export interface ComposerDraft {
  mode: ComposerMode;
  encoding: BinaryEncoding;
  /** One text per mode: switching to JSON and back does not lose the plain text. */
  texts: Record<Exclude<ComposerMode, 'protocol'>, string>;
  /** The protocol message's fields (mode `protocol`) and the engine's encoding of it. */
  protocol: ProtocolDraft;
  protocolEncoding: ProtocolEncoding;
  /** The ids the Protocol format proposed and sent in the tab's session (composer/composer-ids.ts). */
  ids: IdLedger;
  closeFormOpen: boolean;
  closeCode: string;
  closeReason: string;
}

function emptyDraft(): ComposerDraft {
  return {
    mode: 'text',
    encoding: 'hex',
    texts: { text: '', json: '', binary: '' },
    protocol: emptyProtocolDraft(),
    protocolEncoding: { status: 'idle' },
    ids: emptyIdLedger(),
    closeFormOpen: false,
    closeCode: '1000',
    closeReason: '',
  };
}

export const useComposerStore = defineStore('composer', () => {
  const tabStore = useTabsStore();
  const sessionStore = useSessionsStore();
  // Plain map of reactive drafts: a draft is created on first use (possibly during a render)
  // and never replaced, so the map itself need not be watched.
  const drafts = new Map<string, ComposerDraft>();

  /** The tab's draft, created on first use. */
  function draftOf(tabId: string): ComposerDraft {
    let draft = drafts.get(tabId);
    if (!draft) {
      draft = reactive(emptyDraft());
      drafts.set(tabId, draft);
    }
    return draft;
  }

  // A closed tab's draft goes with it.
  watch(
    () => tabStore.tabs.map((t) => t.id),
    (ids) => {
      const open = new Set(ids);
      for (const id of drafts.keys()) if (!open.has(id)) drafts.delete(id);
    },
  );

  /** Per tab: a read of the log under way, and whether another was asked for meanwhile. */
  const reading = new Map<string, { again: boolean; done: Promise<void> }>();

  /**
   * Reads the tab's session's log into its composer's ids (frames sent or answered since, by
   * whoever), then moves a proposal the log has taken. One read at a time per tab; asked during
   * one, another follows it. Resolves when the log as it stood when asked has been read.
   */
  function syncIds(tabId: string): Promise<void> {
    const under = reading.get(tabId);
    if (under) {
      under.again = true;
      return under.done;
    }
    const state = { again: false, done: Promise.resolve() };
    // Set before the read starts: a read that ends at once (no session) deletes it in `finally`.
    reading.set(tabId, state);
    state.done = (async () => {
      try {
        do {
          state.again = false;
          const sessionId = tabStore.tabs.find((t) => t.id === tabId)?.sessionId;
          const session = sessionId ? sessionStore.sessions.get(sessionId) : undefined;
          if (!session || session.readOnly) return;
          const draft = draftOf(tabId);
          // Each page waits for the log's filter and search (never cancels them: log-search-busy.ts).
          await readLogIds(getBridge(), draft.ids, session, logSearchGate(session.id));
          refreshProposals(draft.protocol, draft.ids);
        } while (state.again);
      } finally {
        reading.delete(tabId);
      }
    })();
    return state.done;
  }

  return { draftOf, syncIds };
});
