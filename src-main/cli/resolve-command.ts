/** `tunnelscope resolve <url>`: which proxy a connection would use, and why. */
import { isNetError } from '../shared/errors';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, lineWriter, type CliIo, type EngineApi } from './cli-io';
import { choosePalette, COLOURS, failureHeadline, formatDecision, formatError } from './human-output';
import { errorLine, resolveLine } from './json-output';
import type { ResolveCommand } from './parse-args';
import { Scrubber } from './scrub';
import { printable, terminalJson, terminalWriter } from './terminal-text';

export async function runResolve(command: ResolveCommand, engine: EngineApi, io: CliIo): Promise<number> {
  const scrubber = new Scrubber(command.secrets);
  const palette = choosePalette(io.stdout.isTTY, io.env);
  const writer = terminalWriter(lineWriter(io), palette === COLOURS);
  const result = await engine.call('proxy:resolve', { url: command.url, proxy: command.proxy });

  if (result.ok) {
    if (command.json) writer.out(terminalJson(scrubber.deep(resolveLine(result.value))));
    else {
      writer.out(scrubber.text(`${palette.bold('URL')}      ${printable(command.url)}`));
      for (const line of formatDecision(result.value, palette)) writer.out(scrubber.text(line));
    }
    return EXIT_OK;
  }

  const error = result.error;
  if (isNetError(error)) {
    if (command.json) {
      writer.out(terminalJson(scrubber.deep(errorLine(error))));
      writer.err(scrubber.text(`tunnelscope: ${failureHeadline(error)}: ${printable(error.message)} (${error.code})`));
    } else {
      for (const line of formatError(error, palette)) writer.err(scrubber.text(line));
    }
    return EXIT_FAILED;
  }
  writer.err(scrubber.text(`tunnelscope: ${printable(error.message)}`));
  return error.code === 'INVALID_ARGUMENT' ? EXIT_USAGE : EXIT_FAILED;
}
