/**
 * The Upstream cell of an Intercept row: the way out the connection took, in the words of a
 * session's decision ("direct", "via http://proxy:3128, then direct"), with which setting chose
 * it and why (fallbacks included) as its title. Captured WebSockets and passthrough tunnels both
 * carry the engine's decision; a row without one says why there is none.
 */
import type { InterceptConnection } from '../../../src-main/shared/intercept-proxy';
import { decisionRoute, decisionSourceName } from './decision-text';

export interface UpstreamCell {
  text: string;
  title: string;
}

export function upstreamCell(connection: InterceptConnection): UpstreamCell {
  const { decision } = connection;
  if (decision) return { text: decisionRoute(decision), title: `${decisionSourceName(decision.source)}: ${decision.reason}` };
  switch (connection.kind) {
    case 'captured':
      return { text: '…', title: 'the way out is being decided' };
    case 'passthrough':
      // The tunnel failed before a way out was decided (e.g. a PAC script that does not run).
      return { text: '—', title: 'no way out was decided: the tunnel failed before' };
    default:
      return { text: '—', title: 'nothing went upstream: the client was answered here' };
  }
}
