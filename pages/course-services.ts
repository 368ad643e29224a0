import type { CourseInventory } from '../domain/course-inventory.js';
import { listedAs } from '../domain/moodle-formatting.js';
import { callMoodleService } from './moodle-page.js';
import { OnSite, type SiteSession } from './moodle-site.js';
import { decodeHtmlEntities } from './moodle-text.js';

interface FormatState {
  section: {
    number: number;
    title: string;
    rawtitle: string | null;
    hassummary: boolean;
    cmlist: string[];
  }[];
  cm: { id: string; name: string; module: string; sectionnumber: number }[];
}

/**
 * What a site says about its courses through the services its own pages call (course search, the
 * course editor's state, the mobile app's updates) and the course settings form: the same on every
 * release and theme, read over the session of a window logged in there (vert's, or bleu's, whatever
 * release bleu runs).
 */
export class CourseServices extends OnSite<SiteSession> {
  /**
   * Courses whose names match `text` (core_course_search_courses, as Moodle's course search does), with
   * their names as Moodle stores them (the service returns them escaped for HTML).
   */
  async searchCourses(text: string): Promise<{ id: number; shortname: string; fullname: string }[]> {
    const answer = await callMoodleService<{
      courses: { id: number; shortname: string; fullname: string }[];
    }>(this.page, 'core_course_search_courses', {
      criterianame: 'search',
      criteriavalue: text,
      page: 0,
      perpage: 50,
    });
    return answer.courses.map(({ id, shortname, fullname }) => ({
      id,
      shortname: decodeHtmlEntities(shortname),
      fullname: decodeHtmlEntities(fullname),
    }));
  }

  /**
   * The courses whose short name is `wanted` as Moodle stores it. The service lists names formatted
   * (tags removed), so a listed name that is the wanted one without its tags counts too, unless one
   * listed name is the wanted one exactly.
   */
  async coursesNamed(wanted: string): Promise<{ id: number; shortname: string; fullname: string }[]> {
    const found = (await this.searchCourses(wanted)).filter((course) => listedAs(course.shortname, wanted));
    const exact = found.filter((course) => course.shortname === wanted);
    return exact.length === 1 ? exact : found;
  }

  /**
   * The short name as Moodle stores it, from the course's settings form (the services list it with
   * its tags removed), when this user may open that form.
   */
  async storedShortname(courseId: number): Promise<string | undefined> {
    // Read over the page's own session without leaving the page the robot is on (and photographs).
    const answer = await this.page.request.get(`${this.siteUrl}/course/edit.php?id=${courseId}`, {
      maxRedirects: 0,
    });
    if (!answer.ok()) return undefined;
    return shortnameFieldValue(await answer.text());
  }

  /**
   * Sections and activities as the course editor knows them (web service core_courseformat_get_state,
   * called through the page's own client): language-independent, with raw section names.
   */
  async contents(courseId: number): Promise<CourseInventory> {
    const json = await callMoodleService<string>(this.page, 'core_courseformat_get_state', {
      courseid: courseId,
    });
    const state = JSON.parse(json) as FormatState;
    const firstCm = state.cm.reduce<number | undefined>(
      (lowest, cm) => Math.min(lowest ?? Number(cm.id), Number(cm.id)),
      undefined,
    );
    return {
      sections: state.section.map((section) => ({
        number: section.number,
        name: section.rawtitle ?? section.title,
        customName: (section.rawtitle ?? '') !== '',
        hasSummary: section.hassummary,
      })),
      activities: state.cm.map((cm) => ({
        cmid: Number(cm.id),
        modulename: cm.module,
        name: cm.name,
        sectionNumber: cm.sectionnumber,
        // The announcements forum Moodle adds to every course: the course's first forum, in section 0.
        isNewsForum: cm.module === 'forum' && cm.sectionnumber === 0 && Number(cm.id) === firstCm,
      })),
    };
  }

  /**
   * Activities changed since `since`, as Moodle's mobile app asks (core_course_get_updates_since):
   * one entry per activity and area, with the time Moodle gives for it when it gives one.
   */
  async updatesSince(
    courseId: number,
    since: Date,
    areas: readonly string[],
  ): Promise<{ cmid: number; area: string; at?: Date }[]> {
    const answer = await callMoodleService<{
      instances: { contextlevel: string; id: number; updates: { name: string; timeupdated?: number }[] }[];
    }>(this.page, 'core_course_get_updates_since', {
      courseid: courseId,
      since: Math.floor(since.getTime() / 1000),
      filter: areas,
    });
    return answer.instances
      .filter((instance) => instance.contextlevel === 'module')
      .flatMap((instance) =>
        instance.updates.map((update) => ({
          cmid: instance.id,
          area: update.name,
          ...(update.timeupdated !== undefined && { at: new Date(update.timeupdated * 1000) }),
        })),
      );
  }
}

/** The value of the settings form's `shortname` field, in the form's HTML, when there is one field. */
export function shortnameFieldValue(html: string): string | undefined {
  const fields = html.match(/<input\b[^>]*\bname="shortname"[^>]*>/gu) ?? [];
  if (fields.length !== 1) return undefined;
  const value = /\bvalue="([^"]*)"/u.exec(fields[0])?.[1];
  return value === undefined ? undefined : decodeHtmlEntities(value);
}
