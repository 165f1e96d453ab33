import type { AssignmentState, RequestState } from '../../db/entities';
import type { RequestView } from '../../server/domain/request-views';
import type { CardReply } from '../reply';
import { age, assignmentStateLabel, day, number, requestStateLabel, when } from '../texts';

export interface AccessItem {
  packageName: string;
  state: AssignmentState;
  endAt: Date | null;
  extensionAllowed: boolean;
}

/** The user's current access, soonest to end first. */
export function myAccessCard(items: AccessItem[]): CardReply {
  return {
    card: 'my-access',
    data: {
      heading: 'Your access',
      empty: items.length === 0,
      emptyText: 'You have no access through Accessbot yet.',
      items: items.map((a) => ({
        packageName: a.packageName,
        detail: `${assignmentStateLabel(a.state)} · ${a.endAt ? `until ${day(a.endAt)}` : 'no end date'}`,
        canExtend: a.extensionAllowed && a.endAt !== null,
        extendHint: `To keep it longer: extend ${a.packageName}`,
      })),
    },
  };
}

/** What the approvals card holds, for a surface that shows its results elsewhere (the Home). */
export interface ApprovalsData {
  hasResults: boolean;
  results: string;
}

/**
 * Requests waiting for this approver; several can be decided at once, each on its own.
 * `total`: how many wait, when `views` shows only the first of them.
 */
export function approvalsCard(
  views: RequestView[],
  now: Date,
  results?: string[],
  total = views.length,
): CardReply {
  return {
    card: 'approvals',
    data: {
      heading: total ? `Waiting for your decision (${total})` : 'Waiting for your decision',
      empty: views.length === 0,
      emptyText: 'Nothing is waiting for you.',
      hasItems: views.length > 0,
      items: views.map((v) => ({
        toggleId: `select-${v.id}`,
        title: `${number(v.number)} ${v.requester.displayName}: ${v.package.name}`,
        detail: `${v.justification ?? '(no justification)'} · ${age(v.createdAt, now)}`,
      })),
      hasResults: Boolean(results?.length),
      results: (results ?? []).join('\n\n'),
      reasonLabel: 'Reason (optional; some policies require one)',
      approveLabel: 'Approve selected',
      denyLabel: 'Deny selected',
    },
  };
}

/** A package's requests, for its managers. */
export function packageRequestsCard(
  input: {
    packageName: string;
    state?: RequestState;
    views: RequestView[];
    total: number;
  } & CsvOffer,
): CardReply {
  return adminResultsCard({
    heading: `Requests for ${input.packageName}${input.state ? ` (${requestStateLabel(input.state)})` : ''}`,
    lines: input.views.map((v) => ({
      title: `${number(v.number)} ${v.requester.displayName}`,
      detail: `${requestStateLabel(v.state)} · ${when(v.createdAt)}`,
    })),
    total: input.total,
    downloadUrl: input.downloadUrl,
    sentFile: input.sentFile,
  });
}

/** Who has a package, for its managers. */
/** How an assignment's roles stand, where some are not granted yet. */
export interface RoleProgress {
  roles: number;
  failed: number;
  /** Waiting for a person (manual connector). */
  awaiting: number;
  /** The first failure's message. */
  error: string | null;
}

const progressText = (p: RoleProgress) =>
  [
    p.failed ? `${p.failed} of ${p.roles} roles failed${p.error ? `: ${p.error}` : ''}` : '',
    p.awaiting ? `${p.awaiting} waiting for an owner to do by hand` : '',
  ]
    .filter(Boolean)
    .join(' · ');

export function packageAssignmentsCard(
  input: {
    packageName: string;
    rows: Array<{
      userName: string;
      state: AssignmentState;
      endAt: Date | null;
      progress?: RoleProgress;
    }>;
    total: number;
  } & CsvOffer,
): CardReply {
  return adminResultsCard({
    heading: `Who has ${input.packageName}`,
    lines: input.rows.map((r) => ({
      title: r.userName,
      detail: [
        assignmentStateLabel(r.state),
        r.endAt ? `until ${day(r.endAt)}` : 'no end date',
        ...(r.progress ? [progressText(r.progress)].filter(Boolean) : []),
      ].join(' · '),
    })),
    total: input.total,
    downloadUrl: input.downloadUrl,
    sentFile: input.sentFile,
  });
}

/** Where the full list is: a link, or a file already sent to the person (Slack). */
export interface CsvOffer {
  downloadUrl?: string;
  sentFile?: string;
}

/** A short list for managers, with the full list as a CSV link when there is more. */
export function adminResultsCard(
  input: {
    heading: string;
    lines: Array<{ title: string; detail: string }>;
    total?: number;
  } & CsvOffer,
): CardReply {
  const more = (input.total ?? input.lines.length) - input.lines.length;
  return {
    card: 'admin-results',
    data: {
      heading: input.heading,
      empty: input.lines.length === 0,
      emptyText: 'Nothing to show.',
      lines: input.lines,
      hasMore: more > 0,
      more: input.sentFile
        ? `…and ${more} more: the CSV file has all of them.`
        : `…and ${more} more: download the CSV for all of them.`,
      hasSent: Boolean(input.sentFile),
      sentText: `I sent you ${input.sentFile ?? 'the CSV file'} in our direct messages.`,
      hasDownload: Boolean(input.downloadUrl),
      downloadLabel: 'Download CSV (link works for 15 minutes)',
      downloadUrl: input.downloadUrl ?? '',
    },
  };
}
