<?php
// This file is part of ecampus-restore's local test harness.

/**
 * Site settings: where last year's platform is, the token it expects, the year label of the link, the
 * largest backup accepted.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

if ($ADMIN->fulltree) {
    $settings->add(new admin_setting_configtext('block_ecampus_restore/bleuurl',
        get_string('bleuurl', 'block_ecampus_restore'), get_string('bleuurl_desc', 'block_ecampus_restore'), '', PARAM_URL));
    $settings->add(new admin_setting_configpasswordunmask('block_ecampus_restore/token',
        get_string('token', 'block_ecampus_restore'), get_string('token_desc', 'block_ecampus_restore'), ''));
    $settings->add(new admin_setting_configtext('block_ecampus_restore/yearlabel',
        get_string('yearlabel', 'block_ecampus_restore'), '', '24/25', PARAM_TEXT));
    $settings->add(new admin_setting_configtext('block_ecampus_restore/maxbytes',
        get_string('maxbytes', 'block_ecampus_restore'), get_string('maxbytes_desc', 'block_ecampus_restore'),
        \block_ecampus_restore\backup_fetcher::DEFAULT_MAX_BYTES, PARAM_INT));
}
