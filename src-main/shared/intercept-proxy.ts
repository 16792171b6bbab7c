/**
 * The contract of the intercepting proxy as the app runs it (core/intercept/intercept-service.ts):
 * starting and stopping it, its status, the connections it saw and the plain HTTP it passed on,
 * and the CA certificate to trust. The commands are `intercept-proxy:start`, `intercept-proxy:stop`,
 * `intercept-proxy:status`, `intercept-proxy:ca-cert` and `intercept-proxy:ca-save` (commands.ts); the events
 * `intercept-status`, `intercept-connection` and `intercept-http` (events.ts), which name no
 * session and go to every consumer of the session list.
 */
import { z } from 'zod';
import { endpointUrlSchema, proxyDecisionSchema, trustSettingSchema } from './model';
import { capturedFromSchema, clientHandshakeSchema } from './captured-from';
import { interceptClosingSchema } from './intercept-closed-by';
import { profileIdSchema, profileViewSchema } from './profiles';

/** The port a new intercepting proxy listens on unless another is chosen (as `tunnelscope intercept`). */
export const DEFAULT_INTERCEPT_PORT = 8899;
export const DEFAULT_INTERCEPT_HOST = '127.0.0.1';
/** The file name the CA certificate is offered under. */
export const INTERCEPT_CA_FILE_NAME = 'tunnelscope-ca.pem';

/** Whether a listening address reaches only this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const lower = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (lower === 'localhost' || lower === '::1') return true;
  const v4 = lower.startsWith('::ffff:') ? lower.slice(7) : lower;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** An IPv4 or IPv6 literal (brackets allowed), or a DNS name. */
const LISTEN_HOST = /^(?:\[?[0-9a-fA-F:.]+\]?|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$/;

/**
 * Where the intercepted connections go out: `auto` (the proxy variables, else the system
 * settings, else direct), `none` (direct), or one proxy (`manual`, with its sign-in if any).
 */
export const interceptUpstreamSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('auto') }),
  z.object({ mode: z.literal('none') }),
  z.object({
    mode: z.literal('manual'),
    url: endpointUrlSchema('proxy'),
    username: z.string().max(1024).optional(),
    password: z.string().max(1024).optional(),
  }),
]);
export type InterceptUpstream = z.infer<typeof interceptUpstreamSchema>;

/** permessage-deflate: `strip` takes it out of the client's offer (neither side compresses); `keep` negotiates it with each side apart. */
export const INTERCEPT_DEFLATE_MODES = ['strip', 'keep'] as const;
export const interceptDeflateSchema = z.enum(INTERCEPT_DEFLATE_MODES);
export type InterceptDeflate = z.infer<typeof interceptDeflateSchema>;

/** How the real servers' certificates are checked (as `--trust` and `--ca` for the CLI): the roots, and extra CA files on the engine's machine. */
export const interceptServerTrustSchema = z
  .object({
    trust: trustSettingSchema.optional(),
    caFiles: z.array(z.string().min(1).max(4096)).max(32).default([]),
  })
  .strict();
export type InterceptServerTrust = z.infer<typeof interceptServerTrustSchema>;

const REMOTE_REFUSAL =
  'is not a loopback address: anyone who reaches it could use your way out and read decrypted traffic; set allowRemote to listen there anyway';

export const interceptStartArgSchema = z
  .object({
    /** 0: any free port. */
    port: z.number().int().min(0).max(65535).default(DEFAULT_INTERCEPT_PORT),
    host: z
      .string()
      .min(1)
      .max(253)
      .regex(LISTEN_HOST, 'must be an IP address or a host name (127.0.0.1, ::1, localhost)')
      .default(DEFAULT_INTERCEPT_HOST),
    /** Listening beyond loopback, said on purpose (the status then carries a warning). */
    allowRemote: z.boolean().default(false),
    upstream: interceptUpstreamSchema.default({ mode: 'auto' }),
    deflate: interceptDeflateSchema.default('strip'),
    serverTrust: interceptServerTrustSchema.default({ caFiles: [] }),
    /**
     * A profile: its way out (proxy setting, sign-in, the servers' trust, deadlines) replaces
     * `upstream` and `serverTrust` (leave those out), and its passthrough patterns are matched
     * before the global list's.
     */
    profileId: profileIdSchema.optional(),
  })
  .strict()
  .superRefine((arg, context) => {
    if (!arg.allowRemote && !isLoopbackHost(arg.host)) context.addIssue({ code: 'custom', path: ['host'], message: `${arg.host} ${REMOTE_REFUSAL}` });
  });
export type InterceptStartArg = z.infer<typeof interceptStartArgSchema>;

export const interceptCountsSchema = z.object({
  /** WebSockets captured (each an engine session). */
  captured: z.number().int().min(0),
  /** Of those, not ended yet. */
  open: z.number().int().min(0),
  /** Upgrades answered with an error (the way out failed). */
  refused: z.number().int().min(0),
  /** Clients that would not take our certificate (or whose TLS failed). */
  clientTls: z.number().int().min(0),
  /** CONNECTs tunnelled untouched (the passthrough list). */
  passthrough: z.number().int().min(0),
  /** Plain HTTP requests passed on. */
  http: z.number().int().min(0),
});
export type InterceptCounts = z.infer<typeof interceptCountsSchema>;

export const interceptCaInfoSchema = z.object({
  subject: z.string(),
  /** SHA-256 of the certificate, `AB:CD:…`, as browsers show it. */
  fingerprint256: z.string(),
  /** When it expires (as X509Certificate says it). */
  validTo: z.string(),
});
export type InterceptCaInfo = z.infer<typeof interceptCaInfoSchema>;

export const interceptStatusSchema = z.object({
  running: z.boolean(),
  /** Where clients point (while running): `http://127.0.0.1:8899`. */
  address: z.object({ host: z.string(), port: z.number().int(), url: z.string() }).optional(),
  /** It listens beyond loopback: said in words in `warning`. */
  remote: z.boolean(),
  warning: z.string().optional(),
  /** The way out chosen, in words and without credentials. */
  upstream: z.string(),
  upstreamMode: z.enum(['auto', 'none', 'manual']),
  deflate: interceptDeflateSchema,
  /** How the servers' certificates are checked (while running; absent: the default, Mozilla's roots and the OS store). */
  serverTrust: interceptServerTrustSchema.optional(),
  /** Epoch milliseconds it started (while running). */
  startedAt: z.number().optional(),
  /** Since it last started. */
  counts: interceptCountsSchema,
  /** The CA it signs with (while running). */
  ca: interceptCaInfoSchema.optional(),
  /** The data folder's passthrough list in force (while running): CONNECTs to these hosts are tunnelled untouched. */
  passthrough: z.array(z.string()).optional(),
  /** The profile the run uses (while running): the way out is its, and so are these passthrough patterns (matched before the global list). */
  profile: z
    .object({
      id: z.string(),
      name: z.string(),
      passthrough: z.array(z.string()),
      /** What the run said when it started with the profile (its environment was deleted since: intercepting without one). */
      notes: z.array(z.string()).default([]),
    })
    .optional(),
});
export type InterceptStatus = z.infer<typeof interceptStatusSchema>;

/** A handshake as one side saw it: the upgrade request and its answer. */
export const interceptHandshakeSchema = clientHandshakeSchema;

/**
 * One connection a client made through the proxy, as the Intercept list shows it: a captured
 * WebSocket (`sessionId` names its engine session), an upgrade refused because the way out
 * failed, a client whose TLS with us failed, or a tunnel passed through untouched.
 */
export const interceptConnectionSchema = z.object({
  /** Stable for the run: the session id, else `c<number>`. */
  id: z.string(),
  sessionId: z.string().optional(),
  kind: z.enum(['captured', 'refused', 'client-tls', 'passthrough']),
  /** Epoch milliseconds it was seen. */
  at: z.number(),
  ...capturedFromSchema.shape,
  /** Where the client was going: a ws:// or wss:// URL, or host:port. */
  target: z.string(),
  /** The upstream decision (a captured WebSocket, once resolved). */
  decision: proxyDecisionSchema.optional(),
  /** What the client was answered (refused, passthrough). */
  status: z.number().int().optional(),
  /** In words: the refusal, the TLS failure, the pattern a passthrough matched. */
  detail: z.string().optional(),
  /** passthrough: the list whose pattern the host matched (the global one or the run's profile's). */
  passthroughList: z.discriminatedUnion('list', [z.object({ list: z.literal('global') }), z.object({ list: z.literal('profile'), profile: z.string() })]).optional(),
  /** client-tls: the client refused our certificate (pinning, or it does not trust the CA). */
  rejectedCertificate: z.boolean().optional(),
  /** client-tls: what showed it, in a few words (`TLS alert "unknown ca"`, `a close right after the handshake, before any request`). */
  evidence: z.string().optional(),
  /** A captured WebSocket once both sides' handshakes are done. */
  protocol: z.string().optional(),
  deflate: z.object({ client: z.string(), server: z.string() }).optional(),
  /** What the client asked of us and the 101 it got (the server's side is the session's upgrade step). */
  clientHandshake: interceptHandshakeSchema.optional(),
  /** A captured WebSocket whose close began on our side: who began it (the relay's 'closing' report; a server's close is the session's own). */
  closing: interceptClosingSchema.optional(),
});
export type InterceptConnection = z.infer<typeof interceptConnectionSchema>;

/** A plain HTTP request passed through, listed compactly; nothing else of it is kept. */
export const interceptExchangeSchema = z.object({
  id: z.number().int().min(1),
  at: z.number(),
  clientAddress: z.string(),
  method: z.string(),
  host: z.string(),
  path: z.string(),
  /** null: no answer came (`error` says why). */
  status: z.number().int().nullable(),
  /** Response body bytes passed back. */
  size: z.number().int().min(0).nullable(),
  ms: z.number().min(0),
  error: z.string().optional(),
});
export type InterceptExchange = z.infer<typeof interceptExchangeSchema>;

/** How many of each list the engine keeps (the newest). */
export const MAX_INTERCEPT_CONNECTIONS = 500;
export const MAX_INTERCEPT_EXCHANGES = 500;

export const interceptCaCertSchema = interceptCaInfoSchema.extend({
  /** The certificate in PEM (public: this is what clients trust). */
  pem: z.string(),
  fileName: z.string(),
});

/** The contract's intercept commands (spread into commands.ts). */
export const interceptProxyCommandSchemas = {
  /** Starts the intercepting proxy (one per engine); refused while one runs. */
  'intercept-proxy:start': { arg: interceptStartArgSchema, result: interceptStatusSchema },
  /** Stops it: no new connections, every captured one cut (their sessions stay to read). Stopped already: its status. */
  'intercept-proxy:stop': { arg: z.object({}).strict(), result: interceptStatusSchema },
  /** Its status and what it saw lately (the newest MAX_INTERCEPT_* of each list). */
  'intercept-proxy:status': {
    arg: z.object({}).strict(),
    result: z.object({ status: interceptStatusSchema, connections: z.array(interceptConnectionSchema), exchanges: z.array(interceptExchangeSchema) }),
  },
  /** The CA certificate (made on first use), to download and trust. */
  'intercept-proxy:ca-cert': { arg: z.object({}).strict(), result: interceptCaCertSchema },
  /**
   * Adds a host pattern (`api.example.com`, `*.example.com`, an IP address) to the data folder's
   * passthrough list (the one `tunnelscope intercept passthrough add` edits): its CONNECTs are
   * tunnelled untouched from then on, by a running proxy too. A pattern that is already there is
   * not added twice.
   */
  'intercept-proxy:passthrough-add': {
    /** `list: 'profile'`: the list of the profile the running proxy uses (refused when it runs without one). */
    arg: z.object({ host: z.string().min(1).max(260), list: z.enum(['global', 'profile']).default('global') }).strict(),
    /** `hosts`: that list now; `profile`: the profile as saved (its revision went up). */
    result: z.object({ added: z.boolean(), pattern: z.string(), hosts: z.array(z.string()), list: z.enum(['global', 'profile']), profile: profileViewSchema.optional() }),
  },
  /**
   * The desktop app: the main process asks where to save the CA certificate and writes it
   * there. Other hosts refuse it (a browser downloads `intercept-proxy:ca-cert`'s PEM).
   */
  'intercept-proxy:ca-save': {
    arg: z.object({}).strict(),
    result: z.object({ savedTo: z.string().optional(), canceled: z.boolean().optional() }),
  },
} as const;

/** The intercept events' members (spread into events.ts's union). */
export const interceptEventSchemas = [
  z.object({ type: z.literal('intercept-status'), status: interceptStatusSchema }),
  /** A connection seen, or one seen before that changed (same `id`: replace it). */
  z.object({ type: z.literal('intercept-connection'), connection: interceptConnectionSchema }),
  z.object({ type: z.literal('intercept-http'), exchange: interceptExchangeSchema }),
] as const;

