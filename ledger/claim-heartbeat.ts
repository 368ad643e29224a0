/** How long a claim of another machine counts as live after its holder's last heartbeat. */
export const DEFAULT_HEARTBEAT_STALE_MS = 10 * 60_000;

/** The holder beats well within the stale period: a few missed beats do not make its claim look gone. */
export function heartbeatIntervalMs(staleMs: number): number {
  return Math.max(1, Math.min(30_000, Math.floor(staleMs / 4)));
}

export interface HeldClaim {
  courseId: number;
  runId: string;
}

/**
 * While a ledger holds claims, it writes their heartbeat every interval: another machine, which cannot
 * see whether this process is alive, treats the claim as live until the heartbeat goes stale. A beat
 * that fails (the database out of reach) is retried at the next interval; the last failure is kept.
 */
export class ClaimHeartbeat {
  private readonly held = new Map<number, HeldClaim>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  lastError: unknown;

  constructor(
    private readonly intervalMs: number,
    private readonly beat: (claims: HeldClaim[]) => Promise<void>,
  ) {}

  hold(claim: HeldClaim): void {
    this.held.set(claim.courseId, claim);
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.beating !== undefined || this.held.size === 0) return;
      this.beating = this.beat([...this.held.values()])
        .then(
          () => {
            this.lastError = undefined;
          },
          (error: unknown) => {
            this.lastError = error;
          },
        )
        .finally(() => {
          this.beating = undefined;
        });
    }, this.intervalMs);
    // The heartbeat never keeps a process alive on its own.
    this.timer.unref();
  }

  drop(courseId: number): void {
    this.held.delete(courseId);
    if (this.held.size === 0) this.stopTimer();
  }

  /** Stops beating, once any beat under way has ended. */
  async stop(): Promise<void> {
    this.held.clear();
    this.stopTimer();
    await this.beating;
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
