import path from 'node:path';
import type { Page } from 'playwright';
import type { Logger } from 'pino';
import type { BackupBlockTexts } from '../domain/block-texts.js';
import type { SettingsProfile } from '../config/profile.js';
import type { EvidenceRun } from '../evidence/recorder.js';
import { BackupBlock } from '../pages/backup-block.js';
import { CoursePage } from '../pages/course-page.js';
import { waitForMoodleReady, whatThePageSays } from '../pages/moodle-page.js';
import { detectRelease, releaseTraits, unexpectedPrecheckNotices } from '../pages/moodle-release.js';
import { ParticipantsPage } from '../pages/participants-page.js';
import { RestoreCompletePage } from '../pages/restore-complete-page.js';
import { RestoreConfirmPage } from '../pages/restore-confirm-page.js';
import { RestoreDestinationPage } from '../pages/restore-destination-page.js';
import { RestoreFilePage } from '../pages/restore-file-page.js';
import { RestoreProcessPage } from '../pages/restore-process-page.js';
import { RestoreReviewPage } from '../pages/restore-review-page.js';
import { RestoreSchemaPage } from '../pages/restore-schema-page.js';
import { RestoreSettingsPage } from '../pages/restore-settings-page.js';
import { currentRestoreStage, moodleErrorOn, type RestoreStage } from '../pages/restore-stage.js';
import { chooseBackup, confirmBackupMatches } from '../rules/backup-choice.js';
import { BACKUP_MANIFEST, type BackupContents } from '../backup-file/backup-contents.js';
import { downloadBackup } from './backup-download.js';
import { checkBackupUserData } from '../rules/backup-user-data.js';
import { namesMoodleRestores } from '../rules/restorable-names.js';
import { checkBleuCourse, bleuChangesAfterBackup, type BleuCourse } from './bleu-preflight.js';
import { bleuUnchangedSinceBackup, targetIsEmpty } from '../rules/guards.js';
import { claimHolderIsGone, describeStatus, type CourseStatus, type Ledger } from '../ledger/ledger.js';
import { settleInterruptedClaim } from './interrupted-claim.js';
import {
  blockingReasons,
  planDestination,
  planSettings,
  type PlannedSetting,
} from '../rules/settings-plan.js';
import { enrolmentImpact } from '../rules/enrolment-impact.js';
import { compareParticipants, predictedLosses } from '../rules/access-loss.js';
import { forceMayTakeOver, liveClaimReason } from '../ledger/claim-rules.js';
import { enrolmentLossRefusal, lossNote, setSchemaHeader } from './restorer-access.js';
import { lookAtRecordedRestore } from './ledger-reality.js';
import { removeFetchedBackup } from './private-backups.js';
import type { PrivateAreaTurns } from './private-area-turns.js';
import { headerPlan, identifyRestorer, predictedHeader } from '../rules/restorer-role.js';
import { deleteCourseBlock } from '../pages/course-block-removal.js';
import { verifyRestoredCourse } from '../rules/verify-restore.js';
import { watchAsyncRestore } from './watch-async-restore.js';
import { withoutUrlSecrets } from '../evidence/url-secrets.js';
import { failedOutcome, refusedOutcome } from '../rules/outcomes.js';
import { claimedElsewhere, takenMeanwhile } from '../ledger/claimed-elsewhere.js';
import { describeError } from '../rules/operator-errors.js';
import { appendFile } from 'node:fs/promises';
import type { MoodleRelease } from '../domain/moodle-releases.js';
import { stackLine } from '../evidence/stack-line.js';
import { sessionExpiredReason } from '../rules/session-loss.js';
import type { CourseToRestore, RestoreOutcome } from '../domain/outcome.js';
import { SessionEnded } from '../pages/moodle-page.js';

export interface RestoreRobotDeps {
  /** A page of a browser context already logged in to vert. */
  page: Page;
  vertUrl: string;
  /** A page of the same browser, logged in to bleu: the previous course is checked there. */
  bleuPage: Page;
  bleuUrl: string;
  blockName: string;
  /** The block's title and its link's text, as vert shows them. */
  backupBlock: BackupBlockTexts;
  /** The release the sites must run (MOODLE_VERSION), when configured. */
  expectedRelease?: MoodleRelease | undefined;
  profile: SettingsProfile;
  ledger: Ledger;
  evidence: EvidenceRun;
  logger: Logger;
  runId: string;
  timeouts: { stepMs: number; copyMs: number; restoreMs: number };
  /** Every step up to Review, Perform never pressed. */
  dryRun?: boolean;
  /** Claim a course the ledger would refuse (recorded). */
  force?: boolean;
  /** Go on although the restore would remove other people's enrolments (co-teachers, students). */
  allowEnrolmentLoss?: boolean;
  /** Go on although the bleu course changed after its backup (the change will be missing). */
  allowStale?: boolean;
  /** Leave the fetched .mbz in the account's private backup area (removed by default). */
  keepFetchedBackup?: boolean;
  /** Shared with the other workers on the same account: its fetches and removals take turns. */
  privateArea?: PrivateAreaTurns;
  /** Wraps each step, e.g. in a Playwright Test step so a batch report shows it. */
  stepHook?: <T>(name: string, action: () => Promise<T>) => Promise<T>;
}

const BLEU_CHECK = 'check the course on bleu';

/** Ends the procedure: `refused` when the robot chose to stop, `failed` when something went wrong. */
class Stop extends Error {
  constructor(
    readonly kind: 'refused' | 'failed',
    readonly step: string,
    reason: string,
  ) {
    super(withoutUrlSecrets(reason));
  }
}

/** Another run took the course while this one worked on it: the outcome is read from the ledger again. */
class TakenMeanwhile extends Stop {
  constructor() {
    super(
      'refused',
      'check the ledger',
      'another run took the course meanwhile, then let it go: run it again',
    );
  }
}

/**
 * The seed procedure "Changement de plateforme & Restauration de cours", on one vert course:
 * open the course, add the backup block, fetch last year's backup, restore it over this course with
 * the profile's settings, verify the result. Every step leaves a screenshot and a manifest line; the
 * robot stops before "Perform restore" whenever it is unsure.
 */
export async function restoreCourse(
  course: CourseToRestore,
  deps: RestoreRobotDeps,
): Promise<RestoreOutcome> {
  const { page, evidence, logger, timeouts } = deps;
  const log = logger.child({ course: course.courseId });
  page.setDefaultTimeout(timeouts.stepMs);
  let step = 'open the course';
  let ledgerBefore: CourseStatus | undefined;
  // Read in the catch block: where the run stopped decides what the ledger and the outcome say.
  const reached = { claimed: false, performed: false };

  const hook = deps.stepHook ?? (<T>(_name: string, action: () => Promise<T>) => action());
  let frontPage: Page | undefined;
  const stepOn = async <T>(
    on: Page,
    name: string,
    action: () => Promise<T>,
    changesServer = false,
  ): Promise<T> => {
    step = name;
    log.info({ step: name }, name);
    // Chromium paints a page that is not the front one lazily: with vert, bleu and the wizard open,
    // each screenshot waited 2-4 s and each action ran twice as slowly until the page came to the front.
    if (on !== frontPage) {
      await on.bringToFront();
      frontPage = on;
    }
    return hook(name, () => evidence.step(on, name, action, { changesServer }));
  };
  const run = <T>(name: string, action: () => Promise<T>, changesServer = false): Promise<T> =>
    stepOn(page, name, action, changesServer);
  const stopOnMoodleError = async (on: Page, where: string) => {
    const error = await moodleErrorOn(on);
    if (error !== undefined) throw new Stop('failed', where, `Moodle error: ${error}`);
  };
  // What the robot added: undone when it stops before Perform; its fetched backup removed after a restore.
  const cleanup: { contextId?: number; addedBlock: boolean; fetchedFile?: string | undefined } = {
    addedBlock: false,
  };
  const leftBehind: string[] = [];
  const inFetchTurn = <T>(action: () => Promise<T>) =>
    deps.privateArea ? deps.privateArea.whileFetching(action) : action();
  const inRewriteTurn = <T>(action: () => Promise<T>) =>
    deps.privateArea ? deps.privateArea.whileRewriting(action) : action();
  const tryTo = async (name: string, action: () => Promise<void>, what: string) => {
    try {
      await run(name, action, true);
      return true;
    } catch (error) {
      const said = `${what}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`;
      log.warn({ step: name }, said);
      leftBehind.push(said);
      return false;
    }
  };
  const removeOwnBackup = async (): Promise<string[]> => {
    const { fetchedFile, contextId } = cleanup;
    if (fetchedFile === undefined || contextId === undefined || deps.keepFetchedBackup === true) return [];
    if (
      await tryTo(
        'remove the fetched backup',
        () => inRewriteTurn(() => removeFetchedBackup(page, deps.vertUrl, contextId, fetchedFile)),
        `${fetchedFile} stays in the private backup area`,
      )
    )
      cleanup.fetchedFile = undefined;
    return leftBehind;
  };
  const undoBeforePerform = async (): Promise<void> => {
    await removeOwnBackup();
    if (
      cleanup.addedBlock &&
      (await tryTo(
        'remove the backup block',
        () => deleteCourseBlock(new CoursePage(page, deps.vertUrl), course.courseId, deps.blockName),
        'the backup block the robot added stays on the course page',
      ))
    )
      cleanup.addedBlock = false;
    if (leftBehind.length > 0) await evidence.attach('left-behind', leftBehind).catch(() => undefined);
  };
  const expectStage = async (on: Page, stage: RestoreStage) => {
    await stopOnMoodleError(on, step);
    const shown = await currentRestoreStage(on);
    if (shown !== stage) {
      const title = await whatThePageSays(on);
      throw new Stop(
        'failed',
        step,
        `expected the restore stage "${stage}", the page shows ${shown ?? `no restore stage (a server error or a lost connection?): ${on.url()}${title ? ` "${title}"` : ''}`}`,
      );
    }
  };

  try {
    // 0. Never twice: what the ledger says about this course, before anything is read or changed.
    step = 'check the ledger';
    const before = await deps.ledger.status(course.courseId);
    ledgerBefore = before;
    await evidence.attach('ledger-before', before);
    const elsewhere = claimedElsewhere(course.courseId, before, deps.runId, deps.ledger);
    if (elsewhere && !deps.force) return elsewhere;
    if (before.state === 'claimed' && deps.force && !forceMayTakeOver(before, deps.ledger))
      throw new Stop('refused', step, liveClaimReason(before.record));
    if (before.state === 'restored' && !deps.force) {
      const look = await run('look at the restored course', () =>
        lookAtRecordedRestore(new CoursePage(page, deps.vertUrl), course.courseId),
      );
      await evidence.attach('recorded-restore-look', look);
      if (look.verdict === 'empty')
        throw new Stop(
          'refused',
          'check the ledger',
          `the ledger records it restored on ${before.record.updatedAt} from ${before.record.backupFile}, but the course is empty now (${look.detail}): it was emptied or the site was reset since; look at the course, then restore it again with --force (evidence of that restore: ${before.record.evidencePath})`,
        );
      return {
        status: 'already-restored',
        courseId: course.courseId,
        restoredAt: before.record.updatedAt,
        backupFile: before.record.backupFile,
        evidencePath: before.record.evidencePath,
      };
    }
    const interrupted =
      before.state === 'claimed' && claimHolderIsGone(before.record, deps.ledger) ? before.record : undefined;
    if (before.state !== 'never-touched' && before.state !== 'released' && !interrupted && !deps.force)
      throw new Stop(
        'refused',
        step,
        `${describeStatus(before)}${before.state === 'claimed' ? '' : '; --force restores it again'}`,
      );

    // 1. The course where the user is teacher, and the first precaution: it must be empty.
    const coursePage = new CoursePage(page, deps.vertUrl);
    step = 'check the Moodle release';
    const traits = releaseTraits(await detectRelease(page, deps.vertUrl, deps.expectedRelease));
    log.info({ release: traits.release }, `vert runs Moodle ${traits.release}`);
    const { people, shortname } = await run('read the participants', async () => {
      const participants = new ParticipantsPage(page, deps.vertUrl);
      await participants.goto(course.courseId);
      await stopOnMoodleError(page, 'read the participants');
      const restorerId = await participants.currentUserId();
      if (restorerId === undefined) {
        throw new Stop('failed', step, 'the participants page does not say who is logged in');
      }
      const found = { restorerId, users: await participants.enrolledUsers() };
      await evidence.attach('participants-before', found);
      const fullname = await participants.courseFullname();
      const listed = (await coursePage.searchCourses(fullname)).find(
        (candidate) => candidate.id === course.courseId,
      )?.shortname;
      const name =
        listed === undefined ? undefined : ((await coursePage.storedShortname(course.courseId)) ?? listed);
      if (!name)
        throw new Stop(
          'failed',
          step,
          `course ${course.courseId} ("${fullname}") is not found by Moodle's course search`,
        );
      return { people: found, shortname: name };
    });

    // The previous course exists on bleu and this user reaches it. Checked on bleu's page while vert's
    // course is opened and read: both only read, and nothing changes on either site until both agree.
    const bleuShortname = course.bleuShortname ?? shortname;
    const bleuCheck = stepOn(deps.bleuPage, BLEU_CHECK, async () => {
      const preflight = await checkBleuCourse(deps.bleuPage, deps.bleuUrl, bleuShortname);
      if (preflight.kind === 'refused') throw new Stop('refused', BLEU_CHECK, preflight.reason);
      await evidence.attach('bleu-course', preflight.course);
      return preflight.course;
    }).then(
      (found) => ({ found }),
      (error: unknown) => ({ error }),
    );
    const vertCourse = await (async () => {
      const { contextId } = await run('open the course', async () => {
        await coursePage.goto(course.courseId);
        await stopOnMoodleError(page, 'open the course');
        return coursePage.ids();
      });
      if (interrupted && !deps.force) {
        const settled = await run('settle an interrupted run', () =>
          settleInterruptedClaim(page, deps.vertUrl, interrupted, {
            courseId: course.courseId,
            contextId,
            runId: deps.runId,
            ledger: deps.ledger,
            restoreMs: timeouts.restoreMs,
            log,
          }),
        );
        await evidence.attach('interrupted-run', settled);
        if (settled.kind === 'restored')
          return {
            done: {
              status: 'restored',
              courseId: course.courseId,
              shortname,
              backupFile: interrupted.backupFile,
              verification: settled.verification,
            } satisfies RestoreOutcome,
          };
        if (settled.kind === 'emptied')
          return {
            done: failedOutcome(course.courseId, 'settle an interrupted run', settled.detail, true),
          };
      }
      const inventory = await run('check the course is empty', async () => {
        const contents = await coursePage.contents(course.courseId);
        await evidence.attach('course-before', contents);
        return contents;
      });
      const emptiness = targetIsEmpty(inventory);
      if (emptiness.verdict === 'refuse')
        throw new Stop('refused', 'check the course is empty', emptiness.detail);
      return { contextId };
    })().catch(async (error: unknown) => {
      // Vert's answer comes first, once bleu's page is idle again (the next course uses it).
      await bleuCheck;
      throw error;
    });
    const bleuAnswer = await bleuCheck;
    // Either page may have been brought to the front last (each screenshot brings its own).
    frontPage = undefined;
    if (vertCourse.done) return vertCourse.done;
    if ('error' in bleuAnswer) {
      step = BLEU_CHECK;
      throw bleuAnswer.error;
    }
    const { contextId } = vertCourse;
    const bleuCourse: BleuCourse = bleuAnswer.found;
    cleanup.contextId = contextId;
    // The name asked of bleu, as stored: the services list names with their tags removed.
    const names = namesMoodleRestores({ shortname: bleuShortname, fullname: '' });
    if (names.verdict === 'refuse') throw new Stop('refused', BLEU_CHECK, names.detail);

    // Who runs the restore decides the Schema header; who would lose access is known now, before any change.
    const restorer = identifyRestorer(people.users, people.restorerId);
    const plan = headerPlan(restorer.kind, deps.profile);
    const predicted = predictedLosses(
      enrolmentImpact(predictedHeader(plan), people.users, people.restorerId).users,
      people.users,
      people.restorerId,
    );
    await evidence.attach('restorer', { ...restorer, headerPlan: plan, predictedLosses: predicted });
    log.info({ restorer: restorer.kind, headerPlan: plan }, `restoring as ${restorer.kind}`);
    if (predicted.length > 0 && deps.allowEnrolmentLoss !== true)
      throw new Stop('refused', 'read the participants', enrolmentLossRefusal(predicted, plan, 'predicted'));

    // 2. The backup block, once: a block already on the course, found by what it shows, is reused.
    let openedBlockDrawer = false;
    const block = new BackupBlock(page, deps.backupBlock);
    if (!(await block.isOnPage())) {
      // Another run over the same course may be at this very step: its claim, or the block it added.
      step = 'add the backup block';
      const taken = await takenMeanwhile(deps.ledger, course.courseId, deps.runId, before);
      if (taken) throw new TakenMeanwhile();
      await run(
        'add the backup block',
        async () => {
          await coursePage.turnEditingOn();
          cleanup.addedBlock = true;
          try {
            openedBlockDrawer = await coursePage.addBlock(deps.blockName, block.fetchLink);
          } catch (error) {
            if (error instanceof Error && /after its addition/.test(error.message))
              throw new Stop(
                'failed',
                step,
                `the block_${deps.blockName} block was added, but the course page does not show ${block.describe()}: check BACKUP_BLOCK_TITLE and BACKUP_LINK_TEXT`,
              );
            await coursePage.goto(course.courseId);
            // Moodle refuses a second instance of a block (4.4 with a page that lists none, 5.1 with an
            // HTTP 500): the course may hold its backup block already, under texts the robot was not given.
            if (!(await block.isOnPage()))
              throw new Stop(
                'failed',
                step,
                `vert did not add the block_${deps.blockName} block (${describeError(error)}) and the course page does not show ${block.describe()}: if the course has its backup block already, check BACKUP_BLOCK_TITLE and BACKUP_LINK_TEXT`,
              );
            log.info({ step }, 'the backup block was added meanwhile (another run on this course?)');
          }
        },
        true,
      );
    }

    // 3. "Télécharger la sauvegarde 24/25": bleu's backup copied into the private area, in a new window.
    const restorePage = await run(
      'fetch the backup from bleu',
      async () => {
        const started = Date.now();
        const waitWithProgress = async (opened: Page) => {
          const progress = setInterval(() => {
            log.info(
              { step: 'fetch the backup from bleu', waitedS: Math.round((Date.now() - started) / 1000) },
              'copy from bleu under way',
            );
          }, 10_000);
          try {
            await opened.waitForLoadState('load', { timeout: timeouts.copyMs });
          } finally {
            clearInterval(progress);
          }
        };
        if (!(await block.fetchLink.isVisible()))
          openedBlockDrawer = (await coursePage.openBlockDrawer()) || openedBlockDrawer;
        const popup = await inFetchTurn(async () => {
          const opened = await block.openFetchWindow();
          await waitWithProgress(opened);
          return opened;
        });
        // The drawer the robot opened is closed again while bleu's backup is copied: Moodle remembers it
        // for the user, and with both drawers open every page of the wizard closed one of them again.
        const drawerClosed = openedBlockDrawer
          ? coursePage.closeBlockDrawer().then(
              () => undefined,
              (error: unknown) => error,
            )
          : undefined;
        popup.setDefaultTimeout(timeouts.stepMs);
        const notClosed = await drawerClosed;
        if (notClosed !== undefined)
          log.warn(
            { step },
            `the block drawer stays open: ${notClosed instanceof Error ? notClosed.message : 'unknown error'}`,
          );
        await evidence.capture(popup, 'fetch the backup from bleu', 'after');
        await stopOnMoodleError(popup, 'fetch the backup from bleu');
        if (!new URL(popup.url()).pathname.endsWith('/backup/restorefile.php')) {
          const title = await whatThePageSays(popup);
          throw new Stop(
            'failed',
            step,
            `the copy did not end on the restore page: ${withoutUrlSecrets(popup.url())}${title ? ` "${title}"` : ''}`,
          );
        }
        return popup;
      },
      true,
    );
    const wizard = restorePage;
    const wizardStep = <T>(name: string, action: () => Promise<T>, changesServer = false): Promise<T> =>
      stepOn(wizard, name, action, changesServer);

    // 4. "Zone de sauvegarde privée": the backup of this course.
    const restoreFile = new RestoreFilePage(wizard, deps.vertUrl);
    const { chosen, contents } = await wizardStep('choose the backup of this course', async () => {
      if (!(await restoreFile.isShown()))
        throw new Stop('failed', step, `the new window is not the restore page: ${wizard.url()}`);
      const rows = await restoreFile.privateBackups();
      const choice = chooseBackup(rows, { bleuCourseId: bleuCourse.id, shortname: bleuShortname });
      if (choice.kind !== 'chosen') throw new Stop('refused', step, choice.reason);
      const row = rows.find((candidate) => candidate.filename === choice.file.filename);
      if (!row?.downloadUrl) throw new Stop('failed', step, `no download link for ${choice.file.filename}`);
      const backupContents = await downloadAndRead(wizard, row.downloadUrl, evidence, choice.file.filename);
      await evidence.attach('backup', {
        file: choice.file.filename,
        others: choice.others.map((other) => other.filename),
        contents: summary(backupContents),
      });
      const userData = checkBackupUserData(backupContents, deps.profile);
      if (userData.verdict === 'refuse') throw new Stop('refused', step, userData.detail);
      const originalNames = namesMoodleRestores({
        shortname: backupContents.originalCourseShortname,
        fullname: backupContents.originalCourseFullname,
      });
      if (originalNames.verdict === 'refuse') throw new Stop('refused', step, originalNames.detail);
      return { chosen: { ...choice, row }, contents: backupContents };
    });
    const backupFile = chosen.file.filename;
    cleanup.fetchedFile = backupFile;

    // Content changed on bleu after the backup is not in it: restore tomorrow.
    await stepOn(deps.bleuPage, 'check the backup is fresh', async () => {
      const changes = await bleuChangesAfterBackup(deps.bleuPage, deps.bleuUrl, bleuCourse, contents);
      const verdict = bleuUnchangedSinceBackup(contents, changes, { allowStale: deps.allowStale ?? false });
      await evidence.attach('freshness', { ...verdict, changes });
      if (verdict.verdict === 'refuse')
        throw new Stop('refused', step, `${verdict.detail}; --allow-stale to restore it anyway`);
      if (verdict.verdict === 'warn') log.warn({ step }, verdict.detail);
    });
    await wizardStep('open the backup', () => restoreFile.chooseBackup(chosen.row));

    // 5. The wizard. Confirm: is it really this course's backup?
    await wizardStep('confirm', async () => {
      await expectStage(wizard, 'confirm');
      const confirm = new RestoreConfirmPage(wizard);
      const details = await confirm.details();
      await evidence.attach('confirm-details', details);
      if (details.originalCourseId === undefined)
        throw new Stop('failed', step, 'the Confirm stage shows no original course id');
      const check = confirmBackupMatches(
        {
          originalCourseId: details.originalCourseId,
          originalCourseShortname: contents.originalCourseShortname,
          type: contents.type,
        },
        chosen.expectedOriginal,
      );
      if (!check.matches) throw new Stop('refused', step, check.reasons.join('; '));
      await confirm.continue();
    });

    await wizardStep('destination', async () => {
      await expectStage(wizard, 'destination');
      const destination = new RestoreDestinationPage(wizard);
      const plan = planDestination(deps.profile, { offered: await destination.offeredTargets() });
      if (plan.blocking) throw new Stop('refused', step, plan.reason);
      await destination.chooseTarget(plan.target);
      if ((await destination.chosenTarget()) !== plan.target)
        throw new Stop('failed', step, `target ${plan.target} could not be selected`);
      await evidence.capture(wizard, 'destination chosen', 'before');
      await destination.continue();
    });

    await wizardStep('settings', async () => {
      await expectStage(wizard, 'settings');
      const settings = new RestoreSettingsPage(wizard, traits.rootSettingField);
      const applied = await applySettings(settings, deps.profile);
      await evidence.attach('settings-as-applied', applied);
      const blocking = blockingReasons(applied.after);
      if (blocking.length > 0) throw new Stop('refused', step, blocking.join('; '));
      await evidence.capture(wizard, 'settings applied', 'before');
      await settings.next();
    });

    await wizardStep('schema', async () => {
      await expectStage(wizard, 'schema');
      const schema = new RestoreSchemaPage(wizard);
      const { offered, header, notApplied } = await setSchemaHeader(schema, plan);
      const impact = enrolmentImpact(
        {
          ...(header.overwriteConf !== undefined && {
            overwriteCourseConfiguration: header.overwriteConf === 1,
          }),
          keepRolesAndEnrolments: header.keepRolesAndEnrolments === 1,
          keepGroupsAndGroupings: header.keepGroupsAndGroupings === 1,
        },
        people.users,
        people.restorerId,
      );
      await evidence.attach('enrolment-impact', { offered, applied: header, notApplied, ...impact });
      const losses = predictedLosses(impact.users, people.users, people.restorerId);
      if (losses.length > 0 && deps.allowEnrolmentLoss !== true)
        throw new Stop('refused', step, enrolmentLossRefusal(losses, plan, 'as applied', notApplied));
      if (losses.length > 0) log.warn({ step }, enrolmentLossRefusal(losses, plan, 'as applied', notApplied));
      await schema.includeEverything();
      const includes = await schema.includes();
      await evidence.attach('schema', { header, headerPlan: plan, restorer: restorer.kind, includes });
      const excluded = Object.entries(includes).filter(([, checked]) => !checked);
      if (excluded.length > 0)
        throw new Stop(
          'refused',
          step,
          `items the backup has could not be included: ${excluded.map(([name]) => name).join(', ')}`,
        );
      await schema.next();
    });

    const review = new RestoreReviewPage(wizard);
    await wizardStep('review', async () => {
      await expectStage(wizard, 'review');
    });
    if (deps.dryRun) {
      await undoBeforePerform();
      return {
        status: 'dry-run',
        courseId: course.courseId,
        shortname,
        backupFile,
        ...(leftBehind.length > 0 && { leftBehind: [...leftBehind] }),
      };
    }

    // 6. Perform: the course is emptied when the restore executes. Claimed first, never twice.
    // A claim that cannot be written (the ledger's server out of reach) fails here, before Perform.
    step = 'claim the course';
    const claim = await deps.ledger.claimBeforePerform(
      {
        courseId: course.courseId,
        courseLabel: shortname,
        backupFile,
        runId: deps.runId,
        evidencePath: evidence.dir,
        restoreId: await review.restoreId(),
      },
      { force: deps.force ?? false },
    );
    if (!claim.granted && claimedElsewhere(course.courseId, claim.status, deps.runId, deps.ledger))
      throw new TakenMeanwhile();
    if (!claim.granted)
      throw new Stop(
        'refused',
        'claim the course',
        `the ledger refuses: ${claim.status.state} (${claim.status.record.updatedAt})`,
      );
    reached.claimed = true;
    await wizardStep(
      'perform the restore',
      async () => {
        const restoreId = await review.restoreId();
        // From the click on, the server may be emptying the course, whatever the browser sees next
        // (an error, a dropped connection): only Moodle's precheck page proves nothing ran.
        reached.performed = true;
        await review.perform(timeouts.restoreMs);
        const process = new RestoreProcessPage(wizard);
        if (
          (await currentRestoreStage(wizard)) === 'process' &&
          (await process.precheckNotices.count()) > 0
        ) {
          reached.performed = false;
          const notices = await process.precheckMessages();
          const unexpected = unexpectedPrecheckNotices(traits, notices);
          await evidence.attach('precheck-notices', { release: traits.release, notices, unexpected });
          if (unexpected.length > 0 || !(await process.canContinuePastPrechecks())) {
            throw new Stop('refused', 'prechecks', `Moodle's prechecks report: ${notices.join(' | ')}`);
          }
          reached.performed = true;
          await process.continuePastPrechecks(timeouts.restoreMs);
        }
        await stopOnMoodleError(wizard, step);
        if ((await currentRestoreStage(wizard)) === undefined) {
          const title = await whatThePageSays(wizard);
          throw new Stop(
            'failed',
            step,
            `after Perform the window is not Moodle's restore page (a server error or a lost connection): ${wizard.url()}${title ? ` "${title}"` : ''}`,
          );
        }
        if (await process.isAsynchronous()) {
          const id = (await process.asyncRestoreId()) ?? restoreId;
          await evidence.capture(wizard, 'restore queued', 'after');
          await watchAsyncRestore(process, id, contextId, { timeoutMs: timeouts.restoreMs, log });
          return;
        }
        const complete = new RestoreCompletePage(wizard);
        await complete.success.first().waitFor({ timeout: timeouts.restoreMs });
        const problems = await complete.problemMessages();
        if (problems.length > 0) await evidence.attach('restore-warnings', problems);
      },
      true,
    );

    // 7. Check what the course now holds against the backup.
    const verification = await run('verify the restored course', async () => {
      await coursePage.goto(course.courseId);
      await waitForMoodleReady(page);
      const restored = await coursePage.contents(course.courseId);
      const result = verifyRestoredCourse(contents, restored);
      await evidence.attach('verification', { ...result, restored });
      return result;
    });
    if (!verification.matches) {
      const outcome = failedOutcome(
        course.courseId,
        'verify the restored course',
        verification.differences.join('; '),
        true,
      );
      await deps.ledger.recordFailedAfterPerform(
        course.courseId,
        deps.runId,
        `restored content differs: ${outcome.reason}`,
      );
      return outcome;
    }
    const accessLost = await run('compare the participants', async () => {
      const participants = new ParticipantsPage(page, deps.vertUrl);
      await participants.goto(course.courseId);
      await stopOnMoodleError(page, 'compare the participants');
      const after = await participants.enrolledUsers();
      const lost = compareParticipants(people.users, after);
      await evidence.attach('participants-after', { users: after, lost });
      return lost;
    }).catch((error: unknown) => {
      // The course is restored: a page that cannot be read now is reported, not a failed restore.
      log.warn(
        { step },
        `participants not compared: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    });
    await removeOwnBackup();
    await deps.ledger.recordRestored(course.courseId, deps.runId, lossNote(accessLost));
    const restored: RestoreOutcome = {
      status: 'restored',
      courseId: course.courseId,
      shortname,
      backupFile,
      verification,
      ...(accessLost !== undefined && { accessLost }),
      ...(leftBehind.length > 0 && { leftBehind }),
    };
    if (accessLost === undefined)
      restored.leftBehind = [
        ...leftBehind,
        'the participants after the restore were not compared: see run.log',
      ];
    await evidence.attach('outcome', restored);
    return restored;
  } catch (error) {
    if (!(error instanceof Stop))
      await appendFile(path.join(evidence.dir, 'run.log'), stackLine(error, step)).catch(() => undefined);
    const { claimed, performed } = reached;
    // A refusal or a failure of this run on a course another run took meanwhile is no alarm.
    const taken =
      // The ledger's own refusal (a live claim --force may not take over) is said as such.
      claimed ||
      ledgerBefore === undefined ||
      (error instanceof Stop && !(error instanceof TakenMeanwhile) && error.step === 'check the ledger')
        ? undefined
        : await takenMeanwhile(deps.ledger, course.courseId, deps.runId, ledgerBefore).catch(() => undefined);
    if (taken) {
      const outcome: RestoreOutcome =
        taken.status === 'claimed-elsewhere'
          ? taken
          : { ...taken, status: 'already-restored', courseId: course.courseId };
      log.info({ ...outcome }, `left to another run: ${outcome.status}`);
      await evidence.attach('outcome', outcome).catch(() => undefined);
      return outcome;
    }
    const stop =
      error instanceof Stop
        ? error
        : error instanceof SessionEnded && !reached.performed
          ? new Stop('refused', step, sessionExpiredReason(`${error.message}, at "${step}"`))
          : new Stop(
              'failed',
              step,
              describeError(error, {
                vertUrl: deps.vertUrl,
                bleuUrl: deps.bleuUrl,
                evidenceDir: evidence.dir,
                site: step === BLEU_CHECK || step === 'check the backup is fresh' ? 'bleu' : 'vert',
              }),
            );
    if (!performed) await undoBeforePerform();
    if (claimed) {
      if (performed) await deps.ledger.recordFailedAfterPerform(course.courseId, deps.runId, stop.message);
      else await deps.ledger.release(course.courseId, deps.runId, stop.message);
    }
    const outcome: Extract<RestoreOutcome, { status: 'refused' | 'failed' }> =
      stop.kind === 'refused' && !performed
        ? refusedOutcome(course.courseId, stop.step, stop.message)
        : failedOutcome(
            course.courseId,
            stop.step,
            performed ? `course emptied, restore not confirmed: ${stop.message}` : stop.message,
            performed,
          );
    if (leftBehind.length > 0) outcome.leftBehind = [...leftBehind];
    log.warn({ ...outcome }, `${outcome.status} at "${outcome.step}": ${outcome.reason}`);
    await evidence.attach('outcome', outcome).catch(() => undefined);
    return outcome;
  }
}

interface AppliedSettings {
  before: PlannedSetting[];
  after: PlannedSetting[];
}

/** Applies the profile's plan (users first: its value decides what the others can be), then re-reads the form. */
async function applySettings(
  settings: RestoreSettingsPage,
  profile: SettingsProfile,
): Promise<AppliedSettings> {
  const observe = async () => {
    const observed = new Map(
      await Promise.all(
        profile.root.map(async (entry) => [entry.setting, await settings.observe(entry.setting)] as const),
      ),
    );
    return planSettings(profile, (setting) => observed.get(setting) ?? { state: 'absent' });
  };
  const before = await observe();
  for (const item of before) {
    if (item.outcome !== 'change' || item.resulting === undefined) continue;
    const now = await settings.observe(item.setting);
    if (now.state === 'editable') await settings.set(item.setting, item.resulting);
  }
  return { before, after: await observe() };
}

/**
 * The chosen backup, read from a private temporary copy that is deleted once read: the evidence keeps
 * its SHA-256, size and moodle_backup.xml, never the backup (it may hold people's data).
 */
async function downloadAndRead(
  page: Page,
  url: string,
  evidence: EvidenceRun,
  filename: string,
): Promise<BackupContents> {
  const downloaded = await downloadBackup(page, url);
  if (downloaded.kind === 'refused')
    throw new Stop(
      'failed',
      'choose the backup of this course',
      `downloading ${filename} ${downloaded.reason}`,
    );
  if (downloaded.kind === 'unreadable')
    throw new Stop(
      'failed',
      'choose the backup of this course',
      `${filename} is not a readable Moodle backup: ${downloaded.reason}`,
    );
  await evidence.keep('backup manifest', BACKUP_MANIFEST, downloaded.manifestXml, {
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
