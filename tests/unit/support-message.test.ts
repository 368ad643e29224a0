import { expect, test } from '@playwright/test';
import { supportMessage } from '../../robots/support-message.js';

test('the support message carries what the seed asks for: course link, screenshot, error', () => {
  const message = supportMessage({
    supportAddress: 'cemu.assistance@unicaen.fr',
    courseUrl: 'https://ecampus-vert.example.org/course/view.php?id=1234',
    courseLabel: 'Y2AN8A-EC1',
    step: 'Perform restore',
    error: 'Liens non valides',
    evidencePath: '/srv/evidence/2026-06-25-y2an8a-ec1',
    screenshot: '014-perform-restore-after.png',
    when: new Date('2026-06-25T02:14:00Z'),
  });
  expect(message.subject).toBe('Restauration de cours en erreur / Course restore failed: Y2AN8A-EC1');
  expect(message.body.split('\n')).toEqual([
    'À / To: cemu.assistance@unicaen.fr',
    '',
    'Bonjour,',
    '',
    'La restauration du cours Y2AN8A-EC1 a échoué.',
    'The restore of course Y2AN8A-EC1 failed.',
    '',
    'Lien du cours / Course link: https://ecampus-vert.example.org/course/view.php?id=1234',
    'Étape / Step: Perform restore',
    'Erreur / Error: Liens non valides',
    'Date: 2026-06-25T02:14:00.000Z',
    "Copie d'écran / Screenshot: 014-perform-restore-after.png",
    'Dossier de preuves / Evidence: /srv/evidence/2026-06-25-y2an8a-ec1',
  ]);
});
