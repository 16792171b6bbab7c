/**
 * `npm run soak`: the load and fault scenarios of the hardening audit, bounded in count and
 * time and on 127.0.0.1 only. Each scenario prints its figures and every problem it found;
 * the exit status is 1 when any scenario found one. Not part of `npm test` (it takes minutes
 * and loads the machine); run it before a release and after changes to the engine.
 *
 *   npm run soak                 every scenario
 *   npm run soak -- squid faults only those
 */
import os from 'node:os';
import { soakBadCliCalls } from './soak/bad-cli-calls';
import { soakMidSessionFaults } from './soak/mid-session-faults';
import { soakProfileKills } from './soak/profile-kills';
import type { SoakResult } from './soak/soak-result';
import { soakSendBackpressure } from './soak/send-backpressure';
import { soakSquidRounds } from './soak/squid-rounds';
import { soakVanishedPages } from './soak/vanished-pages';

const SCENARIOS: Record<string, () => Promise<SoakResult>> = {
  squid: soakSquidRounds,
  faults: soakMidSessionFaults,
  profiles: soakProfileKills,
  cli: soakBadCliCalls,
  pages: soakVanishedPages,
  send: soakSendBackpressure,
};

async function main(): Promise<number> {
  const wanted = process.argv.slice(2).filter((name) => name in SCENARIOS);
  const names = wanted.length > 0 ? wanted : Object.keys(SCENARIOS);
  const started = performance.now();
  let failed = 0;
  for (const key of names) {
    const scenario = SCENARIOS[key];
    if (!scenario) continue;
    const partStarted = performance.now();
    process.stdout.write(`\n[${key}] `);
    let result: SoakResult;
    try {
      result = await scenario();
    } catch (error) {
      result = { name: key, figures: [], problems: [`the scenario itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`] };
    }
    process.stdout.write(`${result.name} (${((performance.now() - partStarted) / 1000).toFixed(1)} s)\n`);
    for (const figure of result.figures) process.stdout.write(`  ${figure}\n`);
    for (const problem of result.problems) process.stdout.write(`  PROBLEM: ${problem}\n`);
    process.stdout.write(result.problems.length === 0 ? '  held\n' : `  ${result.problems.length} problem(s)\n`);
    if (result.problems.length > 0) failed += 1;
  }
  const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
  process.stdout.write(`\n${names.length - failed} of ${names.length} scenarios held in ${((performance.now() - started) / 1000).toFixed(0)} s on ${os.cpus().length} cores, Node ${process.version}, load average ${load}.\n`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
