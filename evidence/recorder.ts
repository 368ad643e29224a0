import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright';
import { captureWholePage } from './capture.js';
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
}

type Shot = Pick<ManifestScreenshot, 'index' | 'file' | 'sha256'>;

export interface ManifestAttachment {
  name: string;
  file: string;
  writtenAt: string;
  sha256: string;
}

export interface StepRecord {
  step: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  outcome: 'done' | 'failed';
  error?: string;
}

export interface Manifest {
  run: string;
  createdAt: string;
  steps: StepRecord[];
  screenshots: ManifestScreenshot[];
  attachments: ManifestAttachment[];
}

/**
 * One evidence folder per course run: numbered full-page screenshots, JSON attachments and
 * manifest.json, which lists every file with its SHA-256. The folder is readable by its owner only,
 * because screenshots show people's names.
 */
export class EvidenceRun {
  private readonly manifest: Manifest;
  private sequence = 0;
  /** Each page's last shot, while the page is watched for changes since (evidence/shot-preparation.ts). */
  private readonly lastShots = new WeakMap<Page, Shot>();
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    run: string,
  ) {
    this.manifest = { run, createdAt: new Date().toISOString(), steps: [], screenshots: [], attachments: [] };
  }

  static async create(rootDir: string, runName: string): Promise<EvidenceRun> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = path.join(rootDir, `${stamp}-${slug(runName)}`);
    await mkdir(rootDir, { recursive: true, mode: 0o700 });
    await mkdir(dir, { mode: 0o700 });
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
    const entry: ManifestScreenshot = {
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
    };
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
    await writeFile(path.join(this.dir, file), capture.image, { mode: 0o600 });
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
    await writeFile(path.join(this.dir, file), body, { mode: 0o600 });
    const entry: ManifestAttachment = {
      name,
      file,
      writtenAt: new Date().toISOString(),
      sha256: sha256(body),
    };
    this.manifest.attachments = [...this.manifest.attachments.filter((a) => a.file !== file), entry];
    await this.saveManifest();
    return entry;
  }

  get manifestSnapshot(): Readonly<Manifest> {
    return structuredClone(this.manifest);
  }

  private async recordStep(step: string, started: Date, outcome: StepRecord['outcome'], error?: string) {
    const ended = new Date();
    this.manifest.steps.push({
      step,
      startedAt: started.toISOString(),
      endedAt: ended.toISOString(),
      durationMs: ended.getTime() - started.getTime(),
      outcome,
      ...(error !== undefined && { error }),
    });
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
    const target = path.join(this.dir, 'manifest.json');
    const temporary = `${target}.tmp`;
    await writeFile(temporary, `${JSON.stringify(this.manifest, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, target);
  }
}

export interface ManifestCheck {
  ok: boolean;
  problems: string[];
}

/** Recomputes every hash in a run's manifest: evidence nobody can trust is no evidence. */
export async function verifyEvidence(dir: string): Promise<ManifestCheck> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const problems: string[] = [];
  for (const { file, sha256: expected } of [...manifest.screenshots, ...manifest.attachments]) {
    try {
      const actual = sha256(await readFile(path.join(dir, file)));
      if (actual !== expected) problems.push(`${file}: SHA-256 is ${actual}, manifest says ${expected}`);
    } catch {
      problems.push(`${file}: listed in the manifest but missing`);
    }
  }
  return { ok: problems.length === 0, problems };
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
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
