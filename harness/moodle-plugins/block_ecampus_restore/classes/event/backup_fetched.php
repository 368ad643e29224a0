<?php
// This file is part of ecampus-restore's local test harness.

namespace block_ecampus_restore\event;

/**
 * Last year's backup of a course was copied from the previous platform into the user's private backup area.
 *
 * @property-read array $other {
 *      - string bleushortname: the short name asked for on the previous platform
 *      - string filename: the backup stored
 *      - string userdata: what it holds of users (none, anonymised, users)
 * }
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class backup_fetched extends \core\event\base {

    protected function init() {
        $this->data['objecttable'] = 'files';
        $this->data['crud'] = 'c';
        $this->data['edulevel'] = self::LEVEL_TEACHING;
    }

    public static function get_name() {
        return get_string('eventbackupfetched', 'block_ecampus_restore');
    }

    public function get_description() {
        return "The user with id '{$this->userid}' copied the backup '{$this->other['filename']}' of the course " .
            "'{$this->other['bleushortname']}' of the previous platform (user data: {$this->other['userdata']}) " .
            "into their private backup area, for the course with id '{$this->courseid}'.";
    }

    public function get_url() {
        return new \moodle_url('/course/view.php', ['id' => $this->courseid]);
    }

    protected function validate_data() {
        parent::validate_data();
        foreach (['bleushortname', 'filename', 'userdata'] as $key) {
            if (!isset($this->other[$key])) {
                throw new \coding_exception("The '{$key}' value must be set in other.");
            }
        }
    }

    public static function get_objectid_mapping() {
        return ['db' => 'files', 'restore' => \core\event\base::NOT_MAPPED];
    }

    public static function get_other_mapping() {
        return false;
    }
}
