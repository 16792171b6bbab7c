/** A proxy decision in words: "via http://proxy:3128" or "direct", then the fallbacks. */
import type { ProxyCandidate, ProxyDecision, ProxySource } from '../../../src-main/shared/model';

function candidateText(candidate: ProxyCandidate): string {
  if (candidate.protocol === 'direct') return 'direct';
  return candidate.hasCredentials ? `${candidate.url} (with credentials)` : candidate.url;
}

/** "via http://proxy:3128", "direct", "via http://a:3128, then direct". */
export function decisionRoute(decision: ProxyDecision): string {
  const [first, ...rest] = decision.candidates;
  if (!first) return 'direct';
  const head = first.protocol === 'direct' ? 'direct' : `via ${candidateText(first)}`;
  return rest.length === 0 ? head : `${head}, then ${rest.map(candidateText).join(', then ')}`;
}

const SOURCE_NAMES: Record<ProxySource, string> = {
  none: 'no proxy',
  manual: 'manual setting',
  pac: 'PAC script',
  system: 'system settings',
  env: 'environment',
};

/** Which setting decided, in words ("environment", "PAC script" …). */
export function decisionSourceName(source: ProxySource): string {
  return SOURCE_NAMES[source];
}
