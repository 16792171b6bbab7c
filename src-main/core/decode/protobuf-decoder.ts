/**
 * Protocol Buffers payloads, one message per WebSocket message: with a schema (a message type
 * from the user's .proto or descriptor set, protobuf-schema.ts, chosen per message by the
 * choice's rules: protobuf-type-rules.ts) decoded by protobufjs with field names; without one,
 * the wire format with field numbers and guessed types (protobuf-wire.ts).
 */
import { decoded, notValid, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { StatelessDecoder } from './stateless-decoder';
import { describeValue } from './describe-value';
import type { ProtobufSchema } from './protobuf-schema';
import { readWireMessage } from './protobuf-wire';

/** At most this many fields are named in a schema-less summary. */
const SUMMARY_FIELDS = 6;

export class ProtobufDecoder extends StatelessDecoder implements StreamDecoder {
  readonly protocol = 'protobuf' as const;

  private readonly schemaFor: (frame: WireFrame) => ProtobufSchema | undefined;

  /** `schema`: one type for every message, or a choice per message (undefined: without a schema). */
  constructor(schema?: ProtobufSchema | ((frame: WireFrame) => ProtobufSchema | undefined)) {
    super();
    this.schemaFor = typeof schema === 'function' ? schema : () => schema;
  }

  decode(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode !== 'binary' && frame.opcode !== 'text') return undefined;
    const schema = this.schemaFor(frame);
    if (schema) {
      const read = schema.decode(frame.bytes);
      if ('problem' in read) return notValid('protobuf', read.problem);
      const unknown = read.unknown !== undefined ? ` (not in ${schema.typeName}: field${read.unknown.length > 1 ? 's' : ''} ${read.unknown.join(', ')})` : '';
      return decoded('protobuf', `${schema.typeName} ${describeValue(read.value)}${unknown}`, read.value);
    }
    if (frame.bytes.byteLength === 0) return decoded('protobuf', 'an empty message (every field at its default)', {});
    const read = readWireMessage(frame.bytes);
    if ('problem' in read) return notValid('protobuf', `${read.problem} (read without a schema)`);
    const shown = read.fields.slice(0, SUMMARY_FIELDS).map((field) => `${field.number}:${field.guessed}`);
    const more = read.fields.length > SUMMARY_FIELDS ? `, … (${read.fields.length} fields)` : '';
    return decoded('protobuf', `no schema: fields ${shown.join(', ')}${more}`, read.value);
  }
}
