/**
 * What Copy as command adds about sending: with the composer's Repeat row open (and its
 * settings valid), the composer's message and the repeat (shared/copy-sends.ts). Nothing
 * otherwise: the command is about the connection, as before.
 */
import type { CopySending } from '../../../src-main/shared/copy-sends';
import { bytesToBase64, parseBase64, parseHex } from '../util/hex';
import { useComposerStore } from '../stores/composer-store';
import { checkRepeatSettings, useRepeatStore } from '../stores/repeat-store';
import { draftKey } from '../composer/protocol-encoding';

export function copySendingOf(tabId: string): CopySending | undefined {
  const settings = useRepeatStore().settingsOf(tabId);
  if (!settings.open) return undefined;
  const checked = checkRepeatSettings(settings);
  if (!checked.ok) return undefined;
  const draft = useComposerStore().draftOf(tabId);
  const repeat = { count: checked.repeat.count ?? null, intervalMs: checked.repeat.intervalMs };
  if (draft.mode === 'protocol') {
    // The protocol message as the engine last encoded it (the draft as it is now only).
    const encoding = draft.protocolEncoding;
    if (encoding.status !== 'ready' || encoding.key !== draftKey(draft.protocol)) return undefined;
    return { message: { kind: encoding.encoded.kind, data: encoding.encoded.data }, repeat };
  }
  const text = draft.texts[draft.mode];
  if (text.trim() === '') return undefined;
  if (draft.mode !== 'binary') return { message: { kind: 'text', data: text }, repeat };
  const bytes = draft.encoding === 'hex' ? parseHex(text) : parseBase64(text);
  return bytes.ok ? { message: { kind: 'binary', data: bytesToBase64(bytes.value) }, repeat } : undefined;
}
