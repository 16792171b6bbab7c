/**
 * Copy as command, the part about decoding: the tab's (or its profile's) Decode choice as
 * `tunnelscope connect --decode <choice>` when it is not auto. A Protocol Buffers schema goes as
 * `protobuf:<file>#<Type>`: the app keeps a schema's content and file name, not where it was read
 * from, so without a path `<schema-file>` stands for it and a note says which file to put there
 * (as an inline PAC script's `<pac-file>` does). websocat and wscat do not decode: a note says the
 * choice is left out.
 */
import type { CommandTool } from './copy-as-command';
import { DECODE_PROTOCOLS } from './decoding';

export const SCHEMA_FILE_PLACEHOLDER = '<schema-file>';
export const MESSAGE_TYPE_PLACEHOLDER = '<Type>';

export interface CopyDecode {
  /** auto, none or a decoder's name. */
  choice: string;
  /** With choice protobuf and a schema chosen. */
  protobuf?: {
    /** The schema file's name ("chat.proto"). */
    name: string;
    /** Where it is, when known (the app does not keep it). */
    path?: string;
    type?: string;
    /** How many type rules the choice has (the command line takes one type). */
    rules?: number;
  };
}

/** The words (tunnelscope) or notes (the others) for the Decode choice; `quote` is the shell quoting. */
export function decodeWords(tool: CommandTool, decode: CopyDecode, words: string[], notes: string[], quote: (word: string) => string): void {
  const { choice, protobuf } = decode;
  if (choice === 'auto') return;
  if (tool !== 'tunnelscope') {
    const title = DECODE_PROTOCOLS.find((p) => p.name === choice)?.title ?? choice;
    if (choice !== 'none') notes.push(`${tool} does not decode frames: the Decode choice (${title}) is left out (tunnelscope connect --decode ${choice} has it)`);
    return;
  }
  if (choice !== 'protobuf' || protobuf === undefined) {
    words.push('--decode', quote(choice));
    return;
  }
  const file = protobuf.path ?? SCHEMA_FILE_PLACEHOLDER;
  const type = protobuf.type ?? MESSAGE_TYPE_PLACEHOLDER;
  words.push('--decode', quote(`protobuf:${file}#${type}`));
  if (protobuf.path === undefined) notes.push(`put the path of the schema file ${protobuf.name} for ${SCHEMA_FILE_PLACEHOLDER} (the app keeps the schema, not where it was read from)`);
  if (protobuf.type === undefined) notes.push(`put the message type for ${MESSAGE_TYPE_PLACEHOLDER}: --decode protobuf: needs one (no type is chosen in the app)`);
  const rules = protobuf.rules ?? 0;
  if (rules > 0) notes.push(`tunnelscope connect --decode takes one message type: the ${rules} type rule${rules === 1 ? ' is' : 's are'} left out (connect --profile uses a profile's rules)`);
}
