/**
 * Export and import files:
 * `{ "format": "tunnelscope-profiles", "version": 2, "exportedAt", "containsSecrets", "profiles": [...] }`.
 *
 * Exports leave every secret out unless the caller asks for them, and then say so in a
 * warning. Imports are checked completely before anything is stored, and every problem is
 * reported with the place it was found (`profiles[2].proxy.url: …`, or the line and column of
 * a JSON syntax error); one problem means nothing is imported.
 */
import type { TransferProblem } from '../../shared/profiles';
import { describeJsonSyntaxError, parseJsonText } from './json-syntax';
import { readExportProfile } from './migrations';
import { proxyUrlProblem, urlCredentialProblems } from './profile-build';
import { CURRENT_VERSION, EXPORT_FORMAT, exportEnvironmentSchema, type ExportEnvironment, type ExportProfile, type StoredEnvironment, type StoredProfile } from './profile-schema';
import { problemsFromZod } from './zod-problems';
import { environmentPartProblems, profilePartProblems } from './import-part-checks';
import { formatPath } from './zod-problems';
import { passwordInUrl, withoutUrlPassword } from '../../shared/url-password';
import { headerIsSecret } from '../../shared/secret-headers';
import type { SecretEnvelope } from '../secrets/secret-store';
import { PLAIN_ISSUE_WORDS } from '../../shared/zod-words';
import { formatBytes } from '../../shared/format-bytes';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const MAX_IMPORT_PROFILES = 5000;

const SECRETS_EXPORT_WARNING =
  'This export holds passwords (of the proxy, and of the server and PAC URLs), secret header values, secret variables and key passphrases in clear text: anyone who gets the file can read them. Keep it private and delete it when done.';
const MAX_IMPORT_ENVIRONMENTS = 200;

// ---------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------

export interface ExportOptions {
  includeSecrets: boolean;
  /** Throws (SecretError) when a secret cannot be decrypted; that secret is then left out, with a warning. */
  decrypt: (envelope: SecretEnvelope) => string;
  now: number;
}

export interface ExportOutput {
  text: string;
  count: number;
  containsSecrets: boolean;
  warnings: string[];
}

/** The profiles, and the environments (every one: they are shared by all profiles); secrets only when asked for. */
export function exportProfiles(profiles: readonly StoredProfile[], options: ExportOptions, environments: readonly StoredEnvironment[] = []): ExportOutput {
  const warnings: string[] = [];
  let leftOut = 0;
  let included = 0;
  const secret = (envelope: SecretEnvelope | undefined, what: string, profile: { name: string }): string | undefined => {
    if (envelope === undefined) return undefined;
    if (!options.includeSecrets) {
      leftOut += 1;
      return undefined;
    }
    try {
      const text = options.decrypt(envelope);
      included += 1;
      return text;
    } catch (error) {
      warnings.push(`${what} of "${profile.name}" could not be decrypted and was left out (${error instanceof Error ? error.message : String(error)}).`);
      return undefined;
    }
  };

  /** A secret still in clear in profiles.json (a file from before it counted as one): left out unless asked for. */
  const clearSecret = (text: string): string | undefined => {
    if (!options.includeSecrets) {
      leftOut += 1;
      return undefined;
    }
    included += 1;
    return text;
  };

  /** A URL password: stored encrypted, or still in clear in the URL (a file from before they were moved out). */
  const urlSecret = (url: string, envelope: SecretEnvelope | undefined, what: string, profile: StoredProfile): { url: string; password?: string } => {
    const clear = passwordInUrl(url);
    const shown = withoutUrlPassword(url);
    if (clear === undefined) {
      const password = secret(envelope, what, profile);
      return password === undefined ? { url: shown } : { url: shown, password };
    }
    if (!options.includeSecrets) {
      leftOut += 1;
      return { url: shown };
    }
    included += 1;
    return { url: shown, password: clear };
  };

  const out = profiles.map((profile): ExportProfile => {
    const password = secret(profile.proxy.password, 'The proxy password', profile);
    const passphrase = secret(profile.tls.passphrase, 'The client key passphrase', profile);
    const server = urlSecret(profile.url, profile.urlPassword, 'The server URL password', profile);
    const { pac } = profile.proxy;
    const pacUrl = pac?.kind === 'url' ? urlSecret(pac.url, profile.proxy.pacPassword, 'The PAC URL password', profile) : undefined;
    const { password: _p, pacPassword: _pp, ...proxy } = profile.proxy;
    const { passphrase: _k, ...tls } = profile.tls;
    return {
      name: profile.name,
      url: server.url,
      ...(server.password !== undefined ? { urlPassword: server.password } : {}),
      headers: profile.headers.map((header) => {
        // One rule (shared/secret-headers.ts): a credential-like header is secret unless the user said not.
        if (!header.secret && !headerIsSecret(header)) {
          return { name: header.name, secret: false, value: header.value, ...(header.plainByChoice === true ? { plainByChoice: true as const } : {}) };
        }
        const value = header.secret ? secret(header.value, `The value of header ${header.name}`, profile) : clearSecret(header.value);
        return value === undefined ? { name: header.name, secret: true } : { name: header.name, secret: true, value };
      }),
      subprotocols: profile.subprotocols,
      ...(profile.origin !== undefined ? { origin: profile.origin } : {}),
      proxy: {
        ...proxy,
        ...(password !== undefined ? { password } : {}),
        ...(pacUrl !== undefined ? { pac: { kind: 'url' as const, url: pacUrl.url } } : {}),
        ...(pacUrl?.password !== undefined ? { pacPassword: pacUrl.password } : {}),
      },
      tls: { ...tls, ...(passphrase !== undefined ? { passphrase } : {}) },
      handshakeTimeoutMs: profile.handshakeTimeoutMs,
      ...(profile.timeouts !== undefined ? { timeouts: profile.timeouts } : {}),
      ...(profile.reconnect !== undefined ? { reconnect: profile.reconnect } : {}),
      ...(profile.history !== undefined ? { history: profile.history } : {}),
      ...(profile.keepalive !== undefined ? { keepalive: profile.keepalive } : {}),
    ...(profile.engineioHeartbeat !== undefined ? { engineioHeartbeat: profile.engineioHeartbeat } : {}),
    ...(profile.mqttKeepalive !== undefined ? { mqttKeepalive: profile.mqttKeepalive } : {}),
      ...(profile.decode !== undefined ? { decode: profile.decode } : {}),
      ...(profile.decodeProtobuf !== undefined ? { decodeProtobuf: profile.decodeProtobuf } : {}),
      ...(profile.interceptPassthrough !== undefined ? { interceptPassthrough: profile.interceptPassthrough } : {}),
      savedMessages: profile.savedMessages.map(({ name, kind, body }) => ({ name, kind, body })),
    };
  });

  const environmentsOut = environments.map((environment): ExportEnvironment => ({
    name: environment.name,
    variables: environment.variables.map((variable) => {
      if (!variable.secret) return { name: variable.name, secret: false, value: variable.value };
      const value = secret(variable.value, `The secret variable ${variable.name}`, { name: `environment ${environment.name}` });
      return value === undefined ? { name: variable.name, secret: true } : { name: variable.name, secret: true, value };
    }),
  }));

  const containsSecrets = included > 0;
  if (containsSecrets) warnings.unshift(SECRETS_EXPORT_WARNING);
  if (leftOut > 0) warnings.push(`${leftOut} secret(s) were left out of the export; enter them again after importing.`);
  const file = {
    format: EXPORT_FORMAT,
    version: CURRENT_VERSION,
    exportedAt: new Date(options.now).toISOString(),
    containsSecrets,
    profiles: out,
    ...(environmentsOut.length > 0 ? { environments: environmentsOut } : {}),
  };
  return { text: `${JSON.stringify(file, null, 2)}\n`, count: out.length, containsSecrets, warnings };
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

export type ImportParse = { ok: true; profiles: ExportProfile[]; environments: ExportEnvironment[]; containsSecrets: boolean } | { ok: false; problems: TransferProblem[] };

/** Checks a whole import file and returns its profiles, or every problem found. */
export function parseImportText(text: string): ImportParse {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_IMPORT_BYTES) {
    return fail({ path: '', message: `the file is ${formatBytes(bytes)} (${bytes} bytes); the largest import accepted is ${formatBytes(MAX_IMPORT_BYTES)}` });
  }
  if (text.trim() === '') return fail({ path: '', message: 'the file is empty' });
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { error } = parsed;
    return fail({ path: '', message: `not valid JSON (${describeJsonSyntaxError(error)})`, line: error.line, column: error.column });
  }
  const raw = parsed.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail({ path: '', message: 'the file does not hold a JSON object; a Tunnelscope export starts with {"format": "tunnelscope-profiles", …' });
  }

  const problems: TransferProblem[] = [];
  const format = 'format' in raw ? raw.format : undefined;
  if (format !== EXPORT_FORMAT) {
    if (format === undefined && 'revision' in raw && 'profiles' in raw) {
      return fail({
        path: '',
        message:
          'this is a profiles.json data file, not an export: its secrets are encrypted for the installation that wrote it. ' +
          'Export the profiles from that Tunnelscope (profiles export) and import that file.',
      });
    }
    problems.push({ path: 'format', message: `must be "${EXPORT_FORMAT}" (this is not a Tunnelscope profile export)` });
  }
  const version = 'version' in raw ? raw.version : undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    problems.push({ path: 'version', message: version === undefined ? 'is missing (expected the format version, a whole number)' : 'must be a whole number from 1 up' });
  } else if (version > CURRENT_VERSION) {
    return fail({
      path: 'version',
      message: `the file was made by a newer Tunnelscope (format ${version}; this version reads up to ${CURRENT_VERSION}): update Tunnelscope to import it`,
    });
  }
  const list = 'profiles' in raw ? raw.profiles : undefined;
  if (!Array.isArray(list)) {
    problems.push({ path: 'profiles', message: list === undefined ? 'is missing (expected a list of profiles)' : 'must be a list of profiles' });
    return fail(...problems);
  }
  // Past here the profiles can be read: problems of the lists below do not hide theirs.
  if (typeof version !== 'number' || problems.length > 0) return fail(...problems);
  const environmentList = 'environments' in raw ? raw.environments : undefined;
  if (environmentList !== undefined && !Array.isArray(environmentList)) problems.push({ path: 'environments', message: 'must be a list of environments' });
  const environmentEntries: unknown[] = Array.isArray(environmentList) ? environmentList : [];
  if (environmentEntries.length > MAX_IMPORT_ENVIRONMENTS) problems.push({ path: 'environments', message: `holds ${environmentEntries.length} environments; at most ${MAX_IMPORT_ENVIRONMENTS} are imported at once` });
  if (list.length === 0 && environmentEntries.length === 0) problems.push({ path: 'profiles', message: 'the list is empty: there is nothing to import' });
  if (list.length > MAX_IMPORT_PROFILES) return fail(...problems, { path: 'profiles', message: `holds ${list.length} profiles; at most ${MAX_IMPORT_PROFILES} are imported at once` });

  const profiles: ExportProfile[] = [];
  list.forEach((entry: unknown, index) => {
    const read = readExportProfile(version, entry, ['profiles', index]);
    if (!read.ok) {
      // The schema's problems, and those of the checks it left out, on the parts it accepted.
      problems.push(...read.problems, ...profilePartProblems(version, entry, ['profiles', index]));
      return;
    }
    const urlProblem = proxyUrlProblem(read.profile);
    if (urlProblem) problems.push({ path: formatPath(['profiles', index, ...urlProblem.at]), message: urlProblem.message });
    for (const problem of urlCredentialProblems(read.profile)) problems.push({ path: formatPath(['profiles', index, ...problem.at]), message: problem.message });
    profiles.push(read.profile);
  });
  const environments: ExportEnvironment[] = [];
  environmentEntries.forEach((entry, index) => {
    const read = exportEnvironmentSchema.safeParse(entry, PLAIN_ISSUE_WORDS);
    if (read.success) environments.push(read.data);
    else problems.push(...problemsFromZod(read.error, ['environments', index]), ...environmentPartProblems(entry, ['environments', index]));
  });
  if (problems.length > 0) return fail(...withoutRepeats(problems));
  const environmentSecrets = environments.some((environment) => environment.variables.some((variable) => variable.secret && variable.value !== undefined));
  return { ok: true, profiles, environments, containsSecrets: environmentSecrets || profiles.some(hasSecret) };
}

function hasSecret(profile: ExportProfile): boolean {
  return (
    profile.proxy.password !== undefined ||
    profile.tls.passphrase !== undefined ||
    // A credential-like header in clear (an older export) is stored encrypted: it needs the cipher too.
    profile.headers.some((header) => (header.secret ? header.value !== undefined : headerIsSecret(header))) ||
    profile.urlPassword !== undefined ||
    profile.proxy.pacPassword !== undefined ||
    passwordInUrl(profile.url) !== undefined ||
    (profile.proxy.pac?.kind === 'url' && passwordInUrl(profile.proxy.pac.url) !== undefined)
  );
}

/** Each problem once: a part check can find again what the schema found (in the order first found). */
function withoutRepeats(problems: readonly TransferProblem[]): TransferProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function fail(...problems: TransferProblem[]): ImportParse {
  return { ok: false, problems };
}

