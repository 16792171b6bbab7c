/**
 * The query probe (query-probe.ts) for a query with a `[*]` clause whose literal is not a string
 * (`$.data[*] > 9990`, `$.data[*] =~ /^ABC7$/`, `$.data[*] == true`, `$.data[*]` alone), which
 * no string rule reads: MessagePack and CBOR walk the path in the message's bytes and test the
 * clause on every value it selects (msgpack-probe.ts msgpackAnyMayHold, cbor-probe.ts
 * cborAnyMayHold); compressed and Base64 payloads walk it in the JSON the decoder unwraps
 * (json-path-follow.ts jsonAnyMayHold, for a path `$.payload.<name or index>…` and a clause that
 * fails where its path selects nothing: then a payload that is not JSON selects nothing there
 * either, as payload-probe.ts's follower relies on). The query's other clauses are probed as
 * query-probe.ts probes them. A message one clause cannot hold in is passed over; the formats
 * keep nothing between messages. Read under a ProbeBudget, as query-probe.ts reads.
 * Protocol Buffers with one message type: a path of singular message fields ending in `[*]`
 * (`$.data[*]`), each field of the type it reaches read as its own path (protobuf-probe.ts
 * protobufAnyFields); without a schema, `$[*]` and `$['N'][*]` (protobuf-wire-probe.ts).
 * Undefined (query-probe.ts decides) for a query without such a `[*]` clause, and for Protocol
 * Buffers by type rules.
 */
import protobuf from 'protobufjs';
import { holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import { base64RulePrefilter } from './base64-prefilter';
import { probeCbor, cborAnyMayHold } from './cbor-probe';
import { compressedRulePrefilter, type UnwrappedRule } from './compressed-prefilter';
import type { DecoderName } from './decoded-frame';
import { jsonAnyMayHold } from './json-path-follow';
import { msgpackAnyMayHold, probeMsgpack } from './msgpack-probe';
import { UNWRAPPED_VALUE_KEYS, payloadPath, probeUnwrapped } from './payload-probe';
import { ProbeBudget } from './probe-budget';
import { protobufAnyFields, protobufProbe } from './protobuf-probe';
import { wireAnyField, wireAnyMayHold } from './protobuf-wire-probe';
import { lacksPrefilter, type RawPrefilter } from './raw-prefilter';
import { ABSENT, UNSURE, anyProbeSteps, mayHold, probeSteps } from './value-probe';

/** Whether a clause may hold in the message at [start, end) of `slab` (true: decode it). */
type MessageTest = (slab: Buffer, start: number, end: number) => boolean;

/** The prefilter for `query`, or undefined (see the file comment). */
export function anyStepProbePrefilter(protocol: DecoderName, query: DecodedQuery, protobufType: 'none' | 'rules' | protobuf.Type): RawPrefilter | undefined {
  if (!query.clauses.some((clause) => anyProbeSteps(clause.path) !== undefined)) return undefined;
  if (protocol === 'compressed' || protocol === 'base64') return unwrappedPrefilter(protocol, query.clauses);
  if (protocol === 'protobuf') {
    if (protobufType instanceof protobuf.Type) return protobufPrefilter(query.clauses, protobufType);
    return protobufType === 'none' ? wirePrefilter(query.clauses) : undefined;
  }
  if (protocol !== 'msgpack' && protocol !== 'cbor') return undefined;
  const probe = protocol === 'msgpack' ? probeMsgpack : probeCbor;
  const walk = protocol === 'msgpack' ? msgpackAnyMayHold : cborAnyMayHold;
  const tests: MessageTest[] = [];
  let any = false;
  for (const { path, test } of query.clauses) {
    const steps = probeSteps(path);
    const anySteps = steps ? undefined : anyProbeSteps(path);
    if (steps) tests.push((slab, start, end) => mayHold(probe(slab, start, end, steps), test));
    else if (anySteps) {
      any = true;
      tests.push((slab, start, end) => walk(slab, start, end, anySteps, test));
    }
  }
  return any ? messagePrefilter(tests) : undefined;
}

/**
 * Protocol Buffers with one message type: `[*]` clauses protobufAnyFields reads, the others as
 * query-probe.ts's protobufPrefilter reads them (a clause failing in every message rules every
 * message out). Undefined when no `[*]` clause is read.
 */
function protobufPrefilter(clauses: readonly QueryClause[], type: protobuf.Type): RawPrefilter | undefined {
  const tests: MessageTest[] = [];
  let any = false;
  for (const { path, test } of clauses) {
    const steps = probeSteps(path);
    if (steps) {
      const probe = protobufProbe(steps, type);
      if (!('constant' in probe)) tests.push((slab, start, end) => mayHold(probe.read(slab, start, end), test));
      else if (!mayHold(probe.constant, test)) return lacksPrefilter(() => true);
      continue;
    }
    const anySteps = anyProbeSteps(path);
    const fields = anySteps ? protobufAnyFields(anySteps, type) : undefined;
    if (!fields) continue;
    any = true;
    tests.push((slab, start, end) => {
      let selected = false;
      for (const read of fields) {
        const found = read(slab, start, end);
        if (found === UNSURE) return true;
        if (found === ABSENT) continue;
        selected = true;
        if (mayHold(found, test)) return true;
      }
      return !selected && holdsWhenAbsent(test);
    });
  }
  return any ? messagePrefilter(tests) : undefined;
}

/**
 * Protocol Buffers without a schema: `$[*]` and `$['N'][*]` clauses (protobuf-wire-probe.ts); the
 * other clauses as query-probe.ts reads them (a name no message has rules every message out).
 */
function wirePrefilter(clauses: readonly QueryClause[]): RawPrefilter | undefined {
  const tests: MessageTest[] = [];
  let any = false;
  for (const { path, test } of clauses) {
    const steps = probeSteps(path);
    if (steps) {
      const probe = protobufProbe(steps, undefined);
      if ('constant' in probe && !mayHold(probe.constant, test)) return lacksPrefilter(() => true);
      continue;
    }
    const anySteps = anyProbeSteps(path);
    const field = anySteps ? wireAnyField(anySteps) : false;
    if (field === false) continue;
    any = true;
    tests.push((slab, start, end) => wireAnyMayHold(slab, start, end, field, test));
  }
  return any ? messagePrefilter(tests) : undefined;
}

/** A stateless rule that reads each message (an empty one too) while it rules out enough (probe-budget.ts), as query-probe.ts's. */
function messagePrefilter(tests: readonly MessageTest[]): RawPrefilter {
  const budget = new ProbeBudget();
  const lacks = (slab: Buffer, start: number, end: number): boolean => {
    if (!budget.read()) return false;
    const ruledOut = tests.some((mayHoldIn) => !mayHoldIn(slab, start, end));
    budget.note(ruledOut);
    return ruledOut;
  };
  // An empty message is asked too (the scan asks it `selfContained` alone), as query-probe.ts does.
  return { kind: 'self-contained', needles: [], stateless: true, selfContained: (slab, start, end) => end > start || lacks(slab, start, end), lacks };
}

/** Whether the unwrapped payload bytes[0, length) may hold a clause (true: decode it). */
type PayloadTest = (bytes: Buffer, length: number) => boolean;

/**
 * Compressed and Base64 payloads: `[*]` clauses under `$.payload` as the file comment says, the
 * others as query-probe.ts's unwrappedPrefilter reads them. Undefined when no `[*]` clause is read.
 */
function unwrappedPrefilter(protocol: 'compressed' | 'base64', clauses: readonly QueryClause[]): RawPrefilter | undefined {
  const tests: PayloadTest[] = [];
  let any = false;
  for (const { path, test } of clauses) {
    const [first, second] = path;
    const steps = probeSteps(path);
    if (steps) {
      const [head, ...rest] = steps;
      // A name the decoder never writes at the top selects nothing in any message.
      if (head !== undefined && !(head.kind === 'key' && UNWRAPPED_VALUE_KEYS[protocol].includes(head.name)) && !holdsWhenAbsent(test)) return lacksPrefilter(() => true);
      if (head?.kind === 'key' && head.name === 'payload') {
        const payload = payloadPath(rest, !holdsWhenAbsent(test));
        tests.push((bytes, length) => mayHold(probeUnwrapped(bytes, length, payload), test));
      }
      continue;
    }
    // `$.payload[*]` selects bytes' {$bytes, length} values and `length` is bytes' key: not read.
    if (first?.kind !== 'key' || first.name !== 'payload' || holdsWhenAbsent(test) || second === undefined || second.kind === 'any' || (second.kind === 'key' && second.name === 'length')) continue;
    const anySteps = anyProbeSteps(path.slice(1));
    if (!anySteps) continue;
    any = true;
    // After a byte-order mark, which the decoder's TextDecoder drops.
    tests.push((bytes, length) => jsonAnyMayHold(bytes, length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0, length, anySteps, test));
  }
  if (!any) return undefined;
  const budget = new ProbeBudget();
  const rulesOut: UnwrappedRule = (bytes, length) => {
    if (!budget.read()) return false;
    const ruledOut = tests.some((mayHoldIn) => !mayHoldIn(bytes, length));
    budget.note(ruledOut);
    return ruledOut;
  };
  return protocol === 'compressed' ? compressedRulePrefilter(rulesOut) : base64RulePrefilter(rulesOut);
}
