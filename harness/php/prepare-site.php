<?php
// Seeds one site of ecampus-restore's local harness: settings, demo accounts, the category of its
// year and its courses, made through Moodle's own generators. Run once, right after install.
//
//   php prepare-site.php <spec.json>
//
// The spec gives the role (bleu or vert), the accounts with their passwords, the shared token and
// the other site's URL. Prints the course ids as JSON on the last line.

define('CLI_SCRIPT', true);

$spec = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
require($spec['codedir'] . '/config.php');
require_once($CFG->libdir . '/clilib.php');
require_once($CFG->libdir . '/testing/generator/lib.php');
require_once($CFG->dirroot . '/course/lib.php');
require_once($CFG->dirroot . '/mod/quiz/locallib.php');
require_once($CFG->libdir . '/questionlib.php');
require_once($CFG->libdir . '/filterlib.php');
require_once($CFG->dirroot . '/group/lib.php');

set_debugging(DEBUG_DEVELOPER, true);
\core\cron::setup_user();
$generator = new testing_data_generator();
$isbleu = $spec['role'] === 'bleu';

// Adding courses to a seeded site (the throughput benchmark's course pairs): its accounts and
// category are already there.
$addonly = ($spec['mode'] ?? 'seed') === 'add-courses';
$users = [];
if ($addonly) {
    foreach ($spec['users'] as $account) {
        $users[$account['username']] = $DB->get_record('user', ['username' => $account['username']], '*', MUST_EXIST);
    }
    $category = $DB->get_record('course_categories', ['idnumber' => $isbleu ? '2024-2025' : '2025-2026'], '*', MUST_EXIST);
} else {
    // Site settings. Both sites: restores asynchronous or not as asked; no mail leaves the machine.
    set_config('enableasyncbackup', $spec['asyncrestore'] ? 1 : 0);
    set_config('passwordpolicy', 0);
    // MathJax comes from a CDN this closed machine cannot reach: pages would wait on it.
    filter_set_global_state('mathjaxloader', TEXTFILTER_DISABLED);
    if ($isbleu) {
        // Bleu's "night": Moodle's automated backups, run on demand by admin/cli/automated_backups.php.
        set_config('backup_auto_active', 2, 'backup');
        set_config('backup_auto_storage', 0, 'backup');
        set_config('backup_auto_max_kept', 1, 'backup');
        // Last year's backups never hold users as they are (the seed's platform anonymises them; Moodle's
        // automated backups cannot, so they hold none): the robot refuses any other kind.
        set_config('backup_auto_users', 0, 'backup');
        set_config('token', $spec['token'], 'local_ecampus_export');
    } else {
        set_config('bleuurl', $spec['bleuurl'], 'block_ecampus_restore');
        set_config('token', $spec['token'], 'block_ecampus_restore');
        set_config('yearlabel', $spec['yearlabel'], 'block_ecampus_restore');
    }

    // Accounts: the same people on both platforms, as at the university.
    foreach ($spec['users'] as $account) {
        $users[$account['username']] = $generator->create_user([
            'username' => $account['username'],
            'password' => $account['password'],
            'firstname' => $account['firstname'],
            'lastname' => $account['lastname'],
            'email' => $account['username'] . '@example.invalid',
            'lang' => $account['lang'] ?? 'en',
        ]);
    }

    $category = $generator->create_category([
        'name' => $isbleu ? '2024-2025' : '2025-2026',
        'idnumber' => $isbleu ? '2024-2025' : '2025-2026',
    ]);
}

/** Creates a course of the seeded year with its sections named. */
function harness_course(array $record, array $sectionnames, int $categoryid): stdClass {
    global $generator;
    $course = $generator->create_course($record + [
        'category' => $categoryid,
        'numsections' => count($sectionnames) ?: 4,
        'format' => 'topics',
    ]);
    foreach ($sectionnames as $number => $name) {
        $section = get_fast_modinfo($course)->get_section_info($number + 1);
        course_update_section($course, $section, ['name' => $name]);
    }
    return $course;
}

function harness_module(string $modname, stdClass $course, int $section, array $record = []): stdClass {
    global $generator;
    // A tree may lack a standard activity (an incomplete 5.1 upload has no mod_data): the seed uses
    // only activities the site has, and says which one is missing rather than failing halfway.
    if (core_component::get_component_directory('mod_' . $modname) === null) {
        throw new coding_exception("the seed needs the activity mod_{$modname}, which this Moodle tree lacks");
    }
    return $generator->create_module($modname, $record + ['course' => $course->id, 'section' => $section]);
}

/**
 * A true/false question saved through its question type (the question generator needs PHPUnit).
 */
function harness_truefalse_question(stdClass $category, context $context, string $name, string $text, bool $true): stdClass {
    global $USER;
    $empty = ['text' => '', 'format' => FORMAT_HTML];
    $form = (object) [
        'category' => $category->id . ',' . $context->id,
        'name' => $name,
        'questiontext' => ['text' => $text, 'format' => FORMAT_HTML],
        'generalfeedback' => $empty,
        'defaultmark' => 1,
        'penalty' => 1,
        'correctanswer' => $true ? 1 : 0,
        'feedbacktrue' => $empty,
        'feedbackfalse' => $empty,
        'showstandardinstruction' => 0,
        'status' => \core_question\local\bank\question_version_status::QUESTION_STATUS_READY,
    ];
    $question = (object) ['category' => $category->id, 'qtype' => 'truefalse', 'createdby' => $USER->id];
    return question_bank::get_qtype('truefalse')->save_question($question, $form);
}

/** The course "everything a teacher puts in": forum with replies, page, URL, file, assignment, quiz, label. */
function harness_seed_rich(stdClass $course, array $users): void {
    global $generator;
    harness_module('label', $course, 1, ['intro' => '<p>Bienvenue dans le cours : lisez le plan avant la première séance.</p>']);
    $forum = harness_module('forum', $course, 1, ['name' => 'Forum du cours']);
    $forumgen = $generator->get_plugin_generator('mod_forum');
    $discussion = $forumgen->create_discussion([
        'course' => $course->id, 'forum' => $forum->id, 'userid' => $users['teacher1']->id,
        'name' => 'Questions sur le premier devoir', 'message' => 'Posez vos questions ici.',
    ]);
    $first = $forumgen->create_post([
        'discussion' => $discussion->id, 'parent' => $discussion->firstpost, 'userid' => $users['student1']->id,
        'message' => 'Faut-il rendre un PDF ?',
    ]);
    $forumgen->create_post([
        'discussion' => $discussion->id, 'parent' => $first->id, 'userid' => $users['teacher1']->id,
        'message' => 'Oui, un PDF.',
    ]);
    harness_module('page', $course, 1, ['name' => 'Plan du cours', 'content' => '<h3>Plan</h3><p>Six séances.</p>']);
    harness_module('url', $course, 2, ['name' => 'Dictionnaire en ligne', 'externalurl' => 'https://example.org/dictionnaire']);
    harness_module('resource', $course, 2, ['name' => 'Polycopié']);
    harness_module('assign', $course, 3, ['name' => 'Devoir 1 : essai']);
    $quiz = harness_module('quiz', $course, 3, ['name' => 'Quiz de vocabulaire']);
    if (core_component::get_component_directory('mod_qbank') !== null) {
        // 5.0: question banks live in modules, no longer in the course; the quiz's own bank.
        $context = context_module::instance($quiz->cmid);
        $questioncategory = question_get_default_category($context->id, true);
    } else {
        $context = context_course::instance($course->id);
        $questioncategory = question_make_default_categories([$context]);
    }
    foreach (['Le passé simple est un temps du récit.', 'Le mot « actually » signifie « actuellement ».'] as $i => $text) {
        $question = harness_truefalse_question($questioncategory, $context, "Question " . ($i + 1), $text, $i === 0);
        quiz_add_quiz_question($question->id, $quiz);
    }
    harness_module('page', $course, 4, ['name' => 'Bilan', 'content' => '<p>Ce que nous avons vu.</p>']);
}

/** Groups, calendar events, activity completion and restricted access. */
function harness_seed_groups(stdClass $course, array $users): void {
    global $generator;
    $groupa = $generator->create_group(['courseid' => $course->id, 'name' => 'Groupe A']);
    $groupb = $generator->create_group(['courseid' => $course->id, 'name' => 'Groupe B']);
    $grouping = $generator->create_grouping(['courseid' => $course->id, 'name' => 'TD']);
    $generator->create_grouping_group(['groupingid' => $grouping->id, 'groupid' => $groupa->id]);
    $generator->create_grouping_group(['groupingid' => $grouping->id, 'groupid' => $groupb->id]);
    foreach (['Partiel', 'Soutenance'] as $i => $name) {
        $generator->create_event([
            'name' => $name, 'eventtype' => 'course', 'courseid' => $course->id,
            'timestart' => make_timestamp(2025, 3 + $i, 15, 9),
        ]);
    }
    $intro = harness_module('page', $course, 1, [
        'name' => 'Consignes', 'content' => '<p>À lire en premier.</p>', 'completion' => COMPLETION_TRACKING_MANUAL,
    ]);
    harness_module('assign', $course, 1, [
        'name' => 'Dossier de groupe', 'completion' => COMPLETION_TRACKING_MANUAL, 'groupmode' => SEPARATEGROUPS,
    ]);
    harness_module('page', $course, 2, [
        'name' => 'Corrigé (après les consignes)',
        'content' => '<p>Le corrigé.</p>',
        'availability' => json_encode([
            'op' => '&', 'showc' => [true],
            'c' => [['type' => 'completion', 'cm' => (int) $intro->cmid, 'e' => COMPLETION_COMPLETE]],
        ]),
    ]);
    harness_module('forum', $course, 2, ['name' => 'Forum des groupes', 'groupmode' => SEPARATEGROUPS]);
    foreach (['student1' => $groupa, 'student2' => $groupb] as $username => $group) {
        groups_add_member($group->id, $users[$username]->id);
    }
}

/** Hundreds of activities, as an old course grows over years. */
function harness_seed_large(stdClass $course, int $sections, int $activities): void {
    $kinds = ['page', 'page', 'page', 'label', 'url'];
    for ($i = 0; $i < $activities; $i++) {
        $kind = $kinds[$i % count($kinds)];
        $section = 1 + ($i % $sections);
        $record = match ($kind) {
            'page' => ['name' => sprintf('Fiche %03d', $i + 1), 'content' => '<p>Fiche.</p>'],
            'label' => ['intro' => sprintf('<p>Repère %03d</p>', $i + 1)],
            'url' => ['name' => sprintf('Lien %03d', $i + 1), 'externalurl' => 'https://example.org/lien/' . ($i + 1)],
        };
        harness_module($kind, $course, $section, $record);
    }
}

function harness_enrol(array $usernames, stdClass $course, string $role, array $users): void {
    global $generator;
    foreach ($usernames as $username) {
        $generator->enrol_user($users[$username]->id, $course->id, $role, 'manual');
    }
}

$courses = [];
$definitions = $spec['courses'];
foreach ($definitions as $definition) {
    if (!in_array($spec['role'], $definition['sites'], true)) {
        continue;
    }
    $course = harness_course(
        ['shortname' => $definition['shortname'], 'fullname' => $definition['fullname'],
         'enablecompletion' => 1, 'groupmode' => 0],
        $isbleu || ($definition['vertcontent'] ?? false) ? $definition['sections'] : [],
        $category->id,
    );
    $site = $spec['role'];
    harness_enrol($definition['teachers'][$site] ?? ['teacher1'], $course, 'editingteacher', $users);
    harness_enrol($definition['students'][$site] ?? [], $course, 'student', $users);
    if ($isbleu || ($definition['vertcontent'] ?? false)) {
        match ($definition['content']) {
            'rich' => harness_seed_rich($course, $users),
            'groups' => harness_seed_groups($course, $users),
            'large' => harness_seed_large($course, count($definition['sections']), $definition['activities']),
            'none' => null,
        };
    }
    $courses[$definition['shortname']] = (int) $course->id;
}

purge_caches();
echo json_encode(['categoryid' => (int) $category->id, 'courses' => $courses]), "\n";
