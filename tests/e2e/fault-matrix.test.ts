import type { Page } from '@playwright/test';
import { reset } from '../../harness/harness.js';
import { sitePaths } from '../../harness/paths.js';
import { CONTENT_KEYS, courseState } from './course-state.js';
import { FAULT_KINDS, type FaultedRequest, faultDuring, faultsOn, ledgerState } from './fault-injection.js';
import { SESSION_EXPIRED } from '../../rules/session-loss.js';
import { HARNESS_VERSION, expect, test } from './moodle-harness.js';
import { bleuPageOf, runRobot } from './robot-run.js';

// Every fault kind at every step of one course's run that talks to a site. Before Perform, the robot
// reports a failure at that step (or at the next, which reads the page the step loaded) with the
// course on vert as it was and the ledger free; or the fault was absorbed (the browser or Moodle's
// page tried again) and the course is restored exactly as the backup says, once. From the click on
// Perform, the outcome says "course emptied, restore not confirmed" and the ledger keeps the course
// out of a blind rerun, whatever the server did. The database fault stops the cluster both sites
// share: nothing else may run meanwhile.

const COURSE = 'HIST-GRP';
const PERFORM = 'perform the restore';

interface FaultedStep {
  step: string;
  site: 'vert' | 'bleu';
  request: FaultedRequest;
  /** The step changes the course page for good (the block): each fault starts from the seeded sites. */
  resetEachTime?: boolean;
}

const STEPS: readonly FaultedStep[] = [
  { step: 'read the participants', site: 'vert', request: 'page' },
  { step: 'open the course', site: 'vert', request: 'page' },
  { step: 'check the course is empty', site: 'vert', request: { service: 'core_courseformat_get_state' } },
  { step: 'check the course on bleu', site: 'bleu', request: 'page' },
  { step: 'add the backup block', site: 'vert', request: 'page', resetEachTime: true },
  { step: 'fetch the backup from bleu', site: 'vert', request: 'page' },
  { step: 'check the backup is fresh', site: 'bleu', request: { service: 'core_course_get_updates_since' } },
  { step: 'open the backup', site: 'vert', request: 'page' },
  { step: 'confirm', site: 'vert', request: 'page' },
  { step: 'destination', site: 'vert', request: 'page' },
  { step: 'settings', site: 'vert', request: 'page' },
  { step: 'schema', site: 'vert', request: 'page' },
  { step: PERFORM, site: 'vert', request: 'page' },
];

// The robot's steps in order (bleu's course is checked while vert's course is opened and read). A
// fault on the page a step loads by its last click (a wizard stage's "Next") is seen when the
// following step reads that page: either step may report it.
const ROBOT_STEPS = [
  'read the participants',
  'open the course',
  'check the course is empty',
  'check the course on bleu',
  'add the backup block',
  'fetch the backup from bleu',
  'choose the backup of this course',
  'check the backup is fresh',
  'open the backup',
  'confirm',
  'destination',
  'settings',
  'schema',
  'review',
  PERFORM,
];

function reportedAt(step: string): string[] {
  const next = ROBOT_STEPS[ROBOT_STEPS.indexOf(step) + 1];
  return step === PERFORM || next === undefined ? [step] : [step, next];
}

for (const { step, site, request, resetEachTime } of STEPS) {
  const promise =
    step === PERFORM
      ? 'reported "course emptied, restore not confirmed" and kept from a blind rerun'
      : 'a failure at that step with the course untouched, or the fault absorbed and the course restored right';
  test(
    `every fault kind during "${step}" (${site}, ${request === 'page' ? 'its first page' : request.service}): ${promise}`,
    { tag: '@matrix' },
    async ({ page, harness, loginAs }) => {
      test.setTimeout(FAULT_KINDS.length * 5 * 60_000);
      await reset(HARNESS_VERSION);
      await loginAs(page, 'vert');
      const courseId = harness.sites.vert.courses[COURSE] ?? 0;
      const before = await courseState(courseId);
      const faults = faultsOn(sitePaths(HARNESS_VERSION, site), harness.teacher);
      const seen: string[] = [];
      let sitesAsSeeded = true;
      for (const kind of FAULT_KINDS) {
        if (!sitesAsSeeded) {
          await reset(HARNESS_VERSION);
          await loginAs(page, 'vert');
        }
        sitesAsSeeded = !resetEachTime;
        const fault = faults[kind];
        const where = `${fault.name} during "${step}"`;
        const ledgerPath = test.info().outputPath(`ledger-${kind}.sqlite`);
        const armed = faultDuring(page.context(), harness.sites[site].url, step, fault, request);
        let bleuPage: Page | undefined;
        let run: Awaited<ReturnType<typeof runRobot>>;
        try {
          bleuPage = await bleuPageOf(page, harness);
          run = await runRobot(page, harness, COURSE, {
            ledgerPath,
            bleuPage,
            stepHook: armed.stepHook,
            // A fault is reported as soon as its page answers; 60 s a step leaves room for a loaded
            // machine (a quiet one takes 1-5 s a step) and keeps a fault the robot would only notice at
            // the step's end from costing the default 90 s.
            timeouts: { stepMs: 60_000, copyMs: 180_000, restoreMs: 300_000 },
          });
        } finally {
          await fault.recover?.();
          await bleuPage?.close();
        }
        const { outcome } = run;
        expect(armed.hits.count, `${where}: requests hit`).toBe(1);
        if (step !== PERFORM && outcome.status === 'restored') {
          // The fault was absorbed (Moodle's page tried again, say): the course must then be restored
          // exactly as the backup says, once, and recorded.
          seen.push(`${where} -> absorbed: restored, as the backup says`);
          expect(outcome.verification.differences, where).toEqual([]);
          expect((await courseState(courseId)).finishedRestores, where).toBe(1);
          expect(await ledgerState(ledgerPath, courseId), where).toBe('restored');
          sitesAsSeeded = false;
          continue;
        }
        if (outcome.status === 'failed' || outcome.status === 'refused')
          seen.push(`${where} -> "${outcome.step}": ${outcome.reason}`);
        if (step === PERFORM) {
          expect(outcome, `${where}: ${JSON.stringify(outcome)}`).toMatchObject({
            status: 'failed',
            step,
            courseEmptied: true,
          });
          expect(outcome.status === 'failed' && outcome.reason, where).toMatch(
            /^course emptied, restore not confirmed/,
          );
          expect(await ledgerState(ledgerPath, courseId), where).toBe('failed-after-perform');
        } else if (fault.endsSession) {
          // A session that ends before Perform stops the course as the expired session it is (issue
          // 28), whether a page load or a wizard stage's click meets the login form: refused, the
          // operator told to log in again, nothing changed.
          expect(outcome.status, `${where}: ${JSON.stringify(outcome)}`).toBe('refused');
          expect(outcome.status === 'refused' && outcome.reason.slice(0, SESSION_EXPIRED.length), where).toBe(
            SESSION_EXPIRED,
          );
          expect(reportedAt(step), `${where}: reported at`).toContain('step' in outcome ? outcome.step : '');
          expect(await ledgerState(ledgerPath, courseId), where).toBe('never-touched');
        } else {
          expect(outcome, `${where}: ${JSON.stringify(outcome)}`).toMatchObject({
            status: 'failed',
            courseEmptied: false,
          });
          expect(reportedAt(step), `${where}: reported at`).toContain('step' in outcome ? outcome.step : '');
          expect(await ledgerState(ledgerPath, courseId), where).toBe('never-touched');
        }
        // None of these faults let the request reach Moodle's restore: whatever the robot had to
        // assume, the course on the server is as it was.
        const after = await courseState(courseId);
        for (const key of CONTENT_KEYS) expect(after[key], `${where}: ${key}`).toBe(before[key]);
        if (fault.endsSession && site === 'vert') await loginAs(page, 'vert');
      }
      await test.info().attach('outcomes', { body: seen.join('\n'), contentType: 'text/plain' });
      console.log(`${step}:\n  ${seen.join('\n  ')}`);
    },
  );
}
