/**
 * Connection profiles as the contract carries them. One field list (`profileFieldsWith`) is
 * shared by every form a profile takes, so they cannot drift apart:
 * - the view the renderer receives: every secret is `{ set: boolean }`, never its value;
 * - the input the renderer sends: a secret is kept (`{ set: true }`), cleared (`{ set: false }`)
 *   or replaced (`{ value: '…' }`);
 * - the stored form (src-main/core/profiles/profile-schema.ts): secrets are encrypted envelopes;
 * - the export form (same folder): secrets in clear, or left out.
 * No Node imports: this file also runs in the renderer.
 */
import { z } from 'zod';
import { connectionOptionsSchema, headerSchema, historySchema, pacSourceSchema, proxyAuthSchemeSchema, wsUrlTemplateSchema } from './model';
import { engineioHeartbeatSchema, keepaliveSchema, mqttKeepaliveSchema } from './model';
import { trustSettingSchema } from './model';
import { RECONNECT_DEFAULTS, RECONNECT_LIMITS, RESEND_CHOICES, type ReconnectOptionsInput } from './model';
import { servicePrincipalSchema } from './model';
import { legacyHandshakeTimeoutSchema, timeoutsSchema } from './timeouts';
import { protocolMessageSchema } from './protocol-message';
import { decodeChoiceSchema, protobufChoiceSchema } from './decoding';
import { parsePassthroughPattern, samePattern, type PassthroughPattern } from './passthrough-pattern';
import { PLAIN_ISSUE_WORDS } from './zod-words';
import { formatBytes } from './format-bytes';
import { nameCharacterProblem } from './name-characters';

// ---------------------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------------------

/** Ids of profiles, headers and saved messages (UUIDs, or short ids from a migration). */
export const profileIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'an id may contain only letters, digits, - and _');

/**
 * A profile's name as read back (profiles.json, the views): the length rule only, so a profile
 * saved before the character rule below is still read, shown, and can be renamed.
 */
export const storedProfileNameSchema = z
  .string()
  .trim()
  .min(1, 'a profile needs a name')
  .max(200, 'a profile name is at most 200 characters');

/**
 * A name being given (a save, a rename, a duplicate's name, an import): also no control,
 * line-breaking or text-direction character (shared/name-characters.ts), checked on the name as
 * given so the position it names is the one the user sees.
 */
export const profileNameSchema = z
  .string()
  .superRefine((name, ctx) => {
    const problem = nameCharacterProblem(name);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .trim()
  .min(1, 'a profile needs a name')
  .max(200, 'a profile name is at most 200 characters');

/** What the renderer sees of a secret. */
export const secretStateSchema = z.object({ set: z.boolean() });
export type SecretState = z.infer<typeof secretStateSchema>;

/** What the renderer may send for a secret: keep or clear (`set`), or a new `value`. */
export function secretInputWith<V extends z.ZodType<string>>(value: V) {
  return z.union([z.object({ set: z.boolean() }).strict(), z.object({ value }).strict()], {
    error: 'a secret is { "set": true } (keep it), { "set": false } (clear it) or { "value": "…" } (replace it)',
  });
}
const secretText = z.string().max(64 * 1024, 'a secret is at most 65,536 characters (64 KiB)');
export const secretInputSchema = secretInputWith(secretText);
export type SecretInput = z.infer<typeof secretInputSchema>;

const headerName = headerSchema.shape.name;
const headerValue = headerSchema.shape.value;
export const headerSecretInputSchema = secretInputWith(headerValue);

const filePath = z.string().min(1).max(4096);

export const PROXY_MODES = ['auto', 'none', 'manual', 'pac', 'system', 'env'] as const;

/** A profile's auto-reconnect when its fields are left out: the connection's waits, but at most 10 reconnects in a row. */
export const PROFILE_RECONNECT_DEFAULTS = { initialDelayMs: RECONNECT_DEFAULTS.initialDelayMs, maxDelayMs: RECONNECT_DEFAULTS.maxDelayMs, maxAttempts: 10, resend: 'subscriptions' } as const;

export const reconnectSchema = z
  .object({
    enabled: z.boolean(),
    /** First wait after a drop; doubled after each failed attempt up to maxDelayMs. */
    initialDelayMs: z.number().int().min(RECONNECT_LIMITS.minDelayMs).max(RECONNECT_LIMITS.maxInitialDelayMs).default(PROFILE_RECONNECT_DEFAULTS.initialDelayMs),
    maxDelayMs: z.number().int().min(RECONNECT_LIMITS.minDelayMs).max(RECONNECT_LIMITS.maxDelayMs).default(PROFILE_RECONNECT_DEFAULTS.maxDelayMs),
    /** 0 = keep trying. */
    maxAttempts: z.number().int().min(0).max(RECONNECT_LIMITS.maxAttempts).default(PROFILE_RECONNECT_DEFAULTS.maxAttempts),
    /** Also after a normal close (1000) by the server (see reconnectOptionsSchema). */
    retryNormalClose: z.boolean().optional(),
    /** What a later attempt sends again (see reconnectOptionsSchema); absent: the opening and the subscriptions. */
    resend: z.enum(RESEND_CHOICES).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.maxDelayMs < value.initialDelayMs) {
      ctx.addIssue({ code: 'custom', path: ['maxDelayMs'], message: 'the longest wait cannot be shorter than the first wait' });
    }
  });
export type ReconnectSetting = z.infer<typeof reconnectSchema>;

/** A profile's reconnect setting as a connection's option (for an enabled setting). */
export function reconnectOptionsOf(setting: ReconnectSetting): ReconnectOptionsInput {
  const { enabled: _enabled, resend, ...options } = setting;
  return { ...options, resend: resend ?? PROFILE_RECONNECT_DEFAULTS.resend };
}

/** protocol: a message built in a protocol (shared/protocol-message.ts), its body that message as JSON. */
export const SAVED_MESSAGE_KINDS = ['text', 'json', 'binary', 'protocol'] as const;
export const MAX_SAVED_MESSAGE_CHARS = 2 * 1024 * 1024;

/** Why a saved protocol message's body is not a message the composer can build, or null. */
export function protocolBodyProblem(body: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'a protocol message is stored as JSON, e.g. {"protocol": "stomp", "command": "SUBSCRIBE", "headers": [{"name": "destination", "value": "/topic/a"}]}';
  }
  const parsed = protocolMessageSchema.safeParse(json, PLAIN_ISSUE_WORDS);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return `not a protocol message: ${where}${issue?.message ?? 'invalid'}`;
}

/**
 * A saved message's name: given (a save, an import) also without control, line-breaking or
 * text-direction characters, as profile names; read back (profiles.json, the views) the length
 * rule only, so a message saved before that rule still loads and can be renamed.
 */
function savedMessageNameSchema(given: boolean) {
  const name = z.string();
  const checked = given
    ? name.superRefine((text, ctx) => {
        const problem = nameCharacterProblem(text);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
    : name;
  return checked.trim().min(1, 'a saved message needs a name').max(200);
}

/** A named message sent with one click; the list's order is the order of a sequence. */
export function savedMessageWith<I extends z.ZodType>(id: I, readBack = false) {
  return z
    .object({
      id,
      name: savedMessageNameSchema(!readBack),
      kind: z.enum(SAVED_MESSAGE_KINDS),
      /** text and json: the text; binary: base64, as session:send takes it; protocol: the ProtocolMessage as JSON. */
      body: z.string().max(MAX_SAVED_MESSAGE_CHARS, `a saved message is at most ${MAX_SAVED_MESSAGE_CHARS.toLocaleString('en-US')} characters (${formatBytes(MAX_SAVED_MESSAGE_CHARS)})`),
    })
    .superRefine((message, ctx) => {
      if (message.kind === 'json') {
        try {
          JSON.parse(message.body);
        } catch {
          ctx.addIssue({ code: 'custom', path: ['body'], message: 'a JSON message must hold valid JSON (or make it a text message)' });
        }
      } else if (message.kind === 'protocol') {
        const problem = protocolBodyProblem(message.body);
        if (problem !== null) ctx.addIssue({ code: 'custom', path: ['body'], message: problem });
      } else if (message.kind === 'binary') {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(message.body) || message.body.length % 4 !== 0) {
          ctx.addIssue({ code: 'custom', path: ['body'], message: 'a binary message is stored as base64 (A–Z, a–z, 0–9, +, /, = padding)' });
        }
      }
    });
}

/** `secret` and `headerSecret` decide the form; `id` is required or optional (input). */
export interface ProfileForm<S extends z.ZodType, H extends z.ZodType, I extends z.ZodType> {
  secret: S;
  headerSecret: H;
  id: I;
  /** Read back (profiles.json, the views): saved messages' names keep the length rule only. */
  readBack?: boolean;
}

function headerWith<H extends z.ZodType, I extends z.ZodType>(headerSecret: H, id: I) {
  return z.discriminatedUnion('secret', [
    /**
     * `plainByChoice`: the user unticked "secret" on a header whose name looks like a credential
     * (shared/secret-headers.ts), so its value is kept and exported in clear. Without it such a
     * header counts as secret (encrypted on the next save, left out of exports), as do those of
     * files written before the field existed. Optional, so the file stays format 2 both ways.
     */
    z.object({ id, name: headerName, secret: z.literal(false), value: headerValue, plainByChoice: z.literal(true).optional() }),
    /** Marked secret: encrypted at rest, redacted in every event, transcript and export. */
    z.object({ id, name: headerName, secret: z.literal(true), value: headerSecret }),
  ]);
}

function proxyWith<S extends z.ZodType>(secret: S) {
  return z
    .object({
      mode: z.enum(PROXY_MODES),
      /** manual: http://, https:// or socks5:// (kept when another mode is chosen). */
      url: z.string().max(2048).optional(),
      /** pac: where the PAC file comes from. */
      pac: pacSourceSchema.optional(),
      /**
       * The password of a PAC URL's user name (`http://user:password@host/proxy.pac`), kept apart
       * from the URL (which keeps the user name) so that it is stored encrypted and never shown.
       */
      pacPassword: secret.optional(),
      /** Credentials for whichever proxy is chosen. */
      username: z.string().max(1024).optional(),
      password: secret,
      /** The NTLM domain for a plain user name (a `DOMAIN\user` or `user@domain` name carries its own). */
      domain: z.string().max(256).optional(),
      /** Extra CA files (PEM) for an https:// proxy's own certificate. */
      caFiles: z.array(filePath).max(50).default([]),
      /** The proxy sign-in scheme (unset: auto, the strongest the proxy offers). */
      auth: proxyAuthSchemeSchema.optional(),
      /** Negotiate: the proxy's service principal (`HTTP@proxy.corp.example`; unset: `HTTP@<proxy host>`). */
      servicePrincipal: servicePrincipalSchema.optional(),
    })
    .superRefine((proxy, ctx) => {
      if (proxy.mode === 'manual' && (proxy.url === undefined || proxy.url.trim() === '')) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'a manual proxy needs a URL such as http://proxy:3128' });
      }
      if (proxy.mode === 'pac' && proxy.pac === undefined) {
        ctx.addIssue({ code: 'custom', path: ['pac'], message: 'the PAC mode needs a PAC URL, file or script' });
      }
    });
}

function tlsWith<S extends z.ZodType>(secret: S) {
  return z
    .object({
      caFiles: z.array(filePath).max(50).default([]),
      /** The verify switch, off: skip certificate verification (loudly marked as unsafe). */
      insecure: z.boolean().default(false),
      /** Which roots are trusted; absent: DEFAULT_TRUST (profiles from before the setting read as before). */
      trust: trustSettingSchema.optional(),
      certFile: filePath.optional(),
      keyFile: filePath.optional(),
      /** The client key's passphrase. */
      passphrase: secret,
    })
    .superRefine((tls, ctx) => {
      if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [tls.certFile === undefined ? 'certFile' : 'keyFile'],
          message: 'a client certificate needs both the certificate file and the key file',
        });
      }
    });
}

/** At most this many passthrough patterns in a profile (the global list's limit too). */
export const MAX_INTERCEPT_PASSTHROUGH = 1000;

/**
 * A profile's own passthrough list for `intercept` (shared/passthrough-pattern.ts's patterns):
 * each must be one, and once. A bad entry is named by its place and its text.
 */
export const interceptPassthroughSchema = z
  .array(z.string().max(300, 'a host pattern is at most 300 characters'))
  .max(MAX_INTERCEPT_PASSTHROUGH, `at most ${MAX_INTERCEPT_PASSTHROUGH} passthrough patterns`)
  .superRefine((hosts, ctx) => {
    const seen: { pattern: PassthroughPattern; index: number }[] = [];
    hosts.forEach((host, index) => {
      const parsed = parsePassthroughPattern(host);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', path: [index], message: `not a passthrough pattern: ${parsed.problem}` });
        return;
      }
      const same = seen.find((earlier) => samePattern(earlier.pattern, parsed.pattern));
      if (same) ctx.addIssue({ code: 'custom', path: [index], message: `"${parsed.pattern.text}" is on the list already (entry ${same.index + 1}, "${same.pattern.text}")` });
      else seen.push({ pattern: parsed.pattern, index });
    });
  });

/** The fields every form of a profile has. */
export function profileFieldsWith<S extends z.ZodType, H extends z.ZodType, I extends z.ZodType>(form: ProfileForm<S, H, I>) {
  return {
    name: profileNameSchema,
    url: wsUrlTemplateSchema,
    /**
     * The password of the server URL's user name (`ws://user:password@host/`), kept apart from
     * the URL (which keeps the user name) so that it is stored encrypted and never shown.
     */
    urlPassword: form.secret.optional(),
    headers: z.array(headerWith(form.headerSecret, form.id)).max(200).default([]),
    subprotocols: connectionOptionsSchema.shape.subprotocols,
    origin: connectionOptionsSchema.shape.origin,
    proxy: proxyWith(form.secret),
    tls: tlsWith(form.secret),
    handshakeTimeoutMs: legacyHandshakeTimeoutSchema,
    /** Deadlines that differ from the defaults (shared/timeouts.ts); absent: handshakeTimeoutMs and the defaults. */
    timeouts: timeoutsSchema.optional(),
    reconnect: reconnectSchema.optional(),
    /** How much of a session's traffic to keep; absent: the engine's default. */
    history: historySchema.optional(),
    /** Pings while open (absent: none); the UI proposes 30 s for a new profile. */
    keepalive: keepaliveSchema.optional(),
    /** Answer a Socket.IO server's Engine.IO pings (the connection option of that name); absent: on. */
    engineioHeartbeat: engineioHeartbeatSchema.optional(),
    /** Send MQTT PINGREQs (the connection option of that name); absent: on. */
    mqttKeepalive: mqttKeepaliveSchema.optional(),
    savedMessages: z.array(savedMessageWith(form.id, form.readBack === true)).max(500).default([]),
    /**
     * The environment a tab opened from the profile (and `connect --profile`) uses; absent:
     * none. An id no environment has any more (deleted) is read as none, never refused.
     */
    environmentId: profileIdSchema.optional(),
    /** How a tab opened from the profile reads its frames (auto, none or a protocol); absent: auto. */
    decode: decodeChoiceSchema.optional(),
    /** With decode protobuf: the schema's content and message type the tab sends (absent: schema-less; older files have none). */
    decodeProtobuf: protobufChoiceSchema.optional(),
    /**
     * Hosts `intercept` with this profile tunnels untouched, beside the global list (absent:
     * none; older files have none).
     */
    interceptPassthrough: interceptPassthroughSchema.optional(),
  };
}

/** Ids of headers and saved messages must be unique within a profile (undefined ids are new ones). */
export function checkUniqueItemIds(
  profile: { headers: readonly { id?: unknown }[]; savedMessages: readonly { id?: unknown }[] },
  ctx: z.RefinementCtx,
): void {
  for (const list of ['headers', 'savedMessages'] as const) {
    const seen = new Set<unknown>();
    profile[list].forEach((item, index) => {
      if (item.id === undefined) return;
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [list, index, 'id'], message: 'this id is used twice in the profile' });
      seen.add(item.id);
    });
  }
}

// ---------------------------------------------------------------------------------------
// The renderer's forms
// ---------------------------------------------------------------------------------------

/** What every saved profile carries besides its fields: the stored file's and the views' alike. */
export const profileStamps = {
  id: profileIdSchema,
  /** Goes up by one on every save; a save must name the revision it was based on. */
  revision: z.number().int().min(1),
  /** Epoch milliseconds. */
  createdAt: z.number(),
  updatedAt: z.number(),
};

export const profileViewSchema = z.object({
  ...profileStamps,
  ...profileFieldsWith({ secret: secretStateSchema, headerSecret: secretStateSchema, id: profileIdSchema, readBack: true }),
  name: storedProfileNameSchema,
});
export type ProfileView = z.output<typeof profileViewSchema>;
export type ProfileHeaderView = ProfileView['headers'][number];
export type SavedMessage = ProfileView['savedMessages'][number];

/** What a save sends: no id for a new profile; ids of headers and messages may be left out. */
export const profileInputSchema = z
  .object({
    id: profileIdSchema.optional(),
    ...profileFieldsWith({ secret: secretInputSchema.optional(), headerSecret: headerSecretInputSchema, id: profileIdSchema.optional() }),
  })
  .superRefine(checkUniqueItemIds);
export type ProfileInput = z.output<typeof profileInputSchema>;
export type ProfileInputDraft = z.input<typeof profileInputSchema>;

/**
 * The input that saves a view back unchanged: every secret that is set is kept (`{ set: true }`).
 * An editor starts from this and changes what the user changed.
 */
export function profileInputFromView(view: ProfileView): ProfileInputDraft {
  const { revision: _revision, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = view;
  return {
    ...fields,
    headers: view.headers.map((header) => (header.secret ? { ...header, value: { set: header.value.set } } : header)),
    urlPassword: { set: view.urlPassword?.set ?? false },
    proxy: { ...view.proxy, password: { set: view.proxy.password.set }, pacPassword: { set: view.proxy.pacPassword?.set ?? false } },
    tls: { ...view.tls, passphrase: { set: view.tls.passphrase.set } },
  };
}

// ---------------------------------------------------------------------------------------
// Command arguments and results
// ---------------------------------------------------------------------------------------

export const PROTECTION_LEVELS = ['os-store', 'key-file', 'none'] as const;
export type ProtectionLevel = (typeof PROTECTION_LEVELS)[number];

export const ENVELOPE_KINDS = ['safeStorage', 'keyring', 'keyfile'] as const;
export type EnvelopeKind = (typeof ENVELOPE_KINDS)[number];

/** One problem in an import, with where it was found (`profiles[2].proxy.url`). */
export const transferProblemSchema = z.object({
  /** Where in the file (`profiles[2].proxy.url`); empty for the file as a whole. */
  path: z.string(),
  message: z.string(),
  /** For a JSON syntax error: where in the text (1-based). */
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export type TransferProblem = z.infer<typeof transferProblemSchema>;

export const profileImportResultSchema = z.object({
  /** Empty whenever `problems` is not: an import is all or nothing. */
  imported: z.array(z.object({ id: profileIdSchema, name: z.string(), renamedFrom: z.string().optional() })),
  problems: z.array(transferProblemSchema),
  warnings: z.array(z.string()),
  /** The environments the file brought (absent: none). */
  environments: z.array(z.object({ id: profileIdSchema, name: z.string() })).optional(),
});
export type ProfileImportResult = z.infer<typeof profileImportResultSchema>;

export const profileExportResultSchema = z.object({
  /** The export file's text (JSON). */
  text: z.string(),
  count: z.number().int(),
  /** Whether `text` holds secrets in clear (only when asked for). */
  containsSecrets: z.boolean(),
  warnings: z.array(z.string()),
  /**
   * Desktop app, with secrets: the main process wrote the file itself (after its save dialog)
   * and `text` is empty, so the secrets never reach the page.
   */
  savedTo: z.string().optional(),
  /** Desktop app, with secrets: the save dialog was closed without choosing a file; nothing was written. */
  canceled: z.boolean().optional(),
});
export type ProfileExportResult = z.infer<typeof profileExportResultSchema>;

export const STORE_NOTICE_KINDS = ['set-aside', 'salvaged', 'permissions', 'newer-version', 'migrated', 'unusable', 'key-file'] as const;

export const storeNoticeSchema = z.object({
  kind: z.enum(STORE_NOTICE_KINDS),
  /** In plain words, e.g. "profiles.json was not valid JSON (line 3, column 5); it was kept as …". */
  message: z.string(),
  /** The file it is about (a set-aside copy, the key file …). */
  file: z.string().optional(),
  at: z.number(),
});
export type StoreNotice = z.infer<typeof storeNoticeSchema>;

export const profileStatusSchema = z.object({
  dataDir: z.string(),
  file: z.string(),
  protection: z.enum(PROTECTION_LEVELS),
  cipher: z.enum(ENVELOPE_KINDS),
  /** Shown plainly whenever protection is not the OS store, or something went wrong. */
  warning: z.string().optional(),
  /** Set when the file was written by a newer Tunnelscope: nothing is saved until it is updated. */
  readOnly: z.string().optional(),
  /** What happened to the store since start: files set aside, permissions fixed, a migration. */
  notices: z.array(storeNoticeSchema),
  /** Set-aside copies (`profiles.json.corrupt-…`) still in the data folder. */
  setAsideFiles: z.array(z.string()),
});
export type ProfileStatus = z.infer<typeof profileStatusSchema>;

const expectedRevision = z.number().int().min(1);

/** The profile commands, spread into commandSchemas (commands.ts). */
export const profileCommandSchemas = {
  'profiles:list': {
    arg: z.object({}),
    /** `revision` changes on every write by anyone: a cheap way to see the list is stale. */
    result: z.object({ revision: z.number().int(), profiles: z.array(profileViewSchema) }),
  },
  'profiles:get': { arg: z.object({ id: profileIdSchema }), result: profileViewSchema },
  'profiles:save': {
    /** Create (no `profile.id`) or update (`profile.id` and the revision the edit was based on). */
    arg: z.object({ profile: profileInputSchema, expectedRevision: expectedRevision.optional() }),
    result: profileViewSchema,
  },
  'profiles:delete': {
    arg: z.object({ id: profileIdSchema, expectedRevision: expectedRevision.optional() }),
    /** `undoToken` for profiles:restore (kept by the engine while it runs; secrets stay inside it). */
    result: z.object({ undoToken: z.string(), profile: profileViewSchema }),
  },
  'profiles:restore': { arg: z.object({ undoToken: z.string().min(1).max(100) }), result: profileViewSchema },
  'profiles:duplicate': { arg: z.object({ id: profileIdSchema, name: profileNameSchema.optional() }), result: profileViewSchema },
  'profiles:rename': {
    arg: z.object({ id: profileIdSchema, name: profileNameSchema, expectedRevision: expectedRevision.optional() }),
    result: profileViewSchema,
  },
  'profiles:import': {
    /** The file's text; its size is checked by the import (5 MiB), which reports it as a problem. */
    arg: z.object({ text: z.string().max(64 * 1024 * 1024) }),
    result: profileImportResultSchema,
  },
  'profiles:export': {
    arg: z.object({
      ids: z.array(profileIdSchema).max(10_000).optional(),
      includeSecrets: z.boolean().default(false),
      /**
       * Web host, with secrets: the one-time code the host printed in its terminal (asked for by
       * an export with secrets without it). A script in the page cannot read it, so it cannot
       * export the secrets on its own. See README "Exports with secrets".
       */
      confirmationCode: z.string().max(64).optional(),
    }),
    result: profileExportResultSchema,
  },
  'profiles:status': { arg: z.object({}), result: profileStatusSchema },
} as const;
