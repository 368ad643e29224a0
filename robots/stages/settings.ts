import type { SiteContext } from '../../pages/moodle-site.js';
import type { SettingsProfile } from '../../config/profile.js';
import { RestoreSettingsPage } from '../../pages/restore-settings-page.js';
import { blockingReasons, planSettings, type PlannedSetting } from '../../rules/settings-plan.js';
import type { StageRunner } from '../stage-runner.js';

/** The wizard's Settings stage: the profile's root settings, read back as applied. */
export function applyProfileSettings(run: StageRunner, wizard: SiteContext): Promise<void> {
  return run.on(wizard.page, 'settings', async () => {
    await run.expectStage(wizard.page, 'settings');
    const settings = new RestoreSettingsPage(wizard);
    const applied = await applySettings(settings, run.deps.profile);
    await run.evidence.attach('settings-as-applied', applied);
    const blocking = blockingReasons(applied.after);
    if (blocking.length > 0) run.refuse(blocking.join('; '));
    await run.evidence.capture(wizard.page, 'settings applied', 'before');
    await settings.next();
  });
}

interface AppliedSettings {
  before: PlannedSetting[];
  after: PlannedSetting[];
}

/** Applies the profile's plan (users first: its value decides what the others can be), then re-reads the form. */
async function applySettings(
  settings: RestoreSettingsPage,
  profile: SettingsProfile,
): Promise<AppliedSettings> {
  const observe = async () => {
    const observed = new Map(
      await Promise.all(
        profile.root.map(async (entry) => [entry.setting, await settings.observe(entry.setting)] as const),
      ),
    );
    return planSettings(profile, (setting) => observed.get(setting) ?? { state: 'absent' });
  };
  const before = await observe();
  for (const item of before) {
    if (item.outcome !== 'change' || item.resulting === undefined) continue;
    const now = await settings.observe(item.setting);
    if (now.state === 'editable') await settings.set(item.setting, item.resulting);
  }
  return { before, after: await observe() };
}
