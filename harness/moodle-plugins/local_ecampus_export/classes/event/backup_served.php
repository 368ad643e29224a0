<?php
// This file is part of ecampus-restore's local test harness.

namespace local_ecampus_export\event;

/**
 * A course's automated backup was served to the next platform.
 *
 * @property-read array $other {
 *      - string shortname: the short name asked for
 *      - string username: the username the next platform gave
 *      - string idnumber: the ID number it gave ('' when none)
 *      - string filename: the backup served
 * }
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class backup_served extends \core\event\base {

    protected function init() {
        $this->data['crud'] = 'r';
        $this->data['edulevel'] = self::LEVEL_OTHER;
    }

    public static function get_name() {
        return get_string('eventbackupserved', 'local_ecampus_export');
    }

    public function get_description() {
        return "The automated backup '{$this->other['filename']}' of the course with id '{$this->courseid}' " .
            "(short name '{$this->other['shortname']}') was served to the next platform for the user " .
            "'{$this->other['username']}' (user id '{$this->relateduserid}').";
    }

    public function get_url() {
        return new \moodle_url('/course/view.php', ['id' => $this->courseid]);
    }

    protected function validate_data() {
        parent::validate_data();
        foreach (['shortname', 'username', 'idnumber', 'filename'] as $key) {
            if (!isset($this->other[$key])) {
                throw new \coding_exception("The '{$key}' value must be set in other.");
            }
        }
        if (!isset($this->relateduserid)) {
            throw new \coding_exception('The \'relateduserid\' must be set.');
        }
    }

    public static function get_other_mapping() {
        return false;
    }
}
