<?php
// This file is part of ecampus-restore's local test harness.

/**
 * Copies last year's backup of the course into the user's private backup area, then opens the
 * restore page of the course.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

use block_ecampus_restore\backup_fetcher;
use block_ecampus_restore\event\backup_fetched;
use block_ecampus_restore\event\backup_refused;

require(__DIR__ . '/../../config.php');

$courseid = required_param('courseid', PARAM_INT);
$course = get_course($courseid);
require_login($course);
$context = context_course::instance($course->id);
require_capability('moodle/restore:restorecourse', $context);
require_capability('block/ecampus_restore:fetch', $context);
require_sesskey();

$PAGE->set_url(new moodle_url('/blocks/ecampus_restore/fetch.php', ['courseid' => $course->id]));
$PAGE->set_context($context);
core_php_time_limit::raise();
\core\session\manager::write_close();

try {
    $fetched = backup_fetcher::from_config()->fetch_into_private_area($course->shortname, $USER, $context);
} catch (moodle_exception $e) {
    backup_refused::create([
        'context' => $context,
        'other' => ['bleushortname' => $course->shortname, 'reason' => $e->module . '/' . $e->errorcode],
    ])->trigger();
    throw $e;
}
backup_fetched::create([
    'context' => $context,
    'objectid' => $fetched->file->get_id(),
    'other' => [
        'bleushortname' => $course->shortname,
        'filename' => $fetched->file->get_filename(),
        'userdata' => $fetched->userdata,
    ],
])->trigger();

redirect(new moodle_url('/backup/restorefile.php', ['contextid' => $context->id]));
