/**
 * A user's Protocol Buffers schema, with protobufjs: a `.proto` file (its imports found beside
 * it), `.proto` text, or a compiled descriptor set (`protoc --descriptor_set_out`, the bytes of
 * a google.protobuf.FileDescriptorSet), and the message type each WebSocket message is. Loading
 * problems say what and where (protobufjs's own line numbers kept); a type that is not there is
 * named with the types that are.
 */
import fs from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
// Adds Root.fromDescriptor (descriptor sets).
import 'protobufjs/ext/descriptor';
import { toJsonValue, type JsonValue } from './json-value';
import { int64Marker } from './protobuf-int64-marks';
import { readWireMessage } from './protobuf-wire';
import { descriptorSetProblem, emptyDescriptorSetProblem, importLine, notAMessageProblem, systemErrorCode, unresolvedProblem, whereMessageBreaks, whyNotRead } from './protobuf-schema-problems';

/**
 * The key the top-level fields a message's type does not have are shown under (by number, read
 * without the schema). No field of a .proto can be named so (names are letters, digits and _).
 * The search's probes and proofs leave a path through a name starting with '$' to decoding
 * (value-probe.ts probeSteps); `$[*]` at the top also selects it (protobuf-probe.ts reads that).
 */
export const UNKNOWN_FIELDS = '$unknown';

export type ProtobufSchemaSource =
  /** A .proto file, or a descriptor set file (.pb, .desc, .binpb, .protoset: anything not .proto). */
  | { file: string }
  | { protoText: string; name?: string }
  | { descriptorSet: Uint8Array; name?: string };

/** A schema loaded and resolved: the message types it has, and a decoder for one of them. */
export interface CompiledProtobuf {
  /** Every message type, by full name ("shop.Order"). */
  readonly types: readonly string[];
  /** The named type's schema, or that it is not there (naming those that are). */
  schemaOf(typeName: string): { schema: ProtobufSchema } | { problem: string };
}

export interface ProtobufSchema {
  /** The message type's full name ("shop.Price"). */
  readonly typeName: string;
  /**
   * One message's decoding as plain JSON (64-bit integers as digits, marked for a query:
   * protobuf-int64-marks.ts; enums by name), with the
   * numbers of fields the type does not have (shown under UNKNOWN_FIELDS), or what is wrong.
   */
  decode(bytes: Uint8Array): { value: JsonValue; unknown?: number[] } | { problem: string };
  /** The protobufjs type it decodes with (a query's prefilter reads its fields: protobuf-string-path.ts). */
  readonly messageType?: protobuf.Type;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Every message type in the schema, by full name. */
function typeNames(namespace: protobuf.NamespaceBase, out: string[] = []): string[] {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested.fullName.replace(/^\./, ''));
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) typeNames(nested, out);
  }
  return out;
}

/** A root loaded, with what resolving it needs to explain itself: each .proto's text, the imports not read. */
interface Loaded {
  readonly root: protobuf.Root;
  /** The text of a .proto read (null: the text given, without a file). */
  readonly textOf: (filename: string | null) => string | undefined;
  /** .proto text given as content: its imports are not read (no files to read them from). */
  readonly unreadImports: readonly string[];
}

/** A descriptor set's bytes made into a root: where it breaks, or what it is instead when it is not one. */
function descriptorRoot(bytes: Uint8Array, name: string): Loaded | { problem: string } {
  let root: protobuf.Root;
  try {
    root = protobuf.Root.fromDescriptor(bytes, { keepCase: true });
  } catch (error) {
    return { problem: descriptorSetProblem(name, bytes, message(error)) };
  }
  const empty = emptyDescriptorSetProblem(name, bytes);
  if (empty !== undefined) return { problem: empty };
  return { root, textOf: () => undefined, unreadImports: [] };
}

/** A .proto file with its imports (beside it): one that is not there is named with the file and line importing it. */
function protoFileRoot(file: string): Loaded | { problem: string } {
  const root = new protobuf.Root();
  // Who imports what, to name a missing import's line (protobufjs says only ENOENT and the path).
  const importedBy = new Map<string, { origin: string; target: string }>();
  const resolve = root.resolvePath.bind(root);
  root.resolvePath = (origin, target) => {
    const resolved = resolve(origin, target);
    if (resolved !== null && !importedBy.has(resolved)) importedBy.set(resolved, { origin, target });
    return resolved;
  };
  const texts = new Map<string, string>();
  const textOf = (filename: string | null): string | undefined => {
    if (filename === null) return undefined;
    let text = texts.get(filename);
    if (text === undefined) {
      try {
        text = fs.readFileSync(filename, 'utf8');
      } catch {
        return undefined;
      }
      texts.set(filename, text);
    }
    return text;
  };
  try {
    root.loadSync(file, { keepCase: true });
  } catch (error) {
    const unread = unreadFileProblem(file, error, root.files, importedBy, textOf);
    if (unread !== undefined) return { problem: unread };
    const missing = error instanceof Error && 'path' in error && typeof error.path === 'string' ? importedBy.get(error.path) : undefined;
    if (missing !== undefined && missing.origin !== '') {
      const originText = textOf(missing.origin);
      const line = originText !== undefined ? importLine(originText, missing.target) : undefined;
      return { problem: `${missing.origin}${line !== undefined ? ` line ${line}` : ''}: import "${missing.target}" was not found (looked for ${error instanceof Error && 'path' in error ? String(error.path) : missing.target}: imports are read relative to the importing file's folder)` };
    }
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return { problem: `${file}: no such file` };
    // loadSync resolves the types too: one not defined is named with its line.
    return { problem: `${file}: ${unresolvedProblem(root, message(error), textOf) ?? message(error)}` };
  }
  return { root, textOf, unreadImports: [] };
}

/**
 * A file protobufjs could not read (a system error other than ENOENT: a directory, no permission,
 * a path through a file), in words with its path: protobufjs passes on Node's error, and the one
 * for a directory (EISDIR, from read) names no path. The file is the last protobufjs took up
 * (`root.files`: it reads each file as it adds it, and reads nothing after a failure); an import
 * is named with the file and line importing it. Undefined for any other error.
 */
function unreadFileProblem(
  file: string,
  error: unknown,
  files: readonly string[],
  importedBy: ReadonlyMap<string, { origin: string; target: string }>,
  textOf: (filename: string | null) => string | undefined,
): string | undefined {
  const code = systemErrorCode(error);
  if (code === undefined || code === 'ENOENT') return undefined;
  const failed = error instanceof Error && 'path' in error && typeof error.path === 'string' ? error.path : files[files.length - 1];
  const imported = failed !== undefined ? importedBy.get(failed) : undefined;
  if (imported === undefined || imported.origin === '') return `${file}: ${whyNotRead(code, 'a .proto file')}`;
  const originText = textOf(imported.origin);
  const line = originText !== undefined ? importLine(originText, imported.target) : undefined;
  return `${imported.origin}${line !== undefined ? ` line ${line}` : ''} imports "${imported.target}" (${failed ?? imported.target}): ${whyNotRead(code, 'a .proto file')}`;
}

function loadRoot(source: ProtobufSchemaSource): Loaded | { problem: string } {
  if ('descriptorSet' in source) return descriptorRoot(source.descriptorSet, source.name ?? 'the descriptor set');
  if ('file' in source && path.extname(source.file).toLowerCase() === '.proto') return protoFileRoot(source.file);
  if ('file' in source) {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(source.file);
    } catch (error) {
      const code = systemErrorCode(error);
      return { problem: `${source.file}: ${code !== undefined ? whyNotRead(code, 'a descriptor set file') : message(error)}` };
    }
    return descriptorRoot(bytes, source.file);
  }
  try {
    const parsed = protobuf.parse(source.protoText, { keepCase: true });
    return { root: parsed.root, textOf: () => source.protoText, unreadImports: [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])] };
  } catch (error) {
    return { problem: `${source.name ?? 'the .proto text'}: ${message(error)}` };
  }
}

/** Why the schema does not resolve, with the line of the undefined type and the imports not read. */
function resolveProblem(loaded: Loaded, error: string): string {
  const unresolved = unresolvedProblem(loaded.root, error, loaded.textOf) ?? `the schema does not resolve: ${error}`;
  if (loaded.unreadImports.length === 0) return unresolved;
  const text = loaded.textOf(null) ?? '';
  const imports = loaded.unreadImports.map((target) => {
    const line = importLine(text, target);
    return `"${target}"${line !== undefined ? ` (line ${line})` : ''}`;
  });
  return `${unresolved}; it may be in ${imports.join(', ')}: imports are not read here, pick a descriptor set made with protoc --include_imports`;
}

/** Loads and resolves a schema (the CLI's `--decode protobuf:`, the app's session:decoding). */
export function compileProtobufSchema(source: ProtobufSchemaSource): { compiled: CompiledProtobuf } | { problem: string } {
  const loaded = loadRoot(source);
  if ('problem' in loaded) return loaded;
  const { root } = loaded;
  const where = 'file' in source ? source.file : source.name;
  try {
    root.resolveAll();
  } catch (error) {
    return { problem: `${where !== undefined ? `${where}: ` : ''}${resolveProblem(loaded, message(error))}` };
  }
  const types = typeNames(root);
  return {
    compiled: {
      types,
      schemaOf(typeName) {
        let type: protobuf.Type;
        try {
          type = root.lookupType(typeName.replace(/^\./, ''));
        } catch {
          // An enum or a service named as the type: said as such, with the message types there are.
          const other = notAMessageProblem(root, typeName, types, where ?? 'the schema');
          if (other !== undefined) return { problem: other };
          const shown = types.slice(0, 20).join(', ');
          return { problem: `no message type ${JSON.stringify(typeName)} in the schema; ${types.length === 0 ? 'it has none' : `it has ${shown}${types.length > 20 ? ', …' : ''}`}` };
        }
        return { schema: schemaOf(type) };
      },
    },
  };
}

export function loadProtobufSchema(source: ProtobufSchemaSource, typeName: string): { schema: ProtobufSchema } | { problem: string } {
  const compiled = compileProtobufSchema(source);
  return 'problem' in compiled ? compiled : compiled.compiled.schemaOf(typeName);
}

/**
 * protobufjs's reader error in words: where the wire structure breaks (protobufjs 8 says only
 * "index out of range"), else its own words.
 */
function decodeProblem(type: protobuf.Type, bytes: Uint8Array, error: unknown): string {
  return whereMessageBreaks(type, bytes) ?? rangeWords(message(error));
}

/** protobufjs's range error in words, when it names the byte, the size wanted and the end. */
function rangeWords(text: string): string {
  const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(text);
  return range ? `at byte ${range[1]} a value needs ${range[2]} B, but the message ends at byte ${range[3]} (truncated, or a length is wrong)` : text;
}

/**
 * The value with the top-level fields the type does not have (protobufjs keeps their bytes) under
 * UNKNOWN_FIELDS, read as the schema-less reading reads fields (protobuf-wire.ts: by number, types
 * guessed), and their numbers for the summary. A nested message's unknown fields are not shown.
 */
function withUnknownFields(value: JsonValue, unknowns: readonly Uint8Array[] | undefined): { value: JsonValue; unknown?: number[] } {
  if (unknowns === undefined || unknowns.length === 0 || typeof value !== 'object' || value === null || Array.isArray(value)) return { value };
  const read = readWireMessage(Buffer.concat(unknowns));
  if ('problem' in read) return { value };
  const unknown = [...new Set(read.fields.map((field) => field.number))];
  return { value: { ...value, [UNKNOWN_FIELDS]: read.value }, unknown };
}

function schemaOf(type: protobuf.Type): ProtobufSchema {
  const typeName = type.fullName.replace(/^\./, '');
  const markInt64 = int64Marker(type);
  return {
    typeName,
    messageType: type,
    decode(bytes) {
      let decoded: protobuf.Message;
      try {
        // Fields the type does not have are kept (as their bytes, only when there are any) to be shown.
        const reader = protobuf.Reader.create(bytes);
        reader.discardUnknown = false;
        decoded = type.decode(reader);
      } catch (error) {
        return { problem: `as ${typeName}: ${decodeProblem(type, bytes, error)}` };
      }
      try {
        const value = toJsonValue(type.toObject(decoded, { longs: String, enums: String, json: true }));
        const shown = withUnknownFields(value, decoded.$unknowns);
        // Digits a query compares as 64-bit integers (the unknown fields' were marked as read).
        markInt64?.(shown.value);
        return shown;
      } catch (error) {
        // toObject decodes what a google.protobuf.Any packs (its type_url naming a type of the
        // schema), and that message may be broken: a problem, not an exception out of the decoder.
        return { problem: `as ${typeName}: a google.protobuf.Any's packed value: ${rangeWords(message(error))}` };
      }
    },
  };
}
