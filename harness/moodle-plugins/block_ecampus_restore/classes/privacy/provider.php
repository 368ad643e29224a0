<?php
// This file is part of ecampus-restore's local test harness.

namespace block_ecampus_restore\privacy;

use core_privacy\local\metadata\collection;

/**
 * The block keeps no personal data of its own. It sends the user's username and ID number, with the
 * course's short name, to the previous platform, which serves the backup only to that course's
 * teachers; the backup goes to the user's private backup area (core's files), and each copy or refusal
 * is logged (Moodle's logs).
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class provider implements \core_privacy\local\metadata\provider {

    public static function get_metadata(collection $collection): collection {
        $collection->add_external_location_link('previousplatform', [
            'username' => 'privacy:metadata:previousplatform:username',
            'idnumber' => 'privacy:metadata:previousplatform:idnumber',
            'courseshortname' => 'privacy:metadata:previousplatform:courseshortname',
        ], 'privacy:metadata:previousplatform');
        $collection->add_subsystem_link('core_files', [], 'privacy:metadata:core_files');
        $collection->add_plugintype_link('logstore', [], 'privacy:metadata:logstore');
        return $collection;
    }
}
