import { csvLine } from './csv-cell.js';
import { describeLosses } from '../rules/access-loss.js';
import type { BatchPlan } from './plan.js';
import type { AttemptRecord } from './attempt-record.js';

/** One course of a batch, as summary.json and summary.csv give it. */
export interface SummaryRow {
  line: number;
  course: string;
  status:
    'restored' | 'dry-run' | 'already-restored' | 'claimed-elsewhere' | 'refused' | 'failed' | 'not run';
  step: string;
  reason: string;
  courseEmptied: boolean;
  vertCourseId: number | null;
  vertCourseUrl: string;
  backupFile: string;
  /** Everyone who lost an enrolment or a role: "Name (Role; Method)", comma-separated. */
  accessLost: string;
  /** What the robot could not clean up (its fetched backup, its block). */
  leftBehind: string;
  attempts: number;
  startedAt: string;
  endedAt: string;
  evidence: string;
  supportMessage: string;
}

const COLUMNS: readonly (keyof SummaryRow)[] = [
  'line',
  'course',
  'status',
  'step',
  'reason',
  'courseEmptied',
  'vertCourseId',
  'vertCourseUrl',
  'backupFile',
  'accessLost',
  'leftBehind',
  'attempts',
  'startedAt',
  'endedAt',
  'evidence',
  'supportMessage',
];

/** The rows of the courses this run had (its shard), from each one's last attempt; none means "not run". */
export function summaryRows(
  plan: BatchPlan,
  tests: readonly { title: string; record: AttemptRecord | undefined }[],
): SummaryRow[] {
  const vertUrl = (id: number) => `${plan.vertUrl}/course/view.php?id=${id}`;
  return tests
    .map(({ title, record }): SummaryRow => {
      if (!record) {
        return {
          line: Number(/\(line (\d+)\)$/.exec(title)?.[1] ?? 0),
          course: title.replace(/ \(line \d+\)$/, ''),
          status: 'not run',
          step: '',
          reason:
            'the batch ended before this course ran (interrupted, or the worker crashed): run the same file again',
          courseEmptied: false,
          vertCourseId: null,
          vertCourseUrl: '',
          backupFile: '',
          accessLost: '',
          leftBehind: '',
          attempts: 0,
          startedAt: '',
          endedAt: '',
          evidence: '',
          supportMessage: '',
        };
      }
      const { outcome } = record.result;
      const courseId = outcome.courseId > 0 ? outcome.courseId : null;
      return {
        line: record.line,
        course: record.course,
        status: outcome.status,
        step: 'step' in outcome ? outcome.step : '',
        reason: 'reason' in outcome ? outcome.reason : '',
        courseEmptied: outcome.status === 'failed' && outcome.courseEmptied,
        vertCourseId: courseId,
        vertCourseUrl: courseId === null ? '' : vertUrl(courseId),
        backupFile: 'backupFile' in outcome ? outcome.backupFile : '',
        accessLost: 'accessLost' in outcome ? describeLosses(outcome.accessLost) : '',
        leftBehind: 'leftBehind' in outcome ? (outcome.leftBehind ?? []).join('; ') : '',
        attempts: record.attempt + 1,
        startedAt: record.startedAt,
        endedAt: record.endedAt,
        evidence: record.result.evidenceDir,
        supportMessage:
          record.result.supportMessage === undefined
            ? ''
            : `${record.result.evidenceDir}/support-message.txt`,
      };
    })
    .sort((a, b) => a.line - b.line);
}

/** The rows for a spreadsheet: no cell is read as a formula (csvCell). */
export function toCsv(rows: readonly SummaryRow[]): string {
  return (
    [COLUMNS.join(','), ...rows.map((row) => csvLine(COLUMNS.map((column) => row[column])))].join('\n') + '\n'
  );
}
