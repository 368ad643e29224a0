import pg from 'pg';
import { forceMayTakeOver } from './claim-rules.js';
import { ClaimHeartbeat, DEFAULT_HEARTBEAT_STALE_MS, heartbeatIntervalMs } from './claim-heartbeat.js';
import {
  LedgerError,
  LedgerUnavailableError,
  thisHolder,
  type Claim,
  type ClaimRequest,
  type CourseRecord,
  type CourseState,
  type CourseStatus,
  type EvidenceSeal,
  type Ledger,
  type LedgerEvent,
  type RefusingStatus,
} from './ledger.js';
import {
  CLAIM,
  CLOSE_CLAIM,
  HEARTBEAT,
  now,
  numberedParameters,
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
  type CourseRow,
  type EventRow,
} from './ledger-sql.js';

/** The same tables as the SQLite ledger's, in PostgreSQL's types (course ids are Moodle's BIGINT). */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS courses (
  course_id     BIGINT PRIMARY KEY,
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
  id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  course_id BIGINT NOT NULL,
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

/** Serialises the schema's creation between machines starting at once (CREATE ... IF NOT EXISTS races). */
const SCHEMA_LOCK = 4_733_001;

/** PostgreSQL's SQLSTATE for a duplicate primary key. */
const UNIQUE_VIOLATION = '23505';

/** How long a machine waits for the server, or for another machine's claim of the same course. */
const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 30_000;

/** Course ids come back as numbers (pg reads BIGINT as a string, for values past 2^53 that Moodle never reaches). */
function bigintsAsNumbers(): pg.TypeOverrides {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, Number);
  return types;
}

export interface PostgresLedgerOptions {
  heartbeatStaleMs?: number;
}

/**
 * The ledger in a PostgreSQL database that several machines share. Each claim is one transaction
 * around the same INSERT ... ON CONFLICT ... DO UPDATE ... WHERE as SQLite's: PostgreSQL decides the
 * conflict on the row's latest committed version and locks that row even when the WHERE refuses, so of
 * two machines claiming one course at once exactly one is granted, and the other reads the winner's
 * record. A server out of reach rejects with a one-line LedgerUnavailableError: nothing is recorded.
 */
export class PostgresLedger implements Ledger {
  readonly heartbeatStaleMs: number;
  private readonly heartbeat: ClaimHeartbeat;

  private constructor(
    private readonly pool: pg.Pool,
    /** The server and database, without the password: for messages. */
    readonly location: string,
    options: PostgresLedgerOptions,
  ) {
    this.heartbeatStaleMs = options.heartbeatStaleMs ?? DEFAULT_HEARTBEAT_STALE_MS;
    this.heartbeat = new ClaimHeartbeat(heartbeatIntervalMs(this.heartbeatStaleMs), (claims) =>
      this.inTransaction(async (client) => {
        const at = now();
        for (const claim of claims) await run(client, HEARTBEAT, { ...claim, at });
      }),
    );
  }

  /** Connects and creates the tables if the database has none. */
  static async open(url: string, options: PostgresLedgerOptions = {}): Promise<PostgresLedger> {
    const pool = new pg.Pool({
      connectionString: url,
      // Each robot process claims one course at a time; the second connection is the heartbeat's.
      max: 2,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      // A server that stops answering (a network cut without a reset) fails the query, not hangs it.
      query_timeout: STATEMENT_TIMEOUT_MS + 5_000,
      keepAlive: true,
      application_name: 'ecampus-restore',
      types: bigintsAsNumbers(),
    });
    // A connection the server ends while idle (a restart, pg_terminate_backend) is dropped from the
    // pool; the next query opens another one, or fails if the server is still away.
    pool.on('error', () => undefined);
    const ledger = new PostgresLedger(pool, describeLedgerUrl(url), options);
    try {
      await ledger.inTransaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
        await client.query(SCHEMA);
      });
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return ledger;
  }

  async status(courseId: number): Promise<CourseStatus> {
    return this.inTransaction((client) => readStatus(client, courseId));
  }

  async findByLabel(courseLabel: string): Promise<CourseRecord[]> {
    return this.inTransaction(async (client) =>
      (await run<CourseRow>(client, SELECT_BY_LABEL, { courseLabel })).rows.map(toRecord),
    );
  }

  async claimBeforePerform(request: ClaimRequest, options: { force?: boolean } = {}): Promise<Claim> {
    const at = now();
    const claim = await this.inTransaction(async (client): Promise<Claim> => {
      // The row locked while it is read: a live claim is never forced over.
      const [current] = (
        await run<CourseRow>(client, `${SELECT_COURSE} FOR UPDATE`, {
          courseId: request.courseId,
        })
      ).rows;
      const forced =
        options.force === true &&
        (current === undefined || forceMayTakeOver({ state: current.state, record: toRecord(current) }, this))
          ? 1
          : 0;
      const written = await run(client, CLAIM, {
        ...request,
        courseLabel: request.courseLabel ?? null,
        holder: request.holder ?? thisHolder(),
        restoreId: request.restoreId ?? null,
        forced,
        at,
      });
      if (written.rowCount === 0) {
        // The refused claim locked the row: this reads the record that refused it, as it stays.
        return { granted: false, status: await refusingStatus(client, request.courseId) };
      }
      await run(client, RECORD_EVENT, {
        courseId: request.courseId,
        event: 'claimed',
        runId: request.runId,
        forced,
        reason: null,
        at,
      });
      return { granted: true };
    });
    if (claim.granted) this.heartbeat.hold({ courseId: request.courseId, runId: request.runId });
    return claim;
  }

  release(courseId: number, runId: string, reason: string): Promise<void> {
    return this.closeClaim(courseId, runId, 'released', reason);
  }

  recordRestored(courseId: number, runId: string, note?: string): Promise<void> {
    return this.closeClaim(courseId, runId, 'restored', note ?? null);
  }

  recordFailedAfterPerform(courseId: number, runId: string, reason: string): Promise<void> {
    return this.closeClaim(courseId, runId, 'failed-after-perform', reason);
  }

  async takeOverInterrupted(
    courseId: number,
    staleRunId: string,
    runId: string,
    reason: string,
  ): Promise<boolean> {
    const at = now();
    const adopted = await this.inTransaction(async (client) => {
      const written = await run(client, TAKE_OVER, { courseId, staleRunId, runId, holder: thisHolder(), at });
      if (written.rowCount === 0) return false;
      await run(client, RECORD_EVENT, { courseId, event: 'taken-over', runId, forced: 0, reason, at });
      return true;
    });
    if (adopted) this.heartbeat.hold({ courseId, runId });
    return adopted;
  }

  async history(courseId: number): Promise<LedgerEvent[]> {
    return this.inTransaction(async (client) =>
      (await run<EventRow>(client, SELECT_HISTORY, { courseId })).rows.map(toEvent),
    );
  }

  async recordEvidenceSeal(seal: EvidenceSeal): Promise<void> {
    try {
      await this.inTransaction((client) => run(client, RECORD_SEAL, { ...seal }));
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === UNIQUE_VIOLATION)
        throw alreadySealed(seal);
      throw error;
    }
  }

  /** The seal recorded for an evidence folder (by its path as the run recorded it), if any. */
  async evidenceSeal(evidencePath: string): Promise<EvidenceSeal | undefined> {
    const [row] = await this.inTransaction(
      async (client) => (await run<SealRow>(client, SELECT_SEAL, { evidencePath })).rows,
    );
    return row === undefined ? undefined : toSeal(row);
  }

  async close(): Promise<void> {
    await this.heartbeat.stop();
    await this.pool.end();
  }

  private async closeClaim(
    courseId: number,
    runId: string,
    state: Exclude<CourseState, 'claimed'>,
    reason: string | null,
  ): Promise<void> {
    const at = now();
    this.heartbeat.drop(courseId);
    await this.inTransaction(async (client) => {
      const written = await run(client, CLOSE_CLAIM, { courseId, runId, state, reason, at });
      if (written.rowCount === 0) {
        const status = await readStatus(client, courseId);
        throw new LedgerError(
          `run ${runId} cannot record "${state}" for course ${courseId}: it does not hold the claim (course is ${status.state})`,
        );
      }
      await run(client, RECORD_EVENT, { courseId, event: state, runId, forced: 0, reason, at });
    });
  }

  /**
   * One transaction on one connection: committed if `work` returns, rolled back if it throws. A
   * failure of the server or the network becomes a LedgerUnavailableError; a LedgerError stays one.
   */
  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.unavailable(error);
    }
    let broken: unknown;
    // The server may end the connection while it is checked out (a restart between two queries): pg
    // then emits 'error' on the client, which would otherwise be thrown by the process; the next
    // query fails with it instead.
    const onServerEnd = (error: Error) => {
      broken ??= error;
    };
    client.on('error', onServerEnd);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!(error instanceof LedgerError)) broken = error;
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken ??= rollbackError;
      });
      throw error instanceof LedgerError ? error : this.unavailable(error);
    } finally {
      // A connection that failed is not given back to the pool: the next query opens a fresh one.
      client.off('error', onServerEnd);
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  private unavailable(error: unknown): LedgerUnavailableError {
    return new LedgerUnavailableError(`ledger database ${this.location} unavailable: ${reasonOf(error)}`, {
      cause: error,
    });
  }
}

async function run<Row extends pg.QueryResultRow = pg.QueryResultRow>(
  client: pg.PoolClient,
  sql: string,
  parameters: Record<string, unknown>,
): Promise<pg.QueryResult<Row>> {
  const { text, names } = numbered(sql);
  return client.query<Row>(
    text,
    names.map((name) => {
      if (!(name in parameters)) throw new Error(`ledger statement parameter @${name} is missing`);
      return parameters[name];
    }),
  );
}

const numberedCache = new Map<string, ReturnType<typeof numberedParameters>>();
function numbered(sql: string): ReturnType<typeof numberedParameters> {
  let found = numberedCache.get(sql);
  if (found === undefined) {
    found = numberedParameters(sql);
    numberedCache.set(sql, found);
  }
  return found;
}

async function readStatus(client: pg.PoolClient, courseId: number): Promise<CourseStatus> {
  const [row] = (await run<CourseRow>(client, SELECT_COURSE, { courseId })).rows;
  return row === undefined ? { state: 'never-touched' } : { state: row.state, record: toRecord(row) };
}

async function refusingStatus(client: pg.PoolClient, courseId: number): Promise<RefusingStatus> {
  const status = await readStatus(client, courseId);
  if (status.state === 'never-touched' || status.state === 'released') {
    throw new LedgerError(`course ${courseId} is ${status.state} yet its claim was refused`);
  }
  return status as RefusingStatus;
}

/** One line, whatever pg threw (a refused connection to both of localhost's addresses is an AggregateError with no message). */
function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message.split('\n')[0]?.trim() ?? '';
  return message === '' ? (code ?? error.name) : message;
}

/** A ledger URL as it may be shown: the password is never printed. */
export function describeLedgerUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    parsed.search = '';
    return parsed.href;
  } catch {
    return 'postgres://(unparsable address)';
  }
}
