export { operationsReport } from './operations-report.js';
export { reportRoutes } from './routes.js';
