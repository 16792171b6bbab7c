/**
 * An in-memory stand-in for the engine's profile commands, for store and component tests:
 * revisions and CONFLICT, secrets kept as they would be (the views only say whether one is
 * set; the clear values stay in `secrets`, which a test can search), delete with undo tokens,
 * and an all-or-nothing import that reports problems with their place.
 */
import { profileInputSchema, type ProfileStatus, type ProfileView, type TransferProblem } from '../../../src-main/shared/profiles';
import type { CommandName } from '../../../src-main/shared/commands';
import type { Result } from '../../../src-main/shared/result';

export interface FakeProfiles {
  /** The stored profiles (views: no secret values). */
  views: Map<string, ProfileView>;
  /** Every secret value the backend was sent, by "profileId/field". */
  secrets: Map<string, string>;
  status: ProfileStatus;
  /** Changes a stored profile behind the UI's back (another window): its revision goes up. */
  touch(id: string, change?: Partial<ProfileView>): ProfileView;
  handlers: Partial<Record<CommandName, (arg: unknown) => Result<unknown>>>;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (code: 'CONFLICT' | 'UNKNOWN_PROFILE' | 'INVALID_ARGUMENT' | 'NOT_FOUND', message: string, path?: string): Result<never> => ({
  ok: false,
  error: path === undefined ? { code, message } : { code, message, path },
});

function record(arg: unknown): Record<string, unknown> {
  return typeof arg === 'object' && arg !== null ? { ...arg } : {};
}

export function defaultStatus(): ProfileStatus {
  return { dataDir: '/data', file: '/data/profiles.json', protection: 'os-store', cipher: 'keyring', notices: [], setAsideFiles: [] };
}

export function createFakeProfiles(): FakeProfiles {
  const views = new Map<string, ProfileView>();
  const secrets = new Map<string, string>();
  const undo = new Map<string, ProfileView>();
  let listRevision = 1;
  let nextId = 1;
  let now = 1_700_000_000_000;
  const state = { status: defaultStatus() };

  const newId = (prefix: string): string => `${prefix}${nextId++}`;
  const nameTaken = (name: string, except?: string): boolean =>
    [...views.values()].some((v) => v.id !== except && v.name.toLowerCase() === name.trim().toLowerCase());

  /** Turns a secret input into its view state, remembering a new value. */
  function secretState(input: { set: boolean } | { value: string } | undefined, key: string, before: boolean): { set: boolean } {
    if (input === undefined) return { set: before };
    if ('value' in input) {
      secrets.set(key, input.value);
      return { set: true };
    }
    if (!input.set) secrets.delete(key);
    return { set: input.set && before };
  }

  function save(arg: unknown): Result<ProfileView> {
    const { profile, expectedRevision } = record(arg);
    const parsed = profileInputSchema.safeParse(profile);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = ['profile', ...(issue?.path ?? []).map(String)].join('.');
      return fail('INVALID_ARGUMENT', `profiles:save: ${path}: ${issue?.message ?? 'invalid'}`, path);
    }
    const input = parsed.data;
    const previous = input.id === undefined ? undefined : views.get(input.id);
    if (input.id !== undefined && !previous) return fail('UNKNOWN_PROFILE', `there is no profile with id ${input.id}`, 'profile.id');
    if (previous && previous.revision !== expectedRevision) {
      return fail('CONFLICT', `profile "${previous.name}" was changed elsewhere (another window or process) since it was opened; reload it and make the change again`, 'expectedRevision');
    }
    if (nameTaken(input.name, previous?.id)) return fail('INVALID_ARGUMENT', `profile.name: a profile named "${input.name}" already exists; choose another name`, 'profile.name');
    const id = previous?.id ?? newId('p');
    now += 1000;
    const view: ProfileView = {
      id,
      revision: (previous?.revision ?? 0) + 1,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      name: input.name,
      url: input.url,
      headers: input.headers.map((header) => {
        const headerId = header.id ?? newId('h');
        if (!header.secret) return { id: headerId, name: header.name, secret: false, value: header.value, ...(header.plainByChoice === true ? { plainByChoice: true as const } : {}) };
        const before = previous?.headers.find((h) => h.id === headerId);
        return { id: headerId, name: header.name, secret: true, value: secretState(header.value, `${id}/header:${headerId}`, before?.secret === true && before.value.set) };
      }),
      subprotocols: input.subprotocols,
      ...(input.origin !== undefined ? { origin: input.origin } : {}),
      urlPassword: secretState(input.urlPassword, `${id}/urlPassword`, previous?.urlPassword?.set ?? false),
      proxy: {
        ...input.proxy,
        password: secretState(input.proxy.password, `${id}/proxy.password`, previous?.proxy.password.set ?? false),
        pacPassword: secretState(input.proxy.pacPassword, `${id}/proxy.pacPassword`, previous?.proxy.pacPassword?.set ?? false),
      },
      tls: { ...input.tls, passphrase: secretState(input.tls.passphrase, `${id}/tls.passphrase`, previous?.tls.passphrase.set ?? false) },
      handshakeTimeoutMs: input.handshakeTimeoutMs,
      ...(input.reconnect !== undefined ? { reconnect: input.reconnect } : {}),
      ...(input.environmentId !== undefined ? { environmentId: input.environmentId } : {}),
      ...(input.decode !== undefined ? { decode: input.decode } : {}),
      ...(input.decodeProtobuf !== undefined ? { decodeProtobuf: input.decodeProtobuf } : {}),
      ...(input.interceptPassthrough !== undefined ? { interceptPassthrough: input.interceptPassthrough } : {}),
      savedMessages: input.savedMessages.map((message) => ({ ...message, id: message.id ?? newId('m') })),
    };
    views.set(id, view);
    listRevision += 1;
    return ok(view);
  }

  function touch(id: string, change: Partial<ProfileView> = {}): ProfileView {
    const current = views.get(id);
    if (!current) throw new Error(`fake profiles: no ${id}`);
    const next = { ...current, ...change, revision: current.revision + 1 };
    views.set(id, next);
    listRevision += 1;
    return next;
  }

  function find(arg: unknown): ProfileView | undefined {
    const { id } = record(arg);
    return typeof id === 'string' ? views.get(id) : undefined;
  }

  function importText(arg: unknown): Result<unknown> {
    const { text } = record(arg);
    const problems: TransferProblem[] = [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(text));
    } catch (error) {
      return ok({ imported: [], problems: [{ path: '', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`, line: 1, column: 1 }], warnings: [] });
    }
    const list = record(parsed)['profiles'];
    if (!Array.isArray(list)) return ok({ imported: [], problems: [{ path: 'profiles', message: 'expected a list of profiles' }], warnings: [] });
    list.forEach((item: unknown, index) => {
      const fields = record(item);
      if (typeof fields['name'] !== 'string' || fields['name'] === '') problems.push({ path: `profiles[${index}].name`, message: 'a profile needs a name' });
      if (typeof fields['url'] !== 'string' || !/^wss?:\/\//.test(fields['url'])) problems.push({ path: `profiles[${index}].url`, message: 'the URL must start with ws:// or wss://' });
    });
    if (problems.length > 0) return ok({ imported: [], problems, warnings: [] });
    const imported = list.map((item: unknown) => {
      const fields = record(item);
      const result = save({ profile: { name: String(fields['name']), url: String(fields['url']), proxy: { mode: 'auto' }, tls: {} } });
      if (!result.ok) throw new Error('fake import failed');
      return { id: result.value.id, name: result.value.name };
    });
    return ok({ imported, problems: [], warnings: [] });
  }

  const handlers: FakeProfiles['handlers'] = {
    'profiles:list': () => ok({ revision: listRevision, profiles: [...views.values()] }),
    'profiles:get': (arg) => {
      const view = find(arg);
      return view ? ok(view) : fail('UNKNOWN_PROFILE', 'there is no profile with that id', 'id');
    },
    'profiles:save': save,
    'profiles:delete': (arg) => {
      const view = find(arg);
      if (!view) return fail('UNKNOWN_PROFILE', 'there is no profile with that id', 'id');
      const { expectedRevision } = record(arg);
      if (expectedRevision !== undefined && expectedRevision !== view.revision) return fail('CONFLICT', `profile "${view.name}" was changed elsewhere`, 'expectedRevision');
      views.delete(view.id);
      listRevision += 1;
      const undoToken = newId('undo');
      undo.set(undoToken, view);
      return ok({ undoToken, profile: view });
    },
    'profiles:restore': (arg) => {
      const { undoToken } = record(arg);
      const view = typeof undoToken === 'string' ? undo.get(undoToken) : undefined;
      if (!view) return fail('NOT_FOUND', 'there is nothing to undo with this token', 'undoToken');
      undo.delete(String(undoToken));
      const restored = { ...view, revision: view.revision + 1 };
      views.set(view.id, restored);
      listRevision += 1;
      return ok(restored);
    },
    'profiles:duplicate': (arg) => {
      const view = find(arg);
      if (!view) return fail('UNKNOWN_PROFILE', 'there is no profile with that id', 'id');
      const copy = { ...view, id: newId('p'), name: `${view.name} (copy)`, revision: 1 };
      views.set(copy.id, copy);
      listRevision += 1;
      return ok(copy);
    },
    'profiles:rename': (arg) => {
      const view = find(arg);
      if (!view) return fail('UNKNOWN_PROFILE', 'there is no profile with that id', 'id');
      const { name, expectedRevision } = record(arg);
      if (expectedRevision !== undefined && expectedRevision !== view.revision) return fail('CONFLICT', `profile "${view.name}" was changed elsewhere`, 'expectedRevision');
      if (typeof name !== 'string' || name.trim() === '') return fail('INVALID_ARGUMENT', 'profiles:rename: name: a profile needs a name', 'name');
      if (nameTaken(name, view.id)) return fail('INVALID_ARGUMENT', `profiles:rename: name: a profile named "${name}" already exists; choose another name`, 'name');
      return ok(touch(view.id, { name: name.trim() }));
    },
    'profiles:import': importText,
    'profiles:export': (arg) => {
      const { ids, includeSecrets } = record(arg);
      const chosen = Array.isArray(ids) ? [...views.values()].filter((v) => ids.includes(v.id)) : [...views.values()];
      const withSecrets = includeSecrets === true;
      const text = JSON.stringify({
        format: 'tunnelscope-profiles',
        version: 2,
        containsSecrets: withSecrets,
        profiles: chosen.map((v) => ({ name: v.name, url: v.url, ...(withSecrets ? { secrets: [...secrets].filter(([key]) => key.startsWith(`${v.id}/`)) } : {}) })),
      });
      return ok({ text, count: chosen.length, containsSecrets: withSecrets, warnings: withSecrets ? ['This export holds passwords … in clear text.'] : [] });
    },
    'profiles:status': () => ok(state.status),
  };

  return {
    views,
    secrets,
    get status() {
      return state.status;
    },
    set status(value: ProfileStatus) {
      state.status = value;
    },
    touch,
    handlers,
  };
}
