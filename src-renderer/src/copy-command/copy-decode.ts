/**
 * What Copy as command adds about decoding: the tab's Decode choice (a profile's when the tab
 * was opened from one), with its Protocol Buffers schema by name, type and rule count
 * (shared/copy-decode.ts words it). The app keeps no schema path: the command says where to put one.
 */
import type { CopyDecode } from '../../../src-main/shared/copy-decode';
import { useDecodingStore } from '../stores/decoding-store';

export function copyDecodeOf(tabId: string): CopyDecode {
  const decoding = useDecodingStore();
  const choice = decoding.choiceOf(tabId);
  const protobuf = choice === 'protobuf' ? decoding.protobufOf(tabId) : undefined;
  if (protobuf === undefined) return { choice };
  const rules = protobuf.rules?.length ?? 0;
  return { choice, protobuf: { name: protobuf.schema.name, ...(protobuf.type !== undefined ? { type: protobuf.type } : {}), ...(rules > 0 ? { rules } : {}) } };
}
