// A separate process that races others to claim the same courses in one ledger.
import { Ledger } from '../../../robots/ledger.js';

const [ledgerPath, worker, ...courses] = process.argv.slice(2);
if (ledgerPath === undefined || worker === undefined)
  throw new Error('usage: ledger-claimer <ledger> <worker> <course>...');

const ledger = new Ledger(ledgerPath);
const granted: string[] = [];
for (const course of courses) {
  const runId = `${worker}-${course}`;
  const claim = await ledger.claimDestructiveStep({
    course,
    backupFile: `${course}.mbz`,
    runId,
    evidencePath: `/evidence/${runId}`,
  });
  if (claim.granted) {
    granted.push(course);
    await ledger.recordRestored({
      course,
      backupFile: `${course}.mbz`,
      runId,
      evidencePath: `/evidence/${runId}`,
    });
  }
}
process.stdout.write(JSON.stringify(granted));
