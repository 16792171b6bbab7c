/**
 * `tunnelscope intercept passthrough [list | add <pattern> | remove <pattern>] --profile <name>`:
 * shows or changes a profile's own passthrough list (`interceptPassthrough`), the hosts
 * `tunnelscope intercept --profile` and the app's Intercept page with that profile tunnel
 * untouched beside the global list. It goes through the engine's profiles:list and profiles:save
 * (checked there, saved against the revision read, every secret kept as it is), as the app's
 * profile editor does.
 */
import { parsePassthroughPattern, samePattern } from '../shared/passthrough-pattern';
import { profileInputFromView } from '../shared/profiles';
import type { Engine } from '../core';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, lineWriter, type CliIo } from './cli-io';
import { findProfile } from './find-profile';
import type { InterceptPassthroughCommand } from './intercept-args';
import { printable } from './terminal-text';

export async function runProfilePassthrough(command: InterceptPassthroughCommand, profileName: string, engine: Engine, io: CliIo): Promise<number> {
  const writer = lineWriter(io);
  const listed = await engine.call('profiles:list', {});
  if (!listed.ok) {
    writer.err(`tunnelscope: could not read the saved profiles: ${printable(listed.error.message)}`);
    return EXIT_FAILED;
  }
  const found = findProfile(listed.value.profiles, profileName);
  if (!found.ok) {
    writer.err(`tunnelscope: --profile: ${printable(found.message)}`);
    return EXIT_USAGE;
  }
  const profile = found.profile;
  const name = `profile "${printable(profile.name)}"`;
  const hosts = profile.interceptPassthrough ?? [];
  const { change } = command;
  if (change.op === 'list') {
    for (const host of hosts) writer.out(printable(host));
    writer.err(hosts.length === 0 ? `The passthrough list of ${name} is empty.` : `${hosts.length} host pattern${hosts.length === 1 ? '' : 's'} in the passthrough list of ${name}.`);
    return EXIT_OK;
  }
  const parsed = parsePassthroughPattern(change.pattern);
  if (!parsed.ok) {
    // The parser checked it already; said again rather than assumed.
    writer.err(`tunnelscope: intercept passthrough ${change.op}: ${printable(parsed.problem)}`);
    return EXIT_USAGE;
  }
  const at = hosts.findIndex((host) => {
    const there = parsePassthroughPattern(host);
    return there.ok && samePattern(there.pattern, parsed.pattern);
  });
  if (change.op === 'add' && at >= 0) {
    writer.err(`${printable(hosts[at] ?? '')} is in the passthrough list of ${name} already.`);
    return EXIT_OK;
  }
  if (change.op === 'remove' && at < 0) {
    writer.err(`${printable(change.pattern)} is not in the passthrough list of ${name}; nothing changed.`);
    return EXIT_OK;
  }
  const next = change.op === 'add' ? [...hosts, parsed.pattern.text] : hosts.filter((_host, index) => index !== at);
  const { interceptPassthrough: _before, ...input } = profileInputFromView(profile);
  const saved = await engine.call('profiles:save', { profile: { ...input, ...(next.length > 0 ? { interceptPassthrough: next } : {}) }, expectedRevision: profile.revision });
  if (!saved.ok) {
    writer.err(`tunnelscope: the passthrough list of ${name} was not changed: ${printable(saved.error.message)}`);
    return EXIT_FAILED;
  }
  writer.err(
    change.op === 'add'
      ? `Added ${printable(parsed.pattern.text)} to the passthrough list of ${name}: intercept --profile passes it untouched from its next run on.`
      : `Removed ${printable(hosts[at] ?? change.pattern)} from the passthrough list of ${name}.`,
  );
  return EXIT_OK;
}
