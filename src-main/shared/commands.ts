/**
 * The commands every host exposes, named `domain:verb`, each with the schema of its argument
 * (checked at runtime before anything reaches the engine) and of its result.
 */
import { z } from 'zod';
import {
  connectionOptionsSchema,
  frameSummarySchema,
  proxyDecisionSchema,
  proxySettingSchema,
  RESEND_CHOICES,
  wsUrlSchema,
} from './model';
import { sessionInfoSchema } from './session-info';
import { frameGetArgSchema, frameGetResultSchema } from './payload-part';
import { fail, ok, type Result } from './result';
import { profileCommandSchemas, profileIdSchema } from './profiles';
import { environmentCommandSchemas, sessionVariablesSchema } from './environments';
import { frameFilterSchema, searchRequestSchema, searchResultSchema } from './search';
import { sessionStatsSchema } from './stats';
import { logFormatSchema } from './log-file';
import { exportDecodingSchema } from './export-decoding';
import { loggedDecodeSchema } from './log-decode';
import { repeatSchema } from './send-repeat';
import type { ListedCommandName } from './command-names';
import { interceptProxyCommandSchemas } from './intercept-proxy';
import {
  breakpointRulesSchema,
  heldFrameBodySchema,
  interceptDirectionSchema,
  interceptQueueSchema,
  messageKindSchema,
  typedPayloadSchema,
} from './intercept-control';
import { decodeChoiceSchema, decodeRequestSchema, decodeResultSchema, decodingStateSchema, protobufChoiceSchema, protobufStateSchema } from './decoding';
import { encodedMessageSchema, protocolMessageSchema } from './protocol-message';
import { PLAIN_ISSUE_WORDS } from './zod-words';

const sessionId = z.string().min(1).max(100);
/** Most session ids one session:subscribe or session:unsubscribe names (the engine holds at most 1,000 sessions). */
export const MAX_SUBSCRIBE_IDS = 1000;

/** UTF-8 byte length without Node's Buffer (this file also runs in the renderer). */
function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** A close frame's reason, in UTF-8 bytes: 125 of payload less the 2-byte code (RFC 6455 §5.5). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** Close codes a client may send (RFC 6455 §7.4, as `ws` enforces them). */
export function isSendableCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
    (code >= 3000 && code <= 4999)
  );
}

const base64 = z
  .string()
  .max(200 * 1024 * 1024)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'binary data must be base64 (A–Z, a–z, 0–9, +, /, = padding)')
  .refine((s) => s.length % 4 === 0, 'base64 length must be a multiple of 4');

const controlPayload = z
  .string()
  .refine((s) => utf8Length(s) <= 125, 'a ping or pong payload is at most 125 bytes');

/**
 * With `options`: secrets the form left empty, taken from a saved profile by the engine (the
 * renderer never holds them): a tab opened from a profile and then changed connects with its
 * changes. The engine sends each only where the profile sends it (see saved-secrets.ts).
 */
export const savedSecretsSchema = z.object({
  profileId: profileIdSchema,
  /** The profile's proxy password, for the options' proxy credentials. */
  proxyPassword: z.boolean().default(false),
  /** The profile's client-key passphrase, for `tls.passphrase`. */
  passphrase: z.boolean().default(false),
  /** The password of the profile's server URL, for the options' URL (same server and user name only). */
  urlPassword: z.boolean().default(false),
  /** The password of the profile's PAC URL, for the options' PAC URL (the same URL and user name only). */
  pacPassword: z.boolean().default(false),
  /** Secret headers of the options (by index) that take the value of a profile header (by id). */
  headers: z
    .array(z.object({ index: z.number().int().min(0), profileHeaderId: z.string().min(1).max(100) }))
    .max(200)
    .default([]),
});
export type SavedSecretsRequest = z.output<typeof savedSecretsSchema>;

export const commandSchemas = {
  'session:open': {
    /** Either `options` (a connection made on the spot) or `profileId` (a saved profile, whose secrets the engine decrypts itself). */
    arg: z
      .object({
        options: connectionOptionsSchema.optional(),
        profileId: profileIdSchema.optional(),
        savedSecrets: savedSecretsSchema.optional(),
        /**
         * Where the `{{name}}`s of the URL, headers, subprotocols, origin (and of the session's
         * messages sent with `builtins`) come from: an environment and values given on the spot.
         * The engine fills them in before anything is sent (core/variables/).
         */
        variables: sessionVariablesSchema.optional(),
        label: z.string().max(200).optional(),
        /** Pinned from the start (a tab shows it): kept after it closes. See `session:pin`. */
        pin: z.boolean().optional(),
        /**
         * Overrides what a reconnect sends again (options.reconnect.resend, or the profile's): the
         * CLI gives 'none' when it sends its own --send messages again on each attempt, so a
         * profile's CONNECT does not go twice.
         */
        resend: z.enum(RESEND_CHOICES).optional(),
      })
      .superRefine((arg, ctx) => {
        if ((arg.options === undefined) === (arg.profileId === undefined)) {
          ctx.addIssue({ code: 'custom', message: 'give either options (a connection) or profileId (a saved profile), not both and not neither' });
        }
        if (arg.savedSecrets !== undefined && arg.options === undefined) {
          ctx.addIssue({ code: 'custom', path: ['savedSecrets'], message: 'savedSecrets fill in options; with profileId the profile has its own' });
        }
      }),
    result: z.object({ sessionId: z.string() }),
  },
  /**
   * `builtins`: a text message's `{{$timestamp}}` … are substituted at each send (builtin-variables.ts),
   * and its `{{name}}`s from the session's variables (session:open `variables`); an unknown one,
   * or a `{{` that is not a variable, is refused before anything is sent. `repeat`: the engine sends it N times or
   * every T ms until `session:send-stop`, never faster than the socket drains (send-repeat.ts).
   */
  'session:send': {
    arg: z.discriminatedUnion('kind', [
      z.object({ sessionId, kind: z.literal('text'), data: z.string().max(200 * 1024 * 1024), builtins: z.boolean().optional(), repeat: repeatSchema.optional() }),
      z.object({ sessionId, kind: z.literal('binary'), data: base64, repeat: repeatSchema.optional() }),
    ]),
    /** seq: the (first) send's frame, 0 when a repeat's first send waits for the queue to drain; repeatId: the repeat's `repeat` events. */
    result: z.object({ seq: z.number().int(), repeatId: z.string().optional() }),
  },
  /** Stops the session's repeat, if one runs (a `repeat` event with status `stopped` follows). */
  'session:send-stop': { arg: z.object({ sessionId }), result: z.object({ stopped: z.boolean() }) },
  'session:ping': {
    arg: z.object({ sessionId, data: controlPayload.optional() }),
    result: z.object({ seq: z.number().int() }),
  },
  'session:pong': {
    arg: z.object({ sessionId, data: controlPayload.optional() }),
    result: z.object({ seq: z.number().int() }),
  },
  'session:close': {
    arg: z.object({
      sessionId,
      code: z.number().int().refine(isSendableCloseCode, 'close code must be 1000–1003, 1007–1014 or 3000–4999').optional(),
      reason: z
        .string()
        .refine((s) => utf8Length(s) <= MAX_CLOSE_REASON_BYTES, `a close reason is at most ${MAX_CLOSE_REASON_BYTES} bytes`)
        .optional(),
    }),
    result: z.object({}),
  },
  'session:list': { arg: z.object({}), result: z.array(sessionInfoSchema) },
  'session:dispose': { arg: z.object({ sessionId }), result: z.object({}) },
  /**
   * The calling client (page, window) takes a session over, e.g. one whose page went away:
   * it is then the caller's, and pinned (a tab shows it). See README "Sessions: owner and limits".
   */
  'session:adopt': { arg: z.object({ sessionId }), result: z.object({}) },
  /** Pinned: a tab shows the session, so it is kept after it closes; unpinned: disposed a while after it closes. */
  'session:pin': { arg: z.object({ sessionId, pinned: z.boolean().default(true) }), result: z.object({}) },
  /** A reconnecting connection waiting to reconnect starts its next attempt now (`session:close` cancels the wait instead). */
  'session:reconnect-now': { arg: z.object({ sessionId }), result: z.object({}) },
  /**
   * The calling connection (a page, a window) hears these sessions from now on: each gets a
   * `subscribed` event (where it stands), then its events and its frames in this connection's
   * own batches, acknowledged by this connection alone. `list: true` adds the list-level events
   * of every session (LIST_EVENT_TYPES), `false` stops them; `replace` unsubscribes every session
   * not named (a page that has just loaded). A connection is subscribed to the sessions it opens,
   * imports or adopts. Answers the ids the engine does not have.
   */
  'session:subscribe': {
    arg: z.object({
      sessionIds: z.array(sessionId).max(MAX_SUBSCRIBE_IDS).default([]),
      list: z.boolean().optional(),
      replace: z.boolean().optional(),
    }),
    result: z.object({ unknown: z.array(z.string()) }),
  },
  /** The calling connection no longer hears these sessions (a tab closed): no events, no frames. */
  'session:unsubscribe': { arg: z.object({ sessionIds: z.array(sessionId).max(MAX_SUBSCRIBE_IDS) }), result: z.object({}) },
  'frames:page': {
    arg: z.object({ sessionId, fromSeq: z.number().int().min(1), limit: z.number().int().min(1).max(5000) }),
    result: z.object({
      frames: z.array(frameSummarySchema),
      /** Oldest and newest seq still stored (0 when empty). */
      firstSeq: z.number().int(),
      lastSeq: z.number().int(),
      dropped: z.number().int(),
    }),
  },
  /** A frame's payload, or with `maxBytes` a part of it (shared/payload-part.ts). */
  'frames:get': { arg: frameGetArgSchema, result: frameGetResultSchema },
  'frames:search': { arg: searchRequestSchema, result: searchResultSchema },
  'frames:search-cancel': {
    arg: z.object({ sessionId, searchId: z.string().min(1).max(100) }),
    /** Whether a running search of that id was cancelled (false: none was running). */
    result: z.object({ cancelled: z.boolean() }),
  },
  /** The consumer has ingested every frame summary (batch or skipped notice) up to `seq`. */
  'frames:ack': {
    arg: z.object({ sessionId, seq: z.number().int().min(0) }),
    result: z.object({}),
  },
  'session:stats': { arg: z.object({ sessionId }), result: sessionStatsSchema },
  /**
   * The session's log (all frames, or those matching `filter`) as NDJSON or HAR text, secrets
   * redacted; with `decoded`, each frame a decoder reads also has its decoding (shared/export-decoding.ts).
   * `decode`: the Decode choice the caller reads the session with (a tab's, --decode), recorded in the
   * file so an import decodes the same way (shared/log-decode.ts); left out, `decoded`'s choice is.
   */
  'frames:export': {
    arg: z.object({ sessionId, format: logFormatSchema, filter: frameFilterSchema.optional(), decoded: exportDecodingSchema.optional(), decode: loggedDecodeSchema.optional() }),
    result: z.object({ format: logFormatSchema, text: z.string(), frames: z.number().int(), fileName: z.string() }),
  },
  /** The same, written to a file (only hosts that allow it: the CLI). */
  'frames:export-to-file': {
    arg: z.object({ sessionId, format: logFormatSchema, filter: frameFilterSchema.optional(), decoded: exportDecodingSchema.optional(), decode: loggedDecodeSchema.optional(), path: z.string().min(1).max(4096) }),
    result: z.object({ path: z.string(), frames: z.number().int(), bytes: z.number().int() }),
  },
  /** Opens an NDJSON or HAR log as a read-only session (format: guessed from the text when left out). */
  'frames:import': {
    arg: z.object({
      format: logFormatSchema.optional(),
      text: z.string().max(512 * 1024 * 1024),
      name: z.string().min(1).max(200),
    }),
    result: z.object({
      sessionId: z.string(),
      format: logFormatSchema,
      frames: z.number().int(),
      /** What was imported differently from the file (renumbered seqs, skipped entries …). */
      notes: z.array(z.string()),
      /** The Decode choice the file says the session was read with (one this engine decodes): the tab starts with it. */
      decode: loggedDecodeSchema.optional(),
      /**
       * The file's own frame numbers, seq 1's first, when they are not 1..n (a filtered export's
       * #12, #57, #300): the tab shows and takes these (shared/frame-numbers.ts). Strictly increasing.
       */
      numbers: z.array(z.number().int().min(1)).optional(),
    }),
  },
  /**
   * An imported log's own frame numbers when they are not 1..n, as `frames:import` answered them
   * (a page reloaded, or another window, asks here); none for a live session or a file numbered 1..n.
   */
  'frames:numbers': {
    arg: z.object({ sessionId }),
    result: z.object({ numbers: z.array(z.number().int().min(1)).optional() }),
  },
  /**
   * How the session's frames are read in their protocol (issue 14): `choice` sets it (auto, none
   * or a protocol the engine decodes: a tab's or a profile's override), left out it only answers
   * where it stands. Decoding is lazy: nothing is decoded until `frames:decode` or a search asks.
   * With choice protobuf, `protobuf` sends a schema's content (and the message type): the engine
   * compiles it as the CLI does and answers the types it found, or what is wrong and where.
   */
  'session:decoding': {
    arg: z
      .object({ sessionId, choice: decodeChoiceSchema.optional(), protobuf: protobufChoiceSchema.optional() })
      .refine((a) => a.protobuf === undefined || a.choice === 'protobuf', { path: ['protobuf'], message: 'a Protocol Buffers schema goes with choice "protobuf"' }),
    result: decodingStateSchema,
  },
  /** The frames asked for (rows in view, the detail pane), decoded with the session's choice. */
  'frames:decode': { arg: decodeRequestSchema, result: decodeResultSchema },
  /** A composer's protocol message as the bytes to send (then `session:send`), with its summary. */
  'message:encode': { arg: z.object({ message: protocolMessageSchema }), result: encodedMessageSchema },
  /**
   * A Protocol Buffers choice (schema content, type, type rules) checked without a session, as
   * session:decoding would take it (the profile editor): the types the schema has, or what is
   * wrong at `protobuf.schema` (with protobufjs's line), `protobuf.type` or `protobuf.rules.<i>.type`.
   */
  'protobuf:compile': { arg: z.object({ protobuf: protobufChoiceSchema }), result: protobufStateSchema },
  'proxy:resolve': {
    arg: z.object({
      url: wsUrlSchema,
      proxy: proxySettingSchema.default({ mode: 'auto' }),
    }),
    result: proxyDecisionSchema,
  },
  'app:info': {
    arg: z.object({}),
    result: z.object({
      name: z.string(),
      version: z.string(),
      host: z.enum(['electron', 'web', 'cli']),
      platform: z.string(),
      /** Whether the host has a system proxy resolver (Electron: Chromium's). */
      systemProxy: z.boolean(),
    }),
  },
  ...profileCommandSchemas,
  ...environmentCommandSchemas,
  // The intercepting proxy run by the engine: start, stop, status, its CA (intercept-proxy.ts).
  ...interceptProxyCommandSchemas,
  // The intercepting proxy's breakpoints and injection (core/intercept/, shared/intercept-control.ts).
  /** The breakpoint rules in force. */
  'intercept:breakpoints': { arg: z.object({}), result: z.object({ rules: breakpointRulesSchema }) },
  /** Replaces the rules; a regex or JSONPath that cannot be used is refused naming the rule (`rules.2.regex`). */
  'intercept:set-breakpoints': { arg: z.object({ rules: breakpointRulesSchema }), result: z.object({ rules: breakpointRulesSchema }) },
  /** The messages held now (of one connection, or all) with their payloads, and each connection's queue. */
  'intercept:held': {
    arg: z.object({ sessionId: sessionId.optional() }),
    result: z.object({ frames: z.array(heldFrameBodySchema), queues: z.array(interceptQueueSchema) }),
  },
  /** Lets a held message go, as it was or replaced by `edit` (JSON checked to parse, hex to be hex). */
  'intercept:forward': {
    arg: z.object({ id: z.number().int().min(1), edit: typedPayloadSchema.optional() }),
    result: z.object({ edited: z.boolean() }),
  },
  /** Drops a held message: it never reaches the other side (the log keeps it, marked dropped). */
  'intercept:drop': { arg: z.object({ id: z.number().int().min(1) }), result: z.object({}) },
  /** Lets every held message go as it is, in order (of one connection, or all). */
  'intercept:forward-all': {
    arg: z.object({ sessionId: sessionId.optional() }),
    result: z.object({ count: z.number().int().min(0) }),
  },
  /**
   * Sends a message typed in Tunnelscope into an intercepted connection: `out` to the server as
   * if from the client, `in` to the client as if from the server (marked injected in the log).
   * It goes behind what that direction already has waiting.
   */
  'intercept:inject': {
    arg: z.object({ sessionId, direction: interceptDirectionSchema, kind: messageKindSchema, payload: typedPayloadSchema }),
    result: z.object({ queued: z.boolean() }),
  },
  /** Closes one side of an intercepted connection with a code (and reason); the other side is closed as usual after it. */
  'intercept:close-side': {
    arg: z.object({
      sessionId,
      side: z.enum(['client', 'server']),
      code: z.number().int().refine(isSendableCloseCode, 'close code must be 1000–1003, 1007–1014 or 3000–4999'),
      reason: z
        .string()
        .refine((s) => utf8Length(s) <= MAX_CLOSE_REASON_BYTES, `a close reason is at most ${MAX_CLOSE_REASON_BYTES} bytes`)
        .default(''),
    }),
    result: z.object({}),
  },
} as const;

export type CommandName = keyof typeof commandSchemas;
export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];

/** The preload's zod-free list (command-names.ts) must name exactly these commands. */
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _commandNameListMatches: SameNames<ListedCommandName, CommandName> = true;
void _commandNameListMatches;
export type CommandArg<C extends CommandName> = z.output<(typeof commandSchemas)[C]['arg']>;
/** The argument as a caller writes it (defaults may be left out). */
export type CommandArgInput<C extends CommandName> = z.input<(typeof commandSchemas)[C]['arg']>;
export type CommandResult<C extends CommandName> = z.output<(typeof commandSchemas)[C]['result']>;

/** The typed API every host offers: one method per command. */
export type TunnelscopeApi = {
  [C in CommandName]: (arg: CommandArgInput<C>) => Promise<Result<CommandResult<C>>>;
};

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(commandSchemas, value);
}

/**
 * Validates a command's argument. A bad payload gets an INVALID_ARGUMENT result that says
 * what was wrong and where (`options.url: the URL must start with ws:// or wss://`).
 */
export function parseCommandArg<C extends CommandName>(name: C, raw: unknown): Result<CommandArg<C>> {
  const parsed = commandSchemas[name].arg.safeParse(raw, PLAIN_ISSUE_WORDS);
  if (parsed.success) return ok(parsed.data as CommandArg<C>);
  const issue = parsed.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const where = path ? `${path}: ` : '';
  return fail('INVALID_ARGUMENT', `${name}: ${where}${issue?.message ?? 'invalid argument'}`, path);
}
