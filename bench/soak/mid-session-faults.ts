/**
 * Faults after open, one session at a time against a raw server on 127.0.0.1: the server
 * answers the upgrade, then cuts the connection (RST), ends it (FIN without a close frame),
 * sends a frame with a reserved opcode, or closes with 1001. Held when every session ends
 * with an outcome (an error with its stage and code, or a closed event) and none hangs; the
 * figure is the time from the fault to that outcome.
 */
import { Engine } from '../../src-main/core/engine';
import type { EngineEvent } from '../../src-main/shared/events';
import { closeFrame, startRawServer, switchingProtocols, type RawUpgrade } from '../../test/support/raw-ws-server';
import { percentile, type SoakResult } from './soak-result';

const PER_FAULT = 50;
const OUTCOME_BUDGET_MS = 5000;

type Fault = 'reset' | 'fin' | 'reserved-opcode' | 'close-1001';
const FAULTS: readonly Fault[] = ['reset', 'fin', 'reserved-opcode', 'close-1001'];

function inflict(fault: Fault, upgrade: RawUpgrade): void {
  const { socket } = upgrade;
  if (fault === 'reset') socket.resetAndDestroy();
  else if (fault === 'fin') socket.end();
  else if (fault === 'reserved-opcode') socket.write(Buffer.from([0x83, 0x00]));
  else socket.write(closeFrame(1001, 'going away'));
}

export async function soakMidSessionFaults(): Promise<SoakResult> {
  const name = `faults after open: ${FAULTS.join(', ')} (${PER_FAULT} each)`;
  let fault: Fault = 'reset';
  let faultAt = 0;
  const server = await startRawServer((upgrade) => {
    upgrade.socket.write(switchingProtocols(upgrade.key));
    // Let the client see `open` first: the fault must come after it.
    setTimeout(() => {
      faultAt = performance.now();
      inflict(fault, upgrade);
    }, 10);
  });
  const engine = new Engine({ host: 'cli', version: 'soak', env: {} });
  const figures: string[] = [];
  const problems: string[] = [];
  try {
    for (const current of FAULTS) {
      fault = current;
      const delays: number[] = [];
      const endings = new Map<string, number>();
      for (let i = 0; i < PER_FAULT; i++) {
        const outcome = await oneSession(engine, server.url);
        if (outcome === undefined) {
          problems.push(`${current}: a session had no outcome within ${OUTCOME_BUDGET_MS} ms of the fault`);
          continue;
        }
        delays.push(outcome.at - faultAt);
        endings.set(outcome.label, (endings.get(outcome.label) ?? 0) + 1);
      }
      const said = [...endings].map(([label, count]) => `${label} ×${count}`).join(', ');
      figures.push(`${current}: fault → outcome median ${percentile(delays, 50).toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms; ${said}`);
      if (endings.size > 1) problems.push(`${current}: the same fault ended in different ways (${said})`);
    }
    const listed = await engine.call('session:list', {});
    if (listed.ok) for (const info of listed.value) await engine.call('session:dispose', { sessionId: info.sessionId });
  } finally {
    await engine.dispose();
    await server.close();
  }
  return { name, figures, problems };
}

/** Opens one direct session and waits for its outcome: the error or closed event after open. */
function oneSession(engine: Engine, url: string): Promise<{ at: number; label: string } | undefined> {
  return new Promise((resolve) => {
    let sessionId = '';
    let error = '';
    const early: EngineEvent[] = [];
    const timer = setTimeout(() => finish(undefined), OUTCOME_BUDGET_MS);
    const finish = (outcome: { at: number; label: string } | undefined): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve(outcome);
    };
    const onEvent = (event: EngineEvent): void => {
      if (sessionId === '') {
        early.push(event);
        return;
      }
      if (event.sessionId !== sessionId) return;
      if (event.type === 'error') error = `${event.error.stage}/${event.error.code}`;
      if (event.type === 'closed') finish({ at: performance.now(), label: error !== '' ? error : `closed ${event.code ?? 'without a code'}` });
    };
    const unsubscribe = engine.onEvent(onEvent);
    void engine.call('session:open', { options: { url, proxy: { mode: 'none' } } }).then((result) => {
      if (!result.ok) {
        finish({ at: performance.now(), label: `refused: ${result.error.message}` });
        return;
      }
      sessionId = result.value.sessionId;
      for (const event of early.splice(0)) onEvent(event);
    });
  });
}
