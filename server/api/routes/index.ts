import type { Route } from '../route';
import { accessPackageRoutes } from './access-packages';
import { assignmentPolicyRoutes } from './assignment-policies';
import { assignmentRequestRoutes } from './assignment-requests';
import { assignmentRoutes } from './assignments';
import { auditEventRoutes } from './audit-events';
import { catalogRoutes } from './catalogs';
import { groupRoutes } from './groups';
import { resourceRoutes } from './resources';
import { userRoutes } from './users';

/** The admin API, route by route: express routes and the OpenAPI document are both made from it. */
export const API_ROUTES: readonly Route[] = [
  ...catalogRoutes,
  ...resourceRoutes,
  ...accessPackageRoutes,
  ...assignmentPolicyRoutes,
  ...assignmentRequestRoutes,
  ...assignmentRoutes,
  ...userRoutes,
  ...groupRoutes,
  ...auditEventRoutes,
];
