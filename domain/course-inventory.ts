/**
 * A vert course as its course page shows it: read before the restore (is it empty?) and after it
 * (does it hold what the backup holds?).
 */
export interface CourseInventory {
  sections: { number: number; name: string; customName: boolean; hasSummary: boolean }[];
  activities: {
    cmid: number;
    modulename: string;
    name: string;
    sectionNumber: number;
    isNewsForum: boolean;
  }[];
}
