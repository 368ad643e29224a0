import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright';
import { captureWholePage } from './capture.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './file-modes.js';
import {
  chainStart,
  linkAfter,
  MANIFEST_FILE,
  sha256Hex,
  verifyEvidenceFolder,
  type ChainLink,
  type EvidenceCheck,
} from './manifest-chain.js';
import { withoutUrlSecrets } from './url-secrets.js';

export type CapturePhase = 'before' | 'after';

export interface ManifestScreenshot {
  index: number;
  step: string;
  phase: CapturePhase;
  url: string;
  stepStartedAt: string;
  capturedAt: string;
  /** Time from the start of the step to this capture. */
  elapsedMs: number;
  /** What taking and writing this screenshot cost (the evidence's share of the run). */
  captureMs?: number;
  file: string;
  sha256: string;
  /**
   * The page had not changed since this earlier shot (same document; no change to its markup, no
   * input, scroll or load): `file` is that shot's file.
   */
  unchangedSince?: number;
  chain: ChainLink;
}

type Shot = Pick<ManifestScreenshot, 'index' | 'file' | 'sha256'>;

export interface ManifestAttachment {
  name: string;
  file: string;
  writtenAt: string;
  sha256: string;
  chain: ChainLink;
}

/** A file kept as it is (the backup's moodle_backup.xml, the support message, the run's log). */
export interface ManifestFile {
  name: string;
  file: string;
  writtenAt: string;
  sha256: string;
  bytes: number;
  /** The file it was taken from, when that file is not kept (the backup itself). */
  source?: { file: string; sha256: string; bytes: number };
  chain: ChainLink;
}

export interface StepRecord {
  step: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  outcome: 'done' | 'failed';
  error?: string;
  chain: ChainLink;
}

export interface Manifest {
  run: string;
  createdAt: string;
  steps: StepRecord[];
  screenshots: ManifestScreenshot[];
  attachments: ManifestAttachment[];
  /** Earlier versions of attachments written again: their chain entries stay. */
  supersededAttachments: ManifestAttachment[];
  files: ManifestFile[];
  /** Set when the run ended: nothing is added after, and the ledger holds `chainHead`. */
  sealed?: { at: string; chainHead: string };
}

type Unlinked<T> = Omit<T, 'chain'>;

/**
 * One evidence folder per course run: numbered full-page screenshots, JSON attachments, kept files
 * and manifest.json, which lists every file with its SHA-256 in one hash chain
 * (evidence/manifest-chain.ts). The folder is readable by its owner only, because screenshots show
 * people's names.
 */
export class EvidenceRun {
  private readonly manifest: Manifest;
  private sequence = 0;
  /** Each page's last shot, while the page is watched for changes since (evidence/shot-preparation.ts). */
  private readonly lastShots = new WeakMap<Page, Shot>();
  private saving: Promise<void> = Promise.resolve();
  private chainLength = 0;
  private head: string;

  private constructor(
    readonly dir: string,
    run: string,
  ) {
    this.manifest = {
      run,
      createdAt: new Date().toISOString(),
      steps: [],
      screenshots: [],
      attachments: [],
      supersededAttachments: [],
      files: [],
    };
    this.head = chainStart(run, this.manifest.createdAt);
  }

  static async create(rootDir: string, runName: string): Promise<EvidenceRun> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = path.join(rootDir, `${stamp}-${slug(runName)}`);
    await mkdir(rootDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await mkdir(dir, { mode: PRIVATE_DIR_MODE });
    const run = new EvidenceRun(dir, runName);
    await run.saveManifest();
    return run;
  }

  /**
   * Runs one step of the procedure. A step that changes something on the server is photographed
   * before and after; a step that only reads or navigates, after.
   */
  async step<T>(
    page: Page,
    name: string,
    action: () => Promise<T>,
    options: { changesServer: boolean },
  ): Promise<T> {
    const started = new Date();
    if (options.changesServer) await this.capture(page, name, 'before', started);
    try {
      const result = await action();
      await this.capture(page, name, 'after', started);
      await this.recordStep(name, started, 'done');
      return result;
    } catch (error) {
      await this.capture(page, name, 'after', started).catch(() => undefined);
      await this.recordStep(
        name,
        started,
        'failed',
        withoutUrlSecrets(error instanceof Error ? error.message : String(error)),
      );
      throw error;
    }
  }

  async capture(
    page: Page,
    step: string,
    phase: CapturePhase,
    stepStarted = new Date(),
  ): Promise<ManifestScreenshot> {
    const captureStarted = Date.now();
    const index = ++this.sequence;
    const shot = await this.shootUnlessUnchanged(page, index, step, phase);
    const captured = new Date();
    const entry = this.link<ManifestScreenshot>({
      index,
      step,
      phase,
      url: withoutUrlSecrets(page.url()),
      stepStartedAt: stepStarted.toISOString(),
      capturedAt: captured.toISOString(),
      elapsedMs: captured.getTime() - stepStarted.getTime(),
      captureMs: captured.getTime() - captureStarted,
      file: shot.file,
      sha256: shot.sha256,
      ...(shot.index !== index && { unchangedSince: shot.index }),
    });
    this.manifest.screenshots.push(entry);
    await this.saveManifest();
    return entry;
  }

  /** A new shot, or the page's last one when the page has not changed since (a read-only step). */
  private async shootUnlessUnchanged(page: Page, index: number, step: string, phase: CapturePhase) {
    const last = this.lastShots.get(page);
    const capture = await captureWholePage(page, {
      since: last && this.watchToken(last.index),
      watchAs: this.watchToken(index),
    });
    if (capture.unchanged && last !== undefined) return last;
    if (capture.unchanged) throw new Error('a page was reported unchanged since a shot it never had');
    const file = `${String(index).padStart(3, '0')}-${slug(step)}-${phase}.png`;
    this.assertOpen();
    await writeFile(path.join(this.dir, file), capture.image, { mode: PRIVATE_FILE_MODE });
    const shot = { index, file, sha256: sha256(capture.image) };
    if (capture.watched) this.lastShots.set(page, shot);
    else this.lastShots.delete(page);
    return shot;
  }

  private watchToken(index: number): string {
    return `${this.dir}#${index}`;
  }

  /** Writes a JSON document (backup details, settings as applied, outcome...) into the run. */
  async attach(name: string, data: unknown): Promise<ManifestAttachment> {
    const file = `${slug(name)}.json`;
    const body = Buffer.from(`${JSON.stringify(data, null, 2)}\n`);
    this.assertOpen();
    await writeFile(path.join(this.dir, file), body, { mode: PRIVATE_FILE_MODE });
    const entry = this.link<ManifestAttachment>({
      name,
      file,
      writtenAt: new Date().toISOString(),
      sha256: sha256(body),
    });
    const earlier = this.manifest.attachments.filter((a) => a.file === file);
    this.manifest.supersededAttachments.push(...earlier);
    this.manifest.attachments = [...this.manifest.attachments.filter((a) => a.file !== file), entry];
    await this.saveManifest();
    return entry;
  }

  /**
   * Keeps a file as it is, under a plain name (`moodle_backup.xml`, `support-message.txt`); `source`
   * names the file it was taken from when that one is not kept.
   */
  async keep(
    name: string,
    file: string,
    body: string | Buffer,
    source?: ManifestFile['source'],
  ): Promise<ManifestFile> {
    if (file !== path.basename(file) || file === MANIFEST_FILE || file.startsWith('.'))
      throw new Error(`"${file}" cannot be kept in an evidence folder`);
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    this.assertOpen();
    await writeFile(path.join(this.dir, file), data, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    return this.recordFile(name, file, data, source);
  }

  /**
   * Ends the run's evidence: files written beside the recorder (the run's log) are hashed into the
   * chain, and the manifest is sealed with the chain's last hash, which the ledger records. Nothing
   * can be added after.
   */
  async seal(lateFiles: { name: string; file: string }[] = []): Promise<string> {
    await this.saving;
    for (const { name, file } of lateFiles) {
      const data = await readFile(path.join(this.dir, file)).catch(() => undefined);
      if (data !== undefined) await this.recordFile(name, file, data);
    }
    this.assertOpen();
    this.manifest.sealed = { at: new Date().toISOString(), chainHead: this.head };
    await this.saveManifest();
    return this.head;
  }

  /** The hash the chain ends at so far. */
  get chainHead(): string {
    return this.head;
  }

  private async recordFile(
    name: string,
    file: string,
    data: Buffer,
    source?: ManifestFile['source'],
  ): Promise<ManifestFile> {
    const entry = this.link<ManifestFile>({
      name,
      file,
      writtenAt: new Date().toISOString(),
      sha256: sha256(data),
      bytes: data.length,
      ...(source !== undefined && { source }),
    });
    this.manifest.files.push(entry);
    await this.saveManifest();
    return entry;
  }

  /** The entry with its chain link: written after every entry so far, in the order they were made. */
  private link<T extends { chain: ChainLink }>(entry: Unlinked<T>): T {
    this.assertOpen();
    const chain = linkAfter(this.head, ++this.chainLength, entry);
    this.head = chain.hash;
    return { ...entry, chain } as T;
  }

  private assertOpen(): void {
    if (this.manifest.sealed !== undefined)
      throw new Error(`the evidence of ${this.manifest.run} is sealed: nothing can be added`);
  }

  get manifestSnapshot(): Readonly<Manifest> {
    return structuredClone(this.manifest);
  }

  private async recordStep(step: string, started: Date, outcome: StepRecord['outcome'], error?: string) {
    const ended = new Date();
    this.manifest.steps.push(
      this.link<StepRecord>({
        step,
        startedAt: started.toISOString(),
        endedAt: ended.toISOString(),
        durationMs: ended.getTime() - started.getTime(),
        outcome,
        ...(error !== undefined && { error }),
      }),
    );
    await this.saveManifest();
  }

  /**
   * Written whole after every change, through a rename, so a killed run leaves a readable manifest.
   * One write at a time: steps on two pages (vert's and bleu's) may record side by side.
   */
  private saveManifest(): Promise<void> {
    const saved = this.saving.then(() => this.writeManifest());
    this.saving = saved.catch(() => undefined);
    return saved;
  }

  private async writeManifest(): Promise<void> {
    const target = path.join(this.dir, MANIFEST_FILE);
    const temporary = `${target}.tmp`;
    await writeFile(temporary, `${JSON.stringify(this.manifest, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
    await rename(temporary, target);
  }
}

export type ManifestCheck = EvidenceCheck;

/**
 * Checks a run's folder: its manifest's chain, every file's SHA-256, nothing added or outside the
 * folder; with the hash the ledger recorded at the run's end, that the chain ends there.
 */
export function verifyEvidence(dir: string, options: { expectedHead?: string } = {}): Promise<EvidenceCheck> {
  return verifyEvidenceFolder(dir, options);
}

export function sha256(data: Buffer | string): string {
  return sha256Hex(data);
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'step'
  );
}
