import { expect, test } from '@playwright/test';
import { failedOutcome, refusedOutcome } from '../../rules/outcomes.js';
import { oneLine } from '../../rules/outcome-text.js';
import { supportMessage } from '../../rules/support-message.js';

const ADDRESS =
  'https://vert/backup/restore.php?contextid=5&sesskey=Zk3kq9aQ1&stage=4 then https://bleu/latest.php?token=abcdef0123&x=1 and /login/index.php?password=hunter2';

test('a failure reason quoting addresses reaches the outcome, its line and the support message without secrets', () => {
  const failed = failedOutcome(12, 'perform the restore', `after Perform the window shows ${ADDRESS}`, true);
  const refused = refusedOutcome(12, 'confirm', ADDRESS);
  for (const text of [
    failed.reason,
    refused.reason,
    oneLine('MATHS101', failed),
    supportMessage({
      supportAddress: 'help@example.org',
      courseLabel: 'MATHS101',
      vertCourseUrl: 'https://vert/course/view.php?id=12',
      bleuCourseUrl: 'https://bleu/course/search.php?search=MATHS101',
      step: failed.step,
      error: failed.reason,
      screenshot: { fileName: '014.png' },
      evidencePath: '/e',
      when: new Date(0),
      courseEmptied: true,
    }).body,
  ]) {
    expect(text).not.toMatch(/Zk3kq9aQ1|abcdef0123|hunter2/);
    expect(text).toContain('sesskey=[redacted]');
  }
  expect(failed).toMatchObject({ status: 'failed', courseId: 12, courseEmptied: true });
  expect(refused).toMatchObject({ status: 'refused', step: 'confirm' });
});

test('a restore that failed its verification after Perform names who lost access, as a restore does', () => {
  const loss = {
    user: { id: 7, fullname: 'Paul Durand' },
    lostAccess: true,
    lostEnrolments: ['Manual enrolments'],
    lostRoles: ['Student'],
    rolesBefore: ['Student'],
  };
  const failed = {
    ...failedOutcome(12, 'verify the restored course', '2 activities missing', true),
    accessLost: [loss],
  };
  const line = oneLine('MATHS101', failed);
  expect(line).toMatch(
    /^MATHS101: FAILED at "verify the restored course": 2 activities missing; LOST ACCESS: /,
  );
  expect(line).toContain('Paul Durand');
  expect(oneLine('MATHS101', failedOutcome(12, 'settings', 'x', false))).not.toContain('LOST ACCESS');
});
