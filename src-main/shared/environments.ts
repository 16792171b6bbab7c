/**
 * Environments (Development, Staging, Production…): named sets of variables that fill the
 * `{{name}}`s of a connection's URL, headers, subprotocols, origin and messages. They are kept
 * with the profiles (profiles.json) and a tab or `connect --env` chooses one. A variable marked
 * secret is stored encrypted and never sent to the renderer (it sees "set" / "not set"),
 * like the profiles' secrets. One field list serves every form, as in profiles.ts.
 * No Node imports: this file also runs in the renderer.
 */
import { z } from 'zod';
import { MAX_VARIABLE_NAME_CHARS, VARIABLE_NAME_PATTERN } from './builtin-variables';
import { nameCharacterProblem } from './name-characters';
import { profileIdSchema, profileStamps, secretInputWith, secretStateSchema } from './profiles';

export const MAX_VARIABLE_VALUE_CHARS = 64 * 1024;
export const MAX_VARIABLES_PER_ENVIRONMENT = 500;
export const MAX_ENVIRONMENTS = 200;

export const variableNameSchema = z
  .string()
  .max(MAX_VARIABLE_NAME_CHARS, `a variable name is at most ${MAX_VARIABLE_NAME_CHARS} characters`)
  .regex(VARIABLE_NAME_PATTERN, 'a variable name starts with a letter or _, then letters, digits, _, - and . (no spaces, no $)');

export const variableValueSchema = z.string().max(MAX_VARIABLE_VALUE_CHARS, 'a variable value is at most 65,536 characters (64 KiB)');

/**
 * An environment's name as read back (profiles.json, the views): the length rule only, so an
 * environment saved before the character rule below is still read, shown, and can be renamed.
 */
export const storedEnvironmentNameSchema = z
  .string()
  .trim()
  .min(1, 'an environment needs a name')
  .max(100, 'an environment name is at most 100 characters');

/**
 * A name being given (a save, an import): also no control, line-breaking or text-direction
 * character (shared/name-characters.ts), as for profile names.
 */
export const environmentNameSchema = z
  .string()
  .superRefine((name, ctx) => {
    const problem = nameCharacterProblem(name);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .trim()
  .min(1, 'an environment needs a name')
  .max(100, 'an environment name is at most 100 characters');

/** `secret` decides the form of a secret value; `id` is required or optional (input). */
export interface EnvironmentForm<S extends z.ZodType, I extends z.ZodType> {
  secret: S;
  id: I;
}

function variableWith<S extends z.ZodType, I extends z.ZodType>(form: EnvironmentForm<S, I>) {
  return z.discriminatedUnion('secret', [
    z.object({ id: form.id, name: variableNameSchema, secret: z.literal(false), value: variableValueSchema }),
    /** Marked secret: encrypted at rest, never shown, redacted wherever a session shows it. */
    z.object({ id: form.id, name: variableNameSchema, secret: z.literal(true), value: form.secret }),
  ]);
}

/** A name used twice in one environment is refused (which one would win?). */
export function checkUniqueVariableNames(environment: { variables: readonly { name: string }[] }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  environment.variables.forEach((variable, index) => {
    if (seen.has(variable.name)) ctx.addIssue({ code: 'custom', path: ['variables', index, 'name'], message: `the variable ${variable.name} is defined twice in this environment` });
    seen.add(variable.name);
  });
}

/** The fields every form of an environment has. */
export function environmentFieldsWith<S extends z.ZodType, I extends z.ZodType>(form: EnvironmentForm<S, I>) {
  return {
    name: environmentNameSchema,
    variables: z.array(variableWith(form)).max(MAX_VARIABLES_PER_ENVIRONMENT).default([]),
  };
}

export const environmentViewSchema = z
  .object({ ...profileStamps, ...environmentFieldsWith({ secret: secretStateSchema, id: profileIdSchema }), name: storedEnvironmentNameSchema })
  .superRefine(checkUniqueVariableNames);
export type EnvironmentView = z.output<typeof environmentViewSchema>;
export type VariableView = EnvironmentView['variables'][number];

/** What a save sends: no id for a new environment; a secret kept, cleared or replaced as for profiles. */
export const environmentInputSchema = z
  .object({
    id: profileIdSchema.optional(),
    ...environmentFieldsWith({ secret: secretInputWith(variableValueSchema), id: profileIdSchema.optional() }),
  })
  .superRefine(checkUniqueVariableNames);
export type EnvironmentInput = z.output<typeof environmentInputSchema>;
export type EnvironmentInputDraft = z.input<typeof environmentInputSchema>;

/**
 * Which variables a session uses: a saved environment (by id) and values given on the spot
 * (`connect --var name=value`), which win over the environment's. Every `{{name}}` the
 * connection uses must be found in one of them.
 */
export const sessionVariablesSchema = z.object({
  environmentId: profileIdSchema.optional(),
  values: z
    .array(z.object({ name: variableNameSchema, value: variableValueSchema }))
    .max(MAX_VARIABLES_PER_ENVIRONMENT)
    .default([]),
});
export type SessionVariables = z.output<typeof sessionVariablesSchema>;
export type SessionVariablesInput = z.input<typeof sessionVariablesSchema>;

const expectedRevision = z.number().int().min(1);

/** The environment commands, spread into commandSchemas (commands.ts). */
export const environmentCommandSchemas = {
  'environments:list': {
    arg: z.object({}),
    result: z.object({ environments: z.array(environmentViewSchema) }),
  },
  'environments:save': {
    /** Create (no `environment.id`) or update (`environment.id` and the revision the edit was based on). */
    arg: z.object({ environment: environmentInputSchema, expectedRevision: expectedRevision.optional() }),
    result: environmentViewSchema,
  },
  'environments:delete': {
    arg: z.object({ id: profileIdSchema, expectedRevision: expectedRevision.optional() }),
    result: z.object({}),
  },
} as const;
