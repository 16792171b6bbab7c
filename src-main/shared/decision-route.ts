/**
 * A proxy decision's routes in words — "via http://proxy:3128", "direct", "via http://a:3128,
 * then direct" — for the app (its decision lines, the Intercept rows) and the CLI's intercept
 * lines alike. The candidates carry no credentials, only whether there are some.
 */
import type { ProxyCandidate, ProxyDecision } from './model';

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
