<?php
// Ends every session of one account, as Moodle does when a session times out or an administrator
// logs the user out: the browser's cookie then leads to the login page.
//
//   php end-sessions.php <moodle code folder> <username>

define('CLI_SCRIPT', true);
require($argv[1] . '/config.php');

$user = $DB->get_record('user', ['username' => $argv[2]], 'id', MUST_EXIST);
\core\session\manager::kill_user_sessions($user->id);
