import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright';
import type { Logger } from 'pino';
import type { CourseToRestore, RestoreOutcome } from '../domain/outcome.js';
import type { EvidenceRun } from '../evidence/recorder.js';
import { stackLine } from '../evidence/stack-line.js';
import { takenMeanwhile } from '../ledger/claimed-elsewhere.js';
import type { CourseStatus } from '../ledger/ledger.js';
import { deleteCourseBlock } from '../pages/course-block-removal.js';
import { CoursePage } from '../pages/course-page.js';
import { SessionEnded, throwIfSentToLogin, whatThePageSays } from '../pages/moodle-page.js';
import type { SiteContext } from '../pages/moodle-site.js';
import { currentRestoreStage, moodleErrorOn, type RestoreStage } from '../pages/restore-stage.js';
import { describeError } from '../rules/operator-errors.js';
import { failedOutcome, refusedOutcome } from '../rules/outcomes.js';
import { sessionExpiredReason } from '../rules/session-loss.js';
import { removeFetchedBackup } from './private-backups.js';
import type { RestoreRobotDeps } from './restore-robot-deps.js';
import { Finished, Stop, TakenMeanwhile } from './stop.js';

/**
 * How far the procedure got around Perform, in the order it happens. The course may be emptied from
 * the click on, whatever the browser sees next; only Moodle's precheck page proves nothing ran.
 */
export type Milestone = 'claimed' | 'Perform pressed' | 'held at the prechecks' | 'past the prechecks';

const COURSE_MAY_BE_EMPTIED: readonly Milestone[] = ['Perform pressed', 'past the prechecks'];

interface StepUnderWay {
  name: string;
  on: Page;
}

/**
 * Runs the stages of one course's restore. It owns the step under way, the evidence of each step, the
 * step hook, which page is at the front, refusals and failures (Stop), and what the robot added to the
 * course (its block, the fetched .mbz), undone when the procedure stops before Perform.
 */
export class StageRunner {
  readonly log: Logger;
  readonly evidence: EvidenceRun;
  private current: StepUnderWay;
  /** The step each error was thrown in (concurrent stages may have moved `current` on since). */
  private readonly thrownIn = new WeakMap<object, StepUnderWay>();
  private frontPage: Page | undefined;
  private readonly milestones: Milestone[] = [];
  private ledgerBefore: CourseStatus | undefined;
  private readonly added: { contextId?: number; block: boolean; fetchedFile?: string | undefined } = {
    block: false,
  };
  private readonly leftBehind: string[] = [];
  private vertSite: SiteContext | undefined;

  constructor(
    readonly course: CourseToRestore,
    readonly deps: RestoreRobotDeps,
  ) {
    this.log = deps.logger.child({ course: course.courseId });
    this.evidence = deps.evidence;
    this.current = { name: 'open the course', on: deps.page };
    deps.page.setDefaultTimeout(deps.timeouts.stepMs);
  }

  /** Vert as the robot found it (release, theme, selectors): known from the first stage on. */
  get vert(): SiteContext {
    if (this.vertSite === undefined)
      throw new Error('vert was not looked at yet (the release check comes first)');
    return this.vertSite;
  }

  useVert(site: SiteContext): void {
    this.vertSite = site;
  }

  get step(): string {
    return this.current.name;
  }

  /** Runs the procedure; a refusal, a failure or an early end becomes its outcome. */
  async run(procedure: () => Promise<RestoreOutcome>): Promise<RestoreOutcome> {
    try {
      return await procedure();
    } catch (error) {
      return error instanceof Finished ? error.outcome : this.stopped(error);
    }
  }

  /** One step with its evidence: photographed after, and before too when it changes the server. */
  async on<T>(page: Page, name: string, action: () => Promise<T>, changesServer = false): Promise<T> {
    this.current = { name, on: page };
    this.log.info({ step: name }, name);
    const hook = this.deps.stepHook ?? (<R>(_name: string, act: () => Promise<R>) => act());
    try {
      return await hook(name, async () => {
        // Chromium paints a page that is not the front one lazily: with vert, bleu and the wizard open,
        // each screenshot waited 2-4 s and each action ran twice as slowly until the page came to the front.
        if (page !== this.frontPage) {
          await page.bringToFront();
          this.frontPage = page;
        }
        return this.evidence.step(page, name, action, { changesServer });
      });
    } catch (error) {
      if (typeof error === 'object' && error !== null && !this.thrownIn.has(error))
        this.thrownIn.set(error, { name, on: page });
      throw error;
    }
  }

  onVert<T>(name: string, action: () => Promise<T>, changesServer = false): Promise<T> {
    return this.on(this.deps.page, name, action, changesServer);
  }

  /** A step that reads or writes no page of its own (the ledger, the release): no evidence step. */
  at(name: string): void {
    this.current = { name, on: this.deps.page };
  }

  refuse(reason: string, step = this.step): never {
    throw new Stop('refused', step, reason);
  }

  fail(reason: string, step = this.step): never {
    throw new Stop('failed', step, reason);
  }

  finish(outcome: RestoreOutcome): never {
    throw new Finished(outcome);
  }

  async stopOnMoodleError(page: Page, where = this.step): Promise<void> {
    const error = await moodleErrorOn(page);
    if (error !== undefined) this.fail(`Moodle error: ${error}`, where);
  }

  async expectStage(page: Page, stage: RestoreStage): Promise<void> {
    throwIfSentToLogin(page);
    await this.stopOnMoodleError(page);
    const shown = await currentRestoreStage(page);
    if (shown === stage) return;
    const title = await whatThePageSays(page);
    this.fail(
      `expected the restore stage "${stage}", the page shows ${shown ?? `no restore stage (a server error or a lost connection?): ${page.url()}${title ? ` "${title}"` : ''}`}`,
    );
  }

  /**
   * Runs `other` (on the other site's page, started first) beside `main`. `main`'s answer comes first,
   * once `other` is idle again (the next course uses its page): its error or early end wins.
   */
  async beside<A, B>(main: () => Promise<A>, other: () => Promise<B>): Promise<[A, B]> {
    const otherAnswer = other().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    try {
      const mainValue = await main().catch(async (error: unknown) => {
        await otherAnswer;
        throw error;
      });
      const answer = await otherAnswer;
      if ('error' in answer) throw answer.error;
      return [mainValue, answer.value];
    } finally {
      // Either page may have been brought to the front last (each screenshot brings its own).
      this.frontPage = undefined;
    }
  }

  reach(milestone: Milestone): void {
    this.milestones.push(milestone);
  }

  rememberLedgerBefore(status: CourseStatus): void {
    this.ledgerBefore = status;
  }

  rememberCourseContext(contextId: number): void {
    this.added.contextId = contextId;
  }

  rememberAddedBlock(): void {
    this.added.block = true;
  }

  /** Known from the moment its name is: a stop from then on removes it from the private backup area. */
  rememberFetchedFile(filename: string): void {
    this.added.fetchedFile = filename;
  }

  /** The backup chosen is taken for the fetched one only when the copy's own file was not seen. */
  rememberChosenFile(filename: string): void {
    this.added.fetchedFile ??= filename;
  }

  /** What could not be cleaned up so far, as the outcome reports it. */
  get notCleanedUp(): readonly string[] {
    return this.leftBehind;
  }

  inFetchTurn<T>(action: () => Promise<T>): Promise<T> {
    return this.deps.privateArea ? this.deps.privateArea.whileFetching(action) : action();
  }

  /** Removes the fetched .mbz from the private backup area, unless asked to keep it. */
  async removeOwnBackup(): Promise<void> {
    const { fetchedFile, contextId } = this.added;
    if (fetchedFile === undefined || contextId === undefined || this.deps.keepFetchedBackup === true) return;
    const { privateArea } = this.deps;
    const remove = () => removeFetchedBackup(this.vert, contextId, fetchedFile);
    if (
      await this.tryTo(
        'remove the fetched backup',
        () => (privateArea ? privateArea.whileRewriting(remove) : remove()),
        `${fetchedFile} stays in the private backup area`,
      )
    )
      this.added.fetchedFile = undefined;
  }

  /** Undoes what the robot added to the course before Perform: its fetched backup, its block. */
  async undoBeforePerform(): Promise<void> {
    await this.removeOwnBackup();
    if (
      this.added.block &&
      (await this.tryTo(
        'remove the backup block',
        () => deleteCourseBlock(new CoursePage(this.vert), this.course.courseId, this.deps.blockName),
        'the backup block the robot added stays on the course page',
      ))
    )
      this.added.block = false;
    if (this.leftBehind.length > 0)
      await this.evidence.attach('left-behind', this.leftBehind).catch(() => undefined);
  }

  private async tryTo(name: string, action: () => Promise<void>, what: string): Promise<boolean> {
    try {
      await this.onVert(name, action, true);
      return true;
    } catch (error) {
      const said = `${what}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`;
      this.log.warn({ step: name }, said);
      this.leftBehind.push(said);
      return false;
    }
  }

  private get claimed(): boolean {
    return this.milestones.includes('claimed');
  }

  private get performed(): boolean {
    const last = this.milestones.at(-1);
    return last !== undefined && COURSE_MAY_BE_EMPTIED.includes(last);
  }

  /** Where the run stopped decides what the ledger and the outcome say. */
  private async stopped(error: unknown): Promise<RestoreOutcome> {
    const at = (typeof error === 'object' && error !== null && this.thrownIn.get(error)) || this.current;
    if (!(error instanceof Stop))
      await appendFile(path.join(this.evidence.dir, 'run.log'), stackLine(error, at.name)).catch(
        () => undefined,
      );
    const { claimed, performed } = this;
    const taken = await this.takenByAnotherRun(error);
    if (taken) {
      if (!performed) await this.undoBeforePerform();
      this.log.info({ ...taken }, `left to another run: ${taken.status}`);
      await this.evidence.attach('outcome', taken).catch(() => undefined);
      return taken;
    }
    const stop = this.asStop(error, at);
    if (!performed) await this.undoBeforePerform();
    const { ledger, runId } = this.deps;
    const { courseId } = this.course;
    if (claimed) {
      if (performed) await ledger.recordFailedAfterPerform(courseId, runId, stop.message);
      else await ledger.release(courseId, runId, stop.message);
    }
    const outcome: Extract<RestoreOutcome, { status: 'refused' | 'failed' }> =
      stop.kind === 'refused' && !performed
        ? refusedOutcome(courseId, stop.step, stop.message)
        : failedOutcome(
            courseId,
            stop.step,
            performed ? `course emptied, restore not confirmed: ${stop.message}` : stop.message,
            performed,
          );
    if (this.leftBehind.length > 0) outcome.leftBehind = [...this.leftBehind];
    this.log.warn({ ...outcome }, `${outcome.status} at "${outcome.step}": ${outcome.reason}`);
    await this.evidence.attach('outcome', outcome).catch(() => undefined);
    return outcome;
  }

  /** A refusal or a failure of this run on a course another run took meanwhile is no alarm. */
  private async takenByAnotherRun(error: unknown): Promise<RestoreOutcome | undefined> {
    const before = this.ledgerBefore;
    // The ledger's own refusal (a live claim --force may not take over) is said as such.
    const ledgersOwnRefusal =
      error instanceof Stop && !(error instanceof TakenMeanwhile) && error.step === 'check the ledger';
    if (this.claimed || before === undefined || ledgersOwnRefusal) return undefined;
    const { courseId } = this.course;
    const taken = await takenMeanwhile(this.deps.ledger, courseId, this.deps.runId, before).catch(
      () => undefined,
    );
    if (taken === undefined || taken.status === 'claimed-elsewhere') return taken;
    return { ...taken, status: 'already-restored', courseId };
  }

  private asStop(error: unknown, at: StepUnderWay): Stop {
    if (error instanceof Stop) return error;
    if (error instanceof SessionEnded && !this.performed)
      return new Stop('refused', at.name, sessionExpiredReason(`${error.message}, at "${at.name}"`));
    return new Stop(
      'failed',
      at.name,
      describeError(error, {
        vertUrl: this.deps.vertUrl,
        bleuUrl: this.deps.bleuUrl,
        evidenceDir: this.evidence.dir,
        site: at.on === this.deps.bleuPage ? 'bleu' : 'vert',
      }),
    );
  }
}
