import {
  adminResultsCard,
  approvalsCard,
  myAccessCard,
  packageAssignmentsCard,
  packageRequestsCard,
} from '../../cards/builders/access-cards';
import { replies } from '../../cards/builders/replies';
import { helpCard } from '../../cards/builders/help';
import { messageCard } from '../../cards/builders/message';
import { notRequestableCard } from '../../cards/builders/not-requestable';
import { packagesCard } from '../../cards/builders/packages';
import { parseProblemCard } from '../../cards/builders/parse-problem';
import {
  approvalCard,
  decidedCard,
  myRequestsCard,
  receiptCard,
} from '../../cards/builders/request-cards';
import { decisionReasonCard } from '../../cards/builders/decision-reason';
import { requestFormCard } from '../../cards/builders/request-form';
import { endedCard, extendCard } from '../../cards/builders/assignment-notices';
import { taskCard } from '../../cards/builders/task-cards';
import type { CardReply } from '../../cards/reply';
import type { TaskView } from '../../server/domain/manual-tasks';
import type { RequestView } from '../../server/domain/request-views';

const now = new Date('2026-11-23T10:00:00Z');

function sampleTask(over: Partial<TaskView> = {}): TaskView {
  return {
    id: '0b7d3f52-7f0e-4b9c-9d61-0f6a3f1e2a11',
    version: 2,
    generation: 0,
    action: 'grant',
    state: 'awaiting',
    user: { displayName: 'User One', email: 'user1@woodgrove.example' },
    resource: { name: 'Engineering Group', originId: 'engineering-group' },
    role: 'member',
    completion: null,
    catalogId: 'c1',
    assignmentId: 'a1',
    ...over,
  };
}

export function sampleView(over: Partial<RequestView> = {}): RequestView {
  return {
    id: '6a88ec13-7464-4bca-805f-4c6f82e0ce63',
    number: 42,
    state: 'pendingApproval',
    version: 3,
    createdAt: new Date('2026-11-23T07:00:00Z'),
    package: { id: 'f62f31fa-837a-469a-b5fb-40be9b718903', name: 'Web project' },
    requester: { id: 'u1', displayName: 'User One', email: 'user1@woodgrove.example' },
    justification: 'Working on the web project',
    requestedStart: new Date('2026-12-01T00:00:00Z'),
    requestedEnd: new Date('2026-12-31T00:00:00Z'),
    policyName: 'Internal',
    approverReasonRequired: false,
    approvalDueAt: new Date('2026-12-07T07:00:00Z'),
    roles: [{ resource: 'Engineering Group', role: 'member' }],
    decision: null,
    cancellation: null,
    assignment: null,
    ...over,
  };
}

const packages = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Package ${i} with a reasonably long name`,
    description: i % 2 ? '' : 'Gives access to the shared drive and the project channel.',
  }));

/** Every builder, with data that exercises every conditional part of its template. */
export const SAMPLES: Array<[label: string, reply: CardReply]> = [
  ['message', messageCard('Done.')],
  ['message with title', messageCard('Nope.', { title: 'Web project', tone: 'error' })],
  ['help', helpCard({ manager: false })],
  ['help for managers', helpCard({ manager: true })],
  ['parse problem', parseProblemCard({ problem: 'badArguments', verb: 'cancel', field: 'number' })],
  ['packages', packagesCard({ items: packages(3), nextCursor: 'abc' })],
  ['packages, 50', packagesCard({ items: packages(50), text: 'pack', nextCursor: null })],
  ['packages, none', packagesCard({ items: [], nextCursor: null })],
  [
    'request form',
    requestFormCard({
      pkg: packages(1)[0],
      policies: [
        {
          id: 'p1',
          name: 'Internal',
          requestorJustificationRequired: true,
          allowCustomSchedule: true,
          approvalRequired: true,
        },
        {
          id: 'p2',
          name: 'Quick',
          requestorJustificationRequired: true,
          allowCustomSchedule: false,
          approvalRequired: false,
        },
      ],
      values: { justification: 'because' },
      errors: { justification: 'Say why you need this access.', general: 'Something else.' },
    }),
  ],
  ['receipt', receiptCard(sampleView(), { autoApproved: false })],
  [
    'approval',
    approvalCard(sampleView({ approverReasonRequired: true }), { now, refreshUserIds: ['29:a'] }),
  ],
  ['decision reason, approve', decisionReasonCard(sampleView(), 'approve')],
  [
    'decision reason, deny, refused once',
    decisionReasonCard(sampleView({ justification: 'x'.repeat(3000) }), 'deny', 'Give a reason.'),
  ],
  [
    'decided',
    decidedCard(
      sampleView({ state: 'denied', decision: { by: 'Admin One', at: now, reason: 'No' } }),
    ),
  ],
  ['my requests', myRequestsCard([sampleView(), sampleView({ state: 'delivered', number: 7 })])],
  [
    'my requests, 20',
    myRequestsCard(Array.from({ length: 20 }, (_, i) => sampleView({ number: i }))),
  ],
  [
    'my access',
    myAccessCard([
      { packageName: 'Web project', state: 'delivered', endAt: now, extensionAllowed: true },
    ]),
  ],
  [
    'approvals',
    approvalsCard([sampleView(), sampleView({ id: 'b8f1c0a2-0000-4000-8000-000000000001' })], now, [
      '#42 approved',
    ]),
  ],
  ['approvals, none', approvalsCard([], now)],
  [
    'admin results',
    adminResultsCard({
      heading: 'Requests',
      lines: [{ title: '#42', detail: 'x' }],
      total: 120,
      downloadUrl: 'https://a.example/d/x',
    }),
  ],
  [
    'admin results, the CSV sent as a file',
    adminResultsCard({
      heading: 'Requests',
      lines: [{ title: '#42', detail: 'x' }],
      total: 120,
      sentFile: 'requests-web-2026-12-06.csv',
    }),
  ],
  [
    'package requests',
    packageRequestsCard({ packageName: 'Web', state: 'denied', views: [sampleView()], total: 1 }),
  ],
  [
    'package assignments',
    packageAssignmentsCard({
      packageName: 'Web',
      rows: [{ userName: 'User One', state: 'delivered', endAt: null }],
      total: 30,
      downloadUrl: 'https://a.example/d/y',
    }),
  ],
  ['task, waiting', taskCard(sampleTask())],
  ['task, revoke', taskCard(sampleTask({ action: 'revoke' }))],
  [
    'task, failed',
    taskCard(
      sampleTask({ state: 'failed', completion: { by: 'Olga', at: now, reason: 'VPN down' } }),
    ),
  ],
  [
    'ended, expired',
    endedCard({
      id: 'a1',
      version: 4,
      packageName: 'Web project',
      state: 'expired',
      endAt: now,
      endedAt: now,
      endReason: 'Expired.',
      extensionPrompts: 1,
      extensionNeedsApproval: true,
    }),
  ],
  [
    'ended, removed',
    endedCard({
      id: 'a1',
      version: 4,
      packageName: 'Web project',
      state: 'removed',
      endAt: now,
      endedAt: now,
      endReason: 'Left the project',
      extensionPrompts: 0,
      extensionNeedsApproval: true,
    }),
  ],
  [
    'extend',
    extendCard({
      id: '0b7d3f52-7f0e-4b9c-9d61-0f6a3f1e2a11',
      version: 2,
      packageName: 'Web project',
      state: 'delivered',
      endAt: now,
      endedAt: null,
      endReason: null,
      extensionPrompts: 1,
      extensionNeedsApproval: false,
    }),
  ],
  ...replySamples(),
  [
    'not requestable',
    notRequestableCard('Web project', {
      requestable: false,
      reason: 'notInScope',
      owners: ['Olga'],
    }),
  ],
];

/** Every short reply, called with arguments of the right kinds. */
function replySamples(): Array<[string, CardReply]> {
  const r = replies;
  return [
    ['reply unidentified', r.unidentified()],
    ['reply tenantNotAllowed', r.tenantNotAllowed()],
    ['reply internalError', r.internalError()],
    ['reply oldCard', r.oldCard()],
    ['reply unreadableCard', r.unreadableCard()],
    ['reply noSuchRequestablePackage', r.noSuchRequestablePackage('Web')],
    ['reply noSuchPackage', r.noSuchPackage('Web')],
    ['reply unknownPerson', r.unknownPerson('dana@woodgrove.example')],
    ['reply choosePolicy', r.choosePolicy(['A', 'B'])],
    ['reply assigned', r.assigned('Dana', 'Web', 'delivered', now)],
    ['reply noActiveAssignment', r.noActiveAssignment('Dana', 'Web')],
    ['reply removed', r.removed('Dana', 'Web')],
    ['reply hidden', r.hidden('Web', true)],
    ['reply canceled', r.canceled(42)],
    ['reply nothingToExtend', r.nothingToExtend('Web')],
    ['reply extended', r.extended('Web', now)],
    ['reply selectFirst', r.selectFirst()],
  ];
}
