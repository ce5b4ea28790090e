/**
 * `@heaplab/collectors`: heaplab's shipped collectors by short name, on core's
 * {@link CollectorRegistry}, plus loading a user's collector module by path.
 *
 * @packageDocumentation
 */

export type { CollectorRegistry, ResolvedCollector } from '@heaplab/core';
export {
  createCollectorRegistry,
  DEFAULT_COMPARE_SET,
  SHIPPED_COLLECTORS,
} from './registry.js';
