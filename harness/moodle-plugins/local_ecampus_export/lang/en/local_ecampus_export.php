<?php
// This file is part of ecampus-restore's local test harness.

/**
 * English strings of the backup export companion.
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['eventbackuprefused'] = 'Backup refused to the next platform';
$string['eventbackupserved'] = 'Backup served to the next platform';
$string['pluginname'] = 'Backup export for the next platform';
$string['privacy:metadata:logstore'] = 'Each request of the next platform is logged (backup served or refused) with the short name asked for and the username and ID number it gave.';
$string['privacy:metadata:nextplatform'] = 'The next platform fetches a course\'s automated backup on behalf of one of its users, who must be (or have been) an editing teacher of the course here, or a site administrator.';
$string['privacy:metadata:nextplatform:coursebackup'] = 'The course\'s latest automated backup (this platform\'s automated backups hold no user data).';
$string['refused:identitymismatch'] = 'The username and the ID number given name two different users of the previous platform.';
$string['refused:noidentity'] = 'The request does not say on behalf of which user it is made.';
$string['refused:notteacher'] = 'This user is not, and was not, an editing teacher of this course on the previous platform.';
$string['refused:unknownuser'] = 'No user of the previous platform has this username or ID number.';
$string['token'] = 'Shared token';
$string['token_desc'] = 'The next platform sends this token to fetch automated backups. Empty: nothing is served.';
