/**
 * A query search's prefilter for MessagePack, CBOR and Protocol Buffers when the query has no
 * string clause the raw bytes must hold (`$.seq > 999990`, `$.price != 3`, `$.name =~ /^a/`):
 * each clause's path is followed through the message's bytes (value-probe.ts) and the clause
 * tested on what it leads to, with the query's own rules (shared/decoded-query.ts holdsForValue,
 * holdsWhenAbsent: `!=` holds where the path selects nothing, the others do not). A message one
 * clause fails cannot match (clauses join with &&), so the walk passes over it undecoded; the
 * formats keep nothing between messages, so the decoder is as it was. A clause the probe is
 * UNSURE about decides nothing: the message is decoded when no other clause rules it out.
 * Clauses with `[*]` or a `$` name are not probed. An empty message is passed over unread: it is
 * not valid MessagePack or CBOR, and Protocol Buffers' {} fails a clause that every valid message fails.
 */
import type protobuf from 'protobufjs';
import { holdsForValue, holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import type { DecoderName } from './decoded-frame';
import { probeCbor } from './cbor-probe';
import { probeMsgpack } from './msgpack-probe';
import { protobufRootProbe } from './protobuf-probe';
import { lacksPrefilter, type RawPrefilter } from './raw-prefilter';
import { ABSENT, UNSURE, probeSteps, type ProbeStep, type Probed } from './value-probe';

interface ProbedClause {
  readonly steps: readonly ProbeStep[];
  readonly test: QueryClause['test'];
}

/** Whether a clause holds for what its path led to (UNSURE: it may). */
function mayHold(found: Probed, test: QueryClause['test']): boolean {
  if (found === UNSURE) return true;
  if (found === ABSENT) return holdsWhenAbsent(test);
  return holdsForValue(test, found);
}

/**
 * The probe prefilter for this query, or undefined: another protocol, Protocol Buffers by type
 * rules, no clause a probe follows, or (Protocol Buffers, where the answer does not depend on the
 * bytes) no clause it rules out.
 */
export function queryProbePrefilter(protocol: DecoderName, query: DecodedQuery, protobufType: 'none' | 'rules' | protobuf.Type): RawPrefilter | undefined {
  const clauses: ProbedClause[] = [];
  for (const clause of query.clauses) {
    const steps = probeSteps(clause.path);
    if (steps) clauses.push({ steps, test: clause.test });
  }
  if (clauses.length === 0) return undefined;
  if (protocol === 'protobuf') {
    if (protobufType === 'rules') return undefined;
    const type = protobufType === 'none' ? undefined : protobufType;
    // Every valid message answers alike: either some clause fails for all of them, or the probe rules none out.
    const never = clauses.some(({ steps, test }) => !mayHold(protobufRootProbe(steps, type), test));
    return never ? lacksPrefilter(() => true) : undefined;
  }
  const probe = protocol === 'msgpack' ? probeMsgpack : protocol === 'cbor' ? probeCbor : undefined;
  if (!probe) return undefined;
  return lacksPrefilter((slab, start, end) => clauses.some(({ steps, test }) => !mayHold(probe(slab, start, end, steps), test)));
}
