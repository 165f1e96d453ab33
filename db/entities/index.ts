export * from './directory';
export * from './catalog';
export * from './access-package';
export * from './policy';
export * from './request';
export * from './assignment';
export * from './chat-message';
export * from './audit-event';
export * from './policy-snapshot';
export * from './states';

import { User, UserIdentity, DirectoryRole, Group, GroupMember } from './directory';
import { Catalog, CatalogRole, Resource, ResourceRole } from './catalog';
import { AccessPackage, AccessPackageResourceRole } from './access-package';
import { Policy, PolicyPrincipal } from './policy';
import { AccessRequest, RequestApprover } from './request';
import { Assignment, Fulfillment } from './assignment';
import { ChatMessage } from './chat-message';
import { AuditEvent } from './audit-event';

export const ENTITIES = [
  User,
  UserIdentity,
  DirectoryRole,
  Group,
  GroupMember,
  Catalog,
  CatalogRole,
  Resource,
  ResourceRole,
  AccessPackage,
  AccessPackageResourceRole,
  Policy,
  PolicyPrincipal,
  AccessRequest,
  RequestApprover,
  Assignment,
  Fulfillment,
  ChatMessage,
  AuditEvent,
];
