import type { DataSource } from 'typeorm';
import type { AccessRequest } from '../../../db/entities';
import type { DomainContext } from '../../domain/context';
import { iso } from '../dto/dates';
import { packagesById, usersById } from '../lookups';
import { csvOf, perPage, type CsvColumn } from './render';

type Row = { r: AccessRequest; email(id: string | null): string | null; pkg: string | null };

const COLUMNS: Array<CsvColumn<Row>> = [
  { header: 'number', value: ({ r }) => r.number },
  { header: 'state', value: ({ r }) => r.state },
  { header: 'type', value: ({ r }) => r.type },
  { header: 'packageName', value: ({ pkg }) => pkg },
  { header: 'policyName', value: ({ r }) => r.policySnapshot?.name ?? null },
  { header: 'targetUserEmail', value: ({ r, email }) => email(r.targetUserId) },
  { header: 'requestorEmail', value: ({ r, email }) => email(r.requestorId) },
  { header: 'justification', value: ({ r }) => r.justification },
  { header: 'requestedStart', value: ({ r }) => iso(r.requestedStart) },
  { header: 'requestedEnd', value: ({ r }) => iso(r.requestedEnd) },
  { header: 'decidedByEmail', value: ({ r, email }) => email(r.decidedBy) },
  { header: 'decidedAt', value: ({ r }) => iso(r.decidedAt) },
  { header: 'decisionReason', value: ({ r }) => r.decisionReason },
  { header: 'canceledByEmail', value: ({ r, email }) => email(r.canceledBy) },
  { header: 'canceledAt', value: ({ r }) => iso(r.canceledAt) },
  { header: 'cancelReason', value: ({ r }) => r.cancelReason },
  { header: 'createdAt', value: ({ r }) => iso(r.createdAt) },
  { header: 'id', value: ({ r }) => r.id },
  { header: 'packageId', value: ({ r }) => r.packageId },
  { header: 'assignmentId', value: ({ r }) => r.assignmentId },
];

export function requestsCsv(
  ctx: Pick<DomainContext, 'db' | 'logger'>,
  pages: AsyncIterable<AccessRequest[]>,
) {
  return csvOf(
    'assignment-requests',
    COLUMNS,
    perPage(pages, (page) => withNames(ctx.db, page)),
    ctx.logger,
  );
}

async function withNames(db: DataSource, requests: AccessRequest[]): Promise<Row[]> {
  const users = await usersById(
    db,
    requests.flatMap((r) => [r.targetUserId, r.requestorId, r.decidedBy, r.canceledBy]),
  );
  const packages = await packagesById(
    db,
    requests.map((r) => r.packageId),
  );
  const email = (id: string | null) => (id ? (users.get(id)?.email ?? null) : null);
  return requests.map((r) => ({ r, email, pkg: packages.get(r.packageId)?.name ?? null }));
}
