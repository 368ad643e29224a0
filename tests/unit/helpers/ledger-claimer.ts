// A separate process that races others to claim the same courses in one ledger.
// Usage: ledger-claimer <ledger> <worker> <slot-ms> <course-count>
// Each worker says it is ready (<ledger>.ready-<worker>), then waits for the start time the test writes
// into <ledger>.go once all are ready: a slow machine starting the processes cannot spoil the race.
// Course k is tried by every worker at start + k × slot, so that each course is a race between all of them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SqliteLedger } from '../../../robots/sqlite-ledger.js';

const [ledgerPath, worker, slot, count] = process.argv.slice(2);
if (ledgerPath === undefined || worker === undefined || [slot, count].includes(undefined)) {
  throw new Error('usage: ledger-claimer <ledger> <worker> <slot-ms> <course-count>');
}

const ledger = new SqliteLedger(ledgerPath);
writeFileSync(`${ledgerPath}.ready-${worker}`, '');
const startAt = await new Promise<number>((resolve) => {
  const look = setInterval(() => {
    if (!existsSync(`${ledgerPath}.go`)) return;
    clearInterval(look);
    resolve(Number(readFileSync(`${ledgerPath}.go`, 'utf8')));
  }, 5);
});
const untilSlotOf = (courseId: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt + courseId * Number(slot) - Date.now())));

const granted: number[] = [];
for (let courseId = 1; courseId <= Number(count); courseId++) {
  await untilSlotOf(courseId);
  const runId = `${worker}-${courseId}`;
  const claim = await ledger.claimBeforePerform({
    courseId,
    backupFile: `${courseId}.mbz`,
    runId,
    evidencePath: `/evidence/${runId}`,
  });
  if (claim.granted) {
    granted.push(courseId);
    await ledger.recordRestored(courseId, runId);
  }
}
await ledger.close();
process.stdout.write(JSON.stringify(granted));
