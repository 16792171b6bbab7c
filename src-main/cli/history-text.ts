/** A profile's history setting in words, for `profiles show`: "the newest 1,000,000 frames, within 512 MiB of payload". */
import { HISTORY_DEFAULTS, MIB, type HistorySetting } from '../shared/model';

/** Whole MiB as a number the user typed (512), or with one decimal when the budget is not whole MiB. */
function historyMegabytes(bytes: number): number {
  return Math.round((bytes / MIB) * 10) / 10;
}

export function historyText(history: Partial<HistorySetting> | undefined): string {
  const maxFrames = history?.maxFrames ?? HISTORY_DEFAULTS.maxFrames;
  const maxBytes = history?.maxBytes ?? HISTORY_DEFAULTS.maxBytes;
  const isDefault = maxFrames === HISTORY_DEFAULTS.maxFrames && maxBytes === HISTORY_DEFAULTS.maxBytes;
  return `the newest ${maxFrames.toLocaleString('en-US')} frames, within ${historyMegabytes(maxBytes).toLocaleString('en-US')} MiB of payload${isDefault ? ' (the default)' : ''}`;
}
