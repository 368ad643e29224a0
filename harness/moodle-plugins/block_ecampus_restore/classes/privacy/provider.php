<?php
// This file is part of ecampus-restore's local test harness.

namespace block_ecampus_restore\privacy;

/**
 * The block stores no personal data of its own.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class provider implements \core_privacy\local\metadata\null_provider {
    public static function get_reason(): string {
        return 'privacy:metadata';
    }
}
