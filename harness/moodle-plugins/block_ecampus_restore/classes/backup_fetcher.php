<?php
// This file is part of ecampus-restore's local test harness.

namespace block_ecampus_restore;

use context_course;
use moodle_exception;
use stdClass;

/**
 * Copies the latest backup of a course from the previous platform into a user's private backup area.
 *
 * The previous platform is asked on behalf of the user (username, and ID number when set): it serves the
 * backup only to an editing teacher of its course of that short name, or to one of its administrators.
 * Its answer is downloaded without following redirects (the token would go with them) and up to a size
 * cap; a backup that holds user data (not anonymised) is stored only for a user who may restore user data
 * in the course (moodle/restore:userinfo), as core guards automated backups.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class backup_fetcher {

    /** Default size cap of a downloaded backup: 2 GiB. */
    public const DEFAULT_MAX_BYTES = 2147483648;

    /** libcurl's CURLE_FILESIZE_EXCEEDED. */
    private const CURLE_FILESIZE_EXCEEDED = 63;

    /** Why the previous platform may refuse, as its X-Ecampus-Refusal header says; each has a string. */
    private const REFUSALS = ['token', 'noidentity', 'unknownuser', 'identitymismatch', 'notteacher'];

    /** @var string base URL of the previous platform */
    private string $bleuurl;

    /** @var string token its export plugin expects */
    private string $token;

    /** @var int largest backup accepted, in bytes */
    private int $maxbytes;

    public function __construct(string $bleuurl, string $token, int $maxbytes = self::DEFAULT_MAX_BYTES) {
        $this->bleuurl = rtrim($bleuurl, '/');
        $this->token = $token;
        $this->maxbytes = $maxbytes;
    }

    /** A shared secret shorter than this can be guessed: the block refuses to send it. */
    public const MIN_TOKEN_LENGTH = 32;

    /**
     * The token and the user's identity travel to bleu: in clear only to this machine (a test site).
     *
     * @param string $url bleu's address
     * @return bool
     */
    public static function is_https_or_loopback(string $url): bool {
        $scheme = strtolower((string) parse_url($url, PHP_URL_SCHEME));
        $host = strtolower(trim((string) parse_url($url, PHP_URL_HOST), '[]'));
        return $scheme === 'https' || ($scheme === 'http' && in_array($host, ['localhost', '127.0.0.1', '::1'], true));
    }

    public static function from_config(): self {
        $config = get_config('block_ecampus_restore');
        if (empty($config->bleuurl) || strlen((string) ($config->token ?? '')) < self::MIN_TOKEN_LENGTH
                || !self::is_https_or_loopback($config->bleuurl)) {
            throw new moodle_exception('error:notconfigured', 'block_ecampus_restore');
        }
        $maxbytes = (int) ($config->maxbytes ?? 0);
        return new self($config->bleuurl, $config->token, $maxbytes > 0 ? $maxbytes : self::DEFAULT_MAX_BYTES);
    }

    /**
     * Downloads the backup of the course and stores it under the name the previous platform gave it.
     *
     * @param string $shortname course short name on both platforms
     * @param stdClass $user who asks: owner of the private backup area, named to the previous platform
     * @param context_course $context the course on this platform
     * @return fetched_backup what was stored
     */
    public function fetch_into_private_area(string $shortname, stdClass $user, context_course $context): fetched_backup {
        global $CFG;
        require_once($CFG->libdir . '/filelib.php');

        $tempfile = make_request_directory() . '/backup.mbz';
        $url = new \moodle_url($this->bleuurl . '/local/ecampus_export/latest.php', ['shortname' => $shortname]);
        $curl = new \curl(['ignoresecurity' => false]);
        $curl->setHeader('X-Ecampus-Token: ' . $this->token);
        $curl->setHeader('X-Ecampus-Username: ' . rawurlencode($user->username));
        if ((string) $user->idnumber !== '') {
            $curl->setHeader('X-Ecampus-Idnumber: ' . rawurlencode($user->idnumber));
        }
        $result = $curl->download_one($url->out(false), null, [
            'filepath' => $tempfile,
            'timeout' => 3600,
            'connecttimeout' => 20,
            'followlocation' => false,
            'maxfilesize' => $this->maxbytes,
        ]);
        $info = $curl->get_info();
        $status = (int) ($info['http_code'] ?? 0);
        if ($curl->get_errno() === self::CURLE_FILESIZE_EXCEEDED) {
            throw new moodle_exception('error:toolarge', 'block_ecampus_restore', '', display_size($this->maxbytes));
        }
        if ($result !== true || $curl->get_errno()) {
            if ($curl->error === get_string('curlsecurityurlblocked', 'admin')) {
                throw new moodle_exception('curlsecurityurlblocked', 'admin');
            }
            if ($status === 0) {
                throw new moodle_exception('error:unreachable', 'block_ecampus_restore', '', $this->bleuurl);
            }
        }
        $headers = $curl->getResponse();
        if ($status >= 300 && $status < 400) {
            throw new moodle_exception('error:redirect', 'block_ecampus_restore', '', $status);
        }
        if ($status === 403 || $status === 401) {
            $reason = self::header_value($headers, 'X-Ecampus-Refusal');
            $reason = in_array($reason, self::REFUSALS, true) ? $reason : 'token';
            throw new moodle_exception('error:refused:' . $reason, 'block_ecampus_restore', '', $user->username);
        }
        if ($status === 404) {
            throw new moodle_exception('error:nobackup', 'block_ecampus_restore', '', $shortname);
        }
        if ($status !== 200) {
            throw new moodle_exception('error:http', 'block_ecampus_restore', '', $status);
        }
        if (!is_file($tempfile) || filesize($tempfile) > $this->maxbytes) {
            throw new moodle_exception('error:toolarge', 'block_ecampus_restore', '', display_size($this->maxbytes));
        }
        $filename = $this->filename_from_headers($headers);
        if ($filename === null || !self::looks_like_backup($tempfile)) {
            throw new moodle_exception('error:badfile', 'block_ecampus_restore');
        }
        $userdata = self::user_data_of($tempfile);
        if ($userdata === 'users' && !has_capability('moodle/restore:userinfo', $context, $user)) {
            throw new moodle_exception('error:userdata', 'block_ecampus_restore');
        }
        return new fetched_backup($this->store($tempfile, $filename, (int) $user->id), $userdata);
    }

    /**
     * Whether the backup holds user data, from its moodle_backup.xml.
     *
     * @param string $path the .mbz
     * @return string 'none', 'anonymised' or 'users'
     */
    private static function user_data_of(string $path): string {
        global $CFG;
        require_once($CFG->dirroot . '/backup/util/includes/backup_includes.php');
        try {
            $info = \backup_general_helper::get_backup_information_from_mbz($path);
        } catch (moodle_exception $e) {
            throw new moodle_exception('error:badfile', 'block_ecampus_restore');
        }
        $settings = $info->root_settings ?? [];
        if (empty($settings['users'])) {
            return 'none';
        }
        return empty($settings['anonymize']) ? 'users' : 'anonymised';
    }

    private static function header_value(array $headers, string $wanted): ?string {
        foreach ($headers as $name => $value) {
            if (strcasecmp(trim($name), $wanted) === 0) {
                return trim(is_array($value) ? (string) end($value) : (string) $value);
            }
        }
        return null;
    }

    private function filename_from_headers(array $headers): ?string {
        $value = self::header_value($headers, 'Content-Disposition');
        if ($value === null) {
            return null;
        }
        if (preg_match('/filename\*=UTF-8\'\'([^;]+)/i', $value, $match)) {
            $name = rawurldecode($match[1]);
        } else if (preg_match('/filename="([^"]+)"/i', $value, $match)) {
            // Quoted: up to the closing quote. Moodle's own names may hold a ';' ("R&D" is "ramp;d").
            $name = $match[1];
        } else if (preg_match('/filename=([^";\s]+)/i', $value, $match)) {
            $name = $match[1];
        } else {
            return null;
        }
        $name = clean_param(trim($name), PARAM_FILE);
        return preg_match('/\.mbz$/i', $name) ? $name : null;
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
