// Builds .mbz archives in Moodle's layout (moodle_backup.xml at the root) for the reader's tests.
import { createWriteStream, writeFileSync } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { create as createTar } from 'tar';
import yazl from 'yazl';
import { scratchDir } from '../../helpers/scratch-dir.js';

export interface FixtureCourse {
  shortname: string;
  sections: { id: number; title: string }[];
  activities: { id: number; sectionId: number; modulename: string; title: string }[];
  /** The backup's `users` and `anonymize` root settings; none by default. */
  userData?: 'none' | 'anonymised' | 'identified';
}

const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The shape Moodle 4.5's backup_main_structure_step writes. */
export function moodleBackupXml(course: FixtureCourse): string {
  const activities = course.activities
    .map(
      (a) => `        <activity>
          <moduleid>${a.id}</moduleid>
          <sectionid>${a.sectionId}</sectionid>
          <modulename>${a.modulename}</modulename>
          <title>${escape(a.title)}</title>
          <directory>activities/${a.modulename}_${a.id}</directory>
          <insubsection></insubsection>
        </activity>`,
    )
    .join('\n');
  const sections = course.sections
    .map(
      (s) => `        <section>
          <sectionid>${s.id}</sectionid>
          <title>${escape(s.title)}</title>
          <directory>sections/section_${s.id}</directory>
          <parentcmid></parentcmid>
          <modname></modname>
        </section>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<moodle_backup>
  <information>
    <name>backup-moodle2-course-42-${course.shortname.toLowerCase()}-20250625-0200-nu.mbz</name>
    <moodle_version>2024100705</moodle_version>
    <moodle_release>4.5.5+ (Build: 20250613)</moodle_release>
    <backup_version>2024100700</backup_version>
    <backup_release>4.5</backup_release>
    <backup_date>1750816800</backup_date>
    <mnet_remoteusers>0</mnet_remoteusers>
    <include_files>1</include_files>
    <include_file_references_to_external_content>0</include_file_references_to_external_content>
    <original_wwwroot>http://127.0.0.1:8081</original_wwwroot>
    <original_site_identifier_hash>0123456789abcdef0123456789abcdef</original_site_identifier_hash>
    <original_course_id>42</original_course_id>
    <original_course_format>topics</original_course_format>
    <original_course_fullname>${escape(course.shortname)} &amp; friends</original_course_fullname>
    <original_course_shortname>${escape(course.shortname)}</original_course_shortname>
    <original_course_startdate>1725148800</original_course_startdate>
    <original_course_enddate>0</original_course_enddate>
    <original_course_contextid>120</original_course_contextid>
    <original_system_contextid>1</original_system_contextid>
    <details>
      <detail backup_id="5b1a1ad2e4f3c7c8a9b0d1e2f3a4b5c6">
        <type>course</type>
        <format>moodle2</format>
        <interactive>0</interactive>
        <mode>40</mode>
        <execution>1</execution>
        <executiontime>0</executiontime>
      </detail>
    </details>
    <contents>
      <activities>
${activities}
      </activities>
      <sections>
${sections}
      </sections>
      <course>
        <courseid>42</courseid>
        <title>${escape(course.shortname)}</title>
        <directory>course</directory>
      </course>
    </contents>
    <settings>
      <setting>
        <level>root</level>
        <name>users</name>
        <value>${course.userData === undefined || course.userData === 'none' ? 0 : 1}</value>
      </setting>
      <setting>
        <level>root</level>
        <name>anonymize</name>
        <value>${course.userData === 'anonymised' ? 1 : 0}</value>
      </setting>
      <setting>
        <level>root</level>
        <name>calendarevents</name>
        <value>1</value>
      </setting>
      <setting>
        <level>section</level>
        <section>section_${course.sections[0]?.id ?? 0}</section>
        <name>section_${course.sections[0]?.id ?? 0}_included</name>
        <value>1</value>
      </setting>
    </settings>
  </information>
</moodle_backup>
`;
}

function stage(course: FixtureCourse): string {
  const dir = scratchDir('ecampus-mbz');
  writeFileSync(path.join(dir, 'moodle_backup.xml'), moodleBackupXml(course));
  writeFileSync(path.join(dir, 'files.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n<files></files>\n');
  return dir;
}

export async function zipMbz(course: FixtureCourse): Promise<string> {
  const dir = stage(course);
  const file = path.join(dir, 'backup.mbz');
  const zip = new yazl.ZipFile();
  zip.addFile(path.join(dir, 'files.xml'), 'files.xml');
  zip.addFile(path.join(dir, 'moodle_backup.xml'), 'moodle_backup.xml');
  zip.end();
  await finished(zip.outputStream.pipe(createWriteStream(file)));
  return file;
}

export async function tgzMbz(course: FixtureCourse): Promise<string> {
  const dir = stage(course);
  const file = path.join(dir, 'backup.mbz');
  await createTar({ gzip: true, file, cwd: dir }, ['files.xml', 'moodle_backup.xml']);
  return file;
}
