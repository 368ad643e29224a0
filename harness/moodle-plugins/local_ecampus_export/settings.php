<?php
// This file is part of ecampus-restore's local test harness.

/**
 * The token the next platform must present.
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

if ($hassiteconfig) {
    $settings = new admin_settingpage('local_ecampus_export', get_string('pluginname', 'local_ecampus_export'));
    $settings->add(new admin_setting_configpasswordunmask('local_ecampus_export/token',
        get_string('token', 'local_ecampus_export'), get_string('token_desc', 'local_ecampus_export'), ''));
    $ADMIN->add('localplugins', $settings);
}
