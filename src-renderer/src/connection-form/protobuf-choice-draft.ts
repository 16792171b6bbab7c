/**
 * What the profile editor edits of a Protocol Buffers choice (shared/decoding.ts ProtobufChoice):
 * the schema's content (read from the file the user picked), the message type, and the type
 * rules as typed (a first byte as 0x0a or 10, a direction "any", empty conditions left out).
 * Turned into the choice with the problems a form can name at their place
 * (`decodeProtobuf.rules.<i>.firstByte`); the contract's own check and the engine's compile
 * (protobuf:compile) say the rest. Plain functions.
 */
import type { ProtobufChoice, ProtobufSchemaInput, ProtobufTypeRule } from '../../../src-main/shared/decoding';
import { newRowKey } from './connection-draft';

export interface ProtobufRuleDraft {
  key: number;
  /** '' until one is picked. */
  type: string;
  /** '' is either direction. */
  dir: '' | 'in' | 'out';
  /** As typed: '' (any), 0x0a or 10. */
  firstByte: string;
  urlIncludes: string;
  subprotocol: string;
}

export interface ProtobufDraft {
  /** null: no schema picked (messages are read schema-less). */
  schema: ProtobufSchemaInput | null;
  /** '' : none (what no rule takes is read schema-less). */
  type: string;
  rules: ProtobufRuleDraft[];
}

export function newProtobufRule(): ProtobufRuleDraft {
  return { key: newRowKey(), type: '', dir: '', firstByte: '', urlIncludes: '', subprotocol: '' };
}

export function protobufDraftFrom(choice: ProtobufChoice | undefined): ProtobufDraft {
  if (!choice) return { schema: null, type: '', rules: [] };
  return {
    schema: choice.schema,
    type: choice.type ?? '',
    rules: (choice.rules ?? []).map((rule) => ({
      key: newRowKey(),
      type: rule.type,
      dir: rule.dir ?? '',
      firstByte: rule.firstByte !== undefined ? `0x${rule.firstByte.toString(16).padStart(2, '0')}` : '',
      urlIncludes: rule.urlIncludes ?? '',
      subprotocol: rule.subprotocol ?? '',
    })),
  };
}

/** `0x0a`, `0A` with 0x, or `10`: 0 to 255; '' is none; anything else undefined-with-a-problem. */
export function parseFirstByte(text: string): { value: number | undefined } | { problem: string } {
  const t = text.trim();
  if (t === '') return { value: undefined };
  const value = /^0x[0-9a-f]{1,2}$/i.test(t) ? Number.parseInt(t.slice(2), 16) : /^\d{1,3}$/.test(t) ? Number(t) : Number.NaN;
  if (!Number.isInteger(value) || value < 0 || value > 255) return { problem: `"${t}" is not a byte: 0x00 to 0xff, or 0 to 255` };
  return { value };
}

/** The choice the draft makes (undefined without a schema), and the problems only the form can name. */
export function protobufChoiceFrom(draft: ProtobufDraft): { choice: ProtobufChoice | undefined; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  if (draft.schema === null) return { choice: undefined, problems };
  const rules: ProtobufTypeRule[] = draft.rules.map((rule, index) => {
    const byte = parseFirstByte(rule.firstByte);
    if ('problem' in byte) problems[`decodeProtobuf.rules.${index}.firstByte`] = byte.problem;
    const firstByte = 'value' in byte ? byte.value : undefined;
    return {
      type: rule.type,
      ...(rule.dir !== '' ? { dir: rule.dir } : {}),
      ...(firstByte !== undefined ? { firstByte } : {}),
      ...(rule.urlIncludes.trim() !== '' ? { urlIncludes: rule.urlIncludes.trim() } : {}),
      ...(rule.subprotocol.trim() !== '' ? { subprotocol: rule.subprotocol.trim() } : {}),
    };
  });
  const choice: ProtobufChoice = { schema: draft.schema, ...(draft.type !== '' ? { type: draft.type } : {}), ...(rules.length > 0 ? { rules } : {}) };
  return { choice, problems };
}
