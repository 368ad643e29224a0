<?php
// This file is part of ecampus-restore's local test harness.

/**
 * English strings of the course-restore block.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['pluginname'] = 'Course restore';
$string['ecampus_restore:addinstance'] = 'Add a course restore block';
$string['fetchlink'] = 'Download the {$a} backup';
$string['bleuurl'] = 'Previous platform URL';
$string['bleuurl_desc'] = 'Base URL of last year\'s Moodle, which serves the backups.';
$string['token'] = 'Shared token';
$string['token_desc'] = 'The token the previous platform\'s export plugin expects.';
$string['yearlabel'] = 'Year label';
$string['error:notconfigured'] = 'The previous platform is not configured (block settings).';
$string['error:unreachable'] = 'The previous platform ({$a}) could not be reached.';
$string['error:refused'] = 'The previous platform refused the request (token).';
$string['error:nobackup'] = 'No backup of course "{$a}" was found on the previous platform.';
$string['error:badfile'] = 'The previous platform answered with something that is not a Moodle backup.';
$string['error:http'] = 'The previous platform answered with HTTP status {$a}.';
$string['privacy:metadata'] = 'The course restore block stores no personal data; the backup it copies goes to the user\'s private backup area.';
