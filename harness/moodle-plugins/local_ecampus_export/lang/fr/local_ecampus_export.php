<?php
// This file is part of ecampus-restore's local test harness.

/**
 * Chaînes françaises du compagnon d'export des sauvegardes.
 *
 * @package    local_ecampus_export
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['eventbackuprefused'] = 'Sauvegarde refusée à la plateforme suivante';
$string['eventbackupserved'] = 'Sauvegarde fournie à la plateforme suivante';
$string['pluginname'] = 'Export des sauvegardes vers la plateforme suivante';
$string['privacy:metadata:logstore'] = 'Chaque demande de la plateforme suivante est journalisée (sauvegarde fournie ou refusée) avec le nom abrégé demandé, le nom d\'utilisateur et le numéro d\'identification donnés.';
$string['privacy:metadata:nextplatform'] = 'La plateforme suivante obtient la sauvegarde automatique d\'un cours pour l\'un de ses utilisateurs, qui doit être (ou avoir été) enseignant éditeur du cours ici, ou administrateur du site.';
$string['privacy:metadata:nextplatform:coursebackup'] = 'La dernière sauvegarde automatique du cours (les sauvegardes automatiques de cette plateforme ne contiennent aucune donnée d\'utilisateur).';
$string['refused:identitymismatch'] = 'Le nom d\'utilisateur et le numéro d\'identification donnés désignent deux utilisateurs différents de la plateforme précédente.';
$string['refused:noidentity'] = 'La demande ne dit pas pour quel utilisateur elle est faite.';
$string['refused:notteacher'] = 'Cet utilisateur n\'est pas, et n\'a pas été, enseignant éditeur de ce cours sur la plateforme précédente.';
$string['refused:unknownuser'] = 'Aucun utilisateur de la plateforme précédente n\'a ce nom d\'utilisateur ou ce numéro d\'identification.';
$string['token'] = 'Jeton partagé';
$string['token_desc'] = 'La plateforme suivante envoie ce jeton pour obtenir les sauvegardes automatiques. Vide : rien n\'est servi.';
