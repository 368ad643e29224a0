import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makePrivateDirSync } from '../evidence/file-modes.js';
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
CREATE TABLE IF NOT EXISTS evidence_seals (
  evidence_path TEXT PRIMARY KEY,
  chain_head    TEXT NOT NULL,
  run_id        TEXT NOT NULL,
  course_label  TEXT NOT NULL,
  sealed_at     TEXT NOT NULL
);
`;

const RECORD_SEAL = `
INSERT INTO evidence_seals (evidence_path, chain_head, run_id, course_label, sealed_at)
VALUES (@evidencePath, @chainHead, @runId, @courseLabel, @sealedAt)
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

interface SealRow {
  evidence_path: string;
  chain_head: string;
  run_id: string;
  course_label: string;
  sealed_at: string;
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
        .prepare<[string], CourseRow>('SELECT * FROM courses WHERE course_label = ? ORDER BY course_id')
        .all(courseLabel)
        .map(toRecord),
    );
  }

  claimBeforePerform(request: ClaimRequest, options: { force?: boolean } = {}): Promise<Claim> {
    const forced = options.force === true ? 1 : 0;
    const at = now();
    const claim = this.db.transaction((): Claim => {
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

  recordRestored(courseId: number, runId: string): Promise<void> {
    return settle(() => {
      this.closeClaim(courseId, runId, 'restored', null);
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

  recordEvidenceSeal(seal: EvidenceSeal): Promise<void> {
    return settle(() => {
      try {
        this.db.prepare(RECORD_SEAL).run({ ...seal });
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
        throw new LedgerError(`the evidence folder ${seal.evidencePath} is already sealed in the ledger`);
      }
    });
  }

  /** The seal recorded for an evidence folder (by its path as the run recorded it), if any. */
  evidenceSeal(evidencePath: string): Promise<EvidenceSeal | undefined> {
    return settle(() => {
      const row = this.db
        .prepare<[string], SealRow>('SELECT * FROM evidence_seals WHERE evidence_path = ?')
        .get(evidencePath);
      return row === undefined
        ? undefined
        : {
            evidencePath: row.evidence_path,
            chainHead: row.chain_head,
            runId: row.run_id,
            courseLabel: row.course_label,
            sealedAt: row.sealed_at,
          };
    });
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
