<?php
// This file is part of ecampus-restore's local test harness.

namespace local_ecampus_export\event;

/**
 * The next platform asked for a course's backup and was refused.
 *
 * @property-read array $other {
 *      - string shortname: the short name asked for
 *      - string username: the username the next platform gave
 *      - string idnumber: the ID number it gave ('' when none)
 *      - string reason: why (token, noidentity, unknownuser, identitymismatch, notteacher, nocourse, nobackup)
 * }
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class backup_refused extends \core\event\base {

    protected function init() {
        $this->data['crud'] = 'r';
        $this->data['edulevel'] = self::LEVEL_OTHER;
    }

    public static function get_name() {
        return get_string('eventbackuprefused', 'local_ecampus_export');
    }

    public function get_description() {
        return "The next platform asked for the backup of the course with short name '{$this->other['shortname']}' " .
            "for the user '{$this->other['username']}' and was refused ({$this->other['reason']}).";
    }

    protected function validate_data() {
        parent::validate_data();
        foreach (['shortname', 'username', 'idnumber', 'reason'] as $key) {
            if (!isset($this->other[$key])) {
                throw new \coding_exception("The '{$key}' value must be set in other.");
            }
        }
    }

    public static function get_other_mapping() {
        return false;
    }
}
