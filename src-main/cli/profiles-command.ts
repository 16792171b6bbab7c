/**
 * `tunnelscope profiles …`: list, show, export, import and status, through the engine's
 * profile commands (the CLI sees profiles exactly as the app's renderer does: secrets only as
 * "set" or "not set", except in an export the user asked to hold them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MAX_IMPORT_BYTES, OutputFileError, outputProblem, writeOutputFile } from '../core';
import type { ProfileView, TransferProblem } from '../shared/profiles';
import { withoutUrlPassword } from '../shared/url-password';
import type { CommandError } from '../shared/result';
import { isNetError, type NetError } from '../shared/errors';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, lineWriter, type CliIo, type EngineApi } from './cli-io';
import { findProfile } from './find-profile';
import { choosePalette, COLOURS, type Palette } from './human-output';
import { printable, terminalJsonText, terminalWriter } from './terminal-text';
import type { ProfilesCommand } from './profiles-args';
import { historyText } from './history-text';
import { keepaliveText } from './keepalive-text';
import { timeoutsText } from './timeouts-text';
import { decodeText, protocolMessageWords } from './profile-show-text';
import { storeWarnings } from './store-warnings';
import { DEFAULT_TRUST, MIB } from '../shared/model';
import { formatBytes } from '../shared/format-bytes';
import { trustSettingText } from '../shared/trust-text';

type Writer = ReturnType<typeof lineWriter>;

export async function runProfiles(command: ProfilesCommand, engine: EngineApi, io: CliIo): Promise<number> {
  const palette = choosePalette(io.stdout.isTTY, io.env);
  // Names, URLs and messages are the user's (or an imported file's) text: escaped for the terminal.
  const writer = terminalWriter(lineWriter(io), palette === COLOURS);
  switch (command.action) {
    case 'list':
      return list(command, engine, writer, palette);
    case 'show':
      return show(command, engine, writer, palette);
    case 'export':
      return exportTo(command, engine, io, writer);
    case 'import':
      return importFrom(command, engine, writer);
    case 'status':
      return status(command, engine, writer, palette);
  }
}

async function list(command: ProfilesCommand, engine: EngineApi, writer: Writer, p: Palette): Promise<number> {
  const result = await engine.call('profiles:list', {});
  if (!result.ok) return failed(writer, result.error, 'could not list the profiles');
  const { profiles } = result.value;
  // Every time: a damaged file set aside must not read as "no profiles".
  const warnings = await storeWarnings(engine);
  for (const warning of warnings) writer.err(`tunnelscope: warning: ${warning}`);
  if (command.json) {
    writer.out(JSON.stringify(profiles));
    return EXIT_OK;
  }
  if (profiles.length === 0) {
    if (warnings.length === 0) writer.err('No saved profiles yet (create them in the app, or import a file: tunnelscope profiles import <file>).');
    return EXIT_OK;
  }
  const rows = profiles.map((profile) => [profile.name, withoutUrlPassword(profile.url), proxySummary(profile), String(profile.savedMessages.length)].map(printable));
  const head = ['NAME', 'URL', 'PROXY', 'MESSAGES'];
  const widths = head.map((title, column) => Math.min(48, Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length))));
  const line = (cells: string[]): string => cells.map((cell, column) => (column === cells.length - 1 ? cell : clip(cell, widths[column] ?? 0).padEnd(widths[column] ?? 0))).join('  ');
  writer.out(p.bold(line(head)));
  for (const row of rows) writer.out(line(row));
  return EXIT_OK;
}

async function show(command: ProfilesCommand, engine: EngineApi, writer: Writer, p: Palette): Promise<number> {
  const found = await lookUp(engine, writer, command.names[0] ?? '');
  if (typeof found === 'number') return found;
  if (command.json) {
    writer.out(JSON.stringify(found));
    return EXIT_OK;
  }
  const secret = (state: { set: boolean }): string => (state.set ? 'set (encrypted)' : 'not set');
  const row = (label: string, value: string): void => writer.out(`${p.bold(label.padEnd(18))}${value}`);
  row('Name', printable(found.name));
  row('URL', printable(withoutUrlPassword(found.url)));
  if (found.urlPassword?.set === true) row('URL password', secret(found.urlPassword));
  row('Proxy', proxySummary(found));
  if (found.proxy.pacPassword?.set === true) row('PAC URL password', secret(found.proxy.pacPassword));
  if (found.proxy.username !== undefined) row('Proxy user', `${found.proxy.username}, password ${secret(found.proxy.password)}`);
  else if (found.proxy.password.set) row('Proxy password', secret(found.proxy.password));
  if (found.proxy.caFiles.length > 0) row('Proxy CA files', found.proxy.caFiles.join(', '));
  if (found.headers.length === 0) row('Headers', p.dim('none'));
  found.headers.forEach((header, index) =>
    row(
      index === 0 ? 'Headers' : '',
      header.secret
        ? `${header.name}: ${p.dim(`(secret, ${secret(header.value)})`)}`
        : // A credential-like name kept plain says it was the user's choice (shared/secret-headers.ts).
          `${header.name}: ${header.value}${header.plainByChoice === true ? p.dim(' (not secret, as chosen)') : ''}`,
    ),
  );
  row('Subprotocols', found.subprotocols.length > 0 ? found.subprotocols.join(', ') : p.dim('none'));
  if (found.origin !== undefined) row('Origin', found.origin);
  row('TLS', found.tls.insecure ? p.alarm(' INSECURE ') + ' certificates are NOT verified' : 'certificates verified');
  row('Trust', trustSettingText(found.tls.trust ?? DEFAULT_TRUST));
  if (found.tls.caFiles.length > 0) row('CA files', found.tls.caFiles.join(', '));
  if (found.tls.certFile !== undefined) {
    row('Client certificate', `${found.tls.certFile}, key ${found.tls.keyFile ?? '?'}, passphrase ${secret(found.tls.passphrase)}`);
  }
  row('Timeouts', timeoutsText(found));
  const r = found.reconnect;
  row(
    'Reconnect',
    r?.enabled
      ? `on: ${r.initialDelayMs} ms doubling to ${r.maxDelayMs} ms (±20 %), ${r.maxAttempts === 0 ? 'no limit' : `at most ${r.maxAttempts} attempts`}${r.retryNormalClose === true ? ', also after a normal close' : ''} (connect --profile reconnects)`
      : 'off',
  );
  row('History kept', historyText(found.history));
  row('Keep-alive', keepaliveText(found.keepalive));
  row('Engine.IO pings', found.engineioHeartbeat === false ? 'left unanswered (Engine.IO heartbeat off)' : 'answered (Engine.IO heartbeat on)');
  row('MQTT keep-alive', found.mqttKeepalive === false ? 'no PINGREQ sent (MQTT keep-alive off)' : 'PINGREQ when due (MQTT keep-alive on)');
  row('Decode', decodeText(found.decode, found.decodeProtobuf));
  if (found.savedMessages.length === 0) row('Saved messages', p.dim('none'));
  found.savedMessages.forEach((message, index) =>
    row(index === 0 ? 'Saved messages' : '', `${index + 1}. ${message.name} ${p.dim(`(${message.kind === 'protocol' ? protocolMessageWords(message.body) : message.kind}, ${message.body.length} characters)`)}`),
  );
  row('Updated', `${new Date(found.updatedAt).toISOString()} (revision ${found.revision})`);
  row('Id', found.id);
  return EXIT_OK;
}

async function exportTo(command: ProfilesCommand, engine: EngineApi, io: CliIo, writer: Writer): Promise<number> {
  let ids: string[] | undefined;
  if (command.names.length > 0) {
    const listed = await engine.call('profiles:list', {});
    if (!listed.ok) return failed(writer, listed.error, 'could not list the profiles');
    ids = [];
    for (const name of command.names) {
      const found = findProfile(listed.value.profiles, name);
      if (!found.ok) {
        writer.err(`tunnelscope: ${found.message}`);
        return EXIT_USAGE;
      }
      ids.push(found.profile.id);
    }
  }
  // Checked before the secrets are decrypted: a refused --out must not cost a keyring prompt.
  const problem = command.out === undefined ? undefined : outputProblem(path.resolve(command.out), command.force);
  if (problem) return usage(writer, `nothing was exported: ${problem.message}${problem.problem === 'exists' ? ' (add --force to replace it)' : ''}`);
  const result = await engine.call('profiles:export', { ...(ids ? { ids } : {}), includeSecrets: command.withSecrets });
  if (!result.ok) return failed(writer, result.error, 'could not export the profiles');
  const { text, count, warnings } = result.value;
  // Warn first: the warnings are on stderr before the secrets reach the terminal or the file.
  for (const warning of warnings) writer.err(`tunnelscope: warning: ${warning}`);
  if (command.out === undefined) {
    // The same JSON, with C1 controls and bidi overrides in names \u-escaped for the terminal.
    io.stdout.write(terminalJsonText(text));
    return EXIT_OK;
  }
  try {
    // A new file (O_EXCL), or with --force a replaced one; never through a symbolic link.
    await writeOutputFile(path.resolve(command.out), text, { replace: command.force, mode: 0o600 });
  } catch (error) {
    if (error instanceof OutputFileError) {
      return usage(writer, `nothing was exported: ${error.message}${error.problem === 'exists' ? ' (add --force to replace it)' : ''}`);
    }
    writer.err(`tunnelscope: could not write ${command.out}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILED;
  }
  writer.err(`Exported ${count} profile(s) to ${command.out}${result.value.containsSecrets ? ' (with secrets in clear text; readable only by you)' : ''}.`);
  return EXIT_OK;
}

async function importFrom(command: ProfilesCommand, engine: EngineApi, writer: Writer): Promise<number> {
  const file = command.file ?? '';
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return usage(writer, `"${file}" is a folder, not a file`);
    // The engine's limit, checked here before the file is read.
    if (stat.size > MAX_IMPORT_BYTES) {
      return reportProblems(writer, file, [{ path: '', message: `the file is ${formatBytes(stat.size)}; the largest import accepted is ${MAX_IMPORT_BYTES / MIB} MiB` }]);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    return usage(writer, `cannot read "${file}": ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error)}`);
  }
  const result = await engine.call('profiles:import', { text });
  if (!result.ok) return failed(writer, result.error, 'could not import the profiles');
  const { imported, problems, warnings } = result.value;
  if (problems.length > 0) return reportProblems(writer, file, problems);
  for (const warning of warnings) writer.err(`tunnelscope: ${warning}`);
  writer.out(`Imported ${imported.length} profile(s) from ${file}:`);
  for (const entry of imported) writer.out(`  ${entry.name}${entry.renamedFrom !== undefined ? `  (was "${entry.renamedFrom}")` : ''}`);
  const environments = result.value.environments ?? [];
  if (environments.length > 0) writer.out(`Imported ${environments.length} environment(s): ${environments.map((e) => e.name).join(', ')}`);
  return EXIT_OK;
}

async function status(command: ProfilesCommand, engine: EngineApi, writer: Writer, p: Palette): Promise<number> {
  const result = await engine.call('profiles:status', {});
  if (!result.ok) return failed(writer, result.error, 'could not read the profile store');
  const s = result.value;
  if (command.json) {
    writer.out(JSON.stringify(s));
    return EXIT_OK;
  }
  const words = { 'os-store': 'OS secret store', 'key-file': 'key file (weaker)', none: 'NONE' } as const;
  writer.out(`${p.bold('Data folder'.padEnd(14))}${s.dataDir}`);
  writer.out(`${p.bold('Profiles file'.padEnd(14))}${s.file}`);
  writer.out(`${p.bold('Secrets'.padEnd(14))}${s.protection === 'os-store' ? p.green(words[s.protection]) : p.yellow(words[s.protection])} (${s.cipher})`);
  if (s.warning) writer.out(`${''.padEnd(14)}${s.warning}`);
  if (s.readOnly) writer.out(`${p.bold('Read-only'.padEnd(14))}${p.red(s.readOnly)}`);
  for (const notice of s.notices) writer.out(`${p.bold('Notice'.padEnd(14))}${notice.message}`);
  for (const file of s.setAsideFiles) writer.out(`${p.bold('Set aside'.padEnd(14))}${file}`);
  return EXIT_OK;
}

// ---------------------------------------------------------------------------------------

/** The profile the user named, or the exit status after saying it does not exist. */
async function lookUp(engine: EngineApi, writer: Writer, name: string): Promise<ProfileView | number> {
  const listed = await engine.call('profiles:list', {});
  if (!listed.ok) return failed(writer, listed.error, 'could not list the profiles');
  const found = findProfile(listed.value.profiles, name);
  if (found.ok) return found.profile;
  writer.err(`tunnelscope: ${found.message}`);
  return EXIT_USAGE;
}

function proxySummary(profile: ProfileView): string {
  const { proxy } = profile;
  if (proxy.mode === 'manual') return `manual ${proxy.url ?? ''}`;
  if (proxy.mode === 'pac') {
    const source = proxy.pac;
    return `PAC ${source === undefined ? '' : source.kind === 'url' ? withoutUrlPassword(source.url) : source.kind === 'file' ? source.path : '(inline script)'}`;
  }
  return proxy.mode;
}

function reportProblems(writer: Writer, file: string, problems: readonly TransferProblem[]): number {
  writer.err(`tunnelscope: nothing was imported: ${problems.length} problem(s) in ${file}:`);
  for (const problem of problems) writer.err(`  ${problem.path !== '' ? `${problem.path}: ` : ''}${problem.message}`);
  return EXIT_FAILED;
}

function failed(writer: Writer, error: CommandError | NetError, what: string): number {
  writer.err(`tunnelscope: ${what}: ${error.message}`);
  if (isNetError(error)) return EXIT_FAILED;
  return error.code === 'INVALID_ARGUMENT' || error.code === 'UNKNOWN_PROFILE' ? EXIT_USAGE : EXIT_FAILED;
}

function usage(writer: Writer, message: string): number {
  writer.err(`tunnelscope: ${message}`);
  return EXIT_USAGE;
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}
