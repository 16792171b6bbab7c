/**
 * After `connect --export <file>`: asks the engine to write the session's log and says where
 * it went (a line on stderr, or an `export` JSON line with --json). A failed write makes the
 * run fail: the user asked for the file.
 */
import type { EngineApi } from './cli-io';
import type { ExportTarget } from './export-flag';
import { printable, terminalJson } from './terminal-text';

export async function writeExport(
  engine: EngineApi,
  sessionId: string,
  target: ExportTarget,
  output: { json: boolean; out(line: string): void; err(line: string): void },
): Promise<boolean> {
  const result = await engine.call('frames:export-to-file', {
    sessionId,
    format: target.format,
    path: target.path,
    ...(target.decoded ? { decoded: target.decoded } : {}),
    // The Decode choice goes in the file whether or not the frames' decodings do (an import decodes with it).
    ...(target.decode ? { decode: target.decode } : {}),
  });
  if (!result.ok) {
    output.err(`tunnelscope: the log was not written: ${printable(result.error.message)}`);
    return false;
  }
  const { path, frames, bytes } = result.value;
  if (output.json) output.out(terminalJson({ type: 'export', path, format: target.format, frames, bytes }));
  else output.err(`Log written to ${printable(path)} (${frames} frame${frames === 1 ? '' : 's'}, ${target.format.toUpperCase()}).`);
  return true;
}
