/**
 * Format versions of profiles.json (and of export files), with a migration from each older
 * version, run on read. A file from a newer Tunnelscope is reported and left alone.
 *
 * Version 1 kept the proxy flat (`proxyMode`, `proxyUrl`, `pacUrl`, `proxyUser`,
 * `proxyPassword`) and TLS flat (`caFiles`, `insecure`, `certFile`, `keyFile`,
 * `keyPassphrase`), had no ids on headers and no saved messages or reconnect setting, and the
 * document had no revision. Version 2 nests `proxy` and `tls` and adds all of that.
 *
 * Each migration works on any secret form (encrypted envelopes in profiles.json, clear text in
 * an export), so one migration serves both.
 */
import { z } from 'zod';
import { headerSchema, pacSourceSchema, connectionOptionsSchema, wsUrlSchema } from '../../shared/model';
import { PROXY_MODES, profileIdSchema, storedProfileNameSchema, type TransferProblem } from '../../shared/profiles';
import { legacyHandshakeTimeoutSchema } from '../../shared/timeouts';
import { secretEnvelopeSchema } from '../secrets/secret-store';
import {
  CURRENT_VERSION,
  exportProfileSchema,
  storedEnvironmentSchema,
  storedProfileSchema,
  type ExportProfile,
  type StoredDocument,
  type StoredEnvironment,
  type StoredProfile,
} from './profile-schema';
import { problemsFromZod, type PathSegment } from './zod-problems';
import { PLAIN_ISSUE_WORDS } from '../../shared/zod-words';

// ---------------------------------------------------------------------------------------
// Version 1
// ---------------------------------------------------------------------------------------

function profileV1FieldsWith<S extends z.ZodType>(secret: S) {
  return {
    // The character rule is the current form's: an import's name meets it there (exportProfileSchema).
    name: storedProfileNameSchema,
    url: wsUrlSchema,
    headers: z
      .array(
        z.union([
          z.object({ name: headerSchema.shape.name, value: headerSchema.shape.value, secret: z.literal(false).optional() }),
          z.object({ name: headerSchema.shape.name, value: secret, secret: z.literal(true) }),
        ]),
      )
      .default([]),
    subprotocols: connectionOptionsSchema.shape.subprotocols,
    origin: connectionOptionsSchema.shape.origin,
    proxyMode: z.enum(PROXY_MODES).default('auto'),
    proxyUrl: z.string().max(2048).optional(),
    pacUrl: z.string().min(1).max(4096).optional(),
    proxyUser: z.string().max(1024).optional(),
    proxyPassword: secret,
    caFiles: z.array(z.string().min(1)).default([]),
    insecure: z.boolean().default(false),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    keyPassphrase: secret,
    handshakeTimeoutMs: legacyHandshakeTimeoutSchema,
  };
}

const storedProfileV1Schema = z.object({
  id: profileIdSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
  ...profileV1FieldsWith(secretEnvelopeSchema.optional()),
});
const exportProfileV1Schema = z.object(profileV1FieldsWith(z.string().max(64 * 1024).optional()));

/** The v1 fields with secrets of type S (envelopes or clear text). */
interface ProfileV1<S> {
  name: string;
  url: string;
  headers: ({ name: string; value: string; secret?: false | undefined } | { name: string; value?: S; secret: true })[];
  subprotocols: string[];
  origin?: string | undefined;
  proxyMode: (typeof PROXY_MODES)[number];
  proxyUrl?: string | undefined;
  pacUrl?: string | undefined;
  proxyUser?: string | undefined;
  proxyPassword?: S;
  caFiles: string[];
  insecure: boolean;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  keyPassphrase?: S;
  handshakeTimeoutMs: number;
}

/** v1 → v2, field by field. Ids are derived from positions so that reading twice gives the same ids. */
function profileFieldsV1ToV2<S>(v1: ProfileV1<S>) {
  return {
    name: v1.name,
    url: v1.url,
    headers: v1.headers.map((header, index) =>
      header.secret === true
        ? { id: `h${index + 1}`, name: header.name, secret: true as const, value: header.value }
        : { id: `h${index + 1}`, name: header.name, secret: false as const, value: header.value },
    ),
    subprotocols: v1.subprotocols,
    ...(v1.origin !== undefined ? { origin: v1.origin } : {}),
    proxy: {
      mode: v1.proxyMode,
      ...(v1.proxyUrl !== undefined ? { url: v1.proxyUrl } : {}),
      ...(v1.pacUrl !== undefined ? { pac: pacFromV1(v1.pacUrl) } : {}),
      ...(v1.proxyUser !== undefined ? { username: v1.proxyUser } : {}),
      password: v1.proxyPassword,
      caFiles: [],
    },
    tls: {
      caFiles: v1.caFiles,
      insecure: v1.insecure,
      ...(v1.certFile !== undefined ? { certFile: v1.certFile } : {}),
      ...(v1.keyFile !== undefined ? { keyFile: v1.keyFile } : {}),
      passphrase: v1.keyPassphrase,
    },
    handshakeTimeoutMs: v1.handshakeTimeoutMs,
    savedMessages: [],
  };
}

/** v1 had one text field for the PAC: a URL, or a path. */
function pacFromV1(value: string): z.infer<typeof pacSourceSchema> {
  return /^(https?|file):\/\//i.test(value) ? { kind: 'url', url: value } : { kind: 'file', path: value };
}

// ---------------------------------------------------------------------------------------
// Reading one profile of any known version
// ---------------------------------------------------------------------------------------

export type ProfileRead<T> = { ok: true; profile: T } | { ok: false; problems: TransferProblem[] };

/** A profile of profiles.json, format `version`, as the current stored form. */
function readStoredProfile(version: number, raw: unknown, at: readonly PathSegment[]): ProfileRead<StoredProfile> {
  let current: unknown = raw;
  if (version === 1) {
    const v1 = storedProfileV1Schema.safeParse(raw, PLAIN_ISSUE_WORDS);
    if (!v1.success) return { ok: false, problems: problemsFromZod(v1.error, at) };
    current = { id: v1.data.id, revision: 1, createdAt: v1.data.createdAt, updatedAt: v1.data.updatedAt, ...profileFieldsV1ToV2(v1.data) };
  }
  const parsed = storedProfileSchema.safeParse(current, PLAIN_ISSUE_WORDS);
  return parsed.success ? { ok: true, profile: parsed.data } : { ok: false, problems: problemsFromZod(parsed.error, at) };
}

/** A profile of an export file, format `version`, as the current export form. */
export function readExportProfile(version: number, raw: unknown, at: readonly PathSegment[]): ProfileRead<ExportProfile> {
  let current: unknown = raw;
  if (version === 1) {
    const v1 = exportProfileV1Schema.safeParse(raw, PLAIN_ISSUE_WORDS);
    if (!v1.success) return { ok: false, problems: problemsFromZod(v1.error, at) };
    current = profileFieldsV1ToV2(v1.data);
  }
  const parsed = exportProfileSchema.safeParse(current, PLAIN_ISSUE_WORDS);
  return parsed.success ? { ok: true, profile: parsed.data } : { ok: false, problems: problemsFromZod(parsed.error, at) };
}

// ---------------------------------------------------------------------------------------
// Reading the whole document
// ---------------------------------------------------------------------------------------

export type DocumentRead =
  /**
   * `problems`: why `droppedCount` profiles could not be read (the rest were);
   * `migratedFrom`: the version on disk, when it was older.
   */
  | { kind: 'ok'; doc: StoredDocument; problems: TransferProblem[]; droppedCount: number; migratedFrom?: number }
  | { kind: 'newer'; version: number }
  | { kind: 'invalid'; problems: TransferProblem[] };

const headSchema = z.object({
  version: z.number({ error: 'the format version is missing' }).int().min(1),
  revision: z.number().int().min(0).optional(),
  profiles: z.array(z.unknown(), { error: 'there is no list of profiles' }),
  environments: z.array(z.unknown(), { error: 'environments must be a list' }).optional(),
});

export function readStoredDocument(raw: unknown): DocumentRead {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { kind: 'invalid', problems: [{ path: '', message: 'the file does not hold a JSON object' }] };
  }
  const head = headSchema.safeParse(raw, PLAIN_ISSUE_WORDS);
  if (!head.success) return { kind: 'invalid', problems: problemsFromZod(head.error) };
  const { version } = head.data;
  if (version > CURRENT_VERSION) return { kind: 'newer', version };

  const problems: TransferProblem[] = [];
  let droppedCount = 0;
  const profiles: StoredProfile[] = [];
  const ids = new Set<string>();
  head.data.profiles.forEach((entry, index) => {
    const read = readStoredProfile(version, entry, ['profiles', index]);
    if (!read.ok) {
      droppedCount += 1;
      problems.push(...read.problems);
    } else if (ids.has(read.profile.id)) {
      droppedCount += 1;
      problems.push({ path: `profiles[${index}].id`, message: `the id ${read.profile.id} is used by an earlier profile` });
    } else {
      ids.add(read.profile.id);
      profiles.push(read.profile);
    }
  });
  // An environment that cannot be read counts like a profile that cannot be read: the file is
  // set aside and the others are kept.
  const environments: StoredEnvironment[] = [];
  const environmentIds = new Set<string>();
  (head.data.environments ?? []).forEach((entry, index) => {
    const read = storedEnvironmentSchema.safeParse(entry, PLAIN_ISSUE_WORDS);
    if (!read.success) {
      droppedCount += 1;
      problems.push(...problemsFromZod(read.error, ['environments', index]));
    } else if (environmentIds.has(read.data.id)) {
      droppedCount += 1;
      problems.push({ path: `environments[${index}].id`, message: `the id ${read.data.id} is used by an earlier environment` });
    } else {
      environmentIds.add(read.data.id);
      environments.push(read.data);
    }
  });
  const doc: StoredDocument = { version: CURRENT_VERSION, revision: head.data.revision ?? 0, profiles, environments };
  const read = { kind: 'ok' as const, doc, problems, droppedCount };
  return version < CURRENT_VERSION ? { ...read, migratedFrom: version } : read;
}
