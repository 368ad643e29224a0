<?php
// This file is part of ecampus-restore's local test harness.

namespace local_ecampus_export\privacy;

use core_privacy\local\metadata\collection;

/**
 * The export companion keeps no personal data of its own: it receives the identity of the next
 * platform's user (checked against this platform's accounts, then logged in Moodle's logs), and sends
 * course backups (which hold no users as this platform makes them) to the next platform.
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class provider implements \core_privacy\local\metadata\provider {

    public static function get_metadata(collection $collection): collection {
        $collection->add_external_location_link('nextplatform', [
            'coursebackup' => 'privacy:metadata:nextplatform:coursebackup',
        ], 'privacy:metadata:nextplatform');
        $collection->add_plugintype_link('logstore', [], 'privacy:metadata:logstore');
        return $collection;
    }
}
