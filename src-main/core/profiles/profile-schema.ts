/**
 * The stored document `profiles.json` (format version 2) and the export file, both built from
 * the contract's field list (shared/profiles.ts). Stored secrets are encrypted envelopes; in an
 * export they are clear text, and only when the user asked for them.
 */
import { z } from 'zod';
import { headerSchema } from '../../shared/model';
import { checkUniqueItemIds, profileFieldsWith, profileIdSchema, profileStamps, storedProfileNameSchema } from '../../shared/profiles';
import { checkUniqueVariableNames, environmentFieldsWith, storedEnvironmentNameSchema, variableValueSchema } from '../../shared/environments';
import { secretEnvelopeSchema } from '../secrets/secret-store';

export const CURRENT_VERSION = 2;
export const EXPORT_FORMAT = 'tunnelscope-profiles';

export const storedProfileSchema = z
  .object({
    ...profileStamps,
    // A secret header may have no value (imported without secrets): the user enters it later.
    ...profileFieldsWith({ secret: secretEnvelopeSchema.optional(), headerSecret: secretEnvelopeSchema.optional(), id: profileIdSchema, readBack: true }),
    // Read back as it was saved: a name from before the character rule still loads (and can be renamed).
    name: storedProfileNameSchema,
  })
  .superRefine(checkUniqueItemIds);
export type StoredProfile = z.output<typeof storedProfileSchema>;

/** An environment as profiles.json keeps it: a secret variable's value is an envelope (absent: imported without secrets). */
export const storedEnvironmentSchema = z
  // Read back as it was saved: a name from before the character rule still loads (and can be renamed).
  .object({ ...profileStamps, ...environmentFieldsWith({ secret: secretEnvelopeSchema.optional(), id: profileIdSchema }), name: storedEnvironmentNameSchema })
  .superRefine(checkUniqueVariableNames);
export type StoredEnvironment = z.output<typeof storedEnvironmentSchema>;

export interface StoredDocument {
  version: typeof CURRENT_VERSION;
  /** Goes up by one on every write, by any window or process. */
  revision: number;
  profiles: StoredProfile[];
  /** The environments (variables for `{{name}}`s); optional in the file, so format 2 stays readable both ways. */
  environments: StoredEnvironment[];
}

export function emptyDocument(): StoredDocument {
  return { version: CURRENT_VERSION, revision: 0, profiles: [], environments: [] };
}

/** A profile in an export file: no id or timestamps (an import makes new ones), secrets in clear or left out. */
const clearSecret = z.string().max(64 * 1024).optional();
export const exportProfileSchema = z
  .object(profileFieldsWith({ secret: clearSecret, headerSecret: headerSchema.shape.value.optional(), id: profileIdSchema.optional() }))
  .superRefine(checkUniqueItemIds);
export type ExportProfile = z.output<typeof exportProfileSchema>;

/** An environment in an export file: no id or timestamps, a secret value in clear or left out. */
export const exportEnvironmentSchema = z
  .object(environmentFieldsWith({ secret: variableValueSchema.optional(), id: profileIdSchema.optional() }))
  .superRefine(checkUniqueVariableNames);
export type ExportEnvironment = z.output<typeof exportEnvironmentSchema>;
