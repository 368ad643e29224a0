<?php
// A backup of a course that holds its users (enrolments, posts: not anonymised, or anonymised), made by
// Moodle's own backup and put in the course's automated-backup area as its newest backup: what a
// platform whose automated backups keep users would serve. With "remove", those backups are deleted.
//
//   php backup-with-users.php <moodle code folder> <short name> users|anonymised|remove

define('CLI_SCRIPT', true);
require($argv[1] . '/config.php');
require_once($CFG->dirroot . '/backup/util/includes/backup_includes.php');

\core\cron::setup_user();
$course = $DB->get_record('course', ['shortname' => $argv[2]], '*', MUST_EXIST);
$mode = $argv[3];
$context = context_course::instance($course->id);
$fs = get_file_storage();
foreach ($fs->get_area_files($context->id, 'backup', 'automated', 0, 'id', false) as $file) {
    if (str_starts_with($file->get_filename(), 'with-users-')) {
        $file->delete();
    }
}
if ($mode === 'remove') {
    exit(0);
}

$admin = get_admin();
$controller = new backup_controller(backup::TYPE_1COURSE, $course->id, backup::FORMAT_MOODLE,
    backup::INTERACTIVE_NO, backup::MODE_GENERAL, $admin->id);
$controller->get_plan()->get_setting('users')->set_value(true);
$controller->get_plan()->get_setting('anonymize')->set_value($mode === 'anonymised');
$controller->execute_plan();
$made = $controller->get_results()['backup_destination'];
$fs->create_file_from_storedfile([
    'contextid' => $context->id,
    'component' => 'backup',
    'filearea' => 'automated',
    'itemid' => 0,
    'filepath' => '/',
    'filename' => "with-users-{$mode}-" . clean_param($course->shortname, PARAM_FILE) . '.mbz',
    'timecreated' => time() + 3600,
], $made);
$made->delete();
$controller->destroy();
