// har-validator ships no types: the one function the tests use (it checks a whole HAR file
// against the HAR 1.2 JSON Schemas of har-schema, and rejects with every error found).
declare module 'har-validator' {
  export function har(data: unknown): Promise<unknown>;
}
