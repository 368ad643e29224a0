import { loadConfig } from '../../config/env.js';
import { teacherEnvironment } from '../../harness/harness.js';
import { restoreOrder, type SitePages } from '../../session/restore-session.js';
import { SqliteLedger } from '../../ledger/sqlite-ledger.js';
import { expect, test } from './moodle-harness.js';
import { bleuPageOf } from './robot-run.js';

test("each course of a session starts on a new vert page: the last one's windows are closed, bleu's page stays", async ({
  page,
  harness,
  loginAs,
}) => {
  const config = loadConfig({
    env: {
      ...process.env,
      ...teacherEnvironment(harness),
      EVIDENCE_DIR: test.info().outputPath('evidence'),
      LEDGER_PATH: test.info().outputPath('ledger.sqlite'),
    },
  });
  await loginAs(page, 'vert');
  const bleuPage = await bleuPageOf(page, harness);
  // As a course's restore window would be left.
  const leftOpen = await page.context().newPage();
  const pages: SitePages = { vert: page, bleu: bleuPage };
  const ledger = new SqliteLedger(config.ledgerPath);
  try {
    for (const round of [1, 2]) {
      const used = pages.vert;
      // A course vert does not have: refused at its search, on vert's page, with nothing changed.
      const result = await restoreOrder(
        config,
        { target: { kind: 'shortname', shortname: 'NOT-A-COURSE' }, label: 'NOT-A-COURSE' },
        { pages, ledger, runId: `session-${round}` },
      );
      expect(result.outcome, `course ${round}`).toMatchObject({ status: 'refused', step: 'find the course' });
      expect(used.isClosed(), `course ${round}: its vert page`).toBe(true);
      expect(pages.vert, `course ${round}`).not.toBe(used);
      expect(pages.vert.isClosed()).toBe(false);
    }
    expect(leftOpen.isClosed(), 'a window the course left open').toBe(true);
    expect(bleuPage.isClosed(), "bleu's page").toBe(false);
    expect(page.context().pages()).toHaveLength(2);
    expect(page.context().pages()).toContain(pages.vert);
  } finally {
    await ledger.close();
  }
});
