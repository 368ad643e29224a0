import type { SiteContext } from '../../pages/moodle-site.js';
import { BACKUP_MANIFEST, type BackupContents } from '../../backup-file/backup-contents.js';
import { RestoreFilePage, type BackupFileRow } from '../../pages/restore-file-page.js';
import { chooseBackup, type ExpectedOriginal } from '../../rules/backup-choice.js';
import { checkBackupUserData } from '../../rules/backup-user-data.js';
import { namesMoodleRestores } from '../../rules/restorable-names.js';
import { downloadBackup } from '../backup-download.js';
import type { BleuCourse } from '../bleu-preflight.js';
import type { StageRunner } from '../stage-runner.js';

export interface ChosenBackup {
  filename: string;
  row: BackupFileRow;
  /** What the Confirm stage must show. */
  expectedOriginal: ExpectedOriginal;
  contents: BackupContents;
}

/** "Zone de sauvegarde privée": the backup of this course, read before the wizard opens it. */
export function chooseTheBackup(
  run: StageRunner,
  wizard: SiteContext,
  bleuCourse: BleuCourse,
  bleuShortname: string,
): Promise<ChosenBackup> {
  const restoreFile = new RestoreFilePage(wizard);
  return run.on(wizard.page, 'choose the backup of this course', async () => {
    if (!(await restoreFile.isShown()))
      run.fail(`the new window is not the restore page: ${wizard.page.url()}`);
    const rows = await restoreFile.privateBackups();
    const choice = chooseBackup(rows, { bleuCourseId: bleuCourse.id, shortname: bleuShortname });
    if (choice.kind !== 'chosen') run.refuse(choice.reason);
    const filename = choice.file.filename;
    run.rememberChosenFile(filename);
    const row = rows.find((candidate) => candidate.filename === filename);
    if (!row?.downloadUrl) run.fail(`no download link for ${filename}`);
    const contents = await downloadAndRead(run, wizard, row.downloadUrl, filename);
    await run.evidence.attach('backup', {
      file: filename,
      others: choice.others.map((other) => other.filename),
      contents: summary(contents),
    });
    const userData = checkBackupUserData(contents, run.deps.profile);
    if (userData.verdict === 'refuse') run.refuse(userData.detail);
    const names = namesMoodleRestores({
      shortname: contents.originalCourseShortname,
      fullname: contents.originalCourseFullname,
    });
    if (names.verdict === 'refuse') run.refuse(names.detail);
    return { filename, row, expectedOriginal: choice.expectedOriginal, contents };
  });
}

/**
 * The chosen backup, read from a private temporary copy that is deleted once read: the evidence keeps
 * its SHA-256, size and moodle_backup.xml, never the backup (it may hold people's data).
 */
async function downloadAndRead(
  run: StageRunner,
  wizard: SiteContext,
  url: string,
  filename: string,
): Promise<BackupContents> {
  const downloaded = await downloadBackup(wizard.page, url);
  if (downloaded.kind === 'refused') run.fail(`downloading ${filename} ${downloaded.reason}`);
  if (downloaded.kind === 'unreadable')
    run.fail(`${filename} is not a readable Moodle backup: ${downloaded.reason}`);
  await run.evidence.keep('backup manifest', BACKUP_MANIFEST, downloaded.manifestXml, {
    file: filename,
    sha256: downloaded.sha256,
    bytes: downloaded.bytes,
  });
  return downloaded.contents;
}

function summary(contents: BackupContents) {
  return {
    originalCourseId: contents.originalCourseId,
    originalCourseShortname: contents.originalCourseShortname,
    originalWwwroot: contents.originalWwwroot,
    backupDate: contents.backupDate.toISOString(),
    moodleRelease: contents.moodleRelease,
    sections: contents.sections.length,
    activities: contents.activities.length,
  };
}
