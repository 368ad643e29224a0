import { describeLosses } from './access-loss.js';
import { sectionsCounted } from './section-count.js';
import type { RestoreOutcome } from '../domain/outcome.js';

/** The outcomes a batch counts as done: nothing left to do for the course. */
export function succeeded(outcome: RestoreOutcome): boolean {
  return (
    outcome.status === 'restored' || outcome.status === 'dry-run' || outcome.status === 'already-restored'
  );
}

/** Whether the run fails because of this course: not when another live run is restoring it. */
export function failsTheRun(outcome: RestoreOutcome): boolean {
  return !succeeded(outcome) && outcome.status !== 'claimed-elsewhere';
}

export function oneLine(label: string, outcome: RestoreOutcome): string {
  const left = 'leftBehind' in outcome ? (outcome.leftBehind ?? []) : [];
  return `${mainLine(label, outcome)}${left.length > 0 ? `; LEFT BEHIND: ${left.join('; ')}` : ''}`;
}

function mainLine(label: string, outcome: RestoreOutcome): string {
  switch (outcome.status) {
    case 'restored':
      return `${label}: restored from ${outcome.backupFile} (${outcome.verification.counts.restoredActivities} activities, ${sectionsCounted(outcome.verification.counts.restoredSections)}, as in the backup)${
        outcome.accessLost !== undefined && outcome.accessLost.length > 0
          ? `; LOST ACCESS: ${describeLosses(outcome.accessLost)}`
          : ''
      }`;
    case 'dry-run':
      return `${label}: dry run stopped at Review, nothing changed (backup ${outcome.backupFile})`;
    case 'already-restored':
      return `${label}: already restored on ${outcome.restoredAt} from ${outcome.backupFile}, left as it is (--force restores it again)`;
    case 'claimed-elsewhere':
      return `${label}: ${outcome.reason}`;
    case 'refused':
      return `${label}: refused at "${outcome.step}": ${outcome.reason}`;
    case 'failed':
      return `${label}: FAILED at "${outcome.step}": ${outcome.reason}${
        outcome.accessLost !== undefined && outcome.accessLost.length > 0
          ? `; LOST ACCESS: ${describeLosses(outcome.accessLost)}`
          : ''
      }`;
  }
}
