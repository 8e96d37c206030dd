/** Every workflow the Uptake worker runs; the worker bundles this file. */
export { accountLifecycle } from './account-lifecycle';
