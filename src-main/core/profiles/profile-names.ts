/** Profile names are unique (case-insensitively), so `connect --profile <name>` is never ambiguous. */

const MAX_NAME = 200;

function sameName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

export function nameTaken(name: string, taken: readonly string[]): boolean {
  return taken.some((other) => sameName(other, name));
}

/**
 * The first free name among `base (word)`, `base (word 2)` …; `base` itself first unless
 * `always` (a duplicate is always called "… (copy)").
 */
export function freeName(base: string, taken: readonly string[], word: string, always = false): string {
  if (!always && !nameTaken(base, taken)) return base;
  for (let n = 1; ; n++) {
    const tail = ` (${word}${n === 1 ? '' : ` ${n}`})`;
    const name = `${base.slice(0, MAX_NAME - tail.length)}${tail}`;
    if (!nameTaken(name, taken)) return name;
  }
}
