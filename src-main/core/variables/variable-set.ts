/**
 * The variables one session fills its `{{name}}`s from: a saved environment's (secret ones
 * decrypted here in the engine), then values given on the spot (`connect --var`), which win.
 * It knows where it came from, so an unknown name is reported with the place it was looked for.
 */
export interface VariableValue {
  value: string;
  /** A secret variable: redacted wherever the session shows it, never put into a message. */
  secret: boolean;
}

export class VariableSet {
  private constructor(
    private readonly values: ReadonlyMap<string, VariableValue>,
    /** Where the names were looked up, for errors: 'the environment "Staging"', 'no environment'. */
    readonly source: string,
  ) {}

  static empty(): VariableSet {
    return new VariableSet(new Map(), 'no environment');
  }

  static fromEnvironment(name: string, variables: Iterable<[string, VariableValue]>): VariableSet {
    return new VariableSet(new Map(variables), `the environment "${name}"`);
  }

  /** Values given on the spot win over the environment's (and are not secret: the caller typed them). */
  withValues(values: readonly { name: string; value: string }[]): VariableSet {
    if (values.length === 0) return this;
    const merged = new Map(this.values);
    for (const { name, value } of values) merged.set(name, { value, secret: false });
    const given = 'values given with the connection';
    return new VariableSet(merged, this.source === 'no environment' ? given : `${this.source} and ${given}`);
  }

  get(name: string): VariableValue | undefined {
    return this.values.get(name);
  }

  /** The secret values, for the session's redactor. */
  secretValues(): string[] {
    return [...this.values.values()].filter((v) => v.secret).map((v) => v.value);
  }

  /** Why `name` is unknown, completing "{{name}} …". */
  missing(): string {
    return this.source === 'no environment' ? 'is not defined: no environment is chosen' : `is not defined in ${this.source}`;
  }
}
