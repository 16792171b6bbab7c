/**
 * SecureContexts kept by what went into them. An explicit root list costs about half a
 * millisecond per certificate to load (~100 ms for Mozilla's roots and an OS store), where
 * Node's own default store is shared; so each distinct list (with its client certificate) is
 * built once and reused, the least recently used dropped past a few.
 */
import { createHash } from 'node:crypto';
import tls from 'node:tls';

const MAX_CONTEXTS = 8;

export interface ContextInputs {
  ca: readonly string[];
  cert?: Buffer;
  key?: Buffer;
  passphrase?: string;
}

const contexts = new Map<string, tls.SecureContext>();

/** A digest of everything that shapes the context (the key and passphrase only as a hash). */
function keyOf(inputs: ContextInputs): string {
  const hash = createHash('sha256');
  for (const pem of inputs.ca) hash.update(pem).update('\0');
  hash.update('\x01').update(inputs.cert ?? '').update('\x01').update(inputs.key ?? '');
  hash.update('\x01').update(inputs.passphrase === undefined ? '\x02' : `\x03${inputs.passphrase}`);
  return hash.digest('hex');
}

/** The cached context for these inputs, or a new one (a failure to build throws and is not kept). */
export function secureContextFor(inputs: ContextInputs): tls.SecureContext {
  const key = keyOf(inputs);
  const cached = contexts.get(key);
  if (cached) {
    // Re-insert: a Map keeps insertion order, so the first entry is the least recently used.
    contexts.delete(key);
    contexts.set(key, cached);
    return cached;
  }
  const context = tls.createSecureContext({
    ca: [...inputs.ca],
    ...(inputs.cert ? { cert: inputs.cert } : {}),
    ...(inputs.key ? { key: inputs.key } : {}),
    ...(inputs.passphrase !== undefined ? { passphrase: inputs.passphrase } : {}),
  });
  contexts.set(key, context);
  while (contexts.size > MAX_CONTEXTS) {
    const oldest = contexts.keys().next().value;
    if (oldest === undefined) break;
    contexts.delete(oldest);
  }
  return context;
}
