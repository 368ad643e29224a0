import { expect, test } from '@playwright/test';
import { CHROMIUM_FLAGS } from '../../session/browser.js';
import { ParticipantsPage } from '../../pages/participants-page.js';
import { knownSite } from '../../pages/moodle-site.js';

test.use({
  launchOptions: {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS],
  },
});

/** A participants row as Moodle 4.5-5.0 writes it: selection box, name link, role cell (in-place editable), enrolments. */
const row = (id: number, name: string, roles: string, cell: string, options: string) =>
  `<tr><td><input type="checkbox" class="usercheckbox" name="user${id}"></td>
  <td><a href="/user/view.php?id=${id}&amp;course=2"><span class="userinitials">XX</span>${name}</a></td>
  <td><span class="inplaceeditable" data-itemtype="user_roles" data-value='${roles}' data-options='${options}'>
    <a href="#" data-inplaceeditablelink="1">${cell}<span class="quickediticon"></span></a></span></td>
  <td><div data-enrolinstancename="Manual enrolments"><a data-action="unenrol" href="#">x</a></div></td></tr>`;

test("every role is named: from the editor's options, the cell's text, or the page's roles filter", async ({
  page,
}) => {
  await page.setContent(`<!doctype html><html><body>
    <div class="hidden" data-filterregion="filtertypedata">
      <select class="hidden" data-field-name="roles" multiple>
        <option value="-1">No roles</option><option value="3">Teacher</option>
        <option value="4">Non-editing teacher</option><option value="5">Student</option>
      </select>
    </div>
    <table id="participants"><tbody>
      ${row(7, 'Alice Martin', '["3"]', 'Teacher', '{"options":[{"key":4,"value":"Non-editing teacher"},{"key":5,"value":"Student"}]}')}
      ${row(8, 'Bob Durand', '["3","5"]', 'Student', '{}')}
      ${row(9, 'Chloé Petit', '[]', 'No roles', '{}')}
    </tbody></table></body></html>`);
  const users = await new ParticipantsPage(
    knownSite(page, 'https://vert.example.org', '4.5'),
  ).enrolledUsers();
  expect(users.map((user) => [user.id, user.fullname, user.roles.map((role) => role.name)])).toEqual([
    [7, 'Alice Martin', ['Teacher']],
    // The cell shows only the roles of a profile to a viewer who may not assign roles: the filter names Teacher.
    [8, 'Bob Durand', ['Teacher', 'Student']],
    [9, 'Chloé Petit', []],
  ]);
  expect(users[0]?.enrolments).toEqual([{ method: 'Manual enrolments', restorerMayUnenrol: true }]);
});

test('a table that lists fewer participants than Moodle counts is not taken for the whole course', async ({
  page,
}) => {
  const table = (total: number) => `<!doctype html><html><body>
    <div data-region="core_table/dynamic" data-table-total-rows="${total}">
      <table id="participants"><tbody>
        ${row(7, 'Alice Martin', '["3"]', 'Teacher', '{}')}
        ${row(8, 'Bob Durand', '["5"]', 'Student', '{}')}
        <tr class="emptyrow"><td></td><td></td><td></td><td></td></tr>
      </tbody></table>
    </div></body></html>`;
  const participants = new ParticipantsPage(knownSite(page, 'https://vert.example.org', '4.5'));
  await page.setContent(table(2));
  expect(await participants.totalParticipants()).toBe(2);
  expect((await participants.enrolledUsers()).map((user) => user.id)).toEqual([7, 8]);
  await page.setContent(table(3));
  await expect(participants.enrolledUsers()).rejects.toThrow("lists 2 of the course's 3 participants");
});
