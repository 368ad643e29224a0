import type { Locator } from 'playwright';
import { gotoMoodlePage, pageHeading } from './moodle-page.js';
import type { EnrolledUser } from '../domain/people.js';
import { roleNames } from './role-names.js';
import { OnSite, type SiteContext } from './moodle-site.js';

/** What the participants page is first asked for when the course's count is not known. */
const FIRST_PAGE_SIZE = 200;
/** Moodle's "Show all" (user/index.php's SHOW_ALL_PAGE_SIZE). */
const SHOW_ALL = 5000;
/** A row of one enrolled user (its selection box names the user id). */
const USER_ROW = 'tbody tr:has(input.usercheckbox)';

/** A course's participants (`/user/index.php`): who is enrolled, how, and with which roles. */
export class ParticipantsPage extends OnSite {
  readonly table: Locator;
  /** One row per enrolled user (its selection box names the user id). */
  readonly userRows: Locator;

  constructor(site: SiteContext) {
    super(site);
    const { page } = this;
    this.table = page.locator('table#participants');
    this.userRows = this.table.locator(USER_ROW);
  }

  /**
   * The course's participants, all on one page. Moodle pads its table with empty rows up to the page
   * size: "Show all" (5000 a page) sent 3.9 MB of HTML and 4999 hidden rows for a course of one
   * participant, and every look at the page cost Chromium (and Playwright's selectors) that much. The
   * page is asked for `expected` participants (200 when not known), then, when the table's count
   * (`data-table-total-rows`, Moodle's dynamic tables) says there are more, for exactly that many.
   */
  async goto(courseId: number, expected = FIRST_PAGE_SIZE): Promise<void> {
    let perpage = Math.max(1, expected);
    for (let attempt = 1; ; attempt++) {
      await gotoMoodlePage(this.page, `${this.siteUrl}/user/index.php?id=${courseId}&perpage=${perpage}`);
      const total = await this.totalParticipants();
      // A table that does not say its count is shown whole, as "Show all" does.
      if (total === undefined && perpage !== SHOW_ALL) perpage = SHOW_ALL;
      else if (total !== undefined && total > perpage && attempt < 3) perpage = total;
      else return;
    }
  }

  /** How many participants the table holds over all its pages, as Moodle counts them. */
  async totalParticipants(): Promise<number | undefined> {
    // The table's dynamic wrapper; a course with nobody to list has the wrapper and no table.
    const said = await this.page.evaluate(() =>
      (
        document.querySelector('table#participants')?.closest('[data-table-total-rows]') ??
        document.querySelector('[data-table-uniqueid^="user-index-participants-"][data-table-total-rows]')
      )?.getAttribute('data-table-total-rows'),
    );
    return said !== undefined && said !== null && /^\d+$/.test(said) ? Number(said) : undefined;
  }

  /** The course's full name, the page's heading. */
  async courseFullname(): Promise<string> {
    return pageHeading(this.page);
  }

  /** The logged-in user's id, as Moodle writes it on the page (`data-user-id`, the messaging drawer's). */
  async currentUserId(): Promise<number | undefined> {
    const ids = await this.page
      .locator('[data-user-id]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-user-id')));
    const distinct = [...new Set(ids.filter((id): id is string => id !== null && /^\d+$/.test(id)))];
    return distinct.length === 1 && distinct[0] !== undefined ? Number(distinct[0]) : undefined;
  }

  /**
   * Every enrolled user with each enrolment (its method's name, and whether this user may unenrol
   * from it: Moodle shows the unenrol action only then) and each role.
   */
  async enrolledUsers(): Promise<EnrolledUser[]> {
    // The roles filter names every role of the course, by id (Moodle 3.9 and later; absent: none).
    const filter = new Map(
      await this.page
        .locator('[data-filterregion="filtertypedata"] select[data-field-name="roles"] option')
        .evaluateAll((options: HTMLOptionElement[]) =>
          options.map((option): [string, string] => [option.value, option.text.trim()]),
        ),
    );
    // Found by the page itself: Playwright's own `:has` engine took 0.4 s a call on a padded table.
    const rows = await this.table.evaluateAll(
      (tables, userRow) =>
        tables
          .flatMap((table) => Array.from(table.querySelectorAll(userRow)))
          .map((row) => {
            const box = row.querySelector<HTMLInputElement>('input.usercheckbox');
            const id = Number((box?.name ?? '').replace(/^user/, ''));
            const link = row.querySelector('a[href*="/user/view.php"]');
            const enrolments = Array.from(row.querySelectorAll<HTMLElement>('[data-enrolinstancename]')).map(
              (status) => ({
                method: status.dataset['enrolinstancename'] ?? '',
                restorerMayUnenrol: status.querySelector('[data-action="unenrol"]') !== null,
              }),
            );
            const editable = row.querySelector<HTMLElement>('[data-itemtype="user_roles"]');
            const roleIds = JSON.parse(editable?.dataset['value'] ?? '[]') as (string | number)[];
            const choices = JSON.parse(editable?.dataset['options'] ?? '{}') as {
              options?: { key: string | number; value: string }[];
            };
            const assignable = (choices.options ?? []).map((option): [string, string] => [
              String(option.key),
              option.value,
            ]);
            // The cell's text names the roles the viewer may see, in the order of its ids.
            const editLink = editable?.querySelector('[data-inplaceeditablelink]');
            const shown = [
              ...Array.from(editable?.childNodes ?? []),
              ...Array.from(editLink?.childNodes ?? []),
            ]
              .filter((node) => node.nodeType === Node.TEXT_NODE)
              .map((node) => node.textContent ?? '')
              .join('')
              .split(',')
              .map((part) => part.trim())
              .filter((part) => part !== '');
            // The link holds the user's picture or initials, then the name as text.
            const name = Array.from(link?.childNodes ?? [])
              .filter((node) => node.nodeType === Node.TEXT_NODE)
              .map((node) => node.textContent ?? '')
              .join('')
              .trim();
            return { id, fullname: name, enrolments, roleIds, assignable, shown };
          }),
      USER_ROW,
    );
    const total = await this.totalParticipants();
    if (total !== undefined && total !== rows.length)
      throw new Error(
        `the participants page lists ${rows.length} of the course's ${total} participants: ${this.page.url()}`,
      );
    return rows.map(({ roleIds, assignable, shown, ...user }) => ({
      ...user,
      roles: roleNames(roleIds, {
        assignable: new Map(assignable),
        filter,
        shown,
      }).map((name) => ({ name })),
    }));
  }
}
