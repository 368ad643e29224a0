<?php
// This file is part of ecampus-restore's local test harness.

namespace block_ecampus_restore;

/**
 * A backup copied into a user's private backup area, and what it holds of users.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class fetched_backup {

    /**
     * @param \stored_file $file the file in the user's private backup area
     * @param string $userdata 'none', 'anonymised' or 'users'
     */
    public function __construct(
        /** @var \stored_file the file in the user's private backup area */
        public readonly \stored_file $file,
        /** @var string 'none', 'anonymised' or 'users' */
        public readonly string $userdata,
    ) {
    }
}
