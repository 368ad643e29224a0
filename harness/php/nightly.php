<?php
// Bleu's night, now: every course's automated backup falls due, then Moodle's own automated-backup
// run queues them (skip rules and file names as configured). The queued tasks run right after, by
// admin/cli/adhoc_task.php.
//
//   php nightly.php <moodle code folder>

define('CLI_SCRIPT', true);
require($argv[1] . '/config.php');
require_once($CFG->dirroot . '/backup/util/includes/backup_includes.php');
require_once($CFG->dirroot . '/backup/util/helper/backup_cron_helper.class.php');

\core\cron::setup_user();
set_config('backup_auto_weekdays', '1111111', 'backup');
$due = time() - 1;
foreach ($DB->get_records_select('course', 'id <> ?', [SITEID], '', 'id') as $course) {
    $record = $DB->get_record('backup_courses', ['courseid' => $course->id]);
    if (!$record) {
        $DB->insert_record('backup_courses', (object) [
            'courseid' => $course->id,
            'laststatus' => backup_cron_automated_helper::BACKUP_STATUS_NOTYETRUN,
            'nextstarttime' => $due,
        ]);
    } else if ((int) $record->laststatus !== backup_cron_automated_helper::BACKUP_STATUS_QUEUED) {
        $DB->set_field('backup_courses', 'nextstarttime', $due, ['id' => $record->id]);
    }
}
backup_cron_automated_helper::run_automated_backup(backup_cron_automated_helper::RUN_IMMEDIATELY);
