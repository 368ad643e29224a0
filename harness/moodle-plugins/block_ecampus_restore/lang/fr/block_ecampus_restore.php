<?php
// This file is part of ecampus-restore's local test harness.

/**
 * Chaînes françaises du bloc de restauration de cours.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['pluginname'] = 'Restauration';
$string['ecampus_restore:addinstance'] = 'Ajouter un bloc de restauration';
$string['fetchlink'] = 'Télécharger la sauvegarde {$a}';
$string['bleuurl'] = 'Adresse de la plateforme précédente';
$string['bleuurl_desc'] = 'Adresse du Moodle de l\'année précédente, qui fournit les sauvegardes.';
$string['token'] = 'Jeton partagé';
$string['token_desc'] = 'Le jeton qu\'attend le plugin d\'export de la plateforme précédente.';
$string['yearlabel'] = 'Libellé de l\'année';
$string['error:notconfigured'] = 'La plateforme précédente n\'est pas configurée (réglages du bloc).';
$string['error:unreachable'] = 'La plateforme précédente ({$a}) est injoignable.';
$string['error:refused'] = 'La plateforme précédente a refusé la demande (jeton).';
$string['error:nobackup'] = 'Aucune sauvegarde du cours « {$a} » sur la plateforme précédente.';
$string['error:badfile'] = 'La plateforme précédente a répondu par autre chose qu\'une sauvegarde Moodle.';
$string['error:http'] = 'La plateforme précédente a répondu avec le statut HTTP {$a}.';
$string['privacy:metadata'] = 'Le bloc de restauration ne conserve aucune donnée personnelle ; la sauvegarde copiée va dans la zone de sauvegarde privée de l\'utilisateur.';
