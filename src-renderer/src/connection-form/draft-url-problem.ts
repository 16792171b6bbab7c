/**
 * The connection form's URLs checked with the engine's own parser (shared/endpoint-url.ts)
 * before anything is sent: port 0, a zone id or a URL two parsers read differently is shown
 * next to its field at once, in the words and at the place the engine's refusal would use.
 */
import { endpointUrlProblem } from '../../../src-main/shared/endpoint-url';
import { hasTemplate } from '../../../src-main/shared/builtin-variables';
import { wsUrlTemplateSchema } from '../../../src-main/shared/model';
import type { ConnectionDraft } from './connection-draft';

export interface DraftUrlProblem {
  /** The contract's argument path of session:open (`options.url`, `options.proxy.url` …). */
  path: string;
  message: string;
}

function templateUrlProblem(url: string): string | undefined {
  const checked = wsUrlTemplateSchema.safeParse(url);
  return checked.success ? undefined : checked.error.issues[0]?.message;
}

/** The first URL of the draft that the engine would refuse, or null. Empty fields are the contract's to name. */
export function draftUrlProblem(draft: ConnectionDraft): DraftUrlProblem | null {
  const url = draft.url.trim();
  // A URL with {{variables}} is checked for its template here, and whole by the engine once filled in.
  const server = url === '' ? undefined : hasTemplate(url) ? templateUrlProblem(url) : endpointUrlProblem(url, 'server');
  if (server !== undefined) return { path: 'options.url', message: server };
  if (draft.proxyMode === 'manual' && draft.proxyUrl.trim() !== '') {
    const proxy = endpointUrlProblem(draft.proxyUrl.trim(), 'proxy');
    if (proxy !== undefined) return { path: 'options.proxy.url', message: proxy };
  }
  const pac = draft.pacLocation.trim();
  // Only an http(s) location is a URL: anything else is sent as a file path (see draftProxySetting).
  if (draft.proxyMode === 'pac' && draft.pacKind === 'location' && /^https?:\/\//i.test(pac)) {
    const problem = endpointUrlProblem(pac, 'pac');
    if (problem !== undefined) return { path: 'options.proxy.source.url', message: problem };
  }
  return null;
}
