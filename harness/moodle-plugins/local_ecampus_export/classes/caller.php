<?php
// This file is part of ecampus-restore's local test harness.

namespace local_ecampus_export;

use context_course;
use stdClass;

/**
 * Who the next platform asks on behalf of, and whether that person may have a course's backup.
 *
 * The next platform names its user by the identity both platforms share (the username, and the ID
 * number when it has one). A backup is served to a site administrator of this platform, to a user who
 * may back the course up here (moodle/backup:backupcourse), or to a user who holds (or held: role
 * assignments outlive a suspended or ended enrolment) an editing-teacher role in the course. The logs
 * are not consulted: a site may purge them or log nothing.
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class caller {

    /** Refusal: the request names nobody. */
    public const REFUSED_NO_IDENTITY = 'noidentity';
    /** Refusal: nobody of that username or ID number on this platform. */
    public const REFUSED_UNKNOWN_USER = 'unknownuser';
    /** Refusal: the username and the ID number name two different people. */
    public const REFUSED_IDENTITY_MISMATCH = 'identitymismatch';
    /** Refusal: the user is not (and was not) an editing teacher of the course. */
    public const REFUSED_NOT_TEACHER = 'notteacher';

    /** @var string username given by the next platform */
    public readonly string $username;

    /** @var string ID number given by the next platform ('' when it has none) */
    public readonly string $idnumber;

    /** @var stdClass|null the user of this platform the identity names */
    public readonly ?stdClass $user;

    /** @var string|null why the identity names nobody, one of the REFUSED_ constants */
    private ?string $whyunidentified;

    private function __construct(string $username, string $idnumber, ?stdClass $user, ?string $unidentified) {
        $this->username = $username;
        $this->idnumber = $idnumber;
        $this->user = $user;
        $this->whyunidentified = $unidentified;
    }

    /**
     * The caller named by the request's headers X-Ecampus-Username and X-Ecampus-Idnumber (URL-encoded).
     *
     * @return self
     */
    public static function from_request(): self {
        $username = \core_text::strtolower(trim(rawurldecode((string) ($_SERVER['HTTP_X_ECAMPUS_USERNAME'] ?? ''))));
        $idnumber = trim(rawurldecode((string) ($_SERVER['HTTP_X_ECAMPUS_IDNUMBER'] ?? '')));
        return self::named($username, $idnumber);
    }

    /**
     * The caller of this username and ID number.
     *
     * @param string $username
     * @param string $idnumber '' when the next platform's user has none
     * @return self
     */
    public static function named(string $username, string $idnumber): self {
        global $CFG, $DB;
        if ($username === '' && $idnumber === '') {
            return new self($username, $idnumber, null, self::REFUSED_NO_IDENTITY);
        }
        $user = null;
        if ($username !== '') {
            $user = $DB->get_record('user',
                ['username' => $username, 'mnethostid' => $CFG->mnet_localhost_id, 'deleted' => 0]) ?: null;
        }
        if ($user && $idnumber !== '' && (string) $user->idnumber !== '' && $user->idnumber !== $idnumber) {
            return new self($username, $idnumber, null, self::REFUSED_IDENTITY_MISMATCH);
        }
        if (!$user && $idnumber !== '') {
            // The same person under another username (a renamed account): only when the ID number is unique.
            $matches = $DB->get_records('user',
                ['idnumber' => $idnumber, 'mnethostid' => $CFG->mnet_localhost_id, 'deleted' => 0], '', '*', 0, 2);
            $user = count($matches) === 1 ? reset($matches) : null;
        }
        if (!$user || isguestuser($user)) {
            return new self($username, $idnumber, null, self::REFUSED_UNKNOWN_USER);
        }
        return new self($username, $idnumber, $user, null);
    }

    /**
     * Why the identity given names nobody of this platform, or null when it names one user.
     *
     * @return string|null one of the REFUSED_ constants
     */
    public function unidentified(): ?string {
        return $this->whyunidentified;
    }

    /**
     * Why this caller may not have the course's backup, or null when they may.
     *
     * @param stdClass $course
     * @return string|null one of the REFUSED_ constants
     */
    public function refusal_for(stdClass $course): ?string {
        global $DB;
        if ($this->whyunidentified !== null) {
            return $this->whyunidentified;
        }
        if (is_siteadmin($this->user)) {
            return null;
        }
        $context = context_course::instance($course->id);
        if (has_capability('moodle/backup:backupcourse', $context, $this->user)) {
            return null;
        }
        $sql = "SELECT 1
                  FROM {role_assignments} ra
                  JOIN {role} r ON r.id = ra.roleid
                 WHERE ra.userid = :userid AND ra.contextid = :contextid AND r.archetype = :archetype";
        $teacher = $DB->record_exists_sql($sql,
            ['userid' => $this->user->id, 'contextid' => $context->id, 'archetype' => 'editingteacher']);
        return $teacher ? null : self::REFUSED_NOT_TEACHER;
    }
}
