/**
 * A protocol draft as the bytes to send: checked here first (problems in words, at once), then
 * encoded by the engine (`message:encode`, where the protocol libraries are). The answer is kept
 * with the message it was made from, so the composer never sends bytes of an older draft.
 */
import type { EncodedMessage } from '../../../src-main/shared/protocol-message';
import { getBridge } from '../bridge/active-bridge';
import { checkProtocolDraft, type ProtocolDraft } from './protocol-draft';

export type ProtocolEncoding =
  | { status: 'idle' }
  | { status: 'ready'; key: string; encoded: EncodedMessage }
  | { status: 'error'; key: string; error: string };

/** What identifies a draft's message (equal keys encode alike). */
export function draftKey(draft: ProtocolDraft): string {
  const checked = checkProtocolDraft(draft);
  return checked.ok ? JSON.stringify(checked.message) : `problem:${checked.error}`;
}

export async function encodeProtocolDraft(draft: ProtocolDraft): Promise<ProtocolEncoding> {
  const checked = checkProtocolDraft(draft);
  const key = draftKey(draft);
  if (!checked.ok) return { status: 'error', key, error: checked.error };
  const result = await getBridge()['message:encode']({ message: checked.message });
  if (!result.ok) return { status: 'error', key, error: result.error.message.replace(/^message:encode: /, '') };
  return { status: 'ready', key, encoded: result.value };
}
