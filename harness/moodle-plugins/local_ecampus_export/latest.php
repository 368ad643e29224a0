<?php
// This file is part of ecampus-restore's local test harness.

/**
 * Serves the latest automated backup of a course, by short name, to the next platform: a caller holding
 * the shared token (header X-Ecampus-Token) on behalf of a user of this platform (headers
 * X-Ecampus-Username, X-Ecampus-Idnumber) who is or was an editing teacher of the course, or a site
 * administrator. Serves nothing else. A refusal is a 403 whose header X-Ecampus-Refusal says why.
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

use local_ecampus_export\caller;
use local_ecampus_export\event\backup_refused;
use local_ecampus_export\event\backup_served;

define('NO_MOODLE_COOKIES', true);
require(__DIR__ . '/../../config.php');
require_once($CFG->libdir . '/filelib.php');

/**
 * Logs the refusal and ends the request with a plain-text status.
 *
 * @param int $status HTTP status
 * @param string $reason refusal code, sent in X-Ecampus-Refusal and logged
 * @param string $message body
 * @param string $shortname the short name asked for
 * @param caller|null $caller who asked, once the token was right
 * @param stdClass|null $course the course, when found
 */
function local_ecampus_export_refuse(int $status, string $reason, string $message, string $shortname,
        ?caller $caller, ?stdClass $course = null): void {
    backup_refused::create([
        'context' => $course ? context_course::instance($course->id) : context_system::instance(),
        'courseid' => $course ? $course->id : 0,
        'relateduserid' => $caller?->user?->id,
        'other' => [
            'shortname' => $shortname,
            'username' => $caller?->username ?? '',
            'idnumber' => $caller?->idnumber ?? '',
            'reason' => $reason,
        ],
    ])->trigger();
    http_response_code($status);
    header('Content-Type: text/plain; charset=utf-8');
    header('X-Ecampus-Refusal: ' . $reason);
    echo $message;
    exit;
}

$shortname = optional_param('shortname', '', PARAM_RAW_TRIMMED);
$expected = (string) get_config('local_ecampus_export', 'token');
$given = (string) ($_SERVER['HTTP_X_ECAMPUS_TOKEN'] ?? '');
// A token shorter than the block sends can be guessed: such a setting serves nobody.
if (strlen($expected) < 32 || !hash_equals($expected, $given)) {
    local_ecampus_export_refuse(403, 'token', 'forbidden', $shortname, null);
}

$caller = caller::from_request();
$reason = $caller->unidentified();
if ($reason !== null) {
    local_ecampus_export_refuse(403, $reason, get_string('refused:' . $reason, 'local_ecampus_export'), $shortname, $caller);
}

if ($shortname === '') {
    local_ecampus_export_refuse(404, 'nocourse', 'no such course', $shortname, $caller);
}
$course = $DB->get_record('course', ['shortname' => $shortname]);
if (!$course || (int) $course->id === SITEID) {
    local_ecampus_export_refuse(404, 'nocourse', 'no such course', $shortname, $caller);
}

$reason = $caller->refusal_for($course);
if ($reason !== null) {
    local_ecampus_export_refuse(403, $reason, get_string('refused:' . $reason, 'local_ecampus_export'),
        $shortname, $caller, $course);
}

$context = context_course::instance($course->id);
$files = get_file_storage()->get_area_files($context->id, 'backup', 'automated', 0, 'timecreated DESC, id DESC', false);
foreach ($files as $file) {
    if (preg_match('/\.mbz$/i', $file->get_filename())) {
        backup_served::create([
            'context' => $context,
            'courseid' => $course->id,
            'relateduserid' => $caller->user->id,
            'other' => [
                'shortname' => $shortname,
                'username' => $caller->username,
                'idnumber' => $caller->idnumber,
                'filename' => $file->get_filename(),
            ],
        ])->trigger();
        \core\session\manager::write_close();
        send_stored_file($file, 0, 0, true);
    }
}
local_ecampus_export_refuse(404, 'nobackup', 'no automated backup', $shortname, $caller, $course);
