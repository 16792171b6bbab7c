/**
 * The needles for a string a query looks for where a message writes strings as their bytes
 * (MessagePack, CBOR, Protocol Buffers, a STOMP frame, an MQTT packet), now that a query path
 * goes on into a string that holds JSON text (shared/decoded-query.ts): the string may be one of
 * that JSON's, where any of its characters may be written as an escape. So a message holding it
 * holds its UTF-8, or a backslash followed by `u` or by the short escape of one of its
 * characters (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`). JSON text inside JSON text
 * escapes that backslash again (`\\n`, `\u005cn`), which still holds such a pair. A lone
 * backslash elsewhere (a byte of a number, a Windows path) does not make the message decoded.
 */

/** Characters JSON may write as a backslash and one letter, with that letter. */
const SHORT_ESCAPES: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['\b', 'b'],
  ['\f', 'f'],
  ['\n', 'n'],
  ['\r', 'r'],
  ['\t', 't'],
];

/** The literal's UTF-8, `\u`, and the short escapes of its characters (see the file comment). */
export function jsonTextNeedles(literal: string): Buffer[] {
  const needles = [Buffer.from(literal, 'utf8'), Buffer.from('\\u', 'latin1')];
  for (const [char, letter] of SHORT_ESCAPES) if (literal.includes(char)) needles.push(Buffer.from(`\\${letter}`, 'latin1'));
  return needles;
}
