/**
 * Sends a protocol session's opening again when a later attempt of a reconnecting connection
 * opens (options.reconnect.resend; the plan comes from opening-ledger.ts): the opening messages
 * at once, in the order first sent; then, with `subscriptions`, the subscriptions once the server
 * accepted the opening (STOMP CONNECTED, MQTT CONNACK 0, GraphQL connection_ack: a
 * graphql-transport-ws server closes with 4401 on a subscribe before its ack). It reads the
 * server's messages only while it waits for that answer. What went out, what did not and why is
 * reported as `resent` (ReconnectNotice says it); nothing is reported when nothing was to send.
 */
import type { ResentReport } from '../../shared/attempts';
import type { ResendChoice } from '../../shared/model';
import type { DecoderName, StreamDecoder } from '../decode/decoded-frame';
import { createDecoder } from '../decode/decoder-registry';
import type { JsonValue } from '../decode/json-value';
import { NetFailure } from '../errors/net-failure';
import type { ReplayItem, ReplayPlan, ReplayProtocol } from './opening-ledger';

/** The server's messages looked at for its answer to the opening before the subscriptions are given up. */
export const MAX_ANSWER_MESSAGES = 64;

export interface ReplayTarget {
  /** The frame's seq; undefined when the attempt is no longer open; throws NetFailure SEND_QUEUE_FULL. */
  send(kind: 'text' | 'binary', payload: Buffer): number | undefined;
}

export interface OpeningReplayConfig {
  attempt: number;
  plan: ReplayPlan;
  choice: Exclude<ResendChoice, 'none'>;
  target: ReplayTarget;
  report(report: ResentReport): void;
}

/** What the server's answer to the opening is called, for "the subscriptions wait for CONNECTED". */
const ANSWER_NAMES: Readonly<Record<ReplayProtocol, string>> = {
  stomp: 'CONNECTED',
  mqtt: 'CONNACK',
  'graphql-ws': 'connection_ack',
  signalr: 'the handshake answer',
  socketio: 'the CONNECT answer',
};

function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** accepted / refused (with words) / undefined: not the answer. */
function answerOf(protocol: ReplayProtocol, value: JsonValue): { accepted: boolean; words: string } | undefined {
  if (protocol === 'stomp') {
    const command = field(value, 'command');
    if (command === 'CONNECTED') return { accepted: true, words: 'CONNECTED' };
    if (command === 'ERROR') return { accepted: false, words: 'the broker answered ERROR' };
    return undefined;
  }
  if (protocol === 'mqtt') {
    if (field(value, 'cmd') !== 'connack') return undefined;
    const code = field(value, 'reasonCode') ?? field(value, 'returnCode') ?? 0;
    return code === 0 ? { accepted: true, words: 'CONNACK' } : { accepted: false, words: `the broker refused the CONNECT (CONNACK ${String(code)})` };
  }
  if (protocol === 'graphql-ws') {
    const type = field(value, 'type');
    if (type === 'connection_ack') return { accepted: true, words: 'connection_ack' };
    if (type === 'connection_error') return { accepted: false, words: 'the server answered connection_error' };
    return undefined;
  }
  return undefined;
}

function framesOf(value: JsonValue): JsonValue[] {
  const list = field(value, 'frames') ?? field(value, 'packets') ?? field(value, 'messages');
  return Array.isArray(list) ? list : [value];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export class OpeningReplay {
  private readonly config: OpeningReplayConfig;
  private readonly sent: ResentReport['sent'] = [];
  private readonly notSent: string[];
  /** The subscriptions waiting for the server's answer to the opening; undefined when none wait. */
  private waitingItems: ReplayItem[] | undefined;
  private answerDecoder: StreamDecoder | undefined;
  private answersLooked = 0;
  private finished = false;
  /** MQTT 5: the broker answered the CONNECT sent again with an AUTH challenge (only the user can answer it). */
  private authAsked = false;

  constructor(config: OpeningReplayConfig) {
    this.config = config;
    this.notSent = [...config.plan.notSent];
  }

  /** Whether it still waits for the server's answer (the connection hands it the server's messages then). */
  get waiting(): boolean {
    return this.waitingItems !== undefined;
  }

  /** Whether every message it meant to send went out, or a STOMP ERROR refused the opening (else the connection keeps the plan for the next attempt). */
  get complete(): boolean {
    return this.finished;
  }

  /** Sends the openings now; the subscriptions now too when the protocol has no answer to wait for. */
  start(): void {
    const { plan, choice } = this.config;
    if (!this.sendItems(plan.openings)) {
      this.emit();
      return;
    }
    const subscriptions = choice === 'subscriptions' ? plan.subscriptions : [];
    if (subscriptions.length > 0 && plan.openings.length === 0) {
      this.notSent.push(`${plural(subscriptions.length, 'subscription')}: no opening message to send before them`);
    } else if (subscriptions.length > 0) {
      this.waitingItems = subscriptions;
      const decoder = createDecoder(plan.protocol satisfies DecoderName);
      // The openings set what the answer is read as (MQTT: the CONNECT's version; a v5 CONNACK or AUTH reads wrong as 3.1.1).
      for (const message of plan.openings.flatMap((item) => item.messages)) decoder.decode({ seq: 0, dir: 'out', opcode: message.kind, bytes: message.payload });
      this.answerDecoder = decoder;
    }
    if (this.waitingItems === undefined) this.finished = true;
    this.emit();
  }

  /** A server message of this attempt, in order (only while `waiting`). */
  incoming(kind: 'text' | 'binary', payload: Buffer): void {
    const items = this.waitingItems;
    const decoder = this.answerDecoder;
    if (items === undefined || decoder === undefined) return;
    const outcome = decoder.decode({ seq: 0, dir: 'in', opcode: kind, bytes: payload });
    if (outcome?.kind === 'decoded') {
      for (const frame of framesOf(outcome.value)) {
        const answer = answerOf(this.config.plan.protocol, frame);
        if (answer === undefined) {
          if (this.config.plan.protocol === 'mqtt' && field(frame, 'cmd') === 'auth' && !this.authAsked) {
            this.authAsked = true;
            this.emit();
          }
          continue;
        }
        this.waitingItems = undefined;
        if (!answer.accepted) {
          this.notSent.push(`${plural(items.length, 'subscription')}: ${answer.words}`);
          // Refused: not complete, so the next attempt sends this attempt's plan again, subscriptions too. But a
          // STOMP server closes after its ERROR and answers the same CONNECT so again (a loop of reconnects):
          // this attempt's ledger, which read the ERROR and names the CONNECT it refused, is what comes next.
          if (this.config.plan.protocol === 'stomp') this.finished = true;
        } else if (this.sendItems(items)) this.finished = true;
        this.emit();
        return;
      }
    }
    if (++this.answersLooked >= MAX_ANSWER_MESSAGES) {
      this.waitingItems = undefined;
      this.notSent.push(`${plural(items.length, 'subscription')}: no ${ANSWER_NAMES[this.config.plan.protocol]} in the server's first ${MAX_ANSWER_MESSAGES} messages`);
      this.emit();
    }
  }

  /** The attempt ended (or the user closed) before everything went out. */
  stop(why: string): void {
    const items = this.waitingItems;
    if (items === undefined) return;
    this.waitingItems = undefined;
    this.notSent.push(`${plural(items.length, 'subscription')}: ${why}`);
    this.emit();
  }

  /** Sends the items in order; false (with the reason noted and reported) when one could not go. */
  private sendItems(items: readonly ReplayItem[]): boolean {
    for (const [index, item] of items.entries()) {
      for (const message of item.messages) {
        let seq: number | undefined;
        try {
          seq = this.config.target.send(message.kind, message.payload);
        } catch (error) {
          if (!(error instanceof NetFailure)) throw error;
          seq = undefined;
        }
        if (seq === undefined) {
          const left = items.slice(index).map((entry) => entry.label);
          this.notSent.push(`${left.join(', ')}: the connection was no longer open, or not reading`);
          return false;
        }
        // A packet split over messages is listed once, at its last message.
        if (message === item.messages.at(-1)) this.sent.push({ seq, label: item.label });
      }
    }
    return true;
  }

  private emit(): void {
    const items = this.waitingItems;
    const asked = this.authAsked ? ': the broker asked for MQTT 5 enhanced authentication (AUTH), which only you can answer' : '';
    const waiting = items !== undefined ? `${plural(items.length, 'subscription')} ${items.length === 1 ? 'waits' : 'wait'} for ${ANSWER_NAMES[this.config.plan.protocol]}${asked}` : undefined;
    this.config.report({ attempt: this.config.attempt, sent: [...this.sent], notSent: [...this.notSent], ...(waiting !== undefined ? { waiting } : {}) });
  }
}
