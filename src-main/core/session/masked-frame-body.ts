/**
 * `frames:get`'s answer for a frame that holds credentials (frame-credential-ranges.ts): its
 * payload (or the part asked for) and an edited frame's original with each credential byte as
 * '*', unless the detail pane asked to reveal them; either way the answer says so (`credentials`),
 * so the pane can tell the user and offer Show credentials.
 */
import type { FramePartBody } from '../../shared/payload-part';
import type { CredentialRange } from '../decode/credential-range';
import { maskBytes, maskedPreview, type FrameCredentials } from './frame-credential-ranges';

function countBytes(ranges: readonly CredentialRange[]): number {
  let count = 0;
  for (const [start, end] of ranges) count += end - start;
  return count;
}

export function maskedFrameBody(body: FramePartBody, found: FrameCredentials, reveal: boolean): FramePartBody {
  const credentials = { fields: [...found.fields], bytes: countBytes(found.payload) + countBytes(found.original), revealed: reveal };
  if (reveal) return { ...body, credentials };
  const text = body.text !== undefined;
  const payload = maskBytes(Buffer.from(body.base64, 'base64'), found.payload, body.part?.offset ?? 0);
  const masked: FramePartBody = {
    ...body,
    frame: found.payload.length > 0 ? { ...body.frame, preview: maskedPreview(body.frame, found.payload) } : body.frame,
    base64: payload.toString('base64'),
    ...(text ? { text: payload.toString('utf8') } : {}),
    credentials,
  };
  if (body.original && found.original.length > 0) {
    // An original is always sent from its first byte (payload-part.ts).
    const original = maskBytes(Buffer.from(body.original.base64, 'base64'), found.original);
    masked.original = { base64: original.toString('base64'), ...(body.original.text !== undefined ? { text: original.toString('utf8') } : {}) };
  }
  return masked;
}
