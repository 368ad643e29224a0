<?php
// This file is part of ecampus-restore's local test harness.

/**
 * Chaînes françaises du compagnon d'export des sauvegardes.
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['pluginname'] = 'Export des sauvegardes vers la plateforme suivante';
$string['token'] = 'Jeton partagé';
$string['token_desc'] = 'La plateforme suivante envoie ce jeton pour obtenir les sauvegardes automatiques. Vide : rien n\'est servi.';
$string['privacy:metadata'] = 'Le compagnon d\'export ne conserve aucune donnée personnelle.';
