<?php
// This file is part of ecampus-restore's local test harness.

namespace block_ecampus_restore\privacy;

use core_privacy\local\metadata\collection;
use core_privacy\local\request\approved_contextlist;
use core_privacy\local\request\approved_userlist;
use core_privacy\local\request\contextlist;
use core_privacy\local\request\userlist;

/**
 * The block keeps no personal data of its own. It sends the user's username and ID number, with the
 * course's short name, to the previous platform, which serves the backup only to that course's
 * teachers; the backup goes to the user's private backup area (core's files), and each copy or refusal
 * is logged (Moodle's logs).
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class provider implements
        \core_privacy\local\metadata\provider,
        \core_privacy\local\request\core_userlist_provider,
        \core_privacy\local\request\plugin\provider {

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
