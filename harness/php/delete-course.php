<?php
// A course deleted the way Moodle's own "Delete" does it (its files, backups and enrolments go with
// it): what an admin of bleu may do while a restore of that course is under way on vert.
//
//   php delete-course.php <moodle code folder> <short name>

define('CLI_SCRIPT', true);
require($argv[1] . '/config.php');
require_once($CFG->dirroot . '/course/lib.php');

\core\cron::setup_user();
$course = $DB->get_record('course', ['shortname' => $argv[2]], '*', MUST_EXIST);
if (!delete_course($course, false)) {
    fwrite(STDERR, "could not delete course {$course->id}\n");
    exit(1);
}
