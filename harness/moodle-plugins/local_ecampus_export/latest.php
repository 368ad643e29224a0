<?php
// This file is part of ecampus-restore's local test harness.

/**
 * Serves the latest automated backup of a course, by short name, to a caller holding the shared
 * token (header X-Ecampus-Token). Serves nothing else.
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

define('NO_MOODLE_COOKIES', true);
require(__DIR__ . '/../../config.php');
require_once($CFG->libdir . '/filelib.php');

/**
 * Ends the request with a plain-text status.
 */
function local_ecampus_export_refuse(int $status, string $message): void {
    http_response_code($status);
    header('Content-Type: text/plain; charset=utf-8');
    echo $message;
    exit;
}

$expected = (string) get_config('local_ecampus_export', 'token');
$given = (string) ($_SERVER['HTTP_X_ECAMPUS_TOKEN'] ?? '');
if ($expected === '' || !hash_equals($expected, $given)) {
    local_ecampus_export_refuse(403, 'forbidden');
}

$shortname = required_param('shortname', PARAM_RAW_TRIMMED);
$course = $DB->get_record('course', ['shortname' => $shortname]);
if (!$course || (int) $course->id === SITEID) {
    local_ecampus_export_refuse(404, 'no such course');
}

$context = context_course::instance($course->id);
$files = get_file_storage()->get_area_files($context->id, 'backup', 'automated', 0, 'timecreated DESC, id DESC', false);
foreach ($files as $file) {
    if (preg_match('/\.mbz$/i', $file->get_filename())) {
        \core\session\manager::write_close();
        send_stored_file($file, 0, 0, true);
    }
}
local_ecampus_export_refuse(404, 'no automated backup');
