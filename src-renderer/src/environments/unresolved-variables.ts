/**
 * What the connection form would be refused for before anything is sent: each `{{…}}` of the
 * URL, header values, subprotocols, origin and the way out (a manual proxy's URL, a PAC URL, the
 * proxy user name and domain) that the chosen environment does not define, or
 * that is not a variable at all. The same parser as the engine's (shared/builtin-variables.ts),
 * so the form names what the engine would name; the engine still decides (core/variables/).
 */
import { hasTemplate, parseTemplate } from '../../../src-main/shared/builtin-variables';
import type { ConnectionDraft } from '../connection-form/connection-draft';

export interface VariableProblem {
  /** The field in words: "the URL", "header X-Api-Key", "subprotocol 2", "the origin". */
  field: string;
  /** The contract's path of the field (`options.url`), as the engine's refusal names it. */
  path: string;
  message: string;
}

type Fields = Pick<ConnectionDraft, 'url' | 'headers' | 'subprotocols' | 'origin'> &
  Partial<Pick<ConnectionDraft, 'proxyMode' | 'proxyUrl' | 'pacKind' | 'pacLocation' | 'proxyUsername' | 'proxyDomain'>>;

/**
 * The problems of `draft` with the variables `names` (null: no environment chosen). A text
 * without `{{` is never a problem here.
 */
export function unresolvedVariables(draft: Fields, names: ReadonlySet<string> | null, environmentName: string | null): VariableProblem[] {
  const fields: { field: string; path: string; text: string }[] = [{ field: 'the URL', path: 'options.url', text: draft.url }];
  draft.headers.forEach((header, index) => {
    if (header.name.trim() !== '') fields.push({ field: `header ${header.name}`, path: `options.headers.${index}.value`, text: header.value });
  });
  draft.subprotocols.forEach((text, index) => fields.push({ field: `subprotocol ${index + 1}`, path: `options.subprotocols.${index}`, text }));
  fields.push({ field: 'the origin', path: 'options.origin', text: draft.origin });
  // The way out, as the engine fills it (core/variables/resolve-variables.ts wayOutFieldsOf).
  if (draft.proxyMode === 'manual') fields.push({ field: 'the proxy URL', path: 'options.proxy.url', text: draft.proxyUrl ?? '' });
  if (draft.proxyMode === 'pac' && draft.pacKind === 'location' && /^https?:\/\//i.test((draft.pacLocation ?? '').trim())) {
    fields.push({ field: 'the PAC URL', path: 'options.proxy.source.url', text: draft.pacLocation ?? '' });
  }
  if ((draft.proxyUsername ?? '') !== '') {
    // A manual proxy carries its user name in the proxy setting, the other modes as the sign-in's.
    const manual = draft.proxyMode === 'manual';
    fields.push({ field: 'the proxy user name', path: manual ? 'options.proxy.username' : 'options.proxyAuth.username', text: draft.proxyUsername ?? '' });
    if (!manual) fields.push({ field: 'the proxy sign-in domain', path: 'options.proxyAuth.domain', text: draft.proxyDomain ?? '' });
  }
  const problems: VariableProblem[] = [];
  for (const { field, path, text } of fields) {
    if (!hasTemplate(text)) continue;
    const parsed = parseTemplate(text);
    if (!parsed.ok) {
      problems.push({ field, path, message: parsed.error });
      continue;
    }
    for (const name of parsed.template.variables) {
      if (names?.has(name)) continue;
      const where = environmentName === null ? 'no environment is chosen' : `the environment "${environmentName}" does not define it`;
      problems.push({ field, path, message: `{{${name}}} is unknown: ${where}` });
    }
  }
  return problems;
}
