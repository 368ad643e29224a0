import { expect, test } from '@playwright/test';
import { withoutUrlSecrets } from '../../evidence/url-secrets.js';

test('a session key or token in an address never reaches an outcome, a log or a manifest', () => {
  // The block's copy link, as a failed run once reported it.
  expect(
    withoutUrlSecrets(
      'the new window is not the restore page: http://127.0.0.1:8082/blocks/ecampus_restore/fetch.php?courseid=2&sesskey=o3Ek4k84WR',
    ),
  ).toBe(
    'the new window is not the restore page: http://127.0.0.1:8082/blocks/ecampus_restore/fetch.php?courseid=2&sesskey=[redacted]',
  );
  expect(withoutUrlSecrets('https://bleu/latest.php?token=abc123&course=7 "title"')).toBe(
    'https://bleu/latest.php?token=[redacted]&course=7 "title"',
  );
  expect(withoutUrlSecrets('/webservice/rest/server.php?WSTOKEN=f00#x')).toBe(
    '/webservice/rest/server.php?WSTOKEN=[redacted]#x',
  );
  expect(withoutUrlSecrets('http://vert/course/view.php?id=2')).toBe('http://vert/course/view.php?id=2');
});
