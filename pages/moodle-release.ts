import type { Page } from 'playwright';
import { rememberSiteRelease } from './site-identity.js';
import { MOODLE_RELEASES, isMoodleRelease, type MoodleRelease } from '../domain/moodle-releases.js';

/**
 * Which Moodle release a site runs, and what that release does beyond its selectors (the precheck
 * notices; selectors are in pages/site-selectors.ts, both resolved once per site by
 * pages/moodle-site.ts). The release is read from the site, never assumed, and checked against the
 * configured one (MOODLE_VERSION) when one is configured.
 */

/** A precheck notice Moodle can show at stage 32, and what the robot does about it. */
export interface KnownPrecheckNotice {
  stringId: string;
  /** The text Moodle shows (English and French). */
  texts: readonly RegExp[];
  /** `continue`: only Continue is asked and nothing the procedure cares about changes. */
  verdict: 'continue' | 'stop';
  why: string;
}

/**
 * What a release does beyond its selectors (those are in pages/site-selectors.ts): the precheck
 * notices it can show at stage 32 and what the robot does about each.
 */
export interface ReleaseTraits {
  release: MoodleRelease;
  /**
   * Precheck notices that ask only for Continue and change nothing the procedure cares about. Any
   * other notice stops the robot before the restore executes.
   */
  benignPrecheckNotices: readonly KnownPrecheckNotice[];
  /** Notices this release can show that the robot knows and refuses (named in the refusal). */
  refusedPrecheckNotices: readonly KnownPrecheckNotice[];
}

/** core:noticenewerbackup, present in all three releases: a backup made on a newer Moodle than the site. */
const NEWER_BACKUP: KnownPrecheckNotice = {
  stringId: 'core:noticenewerbackup',
  texts: [
    /newer than your currently installed Moodle/i,
    /plus récente que votre installation actuelle de Moodle/i,
  ],
  verdict: 'stop',
  why: 'the backup was made on a newer Moodle than this site: the procedure restores last year (older) into this year, never the other way',
};

const TRAITS: Record<MoodleRelease, ReleaseTraits> = {
  '4.4': {
    release: '4.4',
    benignPrecheckNotices: [],
    refusedPrecheckNotices: [NEWER_BACKUP],
  },
  '4.5': {
    release: '4.5',
    benignPrecheckNotices: [],
    refusedPrecheckNotices: [NEWER_BACKUP],
  },
  '5.0': {
    release: '5.0',
    benignPrecheckNotices: [
      {
        stringId: 'backup:qcategory2coursefallback',
        texts: [
          /will be created at a question bank module context by restore/i,
          // French: the 5.0 pack, or a 4.5 pack on a 5.0 site (the key exists there with older wording).
          /La catégorie de questions .* sera créée dans/i,
        ],
        verdict: 'continue',
        why: "5.0 moves a 4.x course's question categories into a question bank activity; the questions are restored",
      },
    ],
    refusedPrecheckNotices: [NEWER_BACKUP],
  },
  /**
   * 5.1 moved the web root into public/; the screens the robot drives are those of 5.0 (each page
   * object's locators checked there by the contract tests), the 4.x question-bank notice included.
   * Read when asked, once TRAITS exists.
   */
  get '5.1'(): ReleaseTraits {
    return { ...TRAITS['5.0'], release: '5.1' };
  },
};

export function releaseTraits(release: MoodleRelease): ReleaseTraits {
  return TRAITS[release];
}

/**
 * The release named by a MOODLE_VERSION value, if any; a value outside the known ones is refused. The
 * robot's own setting is read by config/env.ts (environment or .env) and passed to detectRelease.
 */
export function configuredRelease(env: Record<string, string | undefined>): MoodleRelease | undefined {
  const value = env['MOODLE_VERSION'];
  if (value === undefined || value === '') return undefined;
  if (!isMoodleRelease(value))
    throw new Error(`MOODLE_VERSION must be one of ${MOODLE_RELEASES.join(', ')} (got "${value}")`);
  return value;
}

export interface SiteRelease {
  /** "4.4", "5.1", …: whatever the site says, known or not. */
  release: string;
  /** How it was read. */
  evidence: string;
}

/**
 * The major release a site's upgrade notes name first: `/UPGRADING.md` ("## 5.0.6+", from 4.5 on;
 * not served from 5.1, whose web root is public/), else `/lib/upgrade.txt` ("=== 4.4.3 ===", up to
 * 4.4; from 4.5 it only says "4.5 Onwards").
 */
export function releaseFromUpgradeNotes(
  file: 'UPGRADING.md' | 'lib/upgrade.txt',
  text: string,
): string | undefined {
  if (file === 'UPGRADING.md') {
    if (!text.startsWith('# Moodle Upgrade notes')) return undefined;
    const match = /^## (\d+)\.(\d+)/m.exec(text);
    return match ? `${match[1]}.${match[2]}` : undefined;
  }
  // From 4.5 the file's first heading is "=== 4.5 Onwards ===" (the file was replaced by UPGRADING.md),
  // followed by the old 4.4 notes: it names no release then. 5.1 serves only this file (UPGRADING.md
  // stays outside its public/ web root).
  const heading = /^=== (.+) ===$/m.exec(text)?.[1] ?? '';
  const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(heading);
  return match ? `${match[1]}.${match[2]}` : undefined;
}

/**
 * Which release a site runs, read without logging in and whatever the interface language: the
 * upgrade notes every Moodle tree ships; where a site does not serve them, files only some releases
 * ship (core_courseformat's activity chooser arrived in 5.1, mod_qbank in 5.0, mod_subsection in 4.5;
 * forum's monologo exists from 4.0).
 */
export async function readSiteRelease(page: Page, siteUrl: string): Promise<SiteRelease> {
  const text = async (file: string): Promise<string | undefined> => {
    const response = await page.request.get(`${siteUrl}/${file}`, { failOnStatusCode: false });
    return response.status() === 200 ? response.text() : undefined;
  };
  for (const file of ['UPGRADING.md', 'lib/upgrade.txt'] as const) {
    const body = await text(file);
    const release = body === undefined ? undefined : releaseFromUpgradeNotes(file, body);
    if (release) return { release, evidence: `${siteUrl}/${file}` };
  }
  const has = async (file: string) => (await text(file)) !== undefined;
  // core_courseformat's activity chooser arrived in 5.1 (before, core_course's, under course/amd).
  if (await has('course/format/amd/build/activitychooser.min.js'))
    return {
      release: '5.1',
      evidence: 'core_courseformat activity chooser served (5.1 or later; upgrade notes not served)',
    };
  if (await has('mod/qbank/pix/monologo.svg'))
    return { release: '5.0', evidence: 'mod/qbank served (5.0 or later; upgrade notes not served)' };
  if (await has('mod/subsection/pix/monologo.svg'))
    return { release: '4.5', evidence: 'mod/subsection served (4.5; upgrade notes not served)' };
  if (await has('mod/forum/pix/monologo.svg'))
    return { release: '4.4', evidence: 'forum monologo served (4.0 to 4.4; upgrade notes not served)' };
  throw new Error(
    `${siteUrl}: cannot tell which Moodle release this is (no UPGRADING.md, lib/upgrade.txt or mod/forum/pix/monologo.svg served)`,
  );
}

/**
 * The release of a site, as one this robot knows, checked against the configured one. An unknown
 * release (4.3, 5.2, …) or a release other than the configured one is an error naming both.
 */
export async function detectRelease(
  page: Page,
  siteUrl: string,
  expected?: MoodleRelease,
): Promise<MoodleRelease> {
  const found = await readSiteRelease(page, siteUrl);
  rememberSiteRelease(siteUrl, found.release);
  if (!isMoodleRelease(found.release))
    throw new Error(
      `${siteUrl} runs Moodle ${found.release} (${found.evidence}); this robot knows ${MOODLE_RELEASES.join(', ')}: teach pages/moodle-release.ts its screens before restoring there`,
    );
  if (expected !== undefined && found.release !== expected)
    throw new Error(
      `${siteUrl} runs Moodle ${found.release} (${found.evidence}), but Moodle ${expected} is configured (MOODLE_VERSION)`,
    );
  return found.release;
}

/** Notices that are not known to be benign on this release. */
export function unexpectedPrecheckNotices(traits: ReleaseTraits, notices: readonly string[]): string[] {
  return notices.filter(
    (notice) =>
      !traits.benignPrecheckNotices.some((benign) => benign.texts.some((text) => text.test(notice))),
  );
}

/** What the release module knows about a notice: benign, known and refused, or nothing. */
export function knownPrecheckNotice(traits: ReleaseTraits, notice: string): KnownPrecheckNotice | undefined {
  return [...traits.benignPrecheckNotices, ...traits.refusedPrecheckNotices].find((known) =>
    known.texts.some((text) => text.test(notice)),
  );
}
