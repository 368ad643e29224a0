import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { XMLParser } from 'fast-xml-parser';
import { Parser as TarParser, type ReadEntry } from 'tar';
import yauzl from 'yauzl';

/**
 * What a Moodle course backup (.mbz) says it holds, read from its moodle_backup.xml
 * (written by backup_main_structure_step; contents list only the included sections and activities,
 * see backup_controller_dbops::get_moodle_backup_information).
 */
export interface BackupContents {
  name: string;
  moodleRelease: string;
  moodleVersion: string;
  backupDate: Date;
  originalWwwroot: string;
  originalCourseId: number;
  originalCourseShortname: string;
  originalCourseFullname: string;
  type: string;
  format: string;
  sections: BackupSection[];
  activities: BackupActivity[];
  /** Root settings the backup was made with (users, activities, calendarevents...), as written. */
  rootSettings: Record<string, string>;
}

export interface BackupSection {
  sectionId: number;
  /** The section's name, or its number when it has none. */
  title: string;
}

export interface BackupActivity {
  moduleId: number;
  sectionId: number;
  modulename: string;
  title: string;
}

export class BackupReadError extends Error {
  override name = 'BackupReadError';
}

/** The file of an .mbz that describes it; the evidence keeps it instead of the backup. */
export const BACKUP_MANIFEST = 'moodle_backup.xml';
const MANIFEST = BACKUP_MANIFEST;

/** Reads moodle_backup.xml out of an .mbz, which is a zip (Moodle's default) or a tar.gz. */
export async function readBackupContents(file: string): Promise<BackupContents> {
  return parseMoodleBackupXml(await readBackupManifest(file));
}

/** The text of an .mbz's moodle_backup.xml. */
export async function readBackupManifest(file: string): Promise<string> {
  const head = Buffer.alloc(4);
  const handle = await open(file, 'r');
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (head[0] === 0x50 && head[1] === 0x4b) return readFromZip(file);
  if (head[0] === 0x1f && head[1] === 0x8b) return readFromTarGz(file);
  throw new BackupReadError(`${file} is neither a zip nor a tar.gz: not a Moodle backup`);
}

async function readFromZip(file: string): Promise<string> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName === MANIFEST) {
        const stream = await zip.openReadStreamPromise(entry);
        return await streamToString(stream);
      }
    }
  } finally {
    zip.close();
  }
  throw new BackupReadError(`${file} holds no ${MANIFEST}: not a Moodle backup`);
}

async function readFromTarGz(file: string): Promise<string> {
  let manifest: Promise<string> | undefined;
  const parser = new TarParser({
    filter: (entryPath) => entryPath.replace(/^\.\//, '') === MANIFEST,
    onReadEntry: (entry: ReadEntry) => {
      manifest = streamToString(entry);
    },
  });
  await pipeline(createReadStream(file), parser);
  if (!manifest) throw new BackupReadError(`${file} holds no ${MANIFEST}: not a Moodle backup`);
  return manifest;
}

async function streamToString(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (tagName) => ['activity', 'section', 'setting', 'detail'].includes(tagName),
});

type XmlNode = Record<string, unknown>;

export function parseMoodleBackupXml(text: string): BackupContents {
  const root = xml.parse(text) as XmlNode;
  const information = child(child(root, 'moodle_backup'), 'information');
  const contents = child(information, 'contents');
  const detail = list(child(information, 'details'), 'detail')[0] ?? {};

  const sections = list(optionalChild(contents, 'sections'), 'section').map((section) => ({
    sectionId: integer(section, 'sectionid'),
    title: text_(section, 'title'),
  }));
  const activities = list(optionalChild(contents, 'activities'), 'activity').map((activity) => ({
    moduleId: integer(activity, 'moduleid'),
    sectionId: integer(activity, 'sectionid'),
    modulename: text_(activity, 'modulename'),
    title: text_(activity, 'title'),
  }));
  const rootSettings = Object.fromEntries(
    list(optionalChild(information, 'settings'), 'setting')
      .filter((setting) => setting['level'] === 'root')
      .map((setting) => [text_(setting, 'name'), text_(setting, 'value')]),
  );

  return {
    name: text_(information, 'name'),
    moodleRelease: text_(information, 'moodle_release'),
    moodleVersion: text_(information, 'moodle_version'),
    backupDate: new Date(integer(information, 'backup_date') * 1000),
    originalWwwroot: text_(information, 'original_wwwroot'),
    originalCourseId: integer(information, 'original_course_id'),
    originalCourseShortname: text_(information, 'original_course_shortname'),
    originalCourseFullname: text_(information, 'original_course_fullname'),
    type: typeof detail['type'] === 'string' ? detail['type'] : '',
    format: typeof detail['format'] === 'string' ? detail['format'] : '',
    sections,
    activities,
    rootSettings,
  };
}

function optionalChild(node: XmlNode, name: string): XmlNode {
  const value = node[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as XmlNode) : {};
}

function child(node: XmlNode, name: string): XmlNode {
  if (typeof node[name] !== 'object' || node[name] === null) {
    throw new BackupReadError(`moodle_backup.xml has no <${name}> element`);
  }
  return optionalChild(node, name);
}

function list(node: XmlNode, name: string): XmlNode[] {
  const value = node[name];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function text_(node: XmlNode, name: string): string {
  const value = node[name];
  if (value === undefined || value === '') return '';
  if (typeof value !== 'string') throw new BackupReadError(`moodle_backup.xml: <${name}> is not text`);
  return value;
}

function integer(node: XmlNode, name: string): number {
  const raw = text_(node, name);
  const value = raw === '' ? Number.NaN : Number(raw);
  if (!Number.isSafeInteger(value))
    throw new BackupReadError(`moodle_backup.xml: <${name}> is not a whole number`);
  return value;
}
