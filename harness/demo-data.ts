/**
 * What the harness puts on its two sites. Bleu holds last year's courses with content; vert holds the
 * same short names empty, plus the traps the guards must catch.
 */
export interface DemoUser {
  username: string;
  firstname: string;
  lastname: string;
}

export interface DemoCourse {
  shortname: string;
  fullname: string;
  /** Which sites have this course. */
  sites: readonly ('bleu' | 'vert')[];
  /** What bleu's copy holds. */
  content: 'rich' | 'groups' | 'large' | 'none';
  sections: readonly string[];
  activities?: number;
  /** Vert's copy has content too (a trap: the restore must refuse). */
  vertcontent?: boolean;
  teachers?: { bleu?: readonly string[]; vert?: readonly string[] };
  students?: { bleu?: readonly string[]; vert?: readonly string[] };
  /** What the robot should do with this course on vert. */
  expected: 'restored' | 'refused' | 'failed';
  why: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'teacher1', firstname: 'Alice', lastname: 'Martin' },
  { username: 'teacher2', firstname: 'Bruno', lastname: 'Petit' },
  { username: 'student1', firstname: 'Chloé', lastname: 'Durand' },
  { username: 'student2', firstname: 'David', lastname: 'Leroy' },
  { username: 'student3', firstname: 'Emma', lastname: 'Moreau' },
];

export const DEMO_TEACHER = 'teacher1';

const BOTH = ['bleu', 'vert'] as const;
const STUDENTS = { bleu: ['student1', 'student2', 'student3'] };

export const DEMO_COURSES: readonly DemoCourse[] = [
  {
    shortname: 'ANG-EC1',
    fullname: 'Anglais EC1',
    sites: BOTH,
    content: 'rich',
    sections: ['Présentation', 'Ressources', 'Évaluations', 'Bilan'],
    students: STUDENTS,
    expected: 'restored',
    why: 'forum with replies, page, URL, file, assignment, quiz with questions, label',
  },
  {
    shortname: 'HIST-GRP',
    fullname: 'Histoire moderne (groupes)',
    sites: BOTH,
    content: 'groups',
    sections: ['Organisation', 'Travaux de groupe'],
    students: STUDENTS,
    expected: 'restored',
    why: 'groups and groupings, calendar events, activity completion, restricted access',
  },
  {
    shortname: 'BIO-LARGE',
    fullname: 'Biologie générale (grand cours)',
    sites: BOTH,
    content: 'large',
    sections: Array.from({ length: 20 }, (_, i) => `Chapitre ${i + 1}`),
    activities: 300,
    expected: 'restored',
    why: '300 activities in 20 sections',
  },
  {
    shortname: 'TRAP-FULL',
    fullname: 'Piège : cours déjà rempli',
    sites: BOTH,
    content: 'rich',
    sections: ['Présentation', 'Ressources', 'Évaluations', 'Bilan'],
    vertcontent: true,
    expected: 'refused',
    why: 'the vert course already has content',
  },
  {
    shortname: 'TRAP-2TEACH',
    fullname: 'Piège : deux enseignants',
    sites: BOTH,
    content: 'groups',
    sections: ['Organisation', 'Travaux de groupe'],
    teachers: { vert: ['teacher1', 'teacher2'] },
    students: { vert: ['student3'] },
    expected: 'refused',
    why: 'a co-teacher and a hand-enrolled student would lose their enrolment',
  },
  {
    shortname: 'VERT-ONLY',
    fullname: 'Nouveau cours sans passé',
    sites: ['vert'],
    content: 'none',
    sections: [],
    expected: 'refused',
    why: 'no course with this short name on bleu: refused before anything changes on vert',
  },
];
