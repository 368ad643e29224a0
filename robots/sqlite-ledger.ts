import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  LedgerError,
  type Claim,
  type ClaimRequest,
  type CourseRecord,
  type CourseState,
  type CourseStatus,
  type Ledger,
  type LedgerEvent,
  type RefusingStatus,
  thisHolder,
} from './ledger.js';
import { forceMayTakeOver } from './claim-rules.js';

/** How long a process waits for another one's write to finish before giving up. */
const BUSY_TIMEOUT_MS = 30_000;

// Plain SQL that PostgreSQL also runs (INSERT ... ON CONFLICT ... DO UPDATE ... WHERE).
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
  restore_id    TEXT
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
`;

/** The claim, as one statement: a row is written only if the course is new, released, or forced. */
const CLAIM = `
INSERT INTO courses (course_id, course_label, state, run_id, backup_file, evidence_path, forced, reason, updated_at, holder, restore_id)
VALUES (@courseId, @courseLabel, 'claimed', @runId, @backupFile, @evidencePath, @forced, NULL, @at, @holder, @restoreId)
ON CONFLICT (course_id) DO UPDATE SET
  course_label = excluded.course_label, state = 'claimed', run_id = excluded.run_id,
  backup_file = excluded.backup_file, evidence_path = excluded.evidence_path,
  forced = excluded.forced, reason = NULL, updated_at = excluded.updated_at,
  holder = excluded.holder, restore_id = excluded.restore_id
WHERE courses.state = 'released' OR excluded.forced = 1
`;

const CLOSE_CLAIM = `
UPDATE courses SET state = @state, reason = @reason, updated_at = @at
WHERE course_id = @courseId AND state = 'claimed' AND run_id = @runId
`;

const TAKE_OVER = `
UPDATE courses SET run_id = @runId, holder = @holder, updated_at = @at
WHERE course_id = @courseId AND state = 'claimed' AND run_id = @staleRunId
`;

/** Columns added after the first ledgers were written; a ledger without them gets them. */
const ADDED_COLUMNS = { holder: 'TEXT', restore_id: 'TEXT' } as const;

const RECORD_EVENT = `
INSERT INTO events (course_id, event, run_id, forced, reason, at)
VALUES (@courseId, @event, @runId, @forced, @reason, @at)
`;

interface CourseRow {
  course_id: number;
  course_label: string | null;
  state: CourseState;
  run_id: string;
  backup_file: string;
  evidence_path: string;
  forced: number;
  reason: string | null;
  updated_at: string;
  holder: string | null;
  restore_id: string | null;
}

interface EventRow {
  course_id: number;
  event: LedgerEvent['event'];
  run_id: string;
  forced: number;
  reason: string | null;
  at: string;
}

/**
 * The ledger in one SQLite file, shared by every process on the machine: SQLite's own locking makes
 * each claim atomic, and a process killed mid-write leaves the file as it was before that write.
 * The file is readable by its owner only.
 */
export class SqliteLedger implements Ledger {
  private readonly db: Database.Database;

  constructor(readonly filePath: string) {
    mkdirSync(path.dirname(filePath), { recursive: true });
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
        .prepare<[string], CourseRow>('SELECT * FROM courses WHERE course_label = ? ORDER BY course_id')
        .all(courseLabel)
        .map(toRecord),
    );
  }

  claimBeforePerform(request: ClaimRequest, options: { force?: boolean } = {}): Promise<Claim> {
    const at = now();
    const claim = this.db.transaction((): Claim => {
      // Read in the same transaction as the write: a live claim is never forced over.
      const forced = options.force === true && forceMayTakeOver(this.readStatus(request.courseId)) ? 1 : 0;
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
      return true;
    });
    return settle(() => takeOver.immediate());
  }

  history(courseId: number): Promise<LedgerEvent[]> {
    return settle(() =>
      this.db
        .prepare<[number], EventRow>('SELECT * FROM events WHERE course_id = ? ORDER BY id')
        .all(courseId)
        .map((row) => ({
          courseId: row.course_id,
          event: row.event,
          runId: row.run_id,
          forced: row.forced === 1,
          ...(row.reason !== null && { reason: row.reason }),
          at: row.at,
        })),
    );
  }

  close(): Promise<void> {
    return settle(() => {
      this.db.close();
    });
  }

  private readStatus(courseId: number): CourseStatus {
    const row = this.db
      .prepare<[number], CourseRow>('SELECT * FROM courses WHERE course_id = ?')
      .get(courseId);
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

function toRecord(row: CourseRow): CourseRecord {
  return {
    courseId: row.course_id,
    ...(row.course_label !== null && { courseLabel: row.course_label }),
    state: row.state,
    runId: row.run_id,
    backupFile: row.backup_file,
    evidencePath: row.evidence_path,
    forced: row.forced === 1,
    ...(row.reason !== null && { reason: row.reason }),
    updatedAt: row.updated_at,
    ...(row.holder !== null && { holder: row.holder }),
    ...(row.restore_id !== null && { restoreId: row.restore_id }),
  };
}

/** Runs synchronous SQLite work behind the Ledger's promises; a throw becomes a rejection. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}

function now(): string {
  return new Date().toISOString();
}
