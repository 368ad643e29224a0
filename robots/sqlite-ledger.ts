import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makePrivateDirSync } from '../evidence/file-modes.js';
import { ClaimHeartbeat, DEFAULT_HEARTBEAT_STALE_MS, heartbeatIntervalMs } from './claim-heartbeat.js';
import {
  LedgerError,
  type Claim,
  type ClaimRequest,
  type CourseRecord,
  type CourseState,
  type CourseStatus,
  type EvidenceSeal,
  type Ledger,
  type LedgerEvent,
  type RefusingStatus,
  thisHolder,
} from './ledger.js';
import {
  CLAIM,
  CLOSE_CLAIM,
  type CourseRow,
  type EventRow,
  HEARTBEAT,
  now,
  RECORD_EVENT,
  SELECT_BY_LABEL,
  SELECT_COURSE,
  SELECT_HISTORY,
  TAKE_OVER,
  toEvent,
  alreadySealed,
  RECORD_SEAL,
  SELECT_SEAL,
  toRecord,
  toSeal,
  type SealRow,
} from './ledger-sql.js';
import { forceMayTakeOver } from './claim-rules.js';

/** How long a process waits for another one's write to finish before giving up. */
const BUSY_TIMEOUT_MS = 30_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS courses (
  course_id     INTEGER PRIMARY KEY,
  course_label  TEXT,
  state         TEXT NOT NULL CHECK (state IN ('claimed', 'released', 'restored', 'failed-after-perform')),
  run_id        TEXT NOT NULL,
  backup_file   TEXT NOT NULL,
  evidence_path TEXT NOT NULL,
  forced        INTEGER NOT NULL,
  reason        TEXT,
  updated_at    TEXT NOT NULL,
  holder        TEXT,
  restore_id    TEXT,
  heartbeat_at  TEXT
);
CREATE INDEX IF NOT EXISTS courses_by_label ON courses (course_label);
CREATE TABLE IF NOT EXISTS events (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  course_id INTEGER NOT NULL,
  event     TEXT NOT NULL,
  run_id    TEXT NOT NULL,
  forced    INTEGER NOT NULL,
  reason    TEXT,
  at        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_course ON events (course_id, id);
CREATE TABLE IF NOT EXISTS evidence_seals (
  evidence_path TEXT PRIMARY KEY,
  chain_head    TEXT NOT NULL,
  run_id        TEXT NOT NULL,
  course_label  TEXT NOT NULL,
  sealed_at     TEXT NOT NULL
);
`;

/** Columns added after the first ledgers were written; a ledger without them gets them. */
const ADDED_COLUMNS = { holder: 'TEXT', restore_id: 'TEXT', heartbeat_at: 'TEXT' } as const;

/**
 * The ledger in one SQLite file, shared by every process on the machine: SQLite's own locking makes
 * each claim atomic, and a process killed mid-write leaves the file as it was before that write.
 * The file is readable by its owner only.
 */
export class SqliteLedger implements Ledger {
  private readonly db: Database.Database;
  readonly heartbeatStaleMs: number;
  private readonly heartbeat: ClaimHeartbeat;

  constructor(
    readonly filePath: string,
    options: { heartbeatStaleMs?: number } = {},
  ) {
    this.heartbeatStaleMs = options.heartbeatStaleMs ?? DEFAULT_HEARTBEAT_STALE_MS;
    this.heartbeat = new ClaimHeartbeat(heartbeatIntervalMs(this.heartbeatStaleMs), (claims) =>
      settle(() => {
        const at = now();
        const beat = this.db.prepare(HEARTBEAT);
        this.db.transaction(() => {
          for (const claim of claims) beat.run({ ...claim, at });
        })();
      }),
    );
    makePrivateDirSync(path.dirname(filePath));
    closeSync(openSync(filePath, 'a', 0o600));
    this.db = new Database(filePath, { timeout: BUSY_TIMEOUT_MS });
    // Readers (the ledger command) never wait for a writer; every commit is still synced to disk.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db
      .transaction(() => {
        this.db.exec(SCHEMA);
        const present = new Set(
          this.db
            .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('courses')")
            .all()
            .map((column) => column.name),
        );
        for (const [name, type] of Object.entries(ADDED_COLUMNS)) {
          if (!present.has(name)) this.db.exec(`ALTER TABLE courses ADD COLUMN ${name} ${type}`);
        }
      })
      .immediate();
  }

  status(courseId: number): Promise<CourseStatus> {
    return settle(() => this.readStatus(courseId));
  }

  findByLabel(courseLabel: string): Promise<CourseRecord[]> {
    return settle(() =>
      this.db
        .prepare<[{ courseLabel: string }], CourseRow>(SELECT_BY_LABEL)
        .all({ courseLabel })
        .map(toRecord),
    );
  }

  claimBeforePerform(request: ClaimRequest, options: { force?: boolean } = {}): Promise<Claim> {
    const at = now();
    const claim = this.db.transaction((): Claim => {
      // Read in the same transaction as the write: a live claim is never forced over.
      const forced =
        options.force === true && forceMayTakeOver(this.readStatus(request.courseId), this) ? 1 : 0;
      const written = this.db.prepare(CLAIM).run({
        ...request,
        courseLabel: request.courseLabel ?? null,
        holder: request.holder ?? thisHolder(),
        restoreId: request.restoreId ?? null,
        forced,
        at,
      });
      if (written.changes === 0) return { granted: false, status: this.refusingStatus(request.courseId) };
      this.db.prepare(RECORD_EVENT).run({
        courseId: request.courseId,
        event: 'claimed',
        runId: request.runId,
        forced,
        reason: null,
        at,
      });
      this.heartbeat.hold({ courseId: request.courseId, runId: request.runId });
      return { granted: true };
    });
    return settle(() => claim.immediate());
  }

  release(courseId: number, runId: string, reason: string): Promise<void> {
    return settle(() => {
      this.closeClaim(courseId, runId, 'released', reason);
    });
  }

  recordRestored(courseId: number, runId: string, note?: string): Promise<void> {
    return settle(() => {
      this.closeClaim(courseId, runId, 'restored', note ?? null);
    });
  }

  recordFailedAfterPerform(courseId: number, runId: string, reason: string): Promise<void> {
    return settle(() => {
      this.closeClaim(courseId, runId, 'failed-after-perform', reason);
    });
  }

  takeOverInterrupted(courseId: number, staleRunId: string, runId: string, reason: string): Promise<boolean> {
    const at = now();
    const takeOver = this.db.transaction((): boolean => {
      const written = this.db
        .prepare(TAKE_OVER)
        .run({ courseId, staleRunId, runId, holder: thisHolder(), at });
      if (written.changes === 0) return false;
      this.db.prepare(RECORD_EVENT).run({ courseId, event: 'taken-over', runId, forced: 0, reason, at });
      this.heartbeat.hold({ courseId, runId });
      return true;
    });
    return settle(() => takeOver.immediate());
  }

  history(courseId: number): Promise<LedgerEvent[]> {
    return settle(() =>
      this.db.prepare<[{ courseId: number }], EventRow>(SELECT_HISTORY).all({ courseId }).map(toEvent),
    );
  }

  recordEvidenceSeal(seal: EvidenceSeal): Promise<void> {
    return settle(() => {
      try {
        this.db.prepare(RECORD_SEAL).run({ ...seal });
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
        throw alreadySealed(seal);
      }
    });
  }

  /** The seal recorded for an evidence folder (by its path as the run recorded it), if any. */
  evidenceSeal(evidencePath: string): Promise<EvidenceSeal | undefined> {
    return settle(() => {
      const row = this.db.prepare<[{ evidencePath: string }], SealRow>(SELECT_SEAL).get({ evidencePath });
      return row === undefined ? undefined : toSeal(row);
    });
  }

  async close(): Promise<void> {
    await this.heartbeat.stop();
    this.db.close();
  }

  private readStatus(courseId: number): CourseStatus {
    const row = this.db.prepare<[{ courseId: number }], CourseRow>(SELECT_COURSE).get({ courseId });
    return row === undefined ? { state: 'never-touched' } : { state: row.state, record: toRecord(row) };
  }

  private refusingStatus(courseId: number): RefusingStatus {
    const status = this.readStatus(courseId);
    if (status.state === 'never-touched' || status.state === 'released') {
      throw new LedgerError(`course ${courseId} is ${status.state} yet its claim was refused`);
    }
    return status as RefusingStatus;
  }

  private closeClaim(
    courseId: number,
    runId: string,
    state: Exclude<CourseState, 'claimed'>,
    reason: string | null,
  ): void {
    const at = now();
    this.heartbeat.drop(courseId);
    this.db
      .transaction(() => {
        const written = this.db.prepare(CLOSE_CLAIM).run({ courseId, runId, state, reason, at });
        if (written.changes === 0) {
          const status = this.readStatus(courseId);
          throw new LedgerError(
            `run ${runId} cannot record "${state}" for course ${courseId}: it does not hold the claim (course is ${status.state})`,
          );
        }
        this.db.prepare(RECORD_EVENT).run({ courseId, event: state, runId, forced: 0, reason, at });
      })
      .immediate();
  }
}

/** Runs synchronous SQLite work behind the Ledger's promises; a throw becomes a rejection. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}
