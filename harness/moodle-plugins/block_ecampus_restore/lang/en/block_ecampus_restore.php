<?php
// This file is part of ecampus-restore's local test harness.

/**
 * English strings of the course-restore block.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['bleuurl'] = 'Previous platform URL';
$string['bleuurl_desc'] = 'Base URL of last year\'s Moodle, which serves the backups.';
$string['ecampus_restore:addinstance'] = 'Add a course restore block';
$string['ecampus_restore:fetch'] = 'Copy last year\'s backup of the course from the previous platform';
$string['error:badfile'] = 'The previous platform answered with something that is not a Moodle backup.';
$string['error:http'] = 'The previous platform answered with HTTP status {$a}.';
$string['error:nobackup'] = 'No backup of course "{$a}" was found on the previous platform.';
$string['error:notconfigured'] = 'The previous platform is not configured (block settings: an https address, or http on this machine only, and a token of at least 32 characters).';
$string['error:redirect'] = 'The previous platform answered with a redirect (HTTP status {$a}): redirects are not followed, so that the token goes nowhere else. Check the previous platform URL in the block settings.';
$string['error:refused:identitymismatch'] = 'The previous platform refused the backup: your username and your ID number name two different users there.';
$string['error:refused:noidentity'] = 'The previous platform refused the backup: the request did not say on behalf of which user it was made.';
$string['error:refused:notteacher'] = 'The previous platform refused the backup: you ({$a}) are not, and were not, an editing teacher of the course of this short name there. Ask its teacher or an administrator.';
$string['error:refused:token'] = 'The previous platform refused the request (token).';
$string['error:refused:unknownuser'] = 'The previous platform refused the backup: it has no user {$a}.';
$string['error:toolarge'] = 'The backup is larger than the largest size accepted ({$a}, block settings): nothing was stored.';
$string['error:unreachable'] = 'The previous platform ({$a}) could not be reached.';
$string['error:userdata'] = 'This backup holds user data, and you may not restore user data in this course (moodle/restore:userinfo): it was not stored. Ask an administrator.';
$string['eventbackupfetched'] = 'Backup copied from the previous platform';
$string['eventbackuprefused'] = 'Backup not copied from the previous platform';
$string['fetchlink'] = 'Download the {$a} backup';
$string['maxbytes'] = 'Largest backup accepted';
$string['maxbytes_desc'] = 'In bytes. A larger backup is not stored (2147483648: 2 GiB).';
$string['pluginname'] = 'Course restore';
$string['privacy:metadata:core_files'] = 'The backup copied goes to the user\'s private backup area.';
$string['privacy:metadata:logstore'] = 'Each copy, and each refusal, is logged with the course and the short name asked for.';
$string['privacy:metadata:previousplatform'] = 'To copy last year\'s backup of a course, the block asks the previous platform on behalf of the user, who must be (or have been) an editing teacher of that course there.';
$string['privacy:metadata:previousplatform:courseshortname'] = 'The short name of the course.';
$string['privacy:metadata:previousplatform:idnumber'] = 'The user\'s ID number, when set.';
$string['privacy:metadata:previousplatform:username'] = 'The user\'s username.';
$string['token'] = 'Shared token';
$string['token_desc'] = 'The token the previous platform\'s export plugin expects.';
$string['yearlabel'] = 'Year label';
