import { expect, test } from '@playwright/test';
import { supportMessage, type SupportMessageInput } from '../../rules/support-message.js';

const failure: SupportMessageInput = {
  supportAddress: 'cemu.assistance@unicaen.fr',
  courseLabel: 'Y2AN8A-EC1',
  vertCourseUrl: 'https://ecampus-vert.example.org/course/view.php?id=1234',
  bleuCourseUrl: 'https://ecampus-bleu.example.org/course/view.php?id=987',
  step: 'Perform restore',
  error: 'Liens non valides',
  courseEmptied: false,
  screenshot: { fileName: '014-perform-restore-after.png' },
  evidencePath: '/srv/evidence/2026-06-25-y2an8a-ec1',
  when: new Date('2026-06-25T02:14:00Z'),
};

test('the support message carries what the seed asks for: both course links, screenshot attached, error', () => {
  const message = supportMessage(failure);
  expect(message.subject).toBe('Restauration de cours en erreur / Course restore failed: Y2AN8A-EC1');
  expect(message.attachments).toEqual(['014-perform-restore-after.png']);
  expect(message.body.split('\n')).toEqual([
    'À / To: cemu.assistance@unicaen.fr',
    '',
    'Bonjour,',
    '',
    "La restauration du cours Y2AN8A-EC1 a échoué avant son lancement : rien n'a été modifié dans le cours.",
    'The restore of course Y2AN8A-EC1 failed before it began: nothing was changed in the course.',
    '',
    'Cours à restaurer (ecampus vert) / Course to restore: https://ecampus-vert.example.org/course/view.php?id=1234',
    "Cours d'origine (ecampus bleu) / Backup taken from: https://ecampus-bleu.example.org/course/view.php?id=987",
    'Étape / Step: Perform restore',
    'Erreur / Error: Liens non valides',
    'Date: 2026-06-25T02:14:00.000Z',
    "Copie d'écran jointe / Screenshot attached: 014-perform-restore-after.png",
    "Preuves complètes sur le poste de l'administrateur, sur demande / Full evidence on the admin's machine, on request: /srv/evidence/2026-06-25-y2an8a-ec1",
  ]);
});

test('a message without its screenshot cannot be made', () => {
  const withoutScreenshot: Omit<SupportMessageInput, 'screenshot'> = failure;
  // @ts-expect-error the screenshot is required, as the seed asks
  const message = () => supportMessage({ ...withoutScreenshot, screenshot: undefined });
  expect(message).toThrow(TypeError);
});

test('the header fits the outcome: never "restored into" for a failure; an emptied course says so first', () => {
  const before = supportMessage(failure);
  expect(before.body).not.toMatch(/restored into/i);
  const emptied = supportMessage({ ...failure, courseEmptied: true });
  expect(emptied.subject).toBe(
    'Restauration de cours en erreur, cours vidé / Course restore failed, course emptied: Y2AN8A-EC1',
  );
  expect(emptied.body).toContain(
    'The restore of course Y2AN8A-EC1 failed after it began: the course was emptied and its restore is not confirmed.',
  );
  expect(emptied.body).not.toMatch(/restored into|nothing was changed/i);
});
