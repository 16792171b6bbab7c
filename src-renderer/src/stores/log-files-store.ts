/**
 * Session logs as files: export a session's frames (all, or what the log's filter shows) as
 * NDJSON or HAR, and import an NDJSON or HAR file into a read-only tab. The engine writes and
 * checks the files (frames:export, frames:import); this store carries the text across and
 * keeps what the import said (its notes, or its problems with their line or JSON path).
 */
import { defineStore } from 'pinia';
import { markRaw, reactive, ref, shallowReactive } from 'vue';
import type { LogFormat } from '../../../src-main/shared/log-file';
import type { ExportDecoding } from '../../../src-main/shared/export-decoding';
import type { LoggedDecode } from '../../../src-main/shared/log-decode';
import type { FrameFilter } from '../../../src-main/shared/search';
import { readUtf8Text } from '../../../src-main/shared/utf8-text';
import { FrameNumbers, type FrameNumberLookup } from '../../../src-main/shared/frame-numbers';
import { getBridge } from '../bridge/active-bridge';
import { useTabsStore } from './tabs-store';
import { useSessionsStore } from './sessions-store';
import { useDecodingStore } from './decoding-store';

export type ExportOutcome =
  | { ok: true; fileName: string; text: string; frames: number; format: LogFormat }
  | { ok: false; message: string };

/** What an import brought in, shown above its read-only log. */
export interface ImportInfo {
  fileName: string;
  format: LogFormat;
  frames: number;
  notes: string[];
  /**
   * The file's own frame numbers when they are not 1..n (a filtered export's #12, #57, #300): the
   * log, the detail pane and Go to # show and take these. Not reactive: a million numbers.
   */
  numbers?: FrameNumbers;
}

/** The engine's list of an import's frame numbers, packed (4 bytes a frame); none when it is not strictly increasing. */
function packNumbers(list: readonly number[] | undefined): FrameNumbers | undefined {
  if (list === undefined) return undefined;
  try {
    return markRaw(FrameNumbers.of(list));
  } catch {
    return undefined;
  }
}

/** Why an import was refused: a headline and each problem with its place (`line 7: dir: …`). */
export interface ImportProblems {
  fileName: string;
  title: string;
  items: string[];
}

/** A file as the picker hands it over (the DOM's File, or a test's stand-in). */
export interface PickedFile {
  name: string;
  text(): Promise<string>;
  /** A File has it: its bytes are checked as UTF-8 (text() would turn what is not into U+FFFD). */
  arrayBuffer?(): Promise<ArrayBuffer>;
}

export const IMPORT_ACCEPT = '.ndjson,.jsonl,.har,.json,application/json,application/x-ndjson';

/** The format a file name suggests; undefined lets the engine tell from the text. */
export function formatFromName(name: string): LogFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.har')) return 'har';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  return undefined;
}

/** `name: 2 problems, nothing imported\n- line 3: dir: …` → a title and the list. */
export function splitProblems(fileName: string, message: string): ImportProblems {
  const lines = message.split('\n');
  const head = (lines[0] ?? '').replace(/^frames:import: /, '');
  const title = head.startsWith(`${fileName}: `) ? head.slice(fileName.length + 2) : head;
  const items = lines.slice(1).map((line) => line.replace(/^- /, '')).filter((line) => line !== '');
  return { fileName, title, items };
}

export const useLogFilesStore = defineStore('log-files', () => {
  const tabStore = useTabsStore();
  const sessionStore = useSessionsStore();
  const decodingStore = useDecodingStore();
  const imports = reactive(new Map<string, ImportInfo>());
  const importing = ref<string | null>(null);
  const importProblems = ref<ImportProblems | null>(null);
  /** Frame numbers asked of the engine for imports this page did not make (a reload, another window). */
  const learntNumbers = shallowReactive(new Map<string, FrameNumbers>());
  const askedNumbers = new Set<string>();
  /** Bumped when the application menu asks to export: the active log's export menu opens. */
  const exportRequests = ref(0);

  /** `decoded`: also each frame's decoding, decoded as `choice` says (the session's Decode choice). */
  async function exportLog(sessionId: string, format: LogFormat, filter?: FrameFilter | null, decoded?: ExportDecoding): Promise<ExportOutcome> {
    const decode = decodeOf(sessionId, decoded);
    const result = await getBridge()['frames:export']({ sessionId, format, ...(filter ? { filter } : {}), ...(decoded ? { decoded } : {}), ...(decode ? { decode } : {}) });
    if (!result.ok) return { ok: false, message: result.error.message.replace(/^frames:export: /, '') };
    return { ok: true, fileName: result.value.fileName, text: result.value.text, frames: result.value.frames, format: result.value.format };
  }

  /**
   * The session's Decode choice as the engine holds it (the schema by name), for the file to
   * record; Auto is what an import does anyway. A schema the export decodes with names it when the
   * state does not (yet) say it.
   */
  function decodeOf(sessionId: string, decoded?: ExportDecoding): LoggedDecode | undefined {
    const state = decodingStore.viewOf(sessionId).state;
    if (!state || state.choice === 'auto') return undefined;
    if (state.choice !== 'protobuf') return { choice: state.choice };
    const held = state.protobuf;
    const sent = decoded?.protobuf && 'schema' in decoded.protobuf ? decoded.protobuf : undefined;
    const schema = held?.name ?? sent?.schema.name;
    const type = held ? held.type : sent?.type;
    return { choice: 'protobuf', ...(schema !== undefined ? { protobuf: { schema, ...(type !== undefined ? { type } : {}) } } : {}) };
  }

  /** Reads the file, has the engine check and open it, and shows it in a new read-only tab. */
  async function importFile(file: PickedFile): Promise<string | null> {
    importProblems.value = null;
    importing.value = file.name;
    try {
      let text: string;
      try {
        const read = file.arrayBuffer ? readUtf8Text(new Uint8Array(await file.arrayBuffer())) : { ok: true as const, text: await file.text() };
        if (!read.ok) {
          importProblems.value = { fileName: file.name, title: read.problem, items: [] };
          return null;
        }
        text = read.text;
      } catch (error) {
        importProblems.value = { fileName: file.name, title: `the file could not be read: ${error instanceof Error ? error.message : String(error)}`, items: [] };
        return null;
      }
      const format = formatFromName(file.name);
      const name = file.name.slice(0, 200) || 'imported log';
      const result = await getBridge()['frames:import']({ text, name, ...(format ? { format } : {}) });
      if (!result.ok) {
        importProblems.value = splitProblems(name, result.error.message);
        return null;
      }
      const { sessionId } = result.value;
      const numbers = packNumbers(result.value.numbers);
      imports.set(sessionId, { fileName: name, format: result.value.format, frames: result.value.frames, notes: result.value.notes, ...(numbers ? { numbers } : {}) });
      // The engine announced the session (events) before answering; its URL is known by now.
      const url = sessionStore.sessions.get(sessionId)?.url ?? '';
      const tab = tabStore.openSessionTab(sessionId, url);
      // The tab decodes as the session did when exported (its Decode shows it, and can be changed);
      // a Protocol Buffers schema is not in the file: the notes say which to choose.
      const decode = result.value.decode;
      if (decode && decode.choice !== 'auto') await decodingStore.choose(tab.id, sessionId, decode.choice);
      return sessionId;
    } finally {
      importing.value = null;
    }
  }

  /**
   * An imported log's own frame numbers (undefined: its seqs are its numbers). One this page did
   * not import (reloaded since) is asked of the engine once; the log shows them when they come.
   */
  function numbersOf(sessionId: string): FrameNumberLookup | undefined {
    const info = imports.get(sessionId);
    if (info) return info.numbers;
    const learnt = learntNumbers.get(sessionId);
    if (learnt !== undefined) return learnt;
    // While an import runs its session is announced before its answer brings the numbers.
    if (importing.value === null && sessionStore.sessions.get(sessionId)?.readOnly === true && !askedNumbers.has(sessionId)) {
      askedNumbers.add(sessionId);
      // Not in this call: it may come from a render, which must not change state.
      queueMicrotask(() => void learnNumbers(sessionId));
    }
    return undefined;
  }

  async function learnNumbers(sessionId: string): Promise<void> {
    const result = await getBridge()['frames:numbers']({ sessionId });
    const numbers = result.ok ? packNumbers(result.value.numbers) : undefined;
    if (numbers) learntNumbers.set(sessionId, numbers);
  }

  function dismissProblems(): void {
    importProblems.value = null;
  }

  function requestExport(): void {
    exportRequests.value += 1;
  }

  return { imports, importing, importProblems, exportRequests, exportLog, importFile, numbersOf, dismissProblems, requestExport };
});
