/**
 * The environment a profile names (its `environmentId`), looked up among the saved ones: none,
 * found, or deleted since (then a tab opened from it uses none, and the editor says so).
 */
import type { EnvironmentView } from '../../../src-main/shared/environments';

export type ProfileEnvironment = { kind: 'none' } | { kind: 'found'; environment: EnvironmentView } | { kind: 'deleted'; id: string };

export function profileEnvironment(environmentId: string | null | undefined, environments: readonly EnvironmentView[]): ProfileEnvironment {
  if (environmentId === null || environmentId === undefined) return { kind: 'none' };
  const environment = environments.find((e) => e.id === environmentId);
  return environment ? { kind: 'found', environment } : { kind: 'deleted', id: environmentId };
}

/** What the editor and the tab say about a profile whose environment was deleted. */
export const DELETED_ENVIRONMENT_NOTE = "This profile's environment was deleted: it connects with no environment until you choose another.";
