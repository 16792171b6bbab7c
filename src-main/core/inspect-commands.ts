/**
 * The engine's inspection commands: search and cancel, flow-control acknowledgements,
 * statistics, export (text or file) and import. Kept apart from engine.ts, which owns the
 * sessions and hands each command here with the session it names.
 */
import { randomUUID } from 'node:crypto';
import type { CommandArg, CommandResult } from '../shared/commands';
import type { EngineEvent } from '../shared/events';
import { fail, ok, type Result } from '../shared/result';
import type { SearchResult } from '../shared/search';
import { ExportTooLarge, exportToFile, exportToText, suggestedFileName, type ExportRequest } from './export/export-session';
import { DecodeChoiceChanged } from './export/select-frames';
import { RunningExports, type ExportWatch } from './export/running-exports';
import { SessionRemovedDuringExport, type SessionRemoval } from './export/session-removal';
import { describeProblems } from './export/import-problems';
import { importLog } from './export/import-log';
import { recordedDecode } from './export/logged-decode';
import { errorMessage } from './errors/net-failure';
import { compileFilter, type DecodedTest } from './search/compile-filter';
import { DECODE_CHOICES, type RowCheckpoints } from './decode/session-decoding';
import { loadProtobufSchema } from './decode/protobuf-schema';
import { protobufChoiceSettings } from './decode/protobuf-choice';
import type { ExportDecoding } from '../shared/export-decoding';
import { searchFrames } from './search/frame-search';
import { SearchRegistry } from './search/search-registry';
import type { FrameStoreOptions } from './session/frame-store';
import { ImportedSession } from './session/imported-session';
import type { SessionLog } from './session/session-log';

/** What a session must offer these commands (WsSession and ImportedSession both do). */
export interface InspectableSession extends SessionLog {
  ack(seq: number): void;
}

export interface InspectHost {
  /** The app version (HAR's creator). */
  version: string;
  /** Whether `frames:export-to-file` may write files (the CLI; never a browser-facing host). */
  allowFileExport: boolean;
  frameStore?: FrameStoreOptions;
  maxImportChars?: number;
  /** Adds an imported session to the engine's sessions. */
  adopt(session: ImportedSession): void;
  emit(event: EngineEvent): void;
}

export class InspectCommands {
  private readonly searches = new SearchRegistry();
  /** Exports under way, told when their session is removed (forget). */
  private readonly exports = new RunningExports();

  constructor(private readonly host: InspectHost) {}

  /** `decoded`: the filter's decoded criteria as a per-frame test (the engine's DecodeCommands). */
  async search(session: InspectableSession, arg: CommandArg<'frames:search'>, decoded?: DecodedTest): Promise<Result<SearchResult>> {
    const compiled = compileFilter(arg.filter);
    if (!compiled.ok) return fail('INVALID_ARGUMENT', `frames:search: ${compiled.problem.path}: ${compiled.problem.message}`, compiled.problem.path);
    if (decoded) compiled.filter.decoded = decoded;
    const ticket = this.searches.begin(session.id, arg.searchId);
    try {
      const result = await searchFrames(
        session.frames,
        compiled.filter,
        {
          searchId: ticket.searchId,
          limit: arg.limit,
          ...(arg.fromSeq !== undefined ? { fromSeq: arg.fromSeq } : {}),
          ...(arg.backward !== undefined ? { backward: arg.backward } : {}),
          ...(arg.countAll !== undefined ? { countAll: arg.countAll } : {}),
        },
        { cancelled: () => ticket.cancelled },
      );
      return ok(result);
    } finally {
      this.searches.end(ticket);
    }
  }

  cancelSearch(sessionId: string, searchId: string): Result<{ cancelled: boolean }> {
    return ok({ cancelled: this.searches.cancel(sessionId, searchId) });
  }

  /** The session is going away (`removal`: why): its search stops, and an export reading it stops saying why. */
  forget(sessionId: string, removal: SessionRemoval): void {
    this.searches.cancelSession(sessionId);
    this.exports.removed(sessionId, removal);
  }

  ack(session: InspectableSession, seq: number): Result<Record<string, never>> {
    session.ack(seq);
    return ok({});
  }

  /**
   * `decodedFilter`: the filter's decoded criteria as a per-frame test (the engine's DecodeCommands), as for a search;
   * `rowCheckpoints`: the session's rows' checkpoints, which a decoded export rejoins after evicted frames.
   */
  async exportText(session: InspectableSession, arg: CommandArg<'frames:export'>, decodedFilter?: (seq: number) => boolean, rowCheckpoints?: RowCheckpoints): Promise<Result<CommandResult<'frames:export'>>> {
    const request = this.exportRequest(arg.format, arg.filter, arg.decoded, decodedFilter, rowCheckpoints, arg.decode);
    if (!request.ok) return request;
    const watch = this.exports.begin(session.id);
    try {
      const { text, frames } = await exportToText(session, withWatch(request.value, watch));
      return ok({ format: arg.format, text, frames, fileName: suggestedFileName(session, arg.format) });
    } catch (error) {
      if (error instanceof ExportTooLarge) {
        return fail('FORBIDDEN', `frames:export: ${error.message}; export with a filter, or to a file from the command line (tunnelscope connect --export)`);
      }
      const stopped = exportStopped('frames:export', error);
      if (stopped) return stopped;
      throw error;
    } finally {
      this.exports.end(watch);
    }
  }

  async exportFile(session: InspectableSession, arg: CommandArg<'frames:export-to-file'>, decodedFilter?: (seq: number) => boolean, rowCheckpoints?: RowCheckpoints): Promise<Result<CommandResult<'frames:export-to-file'>>> {
    if (!this.host.allowFileExport) {
      return fail('FORBIDDEN', 'frames:export-to-file: this host does not write files; use frames:export and save the text');
    }
    const request = this.exportRequest(arg.format, arg.filter, arg.decoded, decodedFilter, rowCheckpoints, arg.decode);
    if (!request.ok) return request;
    const watch = this.exports.begin(session.id);
    try {
      return ok(await exportToFile(session, withWatch(request.value, watch), arg.path));
    } catch (error) {
      // Nothing written (the temporary file is removed): not a problem with the path.
      const stopped = exportStopped('frames:export-to-file', error);
      if (stopped) return stopped;
      return fail('INVALID_ARGUMENT', `frames:export-to-file: could not write ${arg.path}: ${errorMessage(error)}`, 'path');
    } finally {
      this.exports.end(watch);
    }
  }

  /** `adopted`: told the new session's id once the engine holds it, before any event of it goes out. */
  async import(arg: CommandArg<'frames:import'>, adopted?: (sessionId: string) => void): Promise<Result<CommandResult<'frames:import'>>> {
    const outcome = await importLog(arg.text, {
      ...(arg.format !== undefined ? { format: arg.format } : {}),
      ...(this.host.frameStore ? { store: this.host.frameStore } : {}),
      ...(this.host.maxImportChars !== undefined ? { maxChars: this.host.maxImportChars } : {}),
    });
    if (!outcome.ok) {
      const first = outcome.problems.items[0];
      return fail('INVALID_ARGUMENT', describeProblems(arg.name, outcome.problems), first && first.where !== '' ? first.where : 'text');
    }
    const { log } = outcome;
    const session = new ImportedSession({
      id: randomUUID(),
      name: arg.name,
      format: log.format,
      url: log.url,
      createdAt: log.createdAt,
      frames: log.frames,
      steps: log.steps,
      ...(log.decision ? { decision: log.decision } : {}),
      ...(log.error ? { error: log.error } : {}),
      ...(log.closed ? { closed: log.closed } : {}),
      ...(log.attempts ? { attempts: log.attempts } : {}),
      ...(log.clientHandshake ? { clientHandshake: log.clientHandshake } : {}),
      ...(log.numbers ? { numbers: log.numbers } : {}),
    });
    this.host.adopt(session);
    adopted?.(session.id);
    this.announce(session);
    return ok({
      sessionId: session.id,
      format: log.format,
      frames: log.frames.count,
      notes: log.notes,
      ...(log.decode ? { decode: log.decode } : {}),
      ...(log.numbers ? { numbers: log.numbers.toList() } : {}),
    });
  }

  /**
   * Tells every consumer about an imported session the way a live one is told: created (read
   * only), its proxy decision and handshake, closed; and its frames as one `frames-skipped`
   * range for the UI to page (an import may hold a million frames: none are pushed).
   */
  private announce(session: ImportedSession): void {
    const sessionId = session.id;
    const emit = (event: EngineEvent): void => this.host.emit(event);
    emit({ type: 'session-created', sessionId, url: session.url, at: session.createdAt, readOnly: true, name: session.name });
    const decision = session.proxyDecision();
    if (decision) emit({ type: 'proxy-decision', sessionId, decision });
    for (const step of session.handshakeSteps()) emit({ type: 'handshake', sessionId, step });
    const error = session.failure();
    if (error) emit({ type: 'error', sessionId, error });
    emit({ type: 'state', sessionId, state: 'closed', previous: 'idle', at: session.createdAt });
    const frames = session.frames;
    if (frames.count > 0) {
      emit({ type: 'frames-skipped', sessionId, fromSeq: frames.firstSeq, toSeq: frames.lastSeq, behind: 0, dropped: frames.dropped });
    }
    emit({ type: 'stats', sessionId, stats: session.statsNow() });
    for (const record of session.attempts()) emit({ type: 'attempt', sessionId, record });
    const ending = session.closedInfo();
    emit({
      type: 'closed',
      sessionId,
      code: ending?.code ?? null,
      reason: ending?.reason ?? '',
      wasClean: ending?.wasClean ?? false,
      initiatedBy: ending?.initiatedBy ?? 'none',
      at: ending?.at ?? session.createdAt,
    });
  }

  private exportRequest(
    format: ExportRequest['format'],
    filter: CommandArg<'frames:export'>['filter'],
    decoded: ExportDecoding | undefined,
    decodedFilter: ((seq: number) => boolean) | undefined,
    rowCheckpoints: RowCheckpoints | undefined,
    decode: CommandArg<'frames:export'>['decode'],
  ): Result<ExportRequest> {
    const decoding = this.exportDecoding(decoded);
    if (!decoding.ok) return decoding;
    // The file records the Decode choice, so an import decodes as the session did (logged-decode.ts).
    const recorded = recordedDecode(decode, decoded);
    const base = {
      format,
      version: this.host.version,
      ...(decoding.value ? { decoding: { ...decoding.value, ...(rowCheckpoints ? { rowCheckpoints } : {}) } } : {}),
      ...(recorded ? { decode: recorded } : {}),
    };
    if (!filter) return ok(base);
    const compiled = compileFilter(filter);
    if (!compiled.ok) return fail('INVALID_ARGUMENT', `${compiled.problem.path}: ${compiled.problem.message}`, compiled.problem.path);
    // "Shown frames" with a decoded filter (a field, a query, a conversation) exports what the log shows.
    if (decodedFilter) compiled.filter.decoded = decodedFilter;
    return ok({ ...base, filter: { raw: filter, compiled: compiled.filter } });
  }

  /** An export's opt-in decoding: a known decoder (or auto), and a schema file only where files are read. */
  private exportDecoding(decoded: ExportDecoding | undefined): Result<ExportRequest['decoding']> {
    if (!decoded) return ok(undefined);
    const choice = DECODE_CHOICES.find((name) => name === decoded.choice);
    if (choice === undefined || choice === 'none') {
      return fail('INVALID_ARGUMENT', `decoded.choice: "${decoded.choice}" is not auto or one of ${DECODE_CHOICES.filter((c) => c !== 'auto' && c !== 'none').join(', ')}`, 'decoded.choice');
    }
    if (!decoded.protobuf) return ok({ choice });
    if (choice !== 'protobuf') return fail('INVALID_ARGUMENT', 'decoded.protobuf: a schema goes with the choice protobuf', 'decoded.protobuf');
    if ('schema' in decoded.protobuf) {
      // The schema's content (the app's), with its type rules: any host.
      const made = protobufChoiceSettings(decoded.protobuf);
      if ('problem' in made) return fail('INVALID_ARGUMENT', `decoded.protobuf.${made.field}: ${made.problem}`, `decoded.protobuf.${made.field}`);
      return ok({ choice, settings: made.settings });
    }
    if (!this.host.allowFileExport) return fail('FORBIDDEN', 'decoded.protobuf: this host does not read schema files');
    const loaded = loadProtobufSchema({ file: decoded.protobuf.file }, decoded.protobuf.type);
    if ('problem' in loaded) return fail('INVALID_ARGUMENT', `decoded.protobuf: ${loaded.problem}`, 'decoded.protobuf');
    return ok({ choice, settings: { protobuf: loaded.schema } });
  }
}

/** The request, told when its session is removed while it runs. */
function withWatch(request: ExportRequest, watch: ExportWatch): ExportRequest {
  return { ...request, removed: () => watch.removal };
}

/**
 * An export stopped before writing anything: its session was removed while it ran (UNKNOWN_SESSION:
 * closed or forgotten, in words), or its decoded filter's decode choice changed (CONFLICT: export again).
 */
function exportStopped(command: 'frames:export' | 'frames:export-to-file', error: unknown): Result<never> | undefined {
  if (error instanceof SessionRemovedDuringExport) return fail('UNKNOWN_SESSION', `${command}: ${error.message}`);
  if (error instanceof DecodeChoiceChanged) return fail('CONFLICT', `${command}: ${error.message}`);
  return undefined;
}
