import type { CourseResult } from '../session/restore-session.js';

/** What a course's attempt leaves for the reporter and for a retry. */
export interface AttemptRecord {
  line: number;
  course: string;
  attempt: number;
  worker: number;
  startedAt: string;
  endedAt: string;
  result: CourseResult;
  line_text: string;
}
