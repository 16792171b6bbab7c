/**
 * What is wrong, in words, where protobufjs says too little (protobuf-schema.ts asks here):
 * - a message that does not decode with its type: protobufjs 8 says only "index out of range";
 *   the wire structure is read (protobuf-wire.ts wireSpans), following the fields the type says
 *   are messages, to say which field breaks at which byte;
 * - a descriptor set that does not load, or loads as nothing: cut short (where it breaks), or
 *   not a descriptor set at all (what its bytes are instead);
 * - an import that is not there (which one, from which file and line), and a type that is not
 *   defined (the line that uses it; when the schema imports files that were not read, that too);
 * - a message type asked for that names an enum, a service or a package instead.
 */
import path from 'node:path';
import protobuf from 'protobufjs';
// Adds Root#toDescriptor (the FileDescriptorSet type is read from it).
import 'protobufjs/ext/descriptor';
import { wireSpans } from './protobuf-wire';

/** Messages nested deeper than this are not followed (protobufjs's own limit is 100). */
const MAX_DEPTH = 64;

/**
 * Where `bytes` stop being a `type` message: the first broken field, inside the fields the type
 * says are messages (named by their path). Undefined when the wire structure is whole.
 */
export function whereMessageBreaks(type: protobuf.Type, bytes: Uint8Array): string | undefined {
  return breaks(type, bytes, 0, bytes.byteLength, '', 0);
}

function breaks(type: protobuf.Type, bytes: Uint8Array, start: number, end: number, path: string, depth: number): string | undefined {
  const read = wireSpans(bytes, start, end);
  if ('problem' in read) return path === '' ? read.problem : `in ${path} (bytes ${start}–${end}): ${read.problem}`;
  if (depth >= MAX_DEPTH) return undefined;
  for (const span of read.spans) {
    const field = type.fieldsById[span.number];
    if (span.body === undefined || field === undefined || !(field.resolvedType instanceof protobuf.Type)) continue;
    const inner = breaks(field.resolvedType, bytes, span.body.start, span.body.end, `${path}${path === '' ? '' : '.'}${field.name}`, depth + 1);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

let fileDescriptorSet: protobuf.Type | undefined;
/** google.protobuf.FileDescriptorSet, as protobufjs's descriptor extension knows it. */
function descriptorSetType(): protobuf.Type {
  fileDescriptorSet ??= new protobuf.Root().toDescriptor().$type;
  return fileDescriptorSet;
}

/** A descriptor set has its files in field 1, length-delimited: bytes that start so are taken for one. */
function startsAsDescriptorSet(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x0a;
}

/** A descriptor set protobufjs refused: where it breaks, or what the bytes are instead. */
export function descriptorSetProblem(name: string, bytes: Uint8Array, error: string): string {
  const where = whereMessageBreaks(descriptorSetType(), bytes);
  if (where === undefined) return `${name}: not a descriptor set protobufjs can read: ${error}`;
  return startsAsDescriptorSet(bytes)
    ? `${name} is not a whole descriptor set: ${where}`
    : `${name} is not a .proto or descriptor set: read as a descriptor set, ${where}`;
}

const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'group', 'group end', 'fixed32'];

/**
 * A descriptor set protobufjs took but that describes no file: not a descriptor set (its bytes
 * read as another message: say its fields). Undefined when it does hold files.
 */
export function emptyDescriptorSetProblem(name: string, bytes: Uint8Array): string | undefined {
  const read = wireSpans(bytes, 0, bytes.byteLength);
  if ('problem' in read) return undefined;
  if (read.spans.some((span) => span.number === 1 && span.wire === 2)) return undefined;
  if (bytes.byteLength === 0) return `${name} is empty: not a .proto or descriptor set`;
  const numbers = [...new Set(read.spans.map((span) => span.number))];
  const shown = numbers.slice(0, 6).map((number) => (number === 1 ? `1 (${WIRE_NAMES[read.spans.find((span) => span.number === 1)?.wire ?? 0] ?? ''})` : String(number)));
  const more = numbers.length > 6 ? ', …' : '';
  return `${name} is not a .proto or descriptor set: its ${bytes.byteLength} B read as fields ${shown.join(', ')}${more}; a descriptor set holds its files in field 1, length-delimited`;
}

/** The 1-based line of the first match of `pattern` in `text`, if any. */
function lineOf(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text);
  return match ? text.slice(0, match.index).split('\n').length : undefined;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A Node system error's code ("EISDIR"), or undefined for any other error (protobufjs's own). */
export function systemErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return undefined;
  return /^E[A-Z]+$/.test(error.code) ? error.code : undefined;
}

/** Why a schema file could not be read, in words: "that is a directory, not a .proto file". */
export function whyNotRead(code: string, what: string): string {
  switch (code) {
    case 'EISDIR':
      return `that is a directory, not ${what}`;
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'it cannot be read: permission denied';
    case 'ENOTDIR':
      return 'a part of its path is a file, not a directory';
    case 'ELOOP':
      return 'its path loops through symbolic links';
    default:
      return `it cannot be read (${code})`;
  }
}

/** The line of `import "target"` in a .proto's text. */
export function importLine(text: string, target: string): number | undefined {
  return lineOf(text, new RegExp(`^[ \\t]*import\\s+(?:public\\s+|weak\\s+)?["']${escaped(target)}["']`, 'm'));
}

/**
 * A type that does not resolve ("no such Type or Enum 'Missing' in Type .shop.Wrap"): the
 * field that names it, and its line in `textOf(file)` (the .proto the field came from).
 */
export function unresolvedProblem(root: protobuf.Root, error: string, textOf: (filename: string | null) => string | undefined): string | undefined {
  const found = /no such Type or Enum '([^']+)' in Type (\S+)/.exec(error);
  if (!found) return undefined;
  const [, missing = '', owner = ''] = found;
  const type = root.lookup(owner);
  if (!(type instanceof protobuf.Type)) return undefined;
  const field = type.fieldsArray.find((candidate) => candidate.type === missing);
  const text = textOf(field?.filename ?? type.filename);
  const line = text !== undefined && field !== undefined ? lineOf(text, new RegExp(`(^|[^\\w.])${escaped(missing)}\\s+${escaped(field.name)}\\s*=`, 'm')) : undefined;
  const where = `${field ? `field ${field.name} of ${owner.replace(/^\./, '')}` : owner.replace(/^\./, '')}${line !== undefined ? `, line ${line}` : ''}`;
  return `the type ${missing} (${where}) is not defined`;
}

/** "an enum", "a service", … : what a name in a schema is when it is not a message type. */
function kindOf(found: protobuf.ReflectionObject): string | undefined {
  const parent = found.parent?.fullName.replace(/^\./, '') ?? '';
  if (found instanceof protobuf.Type) return undefined;
  if (found instanceof protobuf.Enum) return 'an enum';
  if (found instanceof protobuf.Service) return 'a service';
  if (found instanceof protobuf.Method) {
    const request = found.resolvedRequestType?.fullName.replace(/^\./, '') ?? found.requestType;
    return `a method of the service ${parent} (its request is ${request})`;
  }
  if (found instanceof protobuf.Field) return `a field of ${parent}`;
  if (found instanceof protobuf.OneOf) return `a oneof of ${parent}`;
  if (found instanceof protobuf.Namespace) return 'a package';
  return undefined;
}

/**
 * A type name (`--decode protobuf:chat.proto#chat.Kind`) that names something other than a
 * message (an enum, a service or its method, a field, a package): what it is, and the message
 * types `where` (a file's path or name) has. Undefined when the name is not in the schema at all.
 */
export function notAMessageProblem(root: protobuf.Root, typeName: string, types: readonly string[], where: string): string | undefined {
  const name = typeName.replace(/^\./, '');
  if (name === '') return undefined;
  const found = root.lookup(name);
  const kind = found === null ? undefined : kindOf(found);
  if (kind === undefined) return undefined;
  const file = path.basename(where);
  const shown = types.slice(0, 20).join(', ');
  const listed = types.length === 0 ? `${file} has no message types` : `message types in ${file}: ${shown}${types.length > 20 ? ', …' : ''}`;
  return `${name} is ${kind}, not a message; ${listed}`;
}
