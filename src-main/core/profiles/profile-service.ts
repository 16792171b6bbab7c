/**
 * The profile commands, as the engine runs them: list, get, save (create or update with the
 * revision the edit was based on), delete with undo, duplicate, rename, import, export,
 * status, and the options a session opens with (secrets decrypted here, never sent out).
 * Every failure is a Result with a stable code, never a throw across the boundary.
 */
import { randomUUID } from 'node:crypto';
import type fs from 'node:fs';
import type { CommandArg, CommandResult, SavedSecretsRequest } from '../../shared/commands';
import type { ConnectionOptions } from '../../shared/model';
import { MAX_INTERCEPT_PASSTHROUGH, type ProfileImportResult, type ProfileView, type StoreNotice } from '../../shared/profiles';
import { parsePassthroughPattern, samePattern } from '../../shared/passthrough-pattern';
import type { Result } from '../../shared/result';
import { openDefaultCipher } from '../secrets/default-cipher';
import { KeyFileCipher } from '../secrets/keyfile-cipher';
import { ENVELOPE_KIND_WORDS, SecretError, type SecretCipher, type SecretEnvelope } from '../secrets/secret-store';
import { FieldError, inputHasNewSecret, storedFromExport, storedFromInput } from './profile-build';
import { connectionOptionsFor } from './profile-connection';
import { withSavedSecrets } from './saved-secrets';
import { ProfileError, profileResult } from './profile-error';
import { freeName, nameTaken } from './profile-names';
import type { StoredDocument, StoredProfile } from './profile-schema';
import { ProfileStore } from './profile-store';
import { exportProfiles, parseImportText } from './profile-transfer';
import { importedEnvironments } from './environment-service';
import { toProfileView } from './profile-view';
import { profileHasClearPassword, sealClearPasswords } from './url-credentials';
import { isClearCredentialHeader, profileHasClearCredentialHeader, sealClearCredentialHeaders } from './clear-credential-headers';
import { formatPath } from './zod-problems';
import type { LockOptions } from './file-lock';
import { EnvironmentService } from './environment-service';

export interface ProfileServiceOptions {
  dataDir: string;
  /**
   * The host's cipher (Electron: safeStorage), or a function that makes it on first need
   * (safeStorage can only be asked once the app is ready); default: the OS keyring, else the
   * key file.
   */
  cipher?: SecretCipher | (() => SecretCipher | Promise<SecretCipher>);
  env?: Readonly<Record<string, string | undefined>>;
  lock?: LockOptions;
  now?: () => number;
  /** Whether the data folder belongs to this user (tests; default: same uid), see checkDataDir. */
  isOurs?: (stat: fs.Stats) => boolean;
}

/** Deleted profiles kept for undo while the engine runs. */
const MAX_UNDO = 50;

export class ProfileService {
  readonly store: ProfileStore;
  private cipherPromise: Promise<SecretCipher> | undefined;
  private readonly undo = new Map<string, StoredProfile>();
  private readonly now: () => number;
  /** The environments, kept in the same file with the same cipher. */
  readonly environments: EnvironmentService;

  constructor(private readonly options: ProfileServiceOptions) {
    this.store = new ProfileStore({
      dataDir: options.dataDir,
      ...(options.lock ? { lock: options.lock } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.isOurs ? { isOurs: options.isOurs } : {}),
    });
    this.now = options.now ?? Date.now;
    const { cipher } = options;
    if (cipher !== undefined && typeof cipher !== 'function') this.cipherPromise = Promise.resolve(cipher);
    this.environments = new EnvironmentService({
      store: this.store,
      cipher: () => this.cipher(),
      decrypt: (opened, envelope) => this.decryptWith(opened, envelope),
      now: this.now,
    });
  }

  list(): Promise<Result<CommandResult<'profiles:list'>>> {
    return profileResult(async () => {
      const doc = await this.store.read();
      return { revision: doc.revision, profiles: doc.profiles.map(toProfileView) };
    });
  }

  get(id: string): Promise<Result<ProfileView>> {
    return profileResult(async () => toProfileView(findOrThrow(await this.store.read(), id)));
  }

  save(arg: CommandArg<'profiles:save'>): Promise<Result<ProfileView>> {
    return profileResult(async () => {
      const { profile: input, expectedRevision } = arg;
      // A URL password still in clear on disk (an older file) is encrypted by this save too,
      // when the secret store can be opened; if not, a save that needs no new secret still goes
      // on and leaves those as they were (no worse than before).
      // So is a credential-like header still in clear (clear-credential-headers.ts); keeping one
      // ({ set: true }) needs the cipher, as a new secret does.
      const before = await this.store.read();
      const sealing = before.profiles.some((p) => profileHasClearPassword(p) || profileHasClearCredentialHeader(p));
      const keepsClearHeader = keepsClearCredentialHeader(input, before.profiles.find((p) => p.id === input.id));
      const cipher = inputHasNewSecret(input) || keepsClearHeader ? await this.cipher() : sealing ? await this.cipher().catch(() => undefined) : undefined;
      const encrypt = (text: string): SecretEnvelope => {
        if (!cipher) throw new SecretError('a secret of this profile cannot be encrypted: the secret store could not be opened (see profiles status)');
        return cipher.encrypt(text);
      };
      const seal = (p: StoredProfile): StoredProfile => sealClearCredentialHeaders(sealClearPasswords(p, encrypt), encrypt);
      return this.store.update((read) => {
        // Sealed first, so a header kept from the file's clear one keeps its (now encrypted) value.
        const doc = cipher ? { ...read, profiles: read.profiles.map(seal) } : read;
        const previous = input.id === undefined ? undefined : doc.profiles.find((p) => p.id === input.id);
        if (input.id !== undefined) {
          if (!previous) throw unknownProfile(input.id, 'profile.id', 'it may have been deleted in another window; save it as a new profile');
          if (expectedRevision === undefined) {
            throw new ProfileError('INVALID_ARGUMENT', 'expectedRevision: an update must say which revision of the profile it was based on', 'expectedRevision');
          }
          checkRevision(previous, expectedRevision);
        } else if (expectedRevision !== undefined) {
          throw new ProfileError('INVALID_ARGUMENT', 'expectedRevision: a new profile (no id) has no revision yet', 'expectedRevision');
        }
        const others = doc.profiles.filter((p) => p !== previous);
        checkNameFree(input.name, others, 'profile.name');
        const stored = withField('profile', () =>
          storedFromInput(input, {
            id: previous?.id ?? randomUUID(),
            now: this.now(),
            newId: randomUUID,
            encrypt,
            ...(previous ? { previous } : {}),
          }),
        );
        const saved = previous ? doc.profiles.map((p) => (p === previous ? stored : p)) : [...doc.profiles, stored];
        return { doc: { ...doc, profiles: cipher ? saved.map(seal) : saved }, value: toProfileView(stored) };
      });
    });
  }

  delete(id: string, expectedRevision: number | undefined): Promise<Result<CommandResult<'profiles:delete'>>> {
    return profileResult(async () => {
      const removed = await this.store.update((doc) => {
        const target = findOrThrow(doc, id);
        if (expectedRevision !== undefined) checkRevision(target, expectedRevision);
        return { doc: { ...doc, profiles: doc.profiles.filter((p) => p !== target) }, value: target };
      });
      const undoToken = randomUUID();
      this.undo.set(undoToken, removed);
      for (const key of this.undo.keys()) {
        if (this.undo.size <= MAX_UNDO) break;
        this.undo.delete(key);
      }
      return { undoToken, profile: toProfileView(removed) };
    });
  }

  restore(undoToken: string): Promise<Result<ProfileView>> {
    return profileResult(async () => {
      const removed = this.undo.get(undoToken);
      if (!removed) throw new ProfileError('NOT_FOUND', 'there is nothing to undo with this token (it was used already, or the app was restarted)', 'undoToken');
      const restored = await this.store.update((doc) => {
        if (doc.profiles.some((p) => p.id === removed.id)) {
          throw new ProfileError('CONFLICT', `profile "${removed.name}" is already there again`, 'undoToken');
        }
        const name = freeName(removed.name, doc.profiles.map((p) => p.name), 'restored');
        const profile: StoredProfile = { ...removed, name, revision: removed.revision + 1, updatedAt: this.now() };
        return { doc: { ...doc, profiles: [...doc.profiles, profile] }, value: profile };
      });
      this.undo.delete(undoToken);
      return toProfileView(restored);
    });
  }

  duplicate(id: string, name: string | undefined): Promise<Result<ProfileView>> {
    return profileResult(async () =>
      this.store.update((doc) => {
        const source = findOrThrow(doc, id);
        const taken = doc.profiles.map((p) => p.name);
        if (name !== undefined) checkNameFree(name, doc.profiles, 'name');
        const now = this.now();
        // Envelopes are copied as they are: the copy has the same secrets.
        const copy: StoredProfile = { ...source, id: randomUUID(), name: name ?? freeName(source.name, taken, 'copy', true), revision: 1, createdAt: now, updatedAt: now };
        return { doc: { ...doc, profiles: [...doc.profiles, copy] }, value: toProfileView(copy) };
      }),
    );
  }

  rename(id: string, name: string, expectedRevision: number | undefined): Promise<Result<ProfileView>> {
    return profileResult(async () =>
      this.store.update((doc) => {
        const target = findOrThrow(doc, id);
        if (expectedRevision !== undefined) checkRevision(target, expectedRevision);
        checkNameFree(name, doc.profiles.filter((p) => p !== target), 'name');
        const renamed: StoredProfile = { ...target, name, revision: target.revision + 1, updatedAt: this.now() };
        return { doc: { ...doc, profiles: doc.profiles.map((p) => (p === target ? renamed : p)) }, value: toProfileView(renamed) };
      }),
    );
  }

  /**
   * Adds a host pattern to the profile's intercept passthrough list (checked first; a pattern
   * that reads the same as one there is not added twice). The Intercept page's "Pass through"
   * while a run uses the profile.
   */
  addInterceptPassthrough(id: string, host: string): Promise<Result<{ added: boolean; pattern: string; hosts: string[]; profile: ProfileView }>> {
    return profileResult(async () => {
      const parsed = parsePassthroughPattern(host);
      if (!parsed.ok) throw new ProfileError('INVALID_ARGUMENT', `host: not added to the passthrough list: ${parsed.problem}`, 'host');
      return this.store.update((doc): { doc: StoredDocument; value: { added: boolean; pattern: string; hosts: string[]; profile: ProfileView } } => {
        const target = findOrThrow(doc, id);
        const hosts = target.interceptPassthrough ?? [];
        const same = hosts.find((text) => {
          const there = parsePassthroughPattern(text);
          return there.ok && samePattern(there.pattern, parsed.pattern);
        });
        if (same !== undefined) return { doc, value: { added: false, pattern: same, hosts: [...hosts], profile: toProfileView(target) } };
        if (hosts.length >= MAX_INTERCEPT_PASSTHROUGH) {
          throw new ProfileError('INVALID_ARGUMENT', `host: the passthrough list of profile "${target.name}" already holds ${MAX_INTERCEPT_PASSTHROUGH} patterns`, 'host');
        }
        const changed: StoredProfile = { ...target, interceptPassthrough: [...hosts, parsed.pattern.text], revision: target.revision + 1, updatedAt: this.now() };
        return {
          doc: { ...doc, profiles: doc.profiles.map((p) => (p === target ? changed : p)) },
          value: { added: true, pattern: parsed.pattern.text, hosts: [...(changed.interceptPassthrough ?? [])], profile: toProfileView(changed) },
        };
      });
    });
  }

  /** All or nothing: every problem is reported, and one problem means nothing is imported. */
  importText(text: string): Promise<Result<ProfileImportResult>> {
    return profileResult(async () => {
      const parsed = parseImportText(text);
      if (!parsed.ok) return { imported: [], problems: parsed.problems, warnings: [] };
      let cipher: SecretCipher | undefined;
      if (parsed.containsSecrets) {
        try {
          cipher = await this.cipher();
        } catch (error) {
          return { imported: [], problems: [{ path: '', message: `the secrets in the file cannot be stored: ${messageOf(error)}` }], warnings: [] };
        }
      }
      const encrypt = (value: string): SecretEnvelope => {
        if (!cipher) throw new Error('a secret to encrypt was not announced by the import check');
        return cipher.encrypt(value);
      };
      return this.store.update((doc) => {
        const taken = doc.profiles.map((p) => p.name);
        const imported: ProfileImportResult['imported'] = [];
        const added = parsed.profiles.map((profile, index) => {
          const name = freeName(profile.name, taken, 'imported');
          taken.push(name);
          const stored = withField(`profiles[${index}]`, () =>
            storedFromExport({ ...profile, name }, { id: randomUUID(), now: this.now(), newId: randomUUID, encrypt }),
          );
          imported.push(name === profile.name ? { id: stored.id, name } : { id: stored.id, name, renamedFrom: profile.name });
          return stored;
        });
        const renamed = imported.filter((entry) => entry.renamedFrom !== undefined);
        const warnings = renamed.map((entry) => `"${entry.renamedFrom ?? ''}" was imported as "${entry.name}": a profile with that name already exists.`);
        const environments = importedEnvironments(parsed.environments, doc.environments, { now: this.now(), encrypt });
        warnings.push(...environments.warnings);
        return {
          // With the cipher open, the profiles' secrets still in clear (an older file) are encrypted too, as a save does.
          doc: { ...doc, profiles: [...(cipher ? doc.profiles.map((p) => sealClearCredentialHeaders(sealClearPasswords(p, encrypt), encrypt)) : doc.profiles), ...added], environments: [...doc.environments, ...environments.added] },
          value: { imported, problems: [], warnings, ...(environments.added.length > 0 ? { environments: environments.added.map(({ id, name }) => ({ id, name })) } : {}) },
        };
      });
    });
  }

  exportProfiles(arg: CommandArg<'profiles:export'>): Promise<Result<CommandResult<'profiles:export'>>> {
    return profileResult(async () => {
      const doc = await this.store.read();
      const chosen = arg.ids === undefined ? doc.profiles : arg.ids.map((id) => findOrThrow(doc, id, 'ids'));
      const environmentSecrets = doc.environments.some((environment) => environment.variables.some((variable) => variable.secret && variable.value !== undefined));
      const needsCipher = arg.includeSecrets && (environmentSecrets || chosen.some(storedHasSecret));
      const cipher = needsCipher ? await this.cipher() : undefined;
      return exportProfiles(
        chosen,
        {
          includeSecrets: arg.includeSecrets,
          decrypt: (envelope) => this.decryptWith(cipher, envelope),
          now: this.now(),
        },
        doc.environments,
      );
    });
  }

  status(): Promise<Result<CommandResult<'profiles:status'>>> {
    return profileResult(async () => {
      await this.store.read(); // sets a damaged file aside now, so the status can report it
      const notices: StoreNotice[] = [...this.store.notices()];
      let cipherInfo: { protection: CommandResult<'profiles:status'>['protection']; cipher: SecretCipher['kind']; warning?: string };
      try {
        const cipher = await this.cipher();
        if (cipher instanceof KeyFileCipher) notices.push(...cipher.notices);
        cipherInfo = { protection: cipher.protection, cipher: cipher.kind, ...(cipher.warning ? { warning: cipher.warning } : {}) };
      } catch (error) {
        cipherInfo = { protection: 'none', cipher: 'keyfile', warning: `Secrets cannot be stored: ${messageOf(error)}` };
      }
      const readOnly = this.store.readOnlyReason();
      return {
        dataDir: this.store.dataDir,
        file: this.store.file,
        ...cipherInfo,
        ...(readOnly ? { readOnly } : {}),
        notices,
        setAsideFiles: this.store.setAsideFiles(),
      };
    });
  }

  /**
   * The options to open a session with, secrets decrypted; the profile's name labels the
   * session. An intercept run with the profile takes its way out from the same options, and its
   * passthrough patterns (intercept-profile.ts).
   */
  connection(profileId: string): Promise<Result<{ options: ConnectionOptions; name: string; id: string; interceptPassthrough: string[]; environmentId?: string }>> {
    return profileResult(async () => {
      const profile = findOrThrow(await this.store.read(), profileId, 'profileId');
      const cipher = storedHasSecret(profile) ? await this.cipher() : undefined;
      const options = connectionOptionsFor(profile, (envelope, what) => {
        try {
          return this.decryptWith(cipher, envelope);
        } catch (error) {
          throw new ProfileError('STORAGE_ERROR', `${what} of profile "${profile.name}" cannot be decrypted (${messageOf(error)}); enter it again in the profile`, 'profileId');
        }
      });
      return { options, name: profile.name, id: profile.id, interceptPassthrough: profile.interceptPassthrough ?? [], ...(profile.environmentId !== undefined ? { environmentId: profile.environmentId } : {}) };
    });
  }

  /** `options` with the secrets the form left empty filled in from the saved profile (see saved-secrets.ts). */
  fillSavedSecrets(options: ConnectionOptions, request: SavedSecretsRequest): Promise<Result<ConnectionOptions>> {
    return profileResult(async () => {
      const profile = findOrThrow(await this.store.read(), request.profileId, 'savedSecrets.profileId');
      const cipher = storedHasSecret(profile) ? await this.cipher() : undefined;
      return withSavedSecrets(options, request, profile, (envelope, what) => {
        try {
          return this.decryptWith(cipher, envelope);
        } catch (error) {
          throw new ProfileError('STORAGE_ERROR', `${what} of profile "${profile.name}" cannot be decrypted (${messageOf(error)}); enter it again in the profile`, 'savedSecrets');
        }
      });
    });
  }

  // -------------------------------------------------------------------------------------

  /** The cipher, opened on first need (a keyring probe can take a moment; listing never needs it). */
  private cipher(): Promise<SecretCipher> {
    // Before a key file may be created in it: a data folder others can change is refused first.
    try {
      this.store.checkDataFolder();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const { cipher } = this.options;
    this.cipherPromise ??=
      typeof cipher === 'function'
        ? Promise.resolve().then(cipher)
        : openDefaultCipher(this.store.dataDir, this.options.env ? { env: this.options.env } : {});
    const opened = this.cipherPromise;
    // A failure is not cached: the next attempt tries again (the user may have fixed the folder).
    opened.catch(() => {
      if (this.cipherPromise === opened) this.cipherPromise = undefined;
    });
    return opened;
  }

  /**
   * Decrypts with the current cipher, or with the key file when the secret was saved while the
   * key file was in use (the OS store was missing then); otherwise says which store it needs.
   */
  private decryptWith(cipher: SecretCipher | undefined, envelope: SecretEnvelope): string {
    if (cipher && envelope.enc === cipher.kind) return cipher.decrypt(envelope);
    if (envelope.enc === 'keyfile') {
      const keyFile = KeyFileCipher.openExisting(this.store.dataDir);
      if (keyFile) return keyFile.decrypt(envelope);
      throw new SecretError('it was encrypted with the key file, and the key file is gone');
    }
    throw new SecretError(`it was encrypted with ${ENVELOPE_KIND_WORDS[envelope.enc]}, which this Tunnelscope cannot use`);
  }

}

function findOrThrow(doc: StoredDocument, id: string, path = 'id'): StoredProfile {
  const found = doc.profiles.find((p) => p.id === id);
  if (!found) throw unknownProfile(id, path);
  return found;
}

function unknownProfile(id: string, path: string, more?: string): ProfileError {
  return new ProfileError('UNKNOWN_PROFILE', `there is no profile with id ${id.slice(0, 100)}${more ? `; ${more}` : ''}`, path);
}

function checkRevision(current: StoredProfile, expected: number): void {
  if (current.revision === expected) return;
  throw new ProfileError(
    'CONFLICT',
    `profile "${current.name}" was changed elsewhere (another window or process) since it was opened ` +
      `(revision ${current.revision}, this edit is based on ${expected}); reload it and make the change again`,
    'expectedRevision',
  );
}

function checkNameFree(name: string, others: readonly StoredProfile[], path: string): void {
  if (nameTaken(name, others.map((p) => p.name))) {
    throw new ProfileError('INVALID_ARGUMENT', `${path}: a profile named "${name}" already exists; choose another name`, path);
  }
}

/** Runs a build; a FieldError becomes INVALID_ARGUMENT at `prefix.<field>`. */
function withField<T>(prefix: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    const path = prefix.startsWith('profiles[') ? formatPath([prefix, ...error.at]) : [prefix, ...error.at].map(String).join('.');
    throw new ProfileError('INVALID_ARGUMENT', `${path}: ${error.message}`, path);
  }
}

function storedHasSecret(profile: StoredProfile): boolean {
  return (
    profile.proxy.password !== undefined ||
    profile.tls.passphrase !== undefined ||
    profile.headers.some((header) => header.secret && header.value !== undefined) ||
    profile.urlPassword !== undefined ||
    profile.proxy.pacPassword !== undefined ||
    profileHasClearPassword(profile)
  );
}

/** Whether the save keeps ({ set: true }) a header the previous profile holds in clear though it counts as secret. */
function keepsClearCredentialHeader(input: CommandArg<'profiles:save'>['profile'], previous: StoredProfile | undefined): boolean {
  if (previous === undefined) return false;
  return input.headers.some((header) => {
    if (!header.secret || !('set' in header.value) || !header.value.set) return false;
    const old = previous.headers.find((h) => h.id === header.id);
    return old !== undefined && isClearCredentialHeader(old);
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
