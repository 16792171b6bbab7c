/**
 * One budget for the decoder checkpoints of every session (decoder-checkpoints.ts): each session's
 * DecoderCheckpoints is bounded by its own bytes (64 MB), but 200 intercepted sessions could each
 * hold that much. Every DecoderCheckpoints opens an account here and reports its bytes; past the
 * budget the largest holder thins (the same thinning it does past its own bound: the spacing
 * doubles, every other checkpoint goes), then the next largest, until the total fits or none can
 * thin further. A session's bytes are given back when its decoding is disposed (or, should that be
 * missed, when its checkpoints are garbage collected: accounts hold their holders weakly).
 */

/** Every session's checkpoints together (by their snapshots' estimates). */
export const MAX_ALL_CHECKPOINT_BYTES = 256 * 1024 * 1024;

/** What the budget asks of a holder. */
export interface CheckpointHolder {
  /** Doubles its spacing and keeps every other checkpoint, reporting its new bytes: false when it cannot (one or none left). */
  thinOnce(): boolean;
}

/** A holder's bytes as the budget counts them. */
export interface CheckpointAccount {
  bytes: number;
  readonly holder: WeakRef<CheckpointHolder>;
}

export class CheckpointBudget {
  private readonly accounts = new Set<CheckpointAccount>();
  private total = 0;
  /** Thinning reports bytes again: not re-entered. */
  private enforcing = false;
  private readonly collected = new FinalizationRegistry<CheckpointAccount>((account) => this.close(account));

  constructor(readonly maxBytes = MAX_ALL_CHECKPOINT_BYTES) {}

  /** The bytes all open accounts hold. */
  get bytes(): number {
    return this.total;
  }

  get holders(): number {
    return this.accounts.size;
  }

  open(holder: CheckpointHolder): CheckpointAccount {
    const account: CheckpointAccount = { bytes: 0, holder: new WeakRef(holder) };
    this.accounts.add(account);
    this.collected.register(holder, account, account);
    return account;
  }

  /** A holder's bytes now; over the budget, the largest holders thin first. */
  report(account: CheckpointAccount, bytes: number): void {
    if (!this.accounts.has(account)) return;
    this.total += bytes - account.bytes;
    account.bytes = bytes;
    if (this.total > this.maxBytes) this.enforce();
  }

  /** The holder is gone (its session's decoding disposed): its bytes are given back. */
  close(account: CheckpointAccount): void {
    if (!this.accounts.delete(account)) return;
    this.total -= account.bytes;
    account.bytes = 0;
    this.collected.unregister(account);
  }

  private enforce(): void {
    if (this.enforcing) return;
    this.enforcing = true;
    try {
      const cannot = new Set<CheckpointAccount>();
      while (this.total > this.maxBytes) {
        let largest: CheckpointAccount | undefined;
        for (const account of this.accounts) {
          if (!cannot.has(account) && account.bytes > 0 && (largest === undefined || account.bytes > largest.bytes)) largest = account;
        }
        if (largest === undefined) return;
        const holder = largest.holder.deref();
        if (holder === undefined) this.close(largest);
        else if (!holder.thinOnce()) cannot.add(largest);
      }
    } finally {
      this.enforcing = false;
    }
  }
}

/** The process's budget, which every session's checkpoints share unless given another (tests). */
export const SHARED_CHECKPOINT_BUDGET = new CheckpointBudget();
