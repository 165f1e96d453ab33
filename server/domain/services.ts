import { AfterCommitNotifier } from '../work/after-commit-notifier';
import { AssignmentService } from './assignments';
import { BrowseService } from './browse';
import { CatalogService } from './catalogs';
import { ChatIdentityService } from './chat-identities';
import type { DomainContext } from './context';
import { DecisionService } from './decisions';
import { DeliveryService } from './deliveries';
import { DownloadLinkService } from './download-links';
import { DirectoryService } from './directory';
import { ApprovalReminders } from './approval-reminders';
import { ExtensionService } from './extensions';
import { FulfillmentService } from './fulfillment';
import { InboundEvents } from './inbound-events';
import { ManualTasks } from './manual-tasks';
import { PackageService } from './packages';
import { PolicyService } from './policies';
import { RequestService } from './requests';
import { RequestViews } from './request-views';
import { RequestEligibility } from './request-eligibility';
import { ResourceService } from './resources';

export interface Services {
  ctx: DomainContext;
  directory: DirectoryService;
  identities: ChatIdentityService;
  catalogs: CatalogService;
  resources: ResourceService;
  packages: PackageService;
  policies: PolicyService;
  browse: BrowseService;
  requests: RequestService;
  requestViews: RequestViews;
  eligibility: RequestEligibility;
  decisions: DecisionService;
  deliveries: DeliveryService;
  downloads: DownloadLinkService;
  assignments: AssignmentService;
  fulfillment: FulfillmentService;
  reminders: ApprovalReminders;
  tasks: ManualTasks;
  extensions: ExtensionService;
  inboundEvents: InboundEvents;
}

export function createServices(ctx: DomainContext): Services {
  const policies = new PolicyService(ctx);
  // Requests, assignments and packages call each other; getters break the construction cycle.
  const s = {} as Services;
  Object.assign(s, {
    ctx,
    directory: new DirectoryService(ctx),
    identities: new ChatIdentityService(ctx),
    catalogs: new CatalogService(ctx),
    resources: new ResourceService(ctx),
    packages: new PackageService(ctx, () => s.requests),
    policies,
    browse: new BrowseService(ctx),
    eligibility: new RequestEligibility(ctx, policies),
    requests: new RequestService(ctx, policies, () => s.assignments),
    assignments: new AssignmentService(ctx, policies, () => s.requests),
    fulfillment: new FulfillmentService(ctx),
    reminders: new ApprovalReminders(ctx),
    tasks: new ManualTasks(ctx),
    extensions: new ExtensionService(ctx, policies),
    deliveries: new DeliveryService(ctx),
    downloads: new DownloadLinkService(ctx),
    inboundEvents: new InboundEvents(ctx),
  });
  s.decisions = new DecisionService(ctx, s.requests, new AfterCommitNotifier(ctx.db, ctx.logger));
  s.requestViews = new RequestViews(ctx, s.requests);
  return s;
}
