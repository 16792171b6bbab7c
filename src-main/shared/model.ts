/**
 * The data the contract carries, as zod schemas (runtime validation at every boundary) with
 * the TypeScript types inferred from them, so the two can never drift apart.
 */
import { z } from 'zod';
import { endpointUrlProblem, type EndpointUrlKind } from './endpoint-url';
import { hasTemplate, parseTemplate } from './builtin-variables';
import { timeoutsSchema } from './timeouts';
import { parseServicePrincipal } from './service-principal';
import { HANDSHAKE_LEGS, SESSION_STATES } from './pipeline-legs';
import { frameMarkSchema, originalPayloadSchema } from './intercept-control';

export { HANDSHAKE_LEGS, SESSION_STATES };

// ---------------------------------------------------------------------------------------
// Inputs: what a connection is made of
// ---------------------------------------------------------------------------------------

/**
 * A URL of `kind` as shared/endpoint-url.ts reads it: the one parser that decides where a
 * secret goes, so what the contract lets through is what the engine connects to.
 */
export function endpointUrlSchema(kind: EndpointUrlKind) {
  return z.string().superRefine((value, ctx) => {
    const problem = endpointUrlProblem(value, kind);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A ws:// or wss:// URL. */
export const wsUrlSchema = endpointUrlSchema('server');

/**
 * A connection's or profile's URL, which may hold `{{variables}}` (`wss://{{host}}/ws`): such
 * a URL is checked for its template syntax and its scheme here, and as a whole URL by the same
 * parser once the engine has filled the variables in (core/variables/resolve-connection.ts).
 */
export const wsUrlTemplateSchema = z.string().superRefine((value, ctx) => {
  if (!hasTemplate(value)) {
    const problem = endpointUrlProblem(value, 'server');
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    return;
  }
  const parsed = parseTemplate(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  else if (!/^(wss?:\/\/|\{\{)/i.test(value.trim())) ctx.addIssue({ code: 'custom', message: 'the URL must start with ws:// or wss:// (or a variable that holds the start)' });
});

/** What RFC 6455 allows as a subprotocol (an HTTP token). */
export const SUBPROTOCOL_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const TOKEN_TEXT = 'a subprotocol is a token: letters, digits and !#$%&\'*+-.^_`|~';

/** A subprotocol: a token, or a template whose literal parts are token characters (checked whole after filling in). */
const subprotocolSchema = z.string().superRefine((value, ctx) => {
  if (!hasTemplate(value)) {
    if (!SUBPROTOCOL_TOKEN.test(value)) ctx.addIssue({ code: 'custom', message: TOKEN_TEXT });
    return;
  }
  const parsed = parseTemplate(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  else if (parsed.template.parts.some((part) => typeof part === 'string' && !SUBPROTOCOL_TOKEN.test(part))) ctx.addIssue({ code: 'custom', message: TOKEN_TEXT });
});

/** A PAC URL: http(s):// by the endpoint rules; file: URLs name a local file (no secret goes anywhere). */
const pacUrlSchema = z.string().min(1).superRefine((value, ctx) => {
  if (/^file:/i.test(value)) return;
  const problem = endpointUrlProblem(value, 'pac');
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** What HTTP allows in a header value (Node refuses anything else when sending). */
const headerValueText = z
  .string()
  .refine((v) => !/[\r\n\0]/.test(v), 'a header value may not contain CR, LF or NUL')
  .refine((v) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v), 'a header value may contain only printable ASCII and Latin-1 characters (encode other text, e.g. with percent-encoding)');

export const headerSchema = z.object({
  name: z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'a header name may contain only letters, digits and !#$%&\'*+-.^_`|~'),
  value: headerValueText,
  /** Marked secret: redacted in every event, transcript and export. */
  secret: z.boolean().optional(),
});
export type Header = z.infer<typeof headerSchema>;

export const pacSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), url: pacUrlSchema }),
  z.object({ kind: z.literal('file'), path: z.string().min(1) }),
  z.object({ kind: z.literal('script'), script: z.string().min(1).max(1_000_000) }),
]);
export type PacSource = z.infer<typeof pacSourceSchema>;

/**
 * How the proxy is chosen for one connection.
 * - `auto`: the system resolver where the host has one (Electron), then the environment.
 * - `none`: always direct.
 * - `manual`: one proxy URL (http://, https://, socks5://), credentials allowed in the URL or apart.
 * - `pac`: a PAC file from a URL, a file, or inline.
 * - `system`: the host's resolver only (Electron passes Chromium's).
 * - `env`: the environment variables only.
 */
export const proxySettingSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('auto') }),
  z.object({ mode: z.literal('none') }),
  z.object({
    mode: z.literal('manual'),
    url: endpointUrlSchema('proxy'),
    username: z.string().optional(),
    password: z.string().optional(),
  }),
  z.object({ mode: z.literal('pac'), source: pacSourceSchema }),
  z.object({ mode: z.literal('system') }),
  z.object({ mode: z.literal('env') }),
]);
export type ProxySetting = z.infer<typeof proxySettingSchema>;
export type ProxyMode = ProxySetting['mode'];

/**
 * Which roots a server's (and an https:// proxy's) certificate is checked against:
 * `mozilla+os` Node's Mozilla roots and the OS trust store (core/tls/os-trust-store.ts);
 * `mozilla` Mozilla's only; `ca-files` only the CA files given. CA files always add.
 */
export const TRUST_SETTINGS = ['mozilla+os', 'mozilla', 'ca-files'] as const;
export const trustSettingSchema = z.enum(TRUST_SETTINGS);
export type TrustSetting = z.infer<typeof trustSettingSchema>;
/** What a connection uses when its setting names none. */
export const DEFAULT_TRUST: TrustSetting = 'mozilla+os';

export const tlsSettingSchema = z.object({
  /** Extra CA certificates (PEM files) trusted in addition to the default store. */
  caFiles: z.array(z.string().min(1)).default([]),
  /** Unset: DEFAULT_TRUST (kept optional so older options and logs read as before). */
  trust: trustSettingSchema.optional(),
  /** Skip certificate verification. Loudly marked as unsafe wherever it is shown. */
  insecure: z.boolean().default(false),
  certFile: z.string().min(1).optional(),
  keyFile: z.string().min(1).optional(),
  passphrase: z.string().optional(),
});
export type TlsSetting = z.infer<typeof tlsSettingSchema>;

/** One MiB: payload budgets are set and shown in MiB of 1,048,576 bytes. */
export const MIB = 1024 * 1024;

/** How much of a session's frames the engine keeps when nothing else is said. */
export const HISTORY_DEFAULTS = { maxFrames: 1_000_000, maxBytes: 512 * MIB } as const;
/** The most a session may keep: the ring costs about 28 bytes per frame beyond the payload. */
export const HISTORY_LIMITS = { minFrames: 100, maxFrames: 10_000_000, minBytes: MIB, maxBytes: 4096 * MIB } as const;

/**
 * How many frames, and how many payload bytes, a session keeps; past either bound the oldest
 * frames are dropped (and counted). Frames beyond the history are gone for search and export too.
 */
export const historySchema = z.object({
  maxFrames: z
    .number()
    .int('the frame count must be a whole number')
    .min(HISTORY_LIMITS.minFrames, `keep at least ${HISTORY_LIMITS.minFrames} frames`)
    .max(HISTORY_LIMITS.maxFrames, `at most ${HISTORY_LIMITS.maxFrames.toLocaleString('en-US')} frames can be kept`)
    .default(HISTORY_DEFAULTS.maxFrames),
  maxBytes: z
    .number()
    .int('the byte budget must be a whole number of bytes')
    .min(HISTORY_LIMITS.minBytes, 'keep at least 1 MiB of payload')
    .max(HISTORY_LIMITS.maxBytes, 'at most 4,096 MiB of payload can be kept')
    .default(HISTORY_DEFAULTS.maxBytes),
});
export type HistorySetting = z.output<typeof historySchema>;

/**
 * A form's history fields (frames, and MiB of payload) as the contract has them, or undefined
 * for the defaults (the connection or profile then says nothing). Out-of-range numbers go as
 * they are, for the contract's check to name the bound.
 */
export function historyFromForm(maxFrames: number, megabytes: number): HistorySetting | undefined {
  const maxBytes = Math.round(megabytes * MIB);
  return maxFrames === HISTORY_DEFAULTS.maxFrames && maxBytes === HISTORY_DEFAULTS.maxBytes ? undefined : { maxFrames, maxBytes };
}

/** The keep-alive the UI proposes for a new connection (the CLI has none unless asked). */
export const KEEPALIVE_DEFAULTS = { intervalMs: 30_000, pongTimeoutMs: 10_000 } as const;
export const KEEPALIVE_LIMITS = { minIntervalMs: 1_000, maxIntervalMs: 3_600_000, minPongTimeoutMs: 1_000, maxPongTimeoutMs: 600_000 } as const;

/**
 * Pings the server every `intervalMs` while open; no pong within `pongTimeoutMs` of a ping
 * ends the session with transport/PEER_UNRESPONSIVE (a tunnel that stalls after open).
 */
export const keepaliveSchema = z.object({
  intervalMs: z
    .number()
    .int('the keep-alive interval must be a whole number of milliseconds')
    .min(KEEPALIVE_LIMITS.minIntervalMs, 'ping at most once a second (keep-alive interval at least 1 s)')
    .max(KEEPALIVE_LIMITS.maxIntervalMs, 'the keep-alive interval is at most one hour'),
  pongTimeoutMs: z
    .number()
    .int('the pong deadline must be a whole number of milliseconds')
    .min(KEEPALIVE_LIMITS.minPongTimeoutMs, 'the pong deadline is at least 1 s')
    .max(KEEPALIVE_LIMITS.maxPongTimeoutMs, 'the pong deadline is at most 10 minutes')
    .default(KEEPALIVE_DEFAULTS.pongTimeoutMs),
});
export type KeepaliveSetting = z.output<typeof keepaliveSchema>;

/**
 * Auto-reconnect's fixed shape: each wait is the previous one times `factor`, up to the
 * longest wait, then spread by ±`jitter` so that many clients dropped together do not come
 * back together. The count and the waits start afresh after an attempt that stayed open for
 * `stableMs` (one that opens and drops at once counts on, so it cannot loop at the first wait).
 */
export const RECONNECT_DEFAULTS = { initialDelayMs: 1000, maxDelayMs: 30_000, factor: 2, jitter: 0.2, maxAttempts: 0, stableMs: 10_000 } as const;
/** What a reconnect sends again (reconnectOptionsSchema.resend). */
export const RESEND_CHOICES = ['none', 'opening', 'subscriptions'] as const;
export type ResendChoice = (typeof RESEND_CHOICES)[number];
/** The bounds the options, a profile's auto-reconnect and the CLI's flags all accept. */
export const RECONNECT_LIMITS = { maxAttempts: 10_000, minDelayMs: 100, maxInitialDelayMs: 600_000, maxDelayMs: 3_600_000 } as const;

/**
 * Reconnect when an attempt fails or the connection drops (the engine keeps one session, one
 * log and one set of statistics across the attempts; core/session/ws-connection.ts). Never
 * after the user closes it; after a normal close by the server (1000) only when
 * `retryNormalClose` says so.
 */
export const reconnectOptionsSchema = z
  .object({
    /** Reconnects after the first connection (not counting it); 0: no limit. */
    maxAttempts: z.number().int('the number of attempts must be a whole number').min(0).max(RECONNECT_LIMITS.maxAttempts).default(RECONNECT_DEFAULTS.maxAttempts),
    initialDelayMs: z.number().int('the first wait must be a whole number of milliseconds').min(RECONNECT_LIMITS.minDelayMs, 'the first wait is at least 100 ms').max(RECONNECT_LIMITS.maxInitialDelayMs, 'the first wait is at most 10 minutes').default(RECONNECT_DEFAULTS.initialDelayMs),
    maxDelayMs: z.number().int('the longest wait must be a whole number of milliseconds').min(RECONNECT_LIMITS.minDelayMs, 'the longest wait is at least 100 ms').max(RECONNECT_LIMITS.maxDelayMs, 'the longest wait is at most one hour').default(RECONNECT_DEFAULTS.maxDelayMs),
    /** Also reconnect after the server closed with 1000 (by default that ends the connection). */
    retryNormalClose: z.boolean().default(false),
    /**
     * When a later attempt opens, send again what opened the protocol session in the previous one
     * (`opening`: a STOMP/MQTT CONNECT, GraphQL connection_init, SignalR handshake, Socket.IO
     * namespace CONNECTs) and, with `subscriptions`, the subscriptions still active after it
     * (core/session/opening-ledger.ts). `none` here (the CLI sends its --send messages itself);
     * the app's tab and a profile propose `subscriptions`.
     */
    resend: z.enum(RESEND_CHOICES).default('none'),
  })
  .superRefine((value, ctx) => {
    if (value.maxDelayMs < value.initialDelayMs) {
      ctx.addIssue({ code: 'custom', path: ['maxDelayMs'], message: 'the longest wait cannot be shorter than the first wait' });
    }
  });
export type ReconnectOptions = z.output<typeof reconnectOptionsSchema>;
export type ReconnectOptionsInput = z.input<typeof reconnectOptionsSchema>;

/** Queued bytes (handed to the socket, not yet written) at which sends are refused. */
export const SEND_HIGH_WATER_MARK = 16 * MIB;

/** A Negotiate service principal as a setting: `HTTP@host` or `HTTP/host`, no realm. */
export const servicePrincipalSchema = z
  .string()
  .max(512)
  .superRefine((value, ctx) => {
    const parsed = parseServicePrincipal(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
  });

/**
 * How the proxy sign-in scheme is chosen: `auto` the strongest usable one the proxy offers
 * (Negotiate, NTLM, Digest, Basic, in that order), or one fixed.
 */
export const PROXY_AUTH_SCHEMES = ['auto', 'negotiate', 'ntlm', 'digest', 'basic'] as const;
export const proxyAuthSchemeSchema = z.enum(PROXY_AUTH_SCHEMES);
export type ProxyAuthScheme = z.infer<typeof proxyAuthSchemeSchema>;

/**
 * Whether the engine keeps a Socket.IO session's Engine.IO heartbeat (engineio-heartbeat.ts):
 * the connection option and a profile's field alike; absent means on.
 */
export const engineioHeartbeatSchema = z.boolean({ error: 'the Engine.IO heartbeat is true (answer the pings) or false (leave them unanswered)' });

/**
 * Whether the engine keeps an MQTT session's keep-alive (mqtt-keepalive.ts): the connection option
 * and a profile's field alike; absent means on.
 */
export const mqttKeepaliveSchema = z.boolean({ error: 'the MQTT keep-alive is true (send PINGREQ) or false (send none)' });

export const connectionOptionsSchema = z.object({
  url: wsUrlTemplateSchema,
  proxy: proxySettingSchema.default({ mode: 'auto' }),
  /**
   * Username/password for the proxy when not given in the proxy URL (all proxy modes). NTLM
   * reads the user as `DOMAIN\user`, `user@domain` or plain; `domain` is the NTLM domain
   * for a plain user name (a domain in the user name wins).
   */
  proxyAuth: z.object({ username: z.string(), password: z.string(), domain: z.string().max(256).optional() }).optional(),
  /** Which sign-in scheme the proxy credentials use (default auto: the strongest offered). */
  proxyAuthScheme: proxyAuthSchemeSchema.optional(),
  /** Negotiate: the proxy's service principal (`HTTP@proxy.corp.example`); unset: `HTTP@<proxy host>`. */
  proxyAuthServicePrincipal: servicePrincipalSchema.optional(),
  /** Extra CA files (PEM) for an https:// proxy's own certificate. */
  proxyCaFiles: z.array(z.string().min(1)).default([]),
  headers: z.array(headerSchema).default([]),
  subprotocols: z.array(subprotocolSchema).default([]),
  origin: headerValueText.optional(),
  tls: tlsSettingSchema.default({ caFiles: [], insecure: false }),
  /** Each leg's deadline and the whole opening's (shared/timeouts.ts); unset ones are the defaults. */
  timeouts: timeoutsSchema.optional(),
  /** Older form of `timeouts.tlsMs` and `timeouts.upgradeMs` (read by effectiveTimeouts). */
  handshakeTimeoutMs: z.number().int().min(1).max(600_000).optional(),
  /** Older form of `timeouts.proxyConnectMs` and `timeouts.proxyAnswerMs`. */
  proxyTimeoutMs: z.number().int().min(1).max(600_000).optional(),
  /** Older form of `timeouts.openMs`. */
  openTimeoutMs: z.number().int().min(1).max(3_600_000).optional(),
  compression: z.boolean().default(false),
  /** Largest incoming message accepted; a larger one closes with 1009. */
  maxMessageBytes: z.number().int().min(1).max(2 ** 31 - 1).default(100 * 1024 * 1024),
  /** Frames kept for the log, search and export; unset: the engine's default (HISTORY_DEFAULTS). */
  history: historySchema.optional(),
  /** Pings while open to notice a stalled tunnel; unset: no keep-alive. */
  keepalive: keepaliveSchema.optional(),
  /**
   * Answer Engine.IO's pings when the server's first message is an Engine.IO open packet (a
   * Socket.IO session): `3` to each `2` (Engine.IO 4), or `2` every pingInterval (`EIO=3`). Unset: on.
   */
  engineioHeartbeat: engineioHeartbeatSchema.optional(),
  /**
   * Send PINGREQ when the session's CONNECT (sent by this app) proposed a keep-alive the broker
   * accepted and no MQTT packet went out for that long. Unset: on.
   */
  mqttKeepalive: mqttKeepaliveSchema.optional(),
  /** Reconnect after a failure or a drop; unset: one connection, no retry. */
  reconnect: reconnectOptionsSchema.optional(),
});
/** Options as the caller may write them (defaults not yet applied). */
export type ConnectionOptionsInput = z.input<typeof connectionOptionsSchema>;
/** Options after validation, with every default applied. */
export type ConnectionOptions = z.output<typeof connectionOptionsSchema>;

// ---------------------------------------------------------------------------------------
// Outputs: what the engine reports
// ---------------------------------------------------------------------------------------

export const PROXY_SOURCES = ['none', 'manual', 'pac', 'system', 'env'] as const;
export const proxySourceSchema = z.enum(PROXY_SOURCES);
export type ProxySource = z.infer<typeof proxySourceSchema>;

/** One proxy to try, without credentials. */
export const proxyCandidateSchema = z.object({
  /** `direct`, or the proxy URL without credentials (`http://proxy:3128`). */
  url: z.string(),
  protocol: z.enum(['direct', 'http', 'https', 'socks5']),
  host: z.string(),
  port: z.number().int(),
  /** Whether credentials will be sent (from the URL or the options). */
  hasCredentials: z.boolean(),
});
export type ProxyCandidate = z.infer<typeof proxyCandidateSchema>;

/** Which proxy was chosen and why, in words. */
export const proxyDecisionSchema = z.object({
  source: proxySourceSchema,
  /** Candidates in the order they are tried; a single `direct` entry for no proxy. */
  candidates: z.array(proxyCandidateSchema).min(1),
  /** e.g. "HTTPS_PROXY is set", "NO_PROXY entry `.corp` matched", "PAC returned PROXY a:3128; DIRECT". */
  reason: z.string(),
});
export type ProxyDecision = z.infer<typeof proxyDecisionSchema>;

/** An HTTP message as it went over the wire (start line, headers in order, capped body). */
export const httpCaptureSchema = z.object({
  startLine: z.string(),
  headers: z.array(z.tuple([z.string(), z.string()])),
  /** The body as text (decoded as UTF-8 with replacement), capped. */
  bodyPreview: z.string().optional(),
  /** How many body bytes were received in all (may exceed the preview). */
  bodyBytes: z.number().int().optional(),
  bodyTruncated: z.boolean().optional(),
});
export type HttpCapture = z.infer<typeof httpCaptureSchema>;

export const certSummarySchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint256: z.string(),
  subjectAltNames: z.array(z.string()),
  serialNumber: z.string(),
  selfSigned: z.boolean(),
});
export type CertSummary = z.infer<typeof certSummarySchema>;

/** Where the root a chain was verified against came from. */
export const TRUST_SOURCES = ['mozilla', 'os', 'ca-file', 'proxy-ca'] as const;
export const trustSourceSchema = z.enum(TRUST_SOURCES);
export type TrustSource = z.infer<typeof trustSourceSchema>;

export const tlsTrustSchema = z.object({
  setting: trustSettingSchema,
  /** The store of the chain's anchor; null when the chain was not verified. */
  trustedThrough: trustSourceSchema.nullable(),
  /** The anchor's subject ("CN=…, O=…"), null when none was found. */
  anchor: z.string().nullable(),
  /** What of the OS store could not be read (the connection went on without it). */
  notes: z.array(z.string()).optional(),
});
export type TlsTrust = z.infer<typeof tlsTrustSchema>;

export const tlsInterceptionSchema = z.object({
  /** The inspection product the issuer names (core/tls/inspection-products.ts), if any. */
  product: z.string().optional(),
  /** The issuer that re-signed the certificate ("CN=…, O=…"). */
  issuer: z.string(),
  /** Where its root was trusted from; null when the chain was not trusted. */
  trustedThrough: trustSourceSchema.nullable(),
  /** Why this is named interception, in a sentence. */
  reason: z.string(),
});
export type TlsInterception = z.infer<typeof tlsInterceptionSchema>;

export const tlsInfoSchema = z.object({
  protocol: z.string().nullable(),
  cipher: z.string().nullable(),
  alpn: z.string().nullable(),
  /** The SNI sent, or null for an IP address. */
  servername: z.string().nullable(),
  /** Whether the chain verified; false with `insecure` set means it was accepted anyway. */
  authorized: z.boolean(),
  authorizationError: z.string().nullable(),
  insecure: z.boolean(),
  chain: z.array(certSummarySchema),
  /** How the chain was judged (absent in logs from before the trust setting). */
  trust: tlsTrustSchema.optional(),
  /** Set when the chain shows a TLS-inspecting gateway, whether or not it was trusted. */
  interception: tlsInterceptionSchema.optional(),
});
export type TlsInfo = z.infer<typeof tlsInfoSchema>;

/** The legs of the handshake, in the order they happen: listed beside the pipeline table (shared/pipeline-legs.ts). */
export const handshakeLegSchema = z.enum(HANDSHAKE_LEGS);
export type HandshakeLegName = z.infer<typeof handshakeLegSchema>;

/**
 * An NTLM message decoded (never its hashes): the flags by name, and for a CHALLENGE what the
 * proxy said about itself (target name, NetBIOS/DNS domain and server from its AV pairs).
 */
export const ntlmMessageInfoSchema = z.object({
  /** NEGOTIATE (type 1), CHALLENGE (type 2) or AUTHENTICATE (type 3). */
  type: z.enum(['negotiate', 'challenge', 'authenticate']),
  /** The negotiate flags set, by their MS-NLMP names without the prefix (`UNICODE`, `NTLM`, …). */
  flags: z.array(z.string()),
  /** CHALLENGE: the target name (the domain or server that answered). */
  targetName: z.string().optional(),
  netbiosDomain: z.string().optional(),
  netbiosServer: z.string().optional(),
  dnsDomain: z.string().optional(),
  dnsServer: z.string().optional(),
  dnsForest: z.string().optional(),
  /** AUTHENTICATE: the domain and user name sent, and the workstation. */
  domain: z.string().optional(),
  user: z.string().optional(),
  workstation: z.string().optional(),
  /** AUTHENTICATE: which response was computed (always NTLMv2 here). */
  response: z.string().optional(),
  /** CHALLENGE/NEGOTIATE: the OS version the peer sent, `10.0.17763`. */
  version: z.string().optional(),
});
export type NtlmMessageInfo = z.infer<typeof ntlmMessageInfoSchema>;

/** One challenge of a 407, decoded: what a support engineer reads off `Proxy-Authenticate`. */
export const proxyAuthOfferSchema = z.object({
  scheme: z.string(),
  realm: z.string().optional(),
  algorithm: z.string().optional(),
  qop: z.string().optional(),
  stale: z.boolean().optional(),
  /** `NTLM <token>`: the proxy's CHALLENGE message decoded. */
  ntlm: ntlmMessageInfoSchema.optional(),
  /** A challenge whose token could not be read: what is wrong with it, in words. */
  problem: z.string().optional(),
});
export type ProxyAuthOffer = z.infer<typeof proxyAuthOfferSchema>;

/** The credentials a CONNECT carried, decoded (never the secret itself). */
export const proxyAuthSentSchema = z.object({
  scheme: z.string(),
  realm: z.string().optional(),
  algorithm: z.string().optional(),
  qop: z.string().optional(),
  userhash: z.boolean().optional(),
  /** A Digest answer sent again with the proxy's new nonce after `stale=true`. */
  staleRetry: z.boolean().optional(),
  /** NTLM: the NEGOTIATE or AUTHENTICATE message sent, decoded (the token itself is redacted). */
  ntlm: ntlmMessageInfoSchema.optional(),
  /** Negotiate (Kerberos): the service principal the ticket was asked for (`HTTP@proxy.corp`). */
  spn: z.string().optional(),
  /** Negotiate: the mechanism inside SPNEGO (`Kerberos`, `NTLM`). */
  mechanism: z.string().optional(),
  /** Negotiate with Kerberos: the ticket's service principal as the KDC issued it (`HTTP/proxy.corp`; the realm is `realm`). */
  ticketPrincipal: z.string().optional(),
  /** Negotiate: why the token sent could not be decoded for the transcript. */
  tokenProblem: z.string().optional(),
  /** This scheme was sent because a stronger one the proxy offered could not be used (Negotiate → NTLM). */
  fallback: z.object({ from: z.string(), reason: z.string() }).optional(),
});
export type ProxyAuthSent = z.infer<typeof proxyAuthSentSchema>;

/** One round of the proxy sign-in, on the CONNECT step that carried it. */
export const proxyAuthRoundSchema = z.object({
  /** 1 for the first CONNECT to this proxy, then one more per CONNECT. */
  round: z.number().int().min(1),
  sent: proxyAuthSentSchema.optional(),
  /** What the proxy's 407 to this CONNECT offered. */
  offered: z.array(proxyAuthOfferSchema).optional(),
});
export type ProxyAuthRound = z.infer<typeof proxyAuthRoundSchema>;

export const handshakeStepSchema = z.object({
  leg: handshakeLegSchema,
  /** Epoch milliseconds when the leg started. */
  startedAt: z.number(),
  /** Duration in milliseconds. */
  ms: z.number(),
  ok: z.boolean(),
  /** Who was on the other end: `proxy:3128`, `echo.example:443`. */
  peer: z.string().optional(),
  request: httpCaptureSchema.optional(),
  response: httpCaptureSchema.optional(),
  tls: tlsInfoSchema.optional(),
  /** The proxy sign-in round of a CONNECT that carried credentials or got a 407. */
  auth: proxyAuthRoundSchema.optional(),
});
export type HandshakeStep = z.infer<typeof handshakeStepSchema>;

/** Every state of a session, in pipeline order: listed beside the pipeline table (shared/pipeline-legs.ts). */
export const sessionStateSchema = z.enum(SESSION_STATES);
export type SessionState = z.infer<typeof sessionStateSchema>;

export const OPCODES = ['text', 'binary', 'ping', 'pong', 'close'] as const;
export const opcodeSchema = z.enum(OPCODES);
export type Opcode = z.infer<typeof opcodeSchema>;

export const frameSummarySchema = z.object({
  seq: z.number().int().min(1),
  dir: z.enum(['in', 'out']),
  opcode: opcodeSchema,
  /** Epoch milliseconds. */
  at: z.number(),
  /** Payload length in bytes. */
  size: z.number().int().min(0),
  /** Text frames: the text, capped; binary/ping/pong: hex of the first bytes; close: the reason. */
  preview: z.string(),
  truncated: z.boolean(),
  closeCode: z.number().int().optional(),
  closeReason: z.string().optional(),
  /** A frame the intercepting proxy edited, dropped or injected (intercept-control.ts). */
  intercept: frameMarkSchema.optional(),
});
export type FrameSummary = z.infer<typeof frameSummarySchema>;

/** A whole frame, fetched on demand. */
export const frameBodySchema = z.object({
  frame: frameSummarySchema,
  /** The payload, base64. */
  base64: z.string(),
  /** The payload as text, for text frames. */
  text: z.string().optional(),
  /** An edited intercepted frame: its payload before the edit. */
  original: originalPayloadSchema.optional(),
});
export type FrameBody = z.infer<typeof frameBodySchema>;

