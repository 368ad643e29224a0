<?php
// This file is part of ecampus-restore's local test harness.

/**
 * Chaînes françaises du bloc de restauration de cours.
 *
 * @package    block_ecampus_restore
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['bleuurl'] = 'Adresse de la plateforme précédente';
$string['bleuurl_desc'] = 'Adresse du Moodle de l\'année précédente, qui fournit les sauvegardes.';
$string['ecampus_restore:addinstance'] = 'Ajouter un bloc de restauration';
$string['ecampus_restore:fetch'] = 'Copier la sauvegarde du cours de l\'année précédente depuis la plateforme précédente';
$string['error:badfile'] = 'La plateforme précédente a répondu par autre chose qu\'une sauvegarde Moodle.';
$string['error:http'] = 'La plateforme précédente a répondu avec le statut HTTP {$a}.';
$string['error:nobackup'] = 'Aucune sauvegarde du cours « {$a} » sur la plateforme précédente.';
$string['error:notconfigured'] = 'La plateforme précédente n\'est pas configurée (réglages du bloc : une adresse https, http seulement sur cette machine, et un jeton d\'au moins 32 caractères).';
$string['error:redirect'] = 'La plateforme précédente a répondu par une redirection (statut HTTP {$a}) : les redirections ne sont pas suivies, pour que le jeton n\'aille nulle part ailleurs. Vérifiez l\'adresse de la plateforme précédente dans les réglages du bloc.';
$string['error:refused:identitymismatch'] = 'La plateforme précédente a refusé la sauvegarde : votre nom d\'utilisateur et votre numéro d\'identification y désignent deux utilisateurs différents.';
$string['error:refused:noidentity'] = 'La plateforme précédente a refusé la sauvegarde : la demande ne disait pas pour quel utilisateur elle était faite.';
$string['error:refused:notteacher'] = 'La plateforme précédente a refusé la sauvegarde : vous ({$a}) n\'êtes pas, et n\'avez pas été, enseignant éditeur du cours de ce nom abrégé sur cette plateforme. Demandez à son enseignant ou à un administrateur.';
$string['error:refused:token'] = 'La plateforme précédente a refusé la demande (jeton).';
$string['error:refused:unknownuser'] = 'La plateforme précédente a refusé la sauvegarde : elle n\'a pas d\'utilisateur {$a}.';
$string['error:toolarge'] = 'La sauvegarde dépasse la taille maximale acceptée ({$a}, réglages du bloc) : rien n\'a été enregistré.';
$string['error:unreachable'] = 'La plateforme précédente ({$a}) est injoignable.';
$string['error:userdata'] = 'Cette sauvegarde contient des données d\'utilisateurs, et vous ne pouvez pas restaurer de données d\'utilisateurs dans ce cours (moodle/restore:userinfo) : elle n\'a pas été enregistrée. Demandez à un administrateur.';
$string['eventbackupfetched'] = 'Sauvegarde copiée depuis la plateforme précédente';
$string['eventbackuprefused'] = 'Sauvegarde non copiée depuis la plateforme précédente';
$string['fetchlink'] = 'Télécharger la sauvegarde {$a}';
$string['maxbytes'] = 'Taille maximale d\'une sauvegarde';
$string['maxbytes_desc'] = 'En octets. Une sauvegarde plus grande n\'est pas enregistrée (2147483648 : 2 Gio).';
$string['pluginname'] = 'Restauration';
$string['privacy:metadata:core_files'] = 'La sauvegarde copiée va dans la zone de sauvegarde privée de l\'utilisateur.';
$string['privacy:metadata:logstore'] = 'Chaque copie, et chaque refus, est journalisé avec le cours et le nom abrégé demandé.';
$string['privacy:metadata:previousplatform'] = 'Pour copier la sauvegarde d\'un cours de l\'année précédente, le bloc la demande à la plateforme précédente pour l\'utilisateur, qui doit y être (ou y avoir été) enseignant éditeur de ce cours.';
$string['privacy:metadata:previousplatform:courseshortname'] = 'Le nom abrégé du cours.';
$string['privacy:metadata:previousplatform:idnumber'] = 'Le numéro d\'identification de l\'utilisateur, s\'il en a un.';
$string['privacy:metadata:previousplatform:username'] = 'Le nom d\'utilisateur.';
$string['token'] = 'Jeton partagé';
$string['token_desc'] = 'Le jeton qu\'attend le plugin d\'export de la plateforme précédente.';
$string['yearlabel'] = 'Libellé de l\'année';
