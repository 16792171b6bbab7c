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
  /** One message's decoding as plain JSON (64-bit integers as digits, enums by name), or what is wrong. */
  decode(bytes: Uint8Array): { value: JsonValue } | { problem: string };
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

function loadRoot(source: ProtobufSchemaSource): protobuf.Root | { problem: string } {
  try {
    if ('protoText' in source) return protobuf.parse(source.protoText, { keepCase: true }).root;
    if ('descriptorSet' in source) return protobuf.Root.fromDescriptor(source.descriptorSet, { keepCase: true });
    if (path.extname(source.file).toLowerCase() === '.proto') return new protobuf.Root().loadSync(source.file, { keepCase: true });
    return protobuf.Root.fromDescriptor(fs.readFileSync(source.file), { keepCase: true });
  } catch (error) {
    const what = 'file' in source ? source.file : (source.name ?? ('protoText' in source ? 'the .proto text' : 'the descriptor set'));
    return { problem: `${what}: ${message(error)}` };
  }
}

/** Loads and resolves a schema (the CLI's `--decode protobuf:`, the app's session:decoding). */
export function compileProtobufSchema(source: ProtobufSchemaSource): { compiled: CompiledProtobuf } | { problem: string } {
  const root = loadRoot(source);
  if ('problem' in root) return root;
  const where = 'file' in source ? source.file : source.name;
  try {
    root.resolveAll();
  } catch (error) {
    return { problem: `${where !== undefined ? `${where}: ` : ''}the schema does not resolve: ${message(error)}` };
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

/** protobufjs's reader error in words (its range error names the byte, the size wanted and the end). */
function decodeProblem(text: string): string {
  const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(text);
  return range ? `at byte ${range[1]} a value needs ${range[2]} B, but the message ends at byte ${range[3]} (truncated, or a length is wrong)` : text;
}

function schemaOf(type: protobuf.Type): ProtobufSchema {
  const typeName = type.fullName.replace(/^\./, '');
  return {
    typeName,
    messageType: type,
    decode(bytes) {
      let decoded: protobuf.Message;
      try {
        decoded = type.decode(bytes);
      } catch (error) {
        return { problem: `as ${typeName}: ${decodeProblem(message(error))}` };
      }
      try {
        return { value: toJsonValue(type.toObject(decoded, { longs: String, enums: String, json: true })) };
      } catch (error) {
        // toObject decodes what a google.protobuf.Any packs (its type_url naming a type of the
        // schema), and that message may be broken: a problem, not an exception out of the decoder.
        return { problem: `as ${typeName}: a google.protobuf.Any's packed value: ${decodeProblem(message(error))}` };
      }
    },
  };
}
