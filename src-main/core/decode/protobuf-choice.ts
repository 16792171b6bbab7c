/**
 * A Protocol Buffers choice as the app, a profile or an export gives it (shared/decoding.ts
 * ProtobufChoice: the schema's content, the message type, type rules) made into decoder
 * settings: the schema compiled as the CLI's (compileProtobufInput), the type and each rule's type
 * looked up. Problems say the field (`schema`, `type`, `rules.<i>.type`) for the caller's path, and
 * what is wrong there in words that stand alone (the file's name first; "type rule N" first for a
 * rule), so the CLI and the app show them without the path.
 */
import type { ProtobufChoice, ProtobufState } from '../../shared/decoding';
import type { DecoderSettings } from './decoder-registry';
import { compileProtobufInput } from './protobuf-schema-input';
import { compileProtobufRules } from './protobuf-type-rules';

export type ProtobufChoiceSettings = { settings: DecoderSettings; state: ProtobufState } | { field: string; problem: string };

export function protobufChoiceSettings(choice: ProtobufChoice): ProtobufChoiceSettings {
  const { schema } = choice;
  const compiled = compileProtobufInput(schema);
  if ('problem' in compiled) return { field: 'schema', problem: compiled.problem };
  const types = [...compiled.compiled.types];
  const ruled = compileProtobufRules(compiled.compiled, choice.rules ?? []);
  if ('problem' in ruled) return { field: `rules.${ruled.index}.type`, problem: `type rule ${ruled.index + 1}: ${schema.name}: ${ruled.problem}` };
  const rules = ruled.rules.length > 0 ? { protobufRules: ruled.rules } : {};
  const ruleCount = ruled.rules.length > 0 ? { rules: ruled.rules.length } : {};
  if (choice.type === undefined) return { settings: rules, state: { name: schema.name, types, ...ruleCount } };
  const typed = compiled.compiled.schemaOf(choice.type);
  if ('problem' in typed) return { field: 'type', problem: `${schema.name}: ${typed.problem}` };
  return { settings: { protobuf: typed.schema, ...rules }, state: { name: schema.name, type: typed.schema.typeName, types, ...ruleCount } };
}
