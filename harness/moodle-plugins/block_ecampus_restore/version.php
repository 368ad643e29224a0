<?php
// This file is part of ecampus-restore's local test harness.

/**
 * Version of the course-restore block.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$plugin->component = 'block_ecampus_restore';
$plugin->version = 2026120400;
$plugin->requires = 2024042200; // Moodle 4.4.
$plugin->maturity = MATURITY_STABLE;
$plugin->release = '1.1';
