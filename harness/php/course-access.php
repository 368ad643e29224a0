<?php
// Changes who may do what in one course, through Moodle's own access API (its caches follow):
//
//   php course-access.php <moodle code folder> assign|unassign <short name> <username> <role short name>
//   php course-access.php <moodle code folder> prohibit|inherit <short name> <role short name> <capability>

define('CLI_SCRIPT', true);
require($argv[1] . '/config.php');

\core\cron::setup_user();
[, , $action, $shortname] = $argv;
$course = $DB->get_record('course', ['shortname' => $shortname], '*', MUST_EXIST);
$context = context_course::instance($course->id);
switch ($action) {
    case 'assign':
    case 'unassign':
        $user = $DB->get_record('user', ['username' => $argv[4], 'deleted' => 0], '*', MUST_EXIST);
        $role = $DB->get_record('role', ['shortname' => $argv[5]], '*', MUST_EXIST);
        $action === 'assign' ? role_assign($role->id, $user->id, $context->id) : role_unassign($role->id, $user->id, $context->id);
        break;
    case 'prohibit':
    case 'inherit':
        $role = $DB->get_record('role', ['shortname' => $argv[4]], '*', MUST_EXIST);
        $action === 'prohibit'
            ? assign_capability($argv[5], CAP_PROHIBIT, $role->id, $context->id, true)
            : unassign_capability($argv[5], $role->id, $context->id);
        break;
    default:
        fwrite(STDERR, "unknown action {$action}\n");
        exit(2);
}
