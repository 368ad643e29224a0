<?php
// This file is part of ecampus-restore's local test harness.

/**
 * Block that copies last year's backup of this course from the previous platform into the user's
 * private backup area, then opens the restore page.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

class block_ecampus_restore extends block_base {

    public function init() {
        $this->title = get_string('pluginname', 'block_ecampus_restore');
    }

    /**
     * The harness's stand-in for another university's block (setting "variant"): another title, another
     * link text, other markup (no data-block, no data-action, other classes). The robot must find it
     * by what a person sees.
     *
     * @return bool
     */
    private function is_variant(): bool {
        return (bool) get_config('block_ecampus_restore', 'variant');
    }

    public function specialization() {
        if ($this->is_variant()) {
            $this->title = format_string(get_config('block_ecampus_restore', 'varianttitle') ?: 'Sauvegardes');
        }
    }

    public function get_content_for_output($output) {
        $bc = parent::get_content_for_output($output);
        if ($this->is_variant()) {
            $bc->attributes['data-block'] = '';
            $bc->attributes['class'] = 'ecampus-archives';
        }
        return $bc;
    }

    public function applicable_formats() {
        return ['course-view' => true, 'site' => false, 'my' => false];
    }

    public function instance_allow_multiple() {
        return false;
    }

    public function has_config() {
        return true;
    }

    public function get_content() {
        if ($this->content !== null) {
            return $this->content;
        }
        $this->content = (object) ['text' => '', 'footer' => ''];
        $context = context_course::instance($this->page->course->id);
        if (!has_all_capabilities(['moodle/restore:restorecourse', 'block/ecampus_restore:fetch'], $context)) {
            return $this->content;
        }
        $url = new moodle_url('/blocks/ecampus_restore/fetch.php', [
            'courseid' => $this->page->course->id,
            'sesskey' => sesskey(),
        ]);
        $label = get_string('fetchlink', 'block_ecampus_restore', get_config('block_ecampus_restore', 'yearlabel') ?: '24/25');
        if ($this->is_variant()) {
            $label = get_config('block_ecampus_restore', 'variantlink') ?: 'Récupérer le cours';
            $link = html_writer::link($url, s($label), ['target' => '_blank', 'rel' => 'noopener', 'class' => 'archives-go']);
            $this->content->text = html_writer::div(html_writer::tag('p', $link), 'archives-body');
            return $this->content;
        }
        $this->content->text = html_writer::link($url, $label, [
            'target' => '_blank',
            'rel' => 'noopener',
            'data-action' => 'ecampus-restore-fetch',
        ]);
        return $this->content;
    }
}
