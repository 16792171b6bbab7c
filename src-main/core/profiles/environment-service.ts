/**
 * The environment commands (list, save, delete) and the variables a session opens with.
 * Environments live in profiles.json beside the profiles (same lock, same atomic writes, same
 * revision), and a secret variable is encrypted by the same cipher as the profiles' secrets:
 * the renderer only ever sees "set" / "not set", and the values are decrypted here for a
 * session, never sent out.
 */
import { randomUUID } from 'node:crypto';
import type { CommandArg, CommandResult } from '../../shared/commands';
import type { EnvironmentInput, EnvironmentView } from '../../shared/environments';
import type { Result } from '../../shared/result';
import type { SecretCipher, SecretEnvelope } from '../secrets/secret-store';
import { VariableSet } from '../variables/variable-set';
import { ProfileError, profileResult } from './profile-error';
import { freeName, nameTaken } from './profile-names';
import type { ExportEnvironment, StoredDocument, StoredEnvironment } from './profile-schema';
import type { ProfileStore } from './profile-store';

export interface EnvironmentServiceOptions {
  store: ProfileStore;
  /** The profiles' cipher, opened on first need. */
  cipher: () => Promise<SecretCipher>;
  /** Decrypts with the cipher (or the key file a secret was saved with). */
  decrypt: (cipher: SecretCipher | undefined, envelope: SecretEnvelope) => string;
  now: () => number;
}

export function toEnvironmentView(environment: StoredEnvironment): EnvironmentView {
  return {
    ...environment,
    variables: environment.variables.map((variable) =>
      variable.secret ? { id: variable.id, name: variable.name, secret: true, value: { set: variable.value !== undefined } } : variable,
    ),
  };
}

export class EnvironmentService {
  constructor(private readonly options: EnvironmentServiceOptions) {}

  list(): Promise<Result<CommandResult<'environments:list'>>> {
    return profileResult(async () => {
      const doc = await this.options.store.read();
      return { environments: doc.environments.map(toEnvironmentView) };
    });
  }

  save(arg: CommandArg<'environments:save'>): Promise<Result<EnvironmentView>> {
    return profileResult(async () => {
      const { environment: input, expectedRevision } = arg;
      const needsCipher = input.variables.some((variable) => variable.secret && 'value' in variable.value);
      const cipher = needsCipher ? await this.options.cipher() : undefined;
      return this.options.store.update((doc) => {
        const previous = input.id === undefined ? undefined : doc.environments.find((e) => e.id === input.id);
        if (input.id !== undefined) {
          if (!previous) throw new ProfileError('NOT_FOUND', `there is no environment with id ${input.id}; it may have been deleted in another window`, 'environment.id');
          if (expectedRevision !== undefined && previous.revision !== expectedRevision) throw conflict(previous, expectedRevision);
        }
        const others = doc.environments.filter((e) => e !== previous);
        if (nameTaken(input.name, others.map((e) => e.name))) {
          throw new ProfileError('INVALID_ARGUMENT', `environment.name: an environment named "${input.name}" already exists; choose another name`, 'environment.name');
        }
        const now = this.options.now();
        const stored: StoredEnvironment = {
          id: previous?.id ?? randomUUID(),
          revision: (previous?.revision ?? 0) + 1,
          createdAt: previous?.createdAt ?? now,
          updatedAt: now,
          name: input.name,
          variables: storedVariables(input, previous, cipher),
        };
        const environments = previous ? doc.environments.map((e) => (e === previous ? stored : e)) : [...doc.environments, stored];
        return { doc: { ...doc, environments }, value: toEnvironmentView(stored) };
      });
    });
  }

  delete(id: string, expectedRevision: number | undefined): Promise<Result<CommandResult<'environments:delete'>>> {
    return profileResult(async () =>
      this.options.store.update((doc) => {
        const target = findEnvironment(doc, id, 'id');
        if (expectedRevision !== undefined && target.revision !== expectedRevision) throw conflict(target, expectedRevision);
        return { doc: { ...doc, environments: doc.environments.filter((e) => e !== target) }, value: {} };
      }),
    );
  }

  /** The environment's variables, secret ones decrypted, for a session about to open. */
  variableSet(environmentId: string): Promise<Result<VariableSet>> {
    return profileResult(async () => {
      const environment = findEnvironment(await this.options.store.read(), environmentId, 'variables.environmentId');
      const secrets = environment.variables.some((variable) => variable.secret && variable.value !== undefined);
      const cipher = secrets ? await this.options.cipher() : undefined;
      const values = environment.variables.map(({ name, secret, value }): [string, { value: string; secret: boolean }] => {
        if (!secret) return [name, { value, secret }];
        if (value === undefined) {
          throw new ProfileError(
            'INVALID_ARGUMENT',
            `the secret variable ${name} of environment "${environment.name}" has no value (it was imported without secrets): enter it in the environment`,
            'variables.environmentId',
          );
        }
        try {
          return [name, { value: this.options.decrypt(cipher, value), secret }];
        } catch (error) {
          throw new ProfileError(
            'STORAGE_ERROR',
            `the secret variable ${name} of environment "${environment.name}" cannot be decrypted (${error instanceof Error ? error.message : String(error)}); enter it again`,
            'variables.environmentId',
          );
        }
      });
      return VariableSet.fromEnvironment(environment.name, values);
    });
  }
}

/** The input's variables as stored: a secret kept (by the variable's id), cleared, or replaced and encrypted. */
function storedVariables(input: EnvironmentInput, previous: StoredEnvironment | undefined, cipher: SecretCipher | undefined): StoredEnvironment['variables'] {
  return input.variables.map((variable, index) => {
    const id = variable.id ?? randomUUID();
    if (!variable.secret) return { id, name: variable.name, secret: false, value: variable.value };
    const field = variable.value;
    if ('value' in field) {
      if (!cipher) throw new Error('a secret to encrypt was not announced to the save');
      return { id, name: variable.name, secret: true, value: cipher.encrypt(field.value) };
    }
    if (!field.set) return { id, name: variable.name, secret: true };
    const kept = previous?.variables.find((old) => old.id === variable.id);
    if (!kept || !kept.secret || kept.value === undefined) {
      throw new ProfileError('INVALID_ARGUMENT', `environment.variables.${index}.value: there is no saved value to keep for ${variable.name}; enter one`, `environment.variables.${index}.value`);
    }
    return { id, name: variable.name, secret: true, value: kept.value };
  });
}

/**
 * An import's environments as stored: new ids, a taken name gets " (imported)", a secret value
 * encrypted (one left out of the file stays unset, to be entered later).
 */
export function importedEnvironments(
  incoming: readonly ExportEnvironment[],
  existing: readonly StoredEnvironment[],
  options: { now: number; encrypt: (value: string) => SecretEnvelope },
): { added: StoredEnvironment[]; warnings: string[] } {
  const taken = existing.map((e) => e.name);
  const warnings: string[] = [];
  const added = incoming.map((environment): StoredEnvironment => {
    const name = freeName(environment.name, taken, 'imported');
    taken.push(name);
    if (name !== environment.name) warnings.push(`Environment "${environment.name}" was imported as "${name}": an environment with that name already exists.`);
    return {
      id: randomUUID(),
      revision: 1,
      createdAt: options.now,
      updatedAt: options.now,
      name,
      variables: environment.variables.map((variable) => {
        const id = randomUUID();
        if (!variable.secret) return { id, name: variable.name, secret: false, value: variable.value };
        return variable.value === undefined ? { id, name: variable.name, secret: true } : { id, name: variable.name, secret: true, value: options.encrypt(variable.value) };
      }),
    };
  });
  return { added, warnings };
}

function findEnvironment(doc: StoredDocument, id: string, path: string): StoredEnvironment {
  const found = doc.environments.find((e) => e.id === id);
  if (!found) throw new ProfileError('NOT_FOUND', `there is no environment with id ${id.slice(0, 100)}`, path);
  return found;
}

function conflict(current: StoredEnvironment, expected: number): ProfileError {
  return new ProfileError(
    'CONFLICT',
    `environment "${current.name}" was changed elsewhere since it was opened (revision ${current.revision}, this edit is based on ${expected}); reload it and make the change again`,
    'expectedRevision',
  );
}
