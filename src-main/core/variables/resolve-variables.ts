/**
 * Where `{{variables}}` and built-ins become values: the one place every host's connection
 * and message goes through (the engine calls it for session:open and session:send), so the
 * app, the web host and the CLI fill them in the same way. Templates are parsed by
 * shared/builtin-variables.ts (the renderer checks what is typed with the same parser).
 *
 * - A connection's URL, header values, subprotocols and origin, and its way out (a manual proxy's
 *   URL, a PAC URL, the proxy user name and domain) are filled in once, when the session opens
 *   (an intercept run with a profile: the way out, when it starts); built-ins take their value then. An error names the variable and the
 *   field, and nothing is sent.
 * - After filling in, each field is checked again as the contract checks it (a value must not
 *   turn a header into two, or the URL into another parser's URL).
 * - A message is filled in at each send (its built-ins differ per send). A secret variable is
 *   refused in a message: the log shows every frame as it went over the wire.
 */
import { hasTemplate, parseTemplate, renderTemplate, type BuiltinSources, type BuiltinTemplate, type Template } from '../../shared/builtin-variables';
import { endpointUrlProblem } from '../../shared/endpoint-url';
import { headerSchema, SUBPROTOCOL_TOKEN, type ConnectionOptions } from '../../shared/model';
import { fail, ok, type Result } from '../../shared/result';
import type { VariableSet } from './variable-set';
import { PLAIN_ISSUE_WORDS } from '../../shared/zod-words';

export interface ResolvedConnection {
  options: ConnectionOptions;
  /** The values of the secret (and redacted) variables used: the session redacts them. */
  secretValues: string[];
}

interface Field {
  /** In the contract's terms (`options.headers.1.value`), for the form to point at. */
  path: string;
  /** In words (`header X-Api-Key`). */
  label: string;
  text: string;
  /** What the contract says of the filled-in value; undefined when it is fine. */
  check: (value: string) => string | undefined;
}

const headerValueProblem = (value: string): string | undefined => {
  const parsed = headerSchema.shape.value.safeParse(value, PLAIN_ISSUE_WORDS);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
};

const plainTextProblem = (value: string): string | undefined => (/[\u0000-\u001f\u007f]/.test(value) ? 'a control character (such as a line break) is not allowed' : undefined);

/**
 * The way out: a manual proxy's URL, a PAC URL, the proxy sign-in's user name and NTLM domain
 * (not its password, which may hold `{{` as typed). An intercept run with a profile takes only these.
 */
function wayOutFieldsOf(options: ConnectionOptions): Field[] {
  const fields: Field[] = [];
  const { proxy, proxyAuth } = options;
  if (proxy.mode === 'manual') {
    fields.push({ path: 'options.proxy.url', label: 'the proxy URL', text: proxy.url, check: (value) => endpointUrlProblem(value, 'proxy') });
    // A tab's manual proxy carries its user name here (a profile's goes to proxyAuth).
    if (proxy.username !== undefined) fields.push({ path: 'options.proxy.username', label: 'the proxy user name', text: proxy.username, check: plainTextProblem });
  }
  if (proxy.mode === 'pac' && proxy.source.kind === 'url') {
    fields.push({ path: 'options.proxy.source.url', label: 'the PAC URL', text: proxy.source.url, check: (value) => (/^file:/i.test(value) ? undefined : endpointUrlProblem(value, 'pac')) });
  }
  if (proxyAuth) {
    fields.push({ path: 'options.proxyAuth.username', label: 'the proxy user name', text: proxyAuth.username, check: plainTextProblem });
    if (proxyAuth.domain !== undefined) fields.push({ path: 'options.proxyAuth.domain', label: 'the proxy sign-in domain', text: proxyAuth.domain, check: plainTextProblem });
  }
  return fields;
}

function fieldsOf(options: ConnectionOptions): Field[] {
  const fields: Field[] = [{ path: 'options.url', label: 'the URL', text: options.url, check: (value) => endpointUrlProblem(value, 'server') }];
  options.headers.forEach((header, index) => {
    fields.push({ path: `options.headers.${index}.value`, label: `header ${header.name}`, text: header.value, check: headerValueProblem });
  });
  options.subprotocols.forEach((subprotocol, index) => {
    fields.push({
      path: `options.subprotocols.${index}`,
      label: `subprotocol ${index + 1}`,
      text: subprotocol,
      check: (value) => (SUBPROTOCOL_TOKEN.test(value) ? undefined : 'a subprotocol is a token: letters, digits and !#$%&\'*+-.^_`|~'),
    });
  });
  if (options.origin !== undefined) fields.push({ path: 'options.origin', label: 'the origin', text: options.origin, check: headerValueProblem });
  return [...fields, ...wayOutFieldsOf(options)];
}

/** Fills one text in, or says what is wrong in `label`'s words. */
function fillText(
  text: string,
  label: string,
  variables: VariableSet,
  sources: BuiltinSources,
  used: Set<string>,
): { ok: true; value: string } | { ok: false; message: string } {
  const parsed = parseTemplate(text);
  if (!parsed.ok) return { ok: false, message: `${label}: ${parsed.error}` };
  const values = new Map<string, string>();
  for (const name of parsed.template.variables) {
    const found = variables.get(name);
    if (found === undefined) return { ok: false, message: `${label}: {{${name}}} ${variables.missing()}` };
    values.set(name, found.value);
    if (found.secret || found.redacted === true) used.add(found.value);
  }
  return { ok: true, value: renderTemplate(parsed.template, values, 1, sources) };
}

/** The options with every `{{…}}` filled in, or an INVALID_ARGUMENT naming the variable and the field. */
export function resolveConnection(options: ConnectionOptions, variables: VariableSet, sources: BuiltinSources): Result<ResolvedConnection> {
  return resolveFields(options, fieldsOf(options), variables, sources);
}

/**
 * Only the way out filled in (`intercept --profile`, the Intercept page's profile): the same
 * variables, words and checks as a connection with the profile, for the fields the run uses
 * (the profile's URL and headers are the client's own there, so their variables are not asked for).
 */
export function resolveWayOut(options: ConnectionOptions, variables: VariableSet, sources: BuiltinSources): Result<ResolvedConnection> {
  return resolveFields(options, wayOutFieldsOf(options), variables, sources);
}

function resolveFields(options: ConnectionOptions, fields: readonly Field[], variables: VariableSet, sources: BuiltinSources): Result<ResolvedConnection> {
  const used = new Set<string>();
  const filled = new Map<string, string>();
  for (const field of fields) {
    if (!hasTemplate(field.text)) continue;
    const result = fillText(field.text, field.label, variables, sources, used);
    if (!result.ok) return fail('INVALID_ARGUMENT', `${result.message}; nothing was sent`, field.path);
    const problem = field.check(result.value);
    if (problem !== undefined) {
      return fail('INVALID_ARGUMENT', `${field.label}, once its variables were filled in: ${problem}; nothing was sent`, field.path);
    }
    filled.set(field.path, result.value);
  }
  if (filled.size === 0) return ok({ options, secretValues: [] });
  const at = (path: string, original: string): string => filled.get(path) ?? original;
  return ok({
    options: {
      ...options,
      url: at('options.url', options.url),
      headers: options.headers.map((header, index) => ({ ...header, value: at(`options.headers.${index}.value`, header.value) })),
      subprotocols: options.subprotocols.map((subprotocol, index) => at(`options.subprotocols.${index}`, subprotocol)),
      ...(options.origin !== undefined ? { origin: at('options.origin', options.origin) } : {}),
      proxy: filledProxy(options.proxy, at),
      ...(options.proxyAuth
        ? {
            proxyAuth: {
              ...options.proxyAuth,
              username: at('options.proxyAuth.username', options.proxyAuth.username),
              ...(options.proxyAuth.domain !== undefined ? { domain: at('options.proxyAuth.domain', options.proxyAuth.domain) } : {}),
            },
          }
        : {}),
    },
    secretValues: [...used],
  });
}

function filledProxy(proxy: ConnectionOptions['proxy'], at: (path: string, original: string) => string): ConnectionOptions['proxy'] {
  if (proxy.mode === 'manual') {
    return { ...proxy, url: at('options.proxy.url', proxy.url), ...(proxy.username !== undefined ? { username: at('options.proxy.username', proxy.username) } : {}) };
  }
  if (proxy.mode === 'pac' && proxy.source.kind === 'url') return { ...proxy, source: { ...proxy.source, url: at('options.proxy.source.url', proxy.source.url) } };
  return proxy;
}

/**
 * A message body with its variables filled in and its built-ins left for each send (a
 * SendRepeat renders them), or an error naming what is wrong. A secret variable is refused.
 */
export function resolveMessage(body: string, variables: VariableSet): { ok: true; template: BuiltinTemplate } | { ok: false; error: string } {
  const parsed = parseTemplate(body);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const template: Template = parsed.template;
  for (const name of template.variables) {
    const found = variables.get(name);
    if (found === undefined) return { ok: false, error: `{{${name}}} ${variables.missing()}` };
    if (found.secret) {
      return { ok: false, error: `{{${name}}} is a secret variable: secrets are not put into messages, since the log shows every frame as it was sent` };
    }
  }
  const parts: BuiltinTemplate['parts'][number][] = [];
  for (const part of template.parts) {
    if (typeof part !== 'string' && 'builtin' in part) {
      parts.push({ builtin: part.builtin });
      continue;
    }
    const text = typeof part === 'string' ? part : (variables.get(part.variable)?.value ?? '');
    const last = parts.at(-1);
    if (typeof last === 'string') parts[parts.length - 1] = `${last}${text}`;
    else parts.push(text);
  }
  return { ok: true, template: { parts, dynamic: parts.some((part) => typeof part !== 'string') } };
}
