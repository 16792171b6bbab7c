/**
 * Every deadline that can end a connection before it opens, in one place: the names, the
 * defaults, the bounds, the app's field and the CLI's flag for each. The engine, the CLI,
 * the UI, Copy as command and the hints all read them from here.
 */
import { z } from 'zod';

/** The deadlines, in the order the legs run. */
export const DEADLINE_NAMES = ['proxy-connect', 'proxy-answer', 'tls', 'upgrade', 'open'] as const;
export type DeadlineName = (typeof DEADLINE_NAMES)[number];

/** The key of each deadline in `options.timeouts`. */
export const TIMEOUT_KEYS = {
  'proxy-connect': 'proxyConnectMs',
  'proxy-answer': 'proxyAnswerMs',
  tls: 'tlsMs',
  upgrade: 'upgradeMs',
  open: 'openMs',
} as const satisfies Record<DeadlineName, string>;
export type TimeoutKey = (typeof TIMEOUT_KEYS)[DeadlineName];

/**
 * Each leg's own deadline when nothing else is said. The open deadline has none: unset, only
 * the legs' deadlines apply.
 */
export const TIMEOUT_DEFAULTS = { proxyConnectMs: 10_000, proxyAnswerMs: 15_000, tlsMs: 10_000, upgradeMs: 10_000 } as const;
export const TIMEOUT_LIMITS = { minMs: 100, maxLegMs: 600_000, maxOpenMs: 3_600_000 } as const;

/** What each deadline covers, its field in the app and its flag on the command line. */
export const DEADLINE_TEXT: Record<DeadlineName, { words: string; covers: string; field: string; flag: string }> = {
  'proxy-connect': {
    words: 'proxy connect',
    covers: 'the TCP connection to the proxy (to the server when there is none) and the TLS handshake with an https:// proxy',
    field: 'Proxy connect',
    flag: '--proxy-connect-timeout',
  },
  'proxy-answer': { words: 'proxy answer', covers: "each answer of the proxy to CONNECT (or to the SOCKS request)", field: 'Proxy answer', flag: '--proxy-answer-timeout' },
  tls: { words: 'TLS', covers: 'the TLS handshake with the server', field: 'TLS', flag: '--tls-timeout' },
  upgrade: { words: 'upgrade', covers: "the server's answer to the WebSocket upgrade", field: 'Upgrade', flag: '--upgrade-timeout' },
  open: { words: 'open', covers: 'the whole opening, every leg together', field: 'Open', flag: '--timeout' },
};

function leg(what: string) {
  return z
    .number()
    .int(`the ${what} deadline must be a whole number of milliseconds`)
    .min(TIMEOUT_LIMITS.minMs, `the ${what} deadline is at least ${TIMEOUT_LIMITS.minMs} ms`)
    .max(TIMEOUT_LIMITS.maxLegMs, `the ${what} deadline is at most 10 minutes (${TIMEOUT_LIMITS.maxLegMs} ms)`);
}

/** Only the deadlines that differ from the defaults are written; a missing one is its default. */
export const timeoutsSchema = z.object({
  proxyConnectMs: leg('proxy connect').optional(),
  proxyAnswerMs: leg('proxy answer').optional(),
  tlsMs: leg('TLS').optional(),
  upgradeMs: leg('upgrade').optional(),
  openMs: z
    .number()
    .int('the open deadline must be a whole number of milliseconds')
    .min(TIMEOUT_LIMITS.minMs, `the open deadline is at least ${TIMEOUT_LIMITS.minMs} ms`)
    .max(TIMEOUT_LIMITS.maxOpenMs, 'the open deadline is at most one hour (3600000 ms)')
    .optional(),
});
export type Timeouts = z.output<typeof timeoutsSchema>;

/**
 * A profile's older single deadline for TLS and the upgrade (profiles keep it, so files from
 * before `timeouts` read as they were; `timeouts.tlsMs` / `upgradeMs` win over it).
 */
export const legacyHandshakeTimeoutSchema = z.number().int().min(1).max(600_000).default(TIMEOUT_DEFAULTS.upgradeMs);

/** Every deadline with its value; `openMs` undefined: no deadline over the whole opening. */
export interface EffectiveTimeouts {
  proxyConnectMs: number;
  proxyAnswerMs: number;
  tlsMs: number;
  upgradeMs: number;
  openMs: number | undefined;
}

/** The older fields connection options may still carry (logs, profiles and callers from before `timeouts`). */
export interface LegacyTimeoutFields {
  timeouts?: Timeouts | undefined;
  /** Was the TLS and the upgrade deadline. */
  handshakeTimeoutMs?: number | undefined;
  /** Was one deadline over the whole proxy phase. */
  proxyTimeoutMs?: number | undefined;
  openTimeoutMs?: number | undefined;
}

/** The deadlines in force: `timeouts` first, then the older fields, then TIMEOUT_DEFAULTS. */
export function effectiveTimeouts(options: LegacyTimeoutFields): EffectiveTimeouts {
  const given = options.timeouts ?? {};
  return {
    proxyConnectMs: given.proxyConnectMs ?? options.proxyTimeoutMs ?? TIMEOUT_DEFAULTS.proxyConnectMs,
    proxyAnswerMs: given.proxyAnswerMs ?? options.proxyTimeoutMs ?? TIMEOUT_DEFAULTS.proxyAnswerMs,
    tlsMs: given.tlsMs ?? options.handshakeTimeoutMs ?? TIMEOUT_DEFAULTS.tlsMs,
    upgradeMs: given.upgradeMs ?? options.handshakeTimeoutMs ?? TIMEOUT_DEFAULTS.upgradeMs,
    openMs: given.openMs ?? options.openTimeoutMs,
  };
}

/** The deadlines that differ from the defaults, in leg order (for summaries and commands). */
export function nonDefaultTimeouts(options: LegacyTimeoutFields): { name: DeadlineName; ms: number }[] {
  const timeouts = effectiveTimeouts(options);
  const list: { name: DeadlineName; ms: number }[] = [];
  for (const name of DEADLINE_NAMES) {
    const key = TIMEOUT_KEYS[name];
    const ms = timeouts[key];
    if (ms === undefined) continue;
    if (key !== 'openMs' && ms === TIMEOUT_DEFAULTS[key]) continue;
    list.push({ name, ms });
  }
  return list;
}

/** A longer value to propose after `ms` passed: double it, within the bound. */
export function longerTimeout(name: DeadlineName, ms: number): number {
  const max = name === 'open' ? TIMEOUT_LIMITS.maxOpenMs : TIMEOUT_LIMITS.maxLegMs;
  return Math.min(max, Math.max(TIMEOUT_LIMITS.minMs, ms * 2));
}

/** "15 s", "1.5 s", "250 ms". */
export function formatDeadline(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(3))} s`;
}

/** A form's deadlines, every one shown with its value; `openMs` 0: no deadline over the whole opening. */
export interface FormTimeouts {
  proxyConnectMs: number;
  proxyAnswerMs: number;
  tlsMs: number;
  upgradeMs: number;
  openMs: number;
}

/** The deadlines a form starts from: the options' (older fields included), else the defaults. */
export function formTimeouts(options: LegacyTimeoutFields = {}): FormTimeouts {
  const timeouts = effectiveTimeouts(options);
  return { ...timeouts, openMs: timeouts.openMs ?? 0 };
}

/**
 * A form's deadlines as the contract has them: only those that differ from the defaults, or
 * undefined when none does. Out-of-range numbers go as they are, for the contract to name the bound.
 */
export function timeoutsFromForm(form: FormTimeouts): Timeouts | undefined {
  const timeouts: Timeouts = {};
  for (const key of ['proxyConnectMs', 'proxyAnswerMs', 'tlsMs', 'upgradeMs'] as const) {
    if (form[key] !== TIMEOUT_DEFAULTS[key]) timeouts[key] = form[key];
  }
  if (form.openMs !== 0) timeouts.openMs = form.openMs;
  return Object.keys(timeouts).length > 0 ? timeouts : undefined;
}
