/**
 * The environments:* commands for the fake bridge: an in-memory list. A save answers the view
 * the engine would (a secret's value only as set / not set), so components see real shapes.
 */
import { commandSchemas } from '../../../src-main/shared/commands';
import type { EnvironmentView } from '../../../src-main/shared/environments';
import type { Result } from '../../../src-main/shared/result';

export function createFakeEnvironments(): Record<'environments:list' | 'environments:save' | 'environments:delete', (arg: unknown) => Result<unknown>> {
  const list: EnvironmentView[] = [];
  let next = 1;
  return {
    'environments:list': () => ({ ok: true, value: { environments: [...list] } }),
    'environments:save': (raw) => {
      const { environment } = commandSchemas['environments:save'].arg.parse(raw);
      const previous = list.find((e) => e.id === environment.id);
      const view: EnvironmentView = {
        id: previous?.id ?? `env${next++}`,
        revision: (previous?.revision ?? 0) + 1,
        createdAt: previous?.createdAt ?? 0,
        updatedAt: 0,
        name: environment.name,
        variables: environment.variables.map((v, index) =>
          v.secret
            ? { id: v.id ?? `v${index}`, name: v.name, secret: true, value: { set: 'value' in v.value || v.value.set } }
            : { id: v.id ?? `v${index}`, name: v.name, secret: false, value: v.value },
        ),
      };
      if (previous) list.splice(list.indexOf(previous), 1, view);
      else list.push(view);
      return { ok: true, value: view };
    },
    'environments:delete': (raw) => {
      const { id } = commandSchemas['environments:delete'].arg.parse(raw);
      const index = list.findIndex((e) => e.id === id);
      if (index < 0) return { ok: false, error: { code: 'NOT_FOUND', message: `there is no environment with id ${id}`, path: 'id' } };
      list.splice(index, 1);
      return { ok: true, value: {} };
    },
  };
}
