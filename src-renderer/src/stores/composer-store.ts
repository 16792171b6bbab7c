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
import { emptyIdLedger, type IdLedger } from '../composer/composer-ids';

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

  return { draftOf };
});
