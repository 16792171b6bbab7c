/** A proxy decision in words: "via http://proxy:3128" or "direct", then the fallbacks. */
import type { ProxySource } from '../../../src-main/shared/model';

// The routes in words live in shared/ (the CLI's intercept lines say them too).
export { decisionRoute } from '../../../src-main/shared/decision-route';

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
