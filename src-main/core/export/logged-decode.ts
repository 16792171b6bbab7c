/**
 * The Decode choice in a log file (shared/log-decode.ts): what an export records (the caller's
 * choice, else its decoded output's), and what an import makes of the field. An import checks it
 * here, on its own, so a value this version cannot use is a note and Auto: never a refused file,
 * never a crash. A Protocol Buffers choice names its schema file; the schema itself is not in the
 * file, so the import says which to choose and reads the messages without one meanwhile.
 */
import path from 'node:path';
import type { ExportDecoding } from '../../shared/export-decoding';
import { loggedDecodeSchema, type LoggedDecode } from '../../shared/log-decode';
import { DECODER_TITLES, isDecoderName } from '../decode/decoded-frame';
import { joinPath } from './import-problems';
import { PLAIN_ISSUE_WORDS } from '../../shared/zod-words';

/** What an export records: the choice given, else the choice its decoded output was made with. */
export function recordedDecode(given: LoggedDecode | undefined, decoded: ExportDecoding | undefined): LoggedDecode | undefined {
  if (given) return given;
  if (!decoded) return undefined;
  const protobuf = decoded.protobuf;
  if (protobuf === undefined) return { choice: decoded.choice };
  // A schema file's name, never its path (it may say whose machine) nor its content.
  const schema = 'file' in protobuf ? path.basename(protobuf.file) : protobuf.schema.name;
  return { choice: decoded.choice, protobuf: { schema, ...(protobuf.type !== undefined ? { type: protobuf.type } : {}) } };
}

/** "chat.proto#chat.Msg", or the file alone before a type was chosen. */
export function schemaWords(protobuf: NonNullable<LoggedDecode['protobuf']>): string {
  return protobuf.type !== undefined ? `${protobuf.schema}#${protobuf.type}` : protobuf.schema;
}

/**
 * The file's `decode` field (`where`: its place, `line 1: decode` or `log.entries[0]._tunnelscope.decode`):
 * the choice the import's tab starts with (a decoder this engine has), and what the user should know.
 */
export function readLoggedDecode(raw: unknown, where: string): { decode?: LoggedDecode; notes: string[] } {
  if (raw === undefined) return { notes: [] };
  const parsed = loggedDecodeSchema.safeParse(raw, PLAIN_ISSUE_WORDS);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = joinPath(where, issue?.path ?? [], 'json');
    return { notes: [`the Decode choice in the file was not used (${at}: ${issue?.message ?? 'invalid'}): the log decodes with Auto`] };
  }
  const decode = parsed.data;
  const choice = decode.choice;
  if (choice !== 'auto' && choice !== 'none' && !isDecoderName(choice)) {
    return { notes: [`the file says the session was decoded as "${choice}", which this version has no decoder for: the log decodes with Auto`] };
  }
  if (choice !== 'protobuf' || decode.protobuf === undefined) return { decode: { choice }, notes: [] };
  const named = schemaWords(decode.protobuf);
  return {
    decode: { choice, protobuf: decode.protobuf },
    notes: [
      `decoded as ${DECODER_TITLES.protobuf} with schema ${named} when exported; choose the schema to decode it (Decode → Schema…): until then each message is read without a schema, by field number`,
    ],
  };
}
