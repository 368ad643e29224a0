import { randomBytes } from 'node:crypto';
import { cutOffDatabase, dropDatabase, psql, reopenDatabase } from '../../../harness/database.js';

/**
 * Databases for the PostgreSQL ledger's tests, on the machine's PostgreSQL cluster (the one the
 * harness starts: .ci/run starts it even without a Moodle tree). Each test process has its own role
 * and databases, all named ledgertest_*, dropped by `dropAll`; nothing else of the cluster is touched.
 */
export type TestPostgres =
  | { available: false; reason: string }
  | {
      available: true;
      /** A new, empty database and the URL to reach it as the test role. */
      freshDatabase: () => Promise<string>;
      /** What a database restart does to it: open connections ended, new ones refused until `reopen`. */
      cutOff: (url: string) => Promise<void>;
      reopen: (url: string) => Promise<void>;
      dropAll: () => Promise<void>;
    };

const role = `ledgertest_${process.pid}`;
const password = randomBytes(12).toString('hex');
const made: string[] = [];
let counter = 0;
let roleMade = false;

function databaseOf(url: string): string {
  return new URL(url).pathname.slice(1);
}

export async function testPostgres(): Promise<TestPostgres> {
  let port: number;
  try {
    port = Number((await psql('SHOW port')).trim());
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return { available: false, reason: `no PostgreSQL server reachable (${reason.trim()})` };
  }
  return {
    available: true,
    freshDatabase: async () => {
      if (!roleMade) {
        await psql(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
        roleMade = true;
      }
      const name = `${role}_${++counter}`;
      await psql(`CREATE DATABASE ${name} OWNER ${role} TEMPLATE template0`);
      made.push(name);
      return `postgres://${role}:${password}@127.0.0.1:${port}/${name}`;
    },
    cutOff: (url) => cutOffDatabase(databaseOf(url), { refuse: true }),
    reopen: (url) => reopenDatabase(databaseOf(url)),
    dropAll: async () => {
      for (const name of made.splice(0)) await dropDatabase(name);
      if (roleMade) await psql(`DROP ROLE IF EXISTS ${role}`);
      roleMade = false;
    },
  };
}
