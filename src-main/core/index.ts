/**
 * The engine's public surface: the hosts (src-main/electron, src-main/index.ts, src-main/web,
 * src-main/cli, src-main/host) import the core only through this file (eslint.config.js
 * enforces it), so what they depend on is listed in one place and the rest can move freely.
 */

// The engine and its options.
export { Engine, type EngineOptions } from './engine';

// Time, injectable (the web host's one-time code expires on it).
export { systemClock, type Clock } from './net/clock';

// Sessions: the per-client limits the web host passes on, the close handshake's default wait.
export { DEFAULT_SESSION_LIMITS, type SessionLimits } from './session/session-owners';
export { DEFAULT_CLOSE_TIMEOUT_MS } from './session/ws-session';
export { DEFAULT_PAGE_TAIL_FRAMES } from './session/frame-batcher';

// Proxies: the OS settings reader, a proxy URL's password hidden in text.
export { createSystemProxy } from './proxy/system/system-proxy';
export { redactProxyUrlText } from './proxy/parse-proxy-url';

// Profiles: where profiles.json lives, the largest import file.
export { dataDirFlagProblem, resolveDataDir } from './profiles/data-dir';
export { MAX_IMPORT_BYTES } from './profiles/profile-transfer';

// Secrets: the desktop's safeStorage, or a key file when it is unavailable.
export { safeStorageOrKeyFile, type SafeStorageLike } from './secrets/safe-storage-cipher';

// Redaction: captured headers and credentials hidden the way the engine hides them.
export { redactCapture } from './capture/redact';
export { credentialSecrets } from './capture/session-secrets';
export { ValueRedactor } from './capture/value-redactor';

// Files: exports written where the user asked, PEM files checked before use.
export { OutputFileError, outputProblem, writeOutputFile } from './export/output-file';
export { MAX_IMPORT_CHARS } from './export/import-log';
export { checkPemFile } from './tls/tls-material';
export { certificateDraft, certificatePem, newRsaKeyPem } from './tls/certificate-draft';

// Intercept: the intercepting proxy, its CA and leaf certificates, the upstream choice.
export { InterceptProxy, type InterceptProxyOptions } from './intercept/intercept-proxy';
export { LeafCertificates } from './intercept/leaf-certificates';
export { InterceptCaError, readInterceptCaCertificate, type InterceptCa } from './intercept/intercept-ca';
export { openInterceptCa } from './intercept/open-intercept-ca';
export type { CloseStarter, InterceptEvent } from './intercept/intercept-events';
export type { DeflateMode, UpstreamChoice } from './intercept/upstream-options';
export { PassthroughList, parsePassthroughPattern, passthroughSourceText, type PassthroughPattern, type PassthroughSource } from './intercept/passthrough-hosts';
export type { InterceptProfile } from './intercept/intercept-profile';
export { PassthroughFileError, addPassthroughHost, passthroughFilePath, readPassthroughFile, removePassthroughHost } from './intercept/passthrough-file';
export { clientLabel, clientTlsLine } from './intercept/client-tls-failure';
export { clientProcessLookup, type ClientProcessLookup } from './intercept/client-process';
export { InterceptBreakpoints, type BreakpointRule } from './intercept/breakpoints';
export { payloadBytes } from './intercept/typed-payload';

// Decoders: what the frames say in their protocol (Socket.IO, STOMP, MQTT, GraphQL, SignalR, MessagePack, CBOR,
// Protocol Buffers, compressed, Base64), decoded on demand.
export { DECODE_CHOICES, describeDecoding, SessionDecoding, type ActiveDecoding, type DecodeChoice } from './decode/session-decoding';
export { DECODER_NAMES, DECODER_TITLES, type DecodeOutcome, type DecoderName, type WireFrame } from './decode/decoded-frame';
export type { DecoderSettings } from './decode/decoder-registry';
export { decodedRecord, type DecodedRecord } from './decode/decoded-record';
export { CredentialBytes } from './decode/credential-bytes';
export { MidwayCredentials } from './decode/midway-credentials';
export { endedAnswer, isEndAware } from './decode/session-end';
export { loadProtobufSchema, type ProtobufSchema, type ProtobufSchemaSource } from './decode/protobuf-schema';
export { protobufChoiceSettings } from './decode/protobuf-choice';
