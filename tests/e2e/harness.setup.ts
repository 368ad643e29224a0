import { test as setup } from '@playwright/test';
import { reset, up } from '../../harness/harness.js';
import { findTree } from '../../harness/moodle-tree.js';
import { HARNESS_VERSION, NO_TREE_LINE } from './moodle-harness.js';

setup('the local Moodle pair is up, in its seeded state', async () => {
  setup.setTimeout(30 * 60_000);
  if (!findTree(HARNESS_VERSION)) {
    console.log(`\n${'!'.repeat(72)}\n${NO_TREE_LINE}\n${'!'.repeat(72)}\n`);
    setup.skip(true, NO_TREE_LINE);
    return;
  }
  await up(HARNESS_VERSION);
  // Every run starts from the seeded state, whatever an earlier run or a person left on the sites.
  await reset(HARNESS_VERSION);
});
