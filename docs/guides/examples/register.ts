// Making a collector known by a short name, as `heaplab --collector copying` and the playground do.
import { CollectorRegistry } from '@heaplab/core';

export async function resolveCopying() {
  // #region register
  const registry = new CollectorRegistry([
    {
      name: 'copying',
      packageName: '@heaplab/gc-copying',
      description: 'semispace copying (Cheney): objects move, garbage is left behind',
      load: () => import('@heaplab/gc-copying'),
    },
  ]);
  const { factory, source } = await registry.resolve('copying');
  // #endregion register
  return { collector: factory(), source };
}
