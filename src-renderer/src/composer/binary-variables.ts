/**
 * `{{…}}` in a Binary message. Text, JSON and the Protocol format's text fields are templates the
 * engine fills in at each send (variables, `{{$counter}}` …); a Binary message is its bytes as
 * written, and stays so. Filling a variable in there would have to replace bytes with bytes:
 * typed as hex the variable's value would have to be hex too, and a value of another length
 * would break whatever framing the bytes carry (a length prefix, a protobuf field). So a
 * variable is never expanded in a Binary message, and the composer says so before anything is
 * sent: typed into the hex / base64 box (`problem`: not hex, nothing can be sent) or present in the
 * bytes as text, as after switching a text with a variable to Binary (`note`: sent literally).
 */
import { hasTemplate } from '../../../src-main/shared/builtin-variables';

export const BINARY_VARIABLES_PROBLEM =
  'Variables ({{…}}) are not filled in for Binary messages: this box holds the bytes themselves. Write the message in Text or JSON to use a variable, or write its bytes out here.';

export const BINARY_VARIABLES_NOTE =
  '⚠ These bytes hold {{…}} as text: a Binary message is sent as written, so it goes out literally, not filled in (Text and JSON messages are, as are STOMP, Socket.IO, GraphQL and SignalR ones).';

const BRACE = 0x7b;

/** The problem with the box as typed (a `{{` is not hex nor base64), or null. */
export function binaryTypedVariables(typed: string): string | null {
  return hasTemplate(typed) ? BINARY_VARIABLES_PROBLEM : null;
}

/** The note for bytes that hold `{{` (UTF-8 or ASCII text in them), or null. */
export function binaryBytesVariables(bytes: Uint8Array): string | null {
  for (let i = 1; i < bytes.length; i++) if (bytes[i] === BRACE && bytes[i - 1] === BRACE) return BINARY_VARIABLES_NOTE;
  return null;
}
