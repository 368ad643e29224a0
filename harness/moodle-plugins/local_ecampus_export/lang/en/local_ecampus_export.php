<?php
// This file is part of ecampus-restore's local test harness.

/**
 * English strings of the backup export companion.
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['pluginname'] = 'Backup export for the next platform';
$string['token'] = 'Shared token';
$string['token_desc'] = 'The next platform sends this token to fetch automated backups. Empty: nothing is served.';
$string['privacy:metadata'] = 'The export companion stores no personal data.';
