/**
 * The variables one session fills its `{{name}}`s from: a saved environment's (secret ones
 * decrypted here in the engine), then values given on the spot (`connect --var`), which win.
 * It knows where it came from, so an unknown name is reported with the place it was looked for.
 */
import { looksLikeCredentialHeader } from '../../shared/secret-headers';

export interface VariableValue {
  value: string;
  /** A secret variable: redacted wherever the session shows it, never put into a message. */
  secret: boolean;
  /**
   * A value given on the spot under a credential's name (`--var token=…`, by the rule of
   * credential headers): redacted wherever the session shows it, as a secret is, but it may go
   * into a message, since the caller put it there.
   */
  redacted?: boolean;
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

  /**
   * Values given on the spot win over the environment's. They are not secret (the caller typed
   * them, and may put them into messages), but one named like a credential is redacted.
   */
  withValues(values: readonly { name: string; value: string }[]): VariableSet {
    if (values.length === 0) return this;
    const merged = new Map(this.values);
    for (const { name, value } of values) merged.set(name, { value, secret: false, ...(looksLikeCredentialHeader(name) ? { redacted: true } : {}) });
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
