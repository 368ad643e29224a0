import {
  LedgerError,
  type CourseRecord,
  type CourseState,
  type EvidenceSeal,
  type LedgerEvent,
} from './ledger.js';

/**
 * The claim rules, as the statements every ledger backend runs (SQLite and PostgreSQL both run this
 * plain SQL: INSERT ... ON CONFLICT ... DO UPDATE ... WHERE). Parameters are named `@name`; a backend
 * whose driver numbers them converts the text with `numberedParameters`.
 */

/** The claim, as one statement: a row is written only if the course is new, released, or forced. */
export const CLAIM = `
INSERT INTO courses (course_id, course_label, state, run_id, backup_file, evidence_path, forced, reason, updated_at, holder, restore_id, heartbeat_at)
VALUES (@courseId, @courseLabel, 'claimed', @runId, @backupFile, @evidencePath, @forced, NULL, @at, @holder, @restoreId, @at)
ON CONFLICT (course_id) DO UPDATE SET
  course_label = excluded.course_label, state = 'claimed', run_id = excluded.run_id,
  backup_file = excluded.backup_file, evidence_path = excluded.evidence_path,
  forced = excluded.forced, reason = NULL, updated_at = excluded.updated_at,
  holder = excluded.holder, restore_id = excluded.restore_id, heartbeat_at = excluded.heartbeat_at
WHERE courses.state = 'released' OR excluded.forced = 1
`;

export const CLOSE_CLAIM = `
UPDATE courses SET state = @state, reason = @reason, updated_at = @at
WHERE course_id = @courseId AND state = 'claimed' AND run_id = @runId
`;

export const TAKE_OVER = `
UPDATE courses SET run_id = @runId, holder = @holder, updated_at = @at, heartbeat_at = @at
WHERE course_id = @courseId AND state = 'claimed' AND run_id = @staleRunId
`;

/** The holder of a claim says it is still at work on it. */
export const HEARTBEAT = `
UPDATE courses SET heartbeat_at = @at
WHERE course_id = @courseId AND state = 'claimed' AND run_id = @runId
`;

export const RECORD_EVENT = `
INSERT INTO events (course_id, event, run_id, forced, reason, at)
VALUES (@courseId, @event, @runId, @forced, @reason, @at)
`;

/** A run's evidence seal, once per folder (the table's primary key refuses a second one). */
export const RECORD_SEAL = `
INSERT INTO evidence_seals (evidence_path, chain_head, run_id, course_label, sealed_at)
VALUES (@evidencePath, @chainHead, @runId, @courseLabel, @sealedAt)
`;
export const SELECT_SEAL = 'SELECT * FROM evidence_seals WHERE evidence_path = @evidencePath';

export const SELECT_COURSE = 'SELECT * FROM courses WHERE course_id = @courseId';
export const SELECT_BY_LABEL = 'SELECT * FROM courses WHERE course_label = @courseLabel ORDER BY course_id';
export const SELECT_HISTORY = 'SELECT * FROM events WHERE course_id = @courseId ORDER BY id';

export interface CourseRow {
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
  heartbeat_at: string | null;
}

export interface EventRow {
  course_id: number;
  event: LedgerEvent['event'];
  run_id: string;
  forced: number;
  reason: string | null;
  at: string;
}

export function toRecord(row: CourseRow): CourseRecord {
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
    ...(row.heartbeat_at !== null && row.state === 'claimed' && { heartbeatAt: row.heartbeat_at }),
  };
}

export function toEvent(row: EventRow): LedgerEvent {
  return {
    courseId: row.course_id,
    event: row.event,
    runId: row.run_id,
    forced: row.forced === 1,
    ...(row.reason !== null && { reason: row.reason }),
    at: row.at,
  };
}

/** `@name` parameters as `$1, $2 ...` (PostgreSQL's), with the names in their order. */
export function numberedParameters(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  const text = sql.replace(/@(\w+)/g, (_match, name: string) => {
    const known = names.indexOf(name);
    if (known >= 0) return `$${known + 1}`;
    names.push(name);
    return `$${names.length}`;
  });
  return { text, names };
}

export function now(): string {
  return new Date().toISOString();
}

export interface SealRow {
  evidence_path: string;
  chain_head: string;
  run_id: string;
  course_label: string;
  sealed_at: string;
}

export function toSeal(row: SealRow): EvidenceSeal {
  return {
    evidencePath: row.evidence_path,
    chainHead: row.chain_head,
    runId: row.run_id,
    courseLabel: row.course_label,
    sealedAt: row.sealed_at,
  };
}

export function alreadySealed(seal: EvidenceSeal): LedgerError {
  return new LedgerError(`the evidence folder ${seal.evidencePath} is already sealed in the ledger`);
}
