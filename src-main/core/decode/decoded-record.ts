/**
 * A frame's decoding as written outside the engine: the CLI's `--json` `decoded` member, NDJSON's
 * `decoded` and HAR's `_decoded` have this one shape:
 *   {protocol, summary, value}            a decoded frame (`partial: true` for part of a protocol
 *                                         frame that ends in a later message)
 *   {protocol, summary, valid: false, problem}   a frame that breaks the protocol
 * with `guess: true` while the protocol is auto's guess (not confirmed by the user).
 */
import type { DecodeOutcome } from './decoded-frame';
import type { JsonValue } from './json-value';
import type { ActiveDecoding } from './session-decoding';

export type DecodedRecord =
  | { protocol: string; summary: string; value: JsonValue; partial?: true; guess?: true }
  | { protocol: string; summary: string; valid: false; problem: string; guess?: true };

export function decodedRecord(outcome: DecodeOutcome, active: ActiveDecoding | undefined): DecodedRecord {
  const guess = active?.guess === true ? { guess: true as const } : {};
  if (outcome.kind === 'invalid') return { protocol: outcome.protocol, summary: outcome.summary, valid: false, problem: outcome.problem, ...guess };
  return { protocol: outcome.protocol, summary: outcome.summary, value: outcome.value, ...(outcome.kind === 'partial' ? { partial: true as const } : {}), ...guess };
}
