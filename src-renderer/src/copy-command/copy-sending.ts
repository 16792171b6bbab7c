/**
 * What Copy as command adds about sending: with the composer's Repeat row open (and its
 * settings valid), the composer's message and the repeat (shared/copy-sends.ts). Nothing
 * otherwise: the command is about the connection, as before.
 */
import type { CopySending } from '../../../src-main/shared/copy-sends';
import { bytesToBase64, parseBase64, parseHex } from '../util/hex';
import { useComposerStore } from '../stores/composer-store';
import { checkRepeatSettings, useRepeatStore } from '../stores/repeat-store';

export function copySendingOf(tabId: string): CopySending | undefined {
  const settings = useRepeatStore().settingsOf(tabId);
  if (!settings.open) return undefined;
  const checked = checkRepeatSettings(settings);
  if (!checked.ok) return undefined;
  const draft = useComposerStore().draftOf(tabId);
  const text = draft.texts[draft.mode];
  if (text.trim() === '') return undefined;
  const repeat = { count: checked.repeat.count ?? null, intervalMs: checked.repeat.intervalMs };
  if (draft.mode !== 'binary') return { message: { kind: 'text', data: text }, repeat };
  const bytes = draft.encoding === 'hex' ? parseHex(text) : parseBase64(text);
  return bytes.ok ? { message: { kind: 'binary', data: bytesToBase64(bytes.value) }, repeat } : undefined;
}
