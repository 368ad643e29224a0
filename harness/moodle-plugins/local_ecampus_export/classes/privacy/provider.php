<?php
// This file is part of ecampus-restore's local test harness.

namespace local_ecampus_export\privacy;

/**
 * The export companion stores no personal data of its own.
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class provider implements \core_privacy\local\metadata\null_provider {
    public static function get_reason(): string {
        return 'privacy:metadata';
    }
}
