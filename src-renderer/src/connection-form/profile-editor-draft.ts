/**
 * What the profile editor edits: the connection form every tab uses (connection-draft.ts, made
 * from the profile by profile-draft.ts, each secret only as "the profile holds one" and whether
 * the form keeps it), plus what only a profile has: its name and saved messages. Turned back
 * into the contract's ProfileInput by the same function a tab's Save uses. Plain functions.
 */
import { PROFILE_RECONNECT_DEFAULTS, PROXY_MODES, profileInputSchema, type ProfileInputDraft, type ProfileView, type SAVED_MESSAGE_KINDS } from '../../../src-main/shared/profiles';
import { endpointUrlProblem } from '../../../src-main/shared/endpoint-url';
import { looksLikeCredentialHeader } from '../../../src-main/shared/secret-headers';
import { emptyDraft, newRowKey, type ConnectionDraft, type DraftHeader } from './connection-draft';
import { draftFingerprint, draftFromProfile, profileInputFromDraft } from './profile-draft';
import { protobufChoiceFrom, protobufDraftFrom, type ProtobufDraft } from './protobuf-choice-draft';

export type ProxyModeAll = (typeof PROXY_MODES)[number];
export type SavedMessageKind = (typeof SAVED_MESSAGE_KINDS)[number];

export interface EditorMessage {
  key: number;
  id?: string;
  name: string;
  kind: SavedMessageKind;
  /** text and JSON: the text; binary: base64. */
  body: string;
}

export interface EditorDraft {
  name: string;
  /** The connection form, as a tab has it (a new profile's Reconnect row proposes PROFILE_RECONNECT_DEFAULTS). */
  form: ConnectionDraft;
  savedMessages: EditorMessage[];
  /** The environment a tab opened from the profile uses (null: none); may name one deleted since (the editor says so). */
  environmentId: string | null;
  /** How a tab opened from the profile decodes its frames: auto, none or a protocol. */
  decode: string;
  /** With decode protobuf: the schema, type and type rules as edited (absent: the profile's own are kept as saved). */
  protobuf?: ProtobufDraft;
  /** What the engine said of that choice (protobuf:compile), at its place; undefined when it took it. */
  protobufProblem?: { place: string; message: string } | undefined;
  /** Hosts `intercept` with this profile tunnels untouched, one pattern a line (as typed; blank lines are ignored). */
  interceptPassthrough: string;
  /** The profile as loaded or last saved (null: a new one): its id, and which secrets and header ids are its own. */
  base: ProfileView | null;
  /**
   * Row keys of the headers the user unticked "secret" on: a credential-like name stays plain
   * only then (saved as `plainByChoice`, shared/secret-headers.ts), and is not ticked again.
   */
  plainHeaderKeys?: number[];
}

export function newEditorHeader(): DraftHeader {
  return { key: newRowKey(), name: '', value: '', secret: false };
}

export function newEditorMessage(): EditorMessage {
  return { key: newRowKey(), name: '', kind: 'text', body: '' };
}

export function emptyEditorDraft(): EditorDraft {
  return { name: '', form: emptyDraft('', PROFILE_RECONNECT_DEFAULTS), savedMessages: [], environmentId: null, decode: 'auto', interceptPassthrough: '', base: null };
}

/** The editor's form for a profile; its secrets are only "saved" flags. */
export function editorDraftFromView(view: ProfileView): EditorDraft {
  const form = draftFromProfile(view, PROFILE_RECONNECT_DEFAULTS);
  // The form's rows are the view's headers in order.
  const plainHeaderKeys = view.headers.flatMap((header, index) => {
    const key = form.headers[index]?.key;
    return !header.secret && header.plainByChoice === true && key !== undefined ? [key] : [];
  });
  return {
    name: view.name,
    form,
    plainHeaderKeys,
    savedMessages: view.savedMessages.map((message) => ({ key: newRowKey(), id: message.id, name: message.name, kind: message.kind, body: message.body })),
    environmentId: view.environmentId ?? null,
    decode: view.decode ?? 'auto',
    protobuf: protobufDraftFrom(view.decodeProtobuf),
    interceptPassthrough: (view.interceptPassthrough ?? []).join('\n'),
    base: view,
  };
}

/** The save input for the editor's form (an update of its base profile, or a new one). */
export function editorDraftToInput(draft: EditorDraft): ProfileInputDraft {
  const { environmentId: _base, decode: _baseDecode, decodeProtobuf, interceptPassthrough: _baseHosts, ...fields } = profileInputFromDraft(draft.form, draft.base, draft.name, {
    allHeaders: true,
  });
  const hosts = passthroughLines(draft.interceptPassthrough).map((line) => line.text);
  // allHeaders: the input's headers are the form's rows in order.
  const plainKeys = new Set(draft.plainHeaderKeys ?? []);
  const headers = fields.headers?.map((header, index) => {
    const key = draft.form.headers[index]?.key;
    return !header.secret && key !== undefined && plainKeys.has(key) && looksLikeCredentialHeader(header.name) ? { ...header, plainByChoice: true as const } : header;
  });
  return {
    ...fields,
    ...(headers !== undefined ? { headers } : {}),
    ...(hosts.length > 0 ? { interceptPassthrough: hosts } : {}),
    ...(draft.environmentId !== null ? { environmentId: draft.environmentId } : {}),
    // auto is the default: left out, as an older profile has it.
    ...(draft.decode !== 'auto' ? { decode: draft.decode } : {}),
    // The Protocol Buffers schema (picked here or in a tab) stays while the profile decodes as protobuf.
    ...(draft.decode === 'protobuf' ? protobufInput(draft, decodeProtobuf) : {}),
    savedMessages: draft.savedMessages.map((message) => ({
      ...(message.id !== undefined ? { id: message.id } : {}),
      name: message.name.trim(),
      kind: message.kind,
      body: message.body,
    })),
  };
}

/** The editor's schema, type and rules when it has them, else the profile's as saved. */
function protobufInput(draft: EditorDraft, saved: ProfileInputDraft['decodeProtobuf']): Pick<ProfileInputDraft, 'decodeProtobuf'> {
  const choice = draft.protobuf ? protobufChoiceFrom(draft.protobuf).choice : saved;
  return choice !== undefined ? { decodeProtobuf: choice } : {};
}

/** A print of the form without any typed secret (only whether one was typed): for "unsaved changes". */
export function editorFingerprint(draft: EditorDraft): string {
  return JSON.stringify({
    name: draft.name,
    form: draftFingerprint(draft.form),
    // An added row is a change before it has a name (the form's print counts named headers only).
    headerRows: draft.form.headers.length,
    savedMessages: draft.savedMessages.map(({ key: _key, ...rest }) => rest),
    environmentId: draft.environmentId,
    decode: draft.decode,
    protobuf: draft.protobuf ? (protobufChoiceFrom(draft.protobuf).choice ?? null) : null,
    interceptPassthrough: passthroughLines(draft.interceptPassthrough).map((line) => line.text),
  });
}

/**
 * The passthrough field's patterns: each non-blank line, trimmed, with its line number (1-based)
 * so a problem at `interceptPassthrough.<i>` can name the line it came from.
 */
export function passthroughLines(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((raw, index) => ({ line: index + 1, text: raw.trim() }))
    .filter((entry) => entry.text !== '');
}

/** Problems by place (`url`, `headers.0.name`, `proxy.url`, `savedMessages.2.body`), as the contract's check finds them. */
export type EditorProblems = Record<string, string>;

/** Checks the input as the engine will, plus what a form can say better (an unnamed header). */
export function checkEditorDraft(draft: EditorDraft): { input: ProfileInputDraft; problems: EditorProblems } {
  const input = editorDraftToInput(draft);
  const problems: EditorProblems = {};
  draft.form.headers.forEach((header, index) => {
    if (header.name.trim() === '') problems[`headers.${index}.name`] = 'a header needs a name (or remove the row)';
  });
  draft.savedMessages.forEach((message, index) => {
    if (message.name.trim() === '') problems[`savedMessages.${index}.name`] = 'a saved message needs a name';
  });
  // A first byte that is not one, and what the engine said of the schema, type and rules.
  if (draft.decode === 'protobuf' && draft.protobuf) {
    Object.assign(problems, protobufChoiceFrom(draft.protobuf).problems);
    if (draft.protobufProblem) problems[draft.protobufProblem.place] ??= draft.protobufProblem.message;
  }
  const parsed = profileInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const place = placeOf(issue);
      problems[place] ??= issue.message;
    }
  }
  // The engine reads a manual proxy's URL with this parser when saving (and when connecting).
  const proxyUrl = draft.form.proxyUrl.trim();
  const proxyProblem = draft.form.proxyMode === 'manual' && proxyUrl !== '' ? endpointUrlProblem(proxyUrl, 'proxy') : undefined;
  if (proxyProblem !== undefined) problems['proxy.url'] ??= proxyProblem;
  return { input, problems };
}

function placeOf(issue: { path: readonly PropertyKey[] }): string {
  return issue.path.length === 0 ? 'general' : issue.path.map(String).join('.');
}

/** `profiles:save: profile.name: a profile named …` → place `name`, message `a profile named …`. */
export function problemFromError(message: string, path: string | undefined): { place: string; message: string } {
  let rest = message.replace(/^profiles:[a-z-]+: /, '');
  const place = (path ?? '').replace(/^profile\./, '');
  if (path !== undefined && rest.startsWith(`${path}: `)) rest = rest.slice(path.length + 2);
  if (place !== '' && rest.startsWith(`${place}: `)) rest = rest.slice(place.length + 2);
  return { place: place === '' ? 'general' : place, message: rest };
}

/** Whether a proxy mode uses the proxy URL, a PAC source, or credentials. */
export function proxyModeUses(mode: ProxyModeAll): { url: boolean; pac: boolean; credentials: boolean } {
  return { url: mode === 'manual', pac: mode === 'pac', credentials: mode !== 'none' };
}

export const PROXY_MODE_LABELS: Readonly<Record<ProxyModeAll, string>> = {
  auto: 'Auto (system, then environment)',
  none: 'None (direct)',
  manual: 'Manual',
  pac: 'PAC',
  system: 'System only',
  env: 'Environment only',
};

export const PROXY_MODE_LIST: readonly ProxyModeAll[] = PROXY_MODES;
