// Claim latency by ledger backend: N claims, each released, on the SQLite file and on PostgreSQL.
// Usage: npx tsx bench/ledger-claims.ts [--claims 1000] [--url postgres://...]
// Without --url, a throw-away database ledgertest_bench_<pid> is made on the machine's cluster (as root)
// and dropped at the end.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { testPostgres } from '../tests/unit/helpers/postgres.js';

const { values } = parseArgs({
  options: { claims: { type: 'string', default: '1000' }, url: { type: 'string' } },
});
const claims = Number(values.claims);

function summary(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) =>
    (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2);
  const mean = (ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(2);
  return `mean ${mean} ms, p50 ${at(0.5)}, p95 ${at(0.95)}, max ${at(1)}`;
}

async function measure(name: string, ledger: Ledger): Promise<void> {
  const claim: number[] = [];
  const release: number[] = [];
  const started = performance.now();
  for (let courseId = 1; courseId <= claims; courseId++) {
    const runId = `bench-${courseId}`;
    let t = performance.now();
    const granted = await ledger.claimBeforePerform({
      courseId,
      backupFile: 'b.mbz',
      runId,
      evidencePath: '/e',
    });
    claim.push(performance.now() - t);
    if (!granted.granted) throw new Error(`course ${courseId} refused`);
    t = performance.now();
    await ledger.release(courseId, runId, 'bench');
    release.push(performance.now() - t);
  }
  const total = (performance.now() - started) / 1000;
  await ledger.close();
  console.log(`${name}: ${claims} claims + releases in ${total.toFixed(2)} s`);
  console.log(`  claim   ${summary(claim)}`);
  console.log(`  release ${summary(release)}`);
}

const file = path.join(tmpdir(), `ledger-bench-${process.pid}.sqlite`);
try {
  await measure('SQLite', await openLedger({ ledgerPath: file, ledgerHeartbeatStaleMs: 600_000 }));
} finally {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

const postgres = values.url === undefined ? await testPostgres() : undefined;
try {
  const url = values.url ?? (postgres?.available ? await postgres.freshDatabase() : undefined);
  if (url === undefined)
    console.log(`PostgreSQL: SKIPPED - ${postgres?.available === false ? postgres.reason : ''}`);
  else
    await measure(
      'PostgreSQL',
      await openLedger({ ledgerPath: file, ledgerUrl: url, ledgerHeartbeatStaleMs: 600_000 }),
    );
} finally {
  if (postgres?.available) await postgres.dropAll();
}
