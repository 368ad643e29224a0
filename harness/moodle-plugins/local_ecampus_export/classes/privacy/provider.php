<?php
// This file is part of ecampus-restore's local test harness.

namespace local_ecampus_export\privacy;

use core_privacy\local\metadata\collection;
use core_privacy\local\request\approved_contextlist;
use core_privacy\local\request\approved_userlist;
use core_privacy\local\request\contextlist;
use core_privacy\local\request\userlist;

/**
 * The export companion keeps no personal data of its own: it receives the identity of the next
 * platform's user (checked against this platform's accounts, then logged in Moodle's logs), and sends
 * course backups (which hold no users as this platform makes them) to the next platform.
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class provider implements
        \core_privacy\local\metadata\provider,
        \core_privacy\local\request\core_userlist_provider,
        \core_privacy\local\request\plugin\provider {

    public static function get_metadata(collection $collection): collection {
        $collection->add_external_location_link('nextplatform', [
            'coursebackup' => 'privacy:metadata:nextplatform:coursebackup',
        ], 'privacy:metadata:nextplatform');
        $collection->add_plugintype_link('logstore', [], 'privacy:metadata:logstore');
        return $collection;
    }

    /** The plugin keeps nothing of its own in any context. */
    public static function get_contexts_for_userid(int $userid): contextlist {
        return new contextlist();
    }

    public static function get_users_in_context(userlist $userlist) {
    }

    public static function export_user_data(approved_contextlist $contextlist) {
    }

    public static function delete_data_for_all_users_in_context(\context $context) {
    }

    public static function delete_data_for_user(approved_contextlist $contextlist) {
    }

    public static function delete_data_for_users(approved_userlist $userlist) {
    }
}
