/**
 * The searches running now, at most one per session: a new search of a session cancels the
 * one before it (the user typed another character), and `frames:search-cancel` cancels by id.
 */

export interface SearchTicket {
  readonly sessionId: string;
  readonly searchId: string;
  cancelled: boolean;
}

export class SearchRegistry {
  private readonly active = new Map<string, SearchTicket>();
  private counter = 0;

  /** Registers a search (cancelling the session's previous one); makes up an id when none is given. */
  begin(sessionId: string, searchId?: string): SearchTicket {
    const previous = this.active.get(sessionId);
    if (previous) previous.cancelled = true;
    this.counter += 1;
    const ticket: SearchTicket = { sessionId, searchId: searchId ?? `search-${this.counter}`, cancelled: false };
    this.active.set(sessionId, ticket);
    return ticket;
  }

  /** Cancels the session's running search with this id; false when no such search runs. */
  cancel(sessionId: string, searchId: string): boolean {
    const ticket = this.active.get(sessionId);
    if (!ticket || ticket.searchId !== searchId || ticket.cancelled) return false;
    ticket.cancelled = true;
    this.active.delete(sessionId);
    return true;
  }

  /** Cancels whatever the session is running (the session is going away). */
  cancelSession(sessionId: string): void {
    const ticket = this.active.get(sessionId);
    if (ticket) ticket.cancelled = true;
    this.active.delete(sessionId);
  }

  end(ticket: SearchTicket): void {
    if (this.active.get(ticket.sessionId) === ticket) this.active.delete(ticket.sessionId);
  }
}
