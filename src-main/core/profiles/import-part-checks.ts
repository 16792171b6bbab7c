/**
 * The checks of an imported profile or environment that a failed schema check leaves out, run
 * on the parts that are valid on their own, so that one pass reports every problem of a file.
 *
 * zod runs a refinement of an object only once all of its fields are valid (unique item ids,
 * unique variable names), and the proxy URL and URL credential checks run on a profile that
 * passed the schema: a bad `handshakeTimeoutMs` used to hide a bad `proxy.url` until fixed.
 * Problems the schema already reported can come back from here; the caller drops repeats.
 */
import { z } from 'zod';
import { checkUniqueItemIds } from '../../shared/profiles';
import { checkUniqueVariableNames } from '../../shared/environments';
import { PLAIN_ISSUE_WORDS } from '../../shared/zod-words';
import { FieldError } from './field-error';
import { proxyUrlProblem, urlCredentialProblems } from './profile-build';
import { CURRENT_VERSION, exportEnvironmentSchema, exportProfileSchema } from './profile-schema';
import { formatPath, problemsFromZod, type PathSegment } from './zod-problems';
import type { TransferProblem } from '../../shared/profiles';

const profileFields = exportProfileSchema.shape;
const itemIds = z.object({ headers: profileFields.headers, savedMessages: profileFields.savedMessages }).superRefine(checkUniqueItemIds);
const variableNames = z.object({ variables: exportEnvironmentSchema.shape.variables }).superRefine(checkUniqueVariableNames);

function fieldOf(raw: unknown, key: string): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Object.hasOwn(raw, key)) return undefined;
  const value: unknown = Reflect.get(raw, key);
  return value;
}

/**
 * The later checks of a profile (as `raw` holds it in the file, format `version`) that failed the
 * schema, on its parts that pass it. A version 1 profile is left to the schema's problems: its
 * fields are laid out otherwise, and the migration reads it only once it is valid.
 */
export function profilePartProblems(version: number, raw: unknown, at: readonly PathSegment[]): TransferProblem[] {
  if (version !== CURRENT_VERSION) return [];
  const part = <T>(schema: z.ZodType<T>, key: string): T | undefined => {
    const parsed = schema.safeParse(fieldOf(raw, key), PLAIN_ISSUE_WORDS);
    return parsed.success ? parsed.data : undefined;
  };
  const proxy = part(profileFields.proxy, 'proxy');
  const url = part(profileFields.url, 'url');
  const urlPassword = part(profileFields.urlPassword, 'urlPassword');
  const found: FieldError[] = [];
  const proxyProblem = proxy && proxyUrlProblem({ proxy });
  if (proxyProblem) found.push(proxyProblem);
  found.push(...urlCredentialProblems({ ...(url !== undefined ? { url } : {}), ...(urlPassword !== undefined ? { urlPassword } : {}), ...(proxy !== undefined ? { proxy } : {}) }));
  const problems = found.map((problem) => ({ path: formatPath([...at, ...problem.at]), message: problem.message }));
  const ids = itemIds.safeParse({ headers: fieldOf(raw, 'headers') ?? [], savedMessages: fieldOf(raw, 'savedMessages') ?? [] }, PLAIN_ISSUE_WORDS);
  if (!ids.success) problems.push(...problemsFromZod(ids.error, at));
  return problems;
}

/** The same for an environment: its variables' names must be unique even when its name is wrong. */
export function environmentPartProblems(raw: unknown, at: readonly PathSegment[]): TransferProblem[] {
  const names = variableNames.safeParse({ variables: fieldOf(raw, 'variables') ?? [] }, PLAIN_ISSUE_WORDS);
  return names.success ? [] : problemsFromZod(names.error, at);
}
