<?php
// This file is part of ecampus-restore's local test harness.

namespace block_ecampus_restore\event;

/**
 * Last year's backup of a course was not copied: the previous platform refused it, or this one did.
 *
 * @property-read array $other {
 *      - string bleushortname: the short name asked for on the previous platform
 *      - string reason: the error's string identifier (error:refused:notteacher, error:userdata, ...)
 * }
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class backup_refused extends \core\event\base {

    protected function init() {
        $this->data['crud'] = 'r';
        $this->data['edulevel'] = self::LEVEL_TEACHING;
    }

    public static function get_name() {
        return get_string('eventbackuprefused', 'block_ecampus_restore');
    }

    public function get_description() {
        return "The user with id '{$this->userid}' could not copy the backup of the course " .
            "'{$this->other['bleushortname']}' of the previous platform for the course with id '{$this->courseid}' " .
            "({$this->other['reason']}).";
    }

    public function get_url() {
        return new \moodle_url('/course/view.php', ['id' => $this->courseid]);
    }

    protected function validate_data() {
        parent::validate_data();
        foreach (['bleushortname', 'reason'] as $key) {
            if (!isset($this->other[$key])) {
                throw new \coding_exception("The '{$key}' value must be set in other.");
            }
        }
    }

    public static function get_other_mapping() {
        return false;
    }
}
