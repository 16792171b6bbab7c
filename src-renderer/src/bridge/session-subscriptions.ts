/**
 * Which sessions this page hears: the engine sends a page only the sessions it subscribes to
 * (and the list-level events of all, for the list of sessions no tab shows). The tabs decide:
 * a session a tab shows is subscribed, one no tab shows any more is unsubscribed. The engine
 * subscribes a page to what it opens, imports or adopts by itself; a subscription here is then
 * a no-op there. On start and after the link came back (a new connection hears nothing yet),
 * one call says everything the page wants and drops what its connection had (`replace`).
 */
import type { CommandArgInput, CommandResult } from '../../../src-main/shared/commands';
import type { Result } from '../../../src-main/shared/result';

export interface SubscriptionCalls {
  subscribe(arg: CommandArgInput<'session:subscribe'>): Promise<Result<CommandResult<'session:subscribe'>>>;
  unsubscribe(arg: CommandArgInput<'session:unsubscribe'>): Promise<Result<CommandResult<'session:unsubscribe'>>>;
  /** Where a refused call is reported; default console.warn. */
  warn?: (message: string) => void;
}

export class SessionSubscriptions {
  /** The sessions the tabs show now. */
  private wanted = new Set<string>();
  private started = false;

  constructor(private readonly calls: SubscriptionCalls) {}

  /** The page's connection is new (loaded, or back after a loss): subscribe to the list and to every session shown. */
  async start(): Promise<void> {
    this.started = true;
    this.report(await this.calls.subscribe({ sessionIds: [...this.wanted], list: true, replace: true }));
  }

  /** The sessions the tabs show now: new ones are subscribed, the ones no tab shows any more unsubscribed. */
  show(sessionIds: Iterable<string>): void {
    const next = new Set(sessionIds);
    const added = [...next].filter((id) => !this.wanted.has(id));
    const removed = [...this.wanted].filter((id) => !next.has(id));
    this.wanted = next;
    if (!this.started) return;
    if (added.length > 0) void this.calls.subscribe({ sessionIds: added }).then((result) => this.report(result));
    if (removed.length > 0) void this.calls.unsubscribe({ sessionIds: removed }).then((result) => this.report(result));
  }

  /** The sessions subscribed for the tabs (tests). */
  shown(): string[] {
    return [...this.wanted];
  }

  private report(result: Result<unknown>): void {
    if (result.ok) return;
    (this.calls.warn ?? ((message: string) => console.warn(message)))(`tunnelscope: could not change this page's subscriptions: ${result.error.message}`);
  }
}
