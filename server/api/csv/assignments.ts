import type { DataSource } from 'typeorm';
import type { Assignment, User } from '../../../db/entities';
import type { DomainContext } from '../../domain/context';
import { iso } from '../dto/dates';
import { packagesById, usersById } from '../lookups';
import { csvOf, perPage, type CsvColumn } from './render';

type Row = { a: Assignment; user: User | undefined; pkg: string | null };

const COLUMNS: Array<CsvColumn<Row>> = [
  { header: 'userEmail', value: ({ user }) => user?.email ?? null },
  { header: 'userDisplayName', value: ({ user }) => user?.displayName ?? null },
  { header: 'packageName', value: ({ pkg }) => pkg },
  { header: 'policyName', value: ({ a }) => a.policySnapshot?.name ?? null },
  { header: 'state', value: ({ a }) => a.state },
  { header: 'start', value: ({ a }) => iso(a.startAt) },
  { header: 'end', value: ({ a }) => iso(a.endAt) },
  { header: 'endedAt', value: ({ a }) => iso(a.endedAt) },
  { header: 'endReason', value: ({ a }) => a.endReason },
  { header: 'createdAt', value: ({ a }) => iso(a.createdAt) },
  { header: 'id', value: ({ a }) => a.id },
  { header: 'userId', value: ({ a }) => a.userId },
  { header: 'packageId', value: ({ a }) => a.packageId },
];

export function assignmentsCsv(
  ctx: Pick<DomainContext, 'db' | 'logger'>,
  pages: AsyncIterable<Assignment[]>,
) {
  return csvOf(
    'assignments',
    COLUMNS,
    perPage(pages, (page) => withNames(ctx.db, page)),
    ctx.logger,
  );
}

async function withNames(db: DataSource, assignments: Assignment[]): Promise<Row[]> {
  const users = await usersById(
    db,
    assignments.map((a) => a.userId),
  );
  const packages = await packagesById(
    db,
    assignments.map((a) => a.packageId),
  );
  return assignments.map((a) => ({
    a,
    user: users.get(a.userId),
    pkg: packages.get(a.packageId)?.name ?? null,
  }));
}
