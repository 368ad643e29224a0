import path from 'node:path';
import { csvLine } from '../csv-cell.js';
import { courseLabel, type BatchPlan } from '../plan.js';
import type { RunPageRow } from './read-run.js';

/** What a rerun is for: refused, failed before Perform, never run. An emptied course needs a person first. */
const RERUN_CATEGORIES = new Set(['refused', 'failed', 'not run']);

export function rowsToRerun(rows: readonly RunPageRow[]): RunPageRow[] {
  return rows.filter((row) => RERUN_CATEGORIES.has(row.category));
}

/**
 * Those courses as a course list (`course,bleu_shortname,note`), each as the original list named it,
 * with why it is there as its note; cells that a spreadsheet would read as formulas are neutralised
 * (and read back as they were by the course-list parser).
 */
export function rerunCsv(plan: BatchPlan, rows: readonly RunPageRow[]): string {
  const lines = rowsToRerun(rows).map((row) => {
    const request = plan.courses.find((course) => course.line === row.line);
    const why = row.step ? `${row.status} (${row.step})` : row.status;
    return csvLine([
      request ? courseLabel(request) : row.course,
      request?.bleuShortname ?? '',
      row.reason ? `${why}: ${row.reason}` : why,
    ]);
  });
  return ['course,bleu_shortname,note', ...lines].join('\n') + '\n';
}

/**
 * The exact command: from the folder the batch was started in, with the batch's own options but
 * --force, which overrides the ledger and stays a person's decision for each run.
 */
export function rerunCommand(plan: BatchPlan, csvFile: string): string {
  const flags = [
    plan.options.dryRun && '--dry-run',
    plan.options.allowEnrolmentLoss && '--allow-enrolment-loss',
    plan.options.allowStale && '--allow-stale',
  ].filter((flag): flag is string => typeof flag === 'string');
  return `cd ${shellQuote(plan.baseDir)} && npx ecampus-restore batch ${shellQuote(path.resolve(csvFile))}${flags.map((flag) => ` ${flag}`).join('')}`;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
