export { executionPageRoutes } from './routes.ts';
export type { ExecutionPageOptions } from './routes.ts';
export { PAGE_PREFIX } from './layout.ts';
