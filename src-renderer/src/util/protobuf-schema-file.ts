/**
 * A Protocol Buffers schema file the user picked, read in the page (the web host reads none of
 * the page's files, so the content goes to the engine, not a path): a `.proto` as text, anything
 * else (`.pb`, `.desc`, `.binpb`, `.protoset`) as a descriptor set in base64. Over 1 MiB is
 * refused here, before sending, in the same words as the contract.
 */
import { MAX_PROTOBUF_SCHEMA_BYTES, protobufSchemaInputSchema, type ProtobufSchemaInput } from '../../../src-main/shared/decoding';

/** The file input's `accept`. */
export const PROTOBUF_SCHEMA_ACCEPT = '.proto,.pb,.desc,.binpb,.protoset';

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  // In chunks: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function readProtobufSchemaFile(file: Blob & { name: string }): Promise<{ schema: ProtobufSchemaInput } | { problem: string }> {
  if (file.size > MAX_PROTOBUF_SCHEMA_BYTES) return { problem: `${file.name} is ${file.size} bytes; a schema is at most 1 MiB` };
  const isProto = file.name.toLowerCase().endsWith('.proto');
  const input = isProto ? { name: file.name, proto: await file.text() } : { name: file.name, descriptorSet: base64Of(new Uint8Array(await file.arrayBuffer())) };
  const checked = protobufSchemaInputSchema.safeParse(input);
  if (!checked.success) return { problem: `${file.name}: ${checked.error.issues[0]?.message ?? 'not a schema'}` };
  return { schema: checked.data };
}

/**
 * The schema file a file input's `change` event carries, read; undefined when none was picked.
 * The input is cleared, so picking the same file again (after fixing it) fires `change` again.
 */
export async function readPickedSchema(event: Event): Promise<{ schema: ProtobufSchemaInput } | { problem: string } | undefined> {
  if (!(event.target instanceof HTMLInputElement)) return undefined;
  const file = event.target.files?.[0];
  event.target.value = '';
  return file ? readProtobufSchemaFile(file) : undefined;
}

/** "protobuf: orders.proto#shop.Order", "protobuf: orders.proto" before a type is chosen, "… + 2 type rules". */
export function protobufSchemaLabel(name: string, type: string | undefined, rules = 0): string {
  return `protobuf: ${name}${type !== undefined ? `#${type}` : ''}${rules > 0 ? ` + ${rules} type rule${rules === 1 ? '' : 's'}` : ''}`;
}
