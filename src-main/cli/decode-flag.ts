/**
 * `--decode auto|none|<protocol>|protobuf:<file>#<Type>` on connect (default auto). A schema
 * for Protocol Buffers is loaded here, before connecting, so a missing file, a .proto that does
 * not parse or a type that is not in it is said (exit 2) with what and where; only a malformed
 * flag points at --help. Another name for a decoder is refused with the one meant.
 */
import type { ProtobufChoice } from '../shared/decoding';
import { DECODE_CHOICES, loadProtobufSchema, protobufChoiceSettings, type DecodeChoice, type DecoderSettings } from '../core';
import { schemaFileProblem } from './check-file';
import { decodeNameHint } from './decode-name-hint';
import { fileProblem, UsageError } from './usage-error';

export interface DecodeFlag {
  decode: DecodeChoice;
  /** What the chosen decoder needs beyond its name (a Protocol Buffers message type). */
  decodeSettings?: DecoderSettings;
}

const PROTOBUF_PREFIX = 'protobuf:';

/** `protobuf:<file>#<Type>`: the file (it may hold ':' or '#') up to the last '#', then the type. */
export function protobufSpec(raw: string): { file: string; type: string } {
  const spec = raw.trim().slice(PROTOBUF_PREFIX.length);
  const hash = spec.lastIndexOf('#');
  const file = hash < 0 ? spec : spec.slice(0, hash);
  const type = hash < 0 ? '' : spec.slice(hash + 1).trim();
  if (file.trim() === '' || type === '') {
    throw new UsageError(`--decode: "${raw}" needs a schema file and a message type: protobuf:<file.proto or descriptor set>#<package.Type>`, 'connect');
  }
  return { file, type };
}

export function isProtobufSpec(raw: string): boolean {
  return raw.trim().toLowerCase().startsWith(PROTOBUF_PREFIX);
}

function protobufFlag(raw: string): DecodeFlag {
  const { file, type } = protobufSpec(raw);
  // protobufjs would say only "EISDIR: illegal operation on a directory, read".
  const unusable = schemaFileProblem(file);
  if (unusable !== undefined) throw fileProblem(`--decode protobuf: ${file} ${unusable}`, 'connect');
  const loaded = loadProtobufSchema({ file }, type);
  if ('problem' in loaded) throw fileProblem(`--decode ${PROTOBUF_PREFIX}${file}#${type}: ${loaded.problem}`, 'connect');
  return { decode: 'protobuf', decodeSettings: { protobuf: loaded.schema } };
}

/** Absent: nothing (auto, unless a profile says otherwise: connect --profile). */
export function parseDecodeFlag(raw: string | undefined): DecodeFlag | Record<string, never> {
  if (raw === undefined) return {};
  if (isProtobufSpec(raw)) return protobufFlag(raw);
  const wanted = raw.trim().toLowerCase();
  const choice = DECODE_CHOICES.find((name) => name === wanted);
  if (choice === undefined) {
    throw new UsageError(`--decode: "${raw}" is not one of ${DECODE_CHOICES.join(', ')}, or protobuf:<file>#<Type>${decodeNameHint(raw)}`, 'connect');
  }
  return { decode: choice };
}

/**
 * The decoding `connect --profile` uses when --decode is not given: the profile's own (absent:
 * auto). A name this CLI has no decoder for is said on stderr and auto is used.
 */
export function profileDecodeChoice(saved: string | undefined, note: (line: string) => void): DecodeChoice | undefined {
  if (saved === undefined) return undefined;
  const choice = DECODE_CHOICES.find((name) => name === saved);
  if (choice === undefined) note(`the profile decodes as "${saved}", which this version does not know; decoding with auto`);
  return choice;
}

/**
 * The decoder settings of a profile that decodes as protobuf with a schema saved (its content,
 * type and type rules, as the app keeps them): checked as the app checks them, so a schema that
 * no longer compiles, or a type it lacks, is said with the profile's name and the field.
 */
export function profileProtobufSettings(profileName: string, saved: ProtobufChoice): { settings: DecoderSettings } | { problem: string } {
  const made = protobufChoiceSettings(saved);
  if ('problem' in made) return { problem: `the profile "${profileName}" decodes Protocol Buffers with a schema that does not work: ${made.problem}` };
  return { settings: made.settings };
}
