<?php
// This file is part of ecampus-restore's local test harness.

namespace block_ecampus_restore;

use moodle_exception;

/**
 * Copies the latest backup of a course from the previous platform into a user's private backup area.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class backup_fetcher {

    /** @var string base URL of the previous platform */
    private string $bleuurl;

    /** @var string token its export plugin expects */
    private string $token;

    public function __construct(string $bleuurl, string $token) {
        $this->bleuurl = rtrim($bleuurl, '/');
        $this->token = $token;
    }

    public static function from_config(): self {
        $config = get_config('block_ecampus_restore');
        if (empty($config->bleuurl) || empty($config->token)) {
            throw new moodle_exception('error:notconfigured', 'block_ecampus_restore');
        }
        return new self($config->bleuurl, $config->token);
    }

    /**
     * Downloads the backup and stores it under the name the previous platform gave it.
     *
     * @param string $shortname course short name on both platforms
     * @param int $userid owner of the private backup area
     * @return \stored_file
     */
    public function fetch_into_private_area(string $shortname, int $userid): \stored_file {
        global $CFG;
        require_once($CFG->libdir . '/filelib.php');

        $tempfile = make_request_directory() . '/backup.mbz';
        $url = new \moodle_url($this->bleuurl . '/local/ecampus_export/latest.php', ['shortname' => $shortname]);
        $curl = new \curl(['ignoresecurity' => false]);
        $curl->setHeader('X-Ecampus-Token: ' . $this->token);
        $result = $curl->download_one($url->out(false), null, [
            'filepath' => $tempfile,
            'timeout' => 3600,
            'connecttimeout' => 20,
            'followlocation' => true,
        ]);
        $info = $curl->get_info();
        $status = (int) ($info['http_code'] ?? 0);
        if ($result !== true || $curl->get_errno()) {
            if ($curl->error === get_string('curlsecurityurlblocked', 'admin')) {
                throw new moodle_exception('curlsecurityurlblocked', 'admin');
            }
            if ($status === 0) {
                throw new moodle_exception('error:unreachable', 'block_ecampus_restore', '', $this->bleuurl);
            }
        }
        if ($status === 403 || $status === 401) {
            throw new moodle_exception('error:refused', 'block_ecampus_restore');
        }
        if ($status === 404) {
            throw new moodle_exception('error:nobackup', 'block_ecampus_restore', '', $shortname);
        }
        if ($status !== 200) {
            throw new moodle_exception('error:http', 'block_ecampus_restore', '', $status);
        }
        $filename = $this->filename_from_headers($curl->getResponse());
        if ($filename === null || !self::looks_like_backup($tempfile)) {
            throw new moodle_exception('error:badfile', 'block_ecampus_restore');
        }
        return $this->store($tempfile, $filename, $userid);
    }

    private function filename_from_headers(array $headers): ?string {
        foreach ($headers as $name => $value) {
            if (strcasecmp(trim($name), 'Content-Disposition') !== 0) {
                continue;
            }
            if (preg_match('/filename\*=UTF-8\'\'([^;]+)/i', $value, $match)) {
                $name = rawurldecode($match[1]);
            } else if (preg_match('/filename="?([^";]+)"?/i', $value, $match)) {
                $name = $match[1];
            } else {
                continue;
            }
            $name = clean_param(trim($name), PARAM_FILE);
            return preg_match('/\.mbz$/i', $name) ? $name : null;
        }
        return null;
    }

    /** A .mbz is a zip or a gzip-compressed tar. */
    private static function looks_like_backup(string $path): bool {
        $head = (string) file_get_contents($path, false, null, 0, 2);
        return $head === "PK" || $head === "\x1f\x8b";
    }

    private function store(string $path, string $filename, int $userid): \stored_file {
        $fs = get_file_storage();
        $record = [
            'contextid' => \context_user::instance($userid)->id,
            'component' => 'user',
            'filearea' => 'backup',
            'itemid' => 0,
            'filepath' => '/',
            'filename' => $filename,
            'userid' => $userid,
        ];
        $existing = $fs->get_file($record['contextid'], 'user', 'backup', 0, '/', $filename);
        if ($existing) {
            $existing->delete();
        }
        return $fs->create_file_from_pathname($record, $path);
    }
}
