import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot } from './paths.js';
import { run } from './run-command.js';

/** The local PostgreSQL cluster that Debian's package created, started and tuned for a test site. */
interface Cluster {
  version: string;
  name: string;
  port: number;
  online: boolean;
  dataDir: string;
}

async function findCluster(): Promise<Cluster> {
  const lines = (await run('pg_lsclusters', ['-h'])).trim().split('\n').filter(Boolean);
  const first = lines[0]?.split(/\s+/);
  if (!first || first.length < 4)
    throw new Error('no PostgreSQL cluster found (pg_lsclusters printed nothing)');
  return {
    version: first[0] ?? '',
    name: first[1] ?? '',
    port: Number(first[2]),
    online: first[3] === 'online',
    dataDir: first[5] ?? '',
  };
}

export function psql(sql: string, database = 'postgres'): Promise<string> {
  return run('runuser', [
    '-u',
    'postgres',
    '--',
    'psql',
    '-v',
    'ON_ERROR_STOP=1',
    '-qAt',
    '-d',
    database,
    '-c',
    sql,
  ]);
}

/**
 * Durability settings off: a test site's database is rebuilt from its snapshot at will, and without
 * fsync Moodle's install runs several times faster.
 */
const TEST_SITE_SETTINGS: Record<string, string> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

/**
 * Two harnesses (two releases' suites) can start the cluster at the same moment: the one that loses
 * fails on the other's lock file, and the cluster it wanted comes online in the next seconds.
 */
async function startCluster(cluster: Cluster): Promise<void> {
  try {
    await run('pg_ctlcluster', [cluster.version, cluster.name, 'start']);
  } catch (error) {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if ((await findCluster()).online) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw error;
  }
}

/**
 * With fsync off, a cluster stopped without a shutdown (the machine stopped or restored from a
 * snapshot, the server killed) comes back with what the kernel had written of its files: the working
 * databases, written to all day, were seen with rows past their sequences ("duplicate key value
 * violates unique constraint mdl_context_id_pk"), and Moodle answered "Error writing to database".
 */
async function stoppedWithoutShutdown(cluster: Cluster): Promise<boolean> {
  const controlData = `/usr/lib/postgresql/${cluster.version}/bin/pg_controldata`;
  if (!existsSync(controlData) || cluster.dataDir === '') return false;
  const said = await run('runuser', ['-u', 'postgres', '--', controlData, '-D', cluster.dataDir]);
  const state = /^Database cluster state:\s*(.+)$/m.exec(said)?.[1]?.trim();
  return state !== undefined && !state.startsWith('shut down');
}

function crashMarkerFile(): string {
  return path.join(cacheRoot(), 'harness', 'database-crashed-at');
}

/** When the cluster was last found stopped without a shutdown (by whoever started it again). */
export function lastDatabaseCrash(): Date | undefined {
  const file = crashMarkerFile();
  if (!existsSync(file)) return undefined;
  const at = new Date(readFileSync(file, 'utf8').trim());
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export async function startDatabaseServer(): Promise<number> {
  const cluster = await findCluster();
  if (!cluster.online) {
    if (await stoppedWithoutShutdown(cluster)) {
      mkdirSync(path.dirname(crashMarkerFile()), { recursive: true });
      writeFileSync(crashMarkerFile(), `${new Date().toISOString()}\n`);
    }
    await startCluster(cluster);
  }
  const current = await psql(
    `SELECT name || '=' || setting FROM pg_settings WHERE name IN (${Object.keys(TEST_SITE_SETTINGS)
      .map((name) => `'${name}'`)
      .join(',')})`,
  );
  const wanted = Object.entries(TEST_SITE_SETTINGS).map(([name, value]) => `${name}=${value}`);
  if (wanted.some((setting) => !current.split('\n').includes(setting))) {
    for (const [name, value] of Object.entries(TEST_SITE_SETTINGS))
      await psql(`ALTER SYSTEM SET ${name} = '${value}'`);
    await run('pg_ctlcluster', [cluster.version, cluster.name, 'reload']);
  }
  return cluster.port;
}

/**
 * What a database restart does to one site, without touching the others the cluster serves: every
 * open connection to its database is ended, and with `refuse` new ones are refused until
 * `reopenDatabase`.
 */
export async function cutOffDatabase(name: string, { refuse }: { refuse: boolean }): Promise<void> {
  if (refuse) await psql(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
  await psql(
    `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
  );
}

export async function reopenDatabase(name: string): Promise<void> {
  await psql(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
}

export async function ensureRole(role: string, password: string): Promise<void> {
  const exists = (await psql(`SELECT 1 FROM pg_roles WHERE rolname = '${role}'`)).trim() === '1';
  const quoted = password.replace(/'/g, "''");
  await psql(`${exists ? 'ALTER' : 'CREATE'} ROLE ${role} LOGIN CREATEDB PASSWORD '${quoted}'`);
}

export async function databaseExists(name: string): Promise<boolean> {
  return (await psql(`SELECT 1 FROM pg_database WHERE datname = '${name}'`)).trim() === '1';
}

async function closeConnections(name: string): Promise<void> {
  await psql(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
  );
}

export async function dropDatabase(name: string): Promise<void> {
  await closeConnections(name);
  await psql(`DROP DATABASE IF EXISTS ${name}`);
}

export async function createDatabase(name: string, owner: string, template?: string): Promise<void> {
  if (template) await closeConnections(template);
  await psql(
    `CREATE DATABASE ${name} OWNER ${owner} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE ${template ?? 'template0'}`,
  );
}

/** Replaces `target` with a copy of `source` (both closed to connections first). */
export async function copyDatabase(source: string, target: string, owner: string): Promise<void> {
  await dropDatabase(target);
  await createDatabase(target, owner, source);
}

/** When `name` was created (its PG_VERSION file is written then, never after). */
export async function databaseCreatedAt(name: string): Promise<Date | undefined> {
  const said = (
    await psql(
      `SELECT extract(epoch FROM (pg_stat_file('base/' || oid || '/PG_VERSION')).modification) FROM pg_database WHERE datname = '${name}'`,
    )
  ).trim();
  return said === '' ? undefined : new Date(Number(said) * 1000);
}

/**
 * With fsync off nothing reaches the disk until the kernel writes it back: a snapshot, the state every
 * reset starts from, is put on disk as soon as it is taken (the machine may stop before the kernel does).
 */
export async function writeToDisk(): Promise<void> {
  await psql('CHECKPOINT');
  await run('sync', []);
}
