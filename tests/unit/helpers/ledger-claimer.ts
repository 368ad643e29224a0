// A separate process that races others to claim the same courses in one ledger: a worker of one
// machine, or with a host name, a whole other machine.
// Usage: ledger-claimer <ledger file or postgres:// URL> <sync-dir> <worker> <slot-ms> <first> <last> [host]
// Each worker says it is ready (<sync-dir>/ready-<worker>), then waits for the start time the test
// writes into <sync-dir>/go once all are ready: a slow machine starting the processes cannot spoil the
// race. Course k is tried by every worker at start + k × slot, so that each course is a race between
// all of them. A granted claim is closed as restored at the next course's slot, so that a loser sees
// it held; the output is what each claim met.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { claimHolderIsGone, type CourseState } from '../../../ledger/ledger.js';
import { openLedger } from '../../../ledger/open-ledger.js';

export interface ClaimerReport {
  granted: number[];
  refused: { courseId: number; state: CourseState; runId: string; holder?: string; holderGone: boolean }[];
}

const [location, syncDir, worker, slot, first, last, host] = process.argv.slice(2);
if (
  location === undefined ||
  syncDir === undefined ||
  worker === undefined ||
  [slot, first, last].includes(undefined)
) {
  throw new Error('usage: ledger-claimer <ledger> <sync-dir> <worker> <slot-ms> <first> <last> [host]');
}

const ledger = await openLedger({
  ledgerPath: location,
  ...(location.startsWith('postgres') && { ledgerUrl: location }),
  ledgerHeartbeatStaleMs: 60_000,
});
writeFileSync(path.join(syncDir, `ready-${worker}`), '');
const go = path.join(syncDir, 'go');
const startAt = await new Promise<number>((resolve) => {
  const look = setInterval(() => {
    if (!existsSync(go)) return;
    clearInterval(look);
    resolve(Number(readFileSync(go, 'utf8')));
  }, 5);
});
const untilSlotOf = (courseId: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt + courseId * Number(slot) - Date.now())));

const report: ClaimerReport = { granted: [], refused: [] };
let held: { courseId: number; runId: string } | undefined;
for (let courseId = Number(first); courseId <= Number(last); courseId++) {
  await untilSlotOf(courseId);
  if (held !== undefined) await ledger.recordRestored(held.courseId, held.runId);
  held = undefined;
  const runId = `${worker}-${courseId}`;
  const claim = await ledger.claimBeforePerform({
    courseId,
    backupFile: `${courseId}.mbz`,
    runId,
    evidencePath: `/evidence/${runId}`,
    ...(host !== undefined && { holder: `${process.pid}@${host}` }),
  });
  if (claim.granted) {
    report.granted.push(courseId);
    held = { courseId, runId };
  } else {
    const { record } = claim.status;
    report.refused.push({
      courseId,
      state: claim.status.state,
      runId: record.runId,
      ...(record.holder !== undefined && { holder: record.holder }),
      holderGone: claimHolderIsGone(record, ledger),
    });
  }
}
if (held !== undefined) await ledger.recordRestored(held.courseId, held.runId);
await ledger.close();
process.stdout.write(JSON.stringify(report));
