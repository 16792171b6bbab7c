/**
 * A query search's prefilter for MessagePack, CBOR and Protocol Buffers when the query has no
 * string clause the raw bytes must hold (`$.seq > 999990`, `$.price != 3`, `$.name =~ /^a/`):
 * each clause's path is followed through the message's bytes (value-probe.ts) and the clause
 * tested on what it leads to, with the query's own rules (shared/decoded-query.ts holdsForValue,
 * holdsWhenAbsent: `!=` holds where the path selects nothing, the others do not). A message one
 * clause fails cannot match (clauses join with &&), so the walk passes over it undecoded; the
 * formats keep nothing between messages, so the decoder is as it was. A clause the probe is
 * UNSURE about decides nothing: the message is decoded when no other clause rules it out.
 * Clauses with a `$` name are not probed; a query with a `[*]` clause whose literal is not a
 * string (`$.data[*] > 9990`) takes any-step-probe.ts's prefilter, which probes its other clauses
 * as here. An empty message is probed too: Protocol
 * Buffers decodes it as {} (which `$.seq != 5` matches). A path that goes on into a string that
 * may hold JSON text is UNSURE there (value-probe.ts pastString): the message is decoded.
 */
import type protobuf from 'protobufjs';
import { holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import type { DecoderName } from './decoded-frame';
import { probeCbor } from './cbor-probe';
import { probeMsgpack } from './msgpack-probe';
import { ProbeBudget } from './probe-budget';
import { base64RulePrefilter } from './base64-prefilter';
import { compressedRulePrefilter, type UnwrappedRule } from './compressed-prefilter';
import { UNWRAPPED_VALUE_KEYS, payloadPath, probeUnwrapped } from './payload-probe';
import { protobufProbe, type MessageProbe } from './protobuf-probe';
import { anyStepProbePrefilter } from './any-step-probe';
import { lacksPrefilter, type RawPrefilter } from './raw-prefilter';
import { mayHold, probeSteps, type ProbeStep } from './value-probe';

interface ProbedClause {
  readonly steps: readonly ProbeStep[];
  readonly test: QueryClause['test'];
}

/**
 * The probe prefilter for this query, or undefined: another protocol, Protocol Buffers by type
 * rules, no clause a probe follows, or (Protocol Buffers, where the answer does not depend on the
 * bytes) no clause it rules out.
 */
export function queryProbePrefilter(protocol: DecoderName, query: DecodedQuery, protobufType: 'none' | 'rules' | protobuf.Type): RawPrefilter | undefined {
  // A `[*]` clause without a string literal, with the query's other clauses (any-step-probe.ts).
  const anyStep = anyStepProbePrefilter(protocol, query, protobufType);
  if (anyStep) return anyStep;
  const clauses: ProbedClause[] = [];
  for (const clause of query.clauses) {
    const steps = probeSteps(clause.path);
    if (steps) clauses.push({ steps, test: clause.test });
  }
  if (clauses.length === 0) return undefined;
  if (protocol === 'protobuf') {
    if (protobufType === 'rules') return undefined;
    return protobufPrefilter(clauses, protobufType === 'none' ? undefined : protobufType);
  }
  if (protocol === 'compressed' || protocol === 'base64') return unwrappedPrefilter(protocol, clauses);
  const probe = protocol === 'msgpack' ? probeMsgpack : protocol === 'cbor' ? probeCbor : undefined;
  if (!probe) return undefined;
  return probePrefilter((slab, start, end) => clauses.some(({ steps, test }) => !mayHold(probe(slab, start, end, steps), test)));
}

/**
 * Compressed and Base64 payloads: the clauses under `$.payload`, followed in the bytes their
 * decoders unwrap (payload-probe.ts; compressed-prefilter.ts and base64-prefilter.ts unwrap them
 * as the decoders do). Other paths (`$.compression`, `$.size`, …) are not probed.
 */
function unwrappedPrefilter(protocol: 'compressed' | 'base64', clauses: readonly ProbedClause[]): RawPrefilter | undefined {
  // A path into a name the decoder never writes at the top selects nothing in any message.
  const neverThere = clauses.some(({ steps: [first], test }) => first !== undefined && !(first.kind === 'key' && UNWRAPPED_VALUE_KEYS[protocol].includes(first.name)) && !holdsWhenAbsent(test));
  if (neverThere) return lacksPrefilter(() => true);
  const underPayload = clauses.flatMap(({ steps, test }) => {
    const [first, ...rest] = steps;
    return first?.kind === 'key' && first.name === 'payload' ? [{ path: payloadPath(rest, !holdsWhenAbsent(test)), test }] : [];
  });
  if (underPayload.length === 0) return undefined;
  // Read while it rules out enough (probe-budget.ts): a query most messages match is then left to
  // the match proof, which unwraps the message once with the rule (unwrapped-payload.ts).
  const budget = new ProbeBudget();
  const rulesOut: UnwrappedRule = (bytes, length) => {
    if (!budget.read()) return false;
    const ruledOut = underPayload.some(({ path, test }) => !mayHold(probeUnwrapped(bytes, length, path), test));
    budget.note(ruledOut);
    return ruledOut;
  };
  return protocol === 'compressed' ? compressedRulePrefilter(rulesOut) : base64RulePrefilter(rulesOut);
}

/**
 * Protocol Buffers: a clause whose answer is the same for every valid message and fails rules
 * every message out; clauses read from the bytes (a schema's singular fields) rule out messages
 * one by one; otherwise none.
 */
function protobufPrefilter(clauses: readonly ProbedClause[], type: protobuf.Type | undefined): RawPrefilter | undefined {
  const read: { probe: MessageProbe; test: QueryClause['test'] }[] = [];
  for (const { steps, test } of clauses) {
    const probe = protobufProbe(steps, type);
    if ('constant' in probe) {
      if (!mayHold(probe.constant, test)) return lacksPrefilter(() => true);
    } else read.push({ probe: probe.read, test });
  }
  if (read.length === 0) return undefined;
  return probePrefilter((slab, start, end) => read.some(({ probe, test }) => !mayHold(probe(slab, start, end), test)));
}

/**
 * A stateless rule that reads each message itself, an empty one too (the scan asks `selfContained`
 * alone of it, `lacks` of the others), fewer of them while it rules out few (probe-budget.ts).
 */
function probePrefilter(cannotMatch: (slab: Buffer, start: number, end: number) => boolean): RawPrefilter {
  const budget = new ProbeBudget();
  const lacks = (slab: Buffer, start: number, end: number): boolean => {
    if (!budget.read()) return false;
    const ruledOut = cannotMatch(slab, start, end);
    budget.note(ruledOut);
    return ruledOut;
  };
  return { kind: 'self-contained', needles: [], stateless: true, selfContained: (slab, start, end) => end > start || lacks(slab, start, end), lacks };
}
