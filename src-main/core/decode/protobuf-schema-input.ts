/**
 * A Protocol Buffers schema sent as content (shared/decoding.ts ProtobufSchemaInput: the app's
 * session:decoding, its exports): the base64 descriptor set unpacked and held to 1 MiB, then
 * compiled with the CLI's code (compileProtobufSchema). Problems name the file and, for .proto
 * text, protobufjs's line.
 */
import { MAX_PROTOBUF_SCHEMA_BYTES, type ProtobufSchemaInput } from '../../shared/decoding';
import { compileProtobufSchema, type CompiledProtobuf, type ProtobufSchemaSource } from './protobuf-schema';

export function compileProtobufInput(schema: ProtobufSchemaInput): { compiled: CompiledProtobuf } | { problem: string } {
  let source: ProtobufSchemaSource;
  if ('proto' in schema) source = { protoText: schema.proto, name: schema.name };
  else {
    const bytes = Buffer.from(schema.descriptorSet, 'base64');
    if (bytes.length > MAX_PROTOBUF_SCHEMA_BYTES) return { problem: `${schema.name} is ${bytes.length} bytes; a descriptor set is at most 1 MiB` };
    source = { descriptorSet: bytes, name: schema.name };
  }
  return compileProtobufSchema(source);
}
