import type { DataSource } from 'typeorm';
import type { Assignment, User } from '../../../db/entities';
import { iso } from '../dto/dates';
import { packagesById, usersById } from '../lookups';
import { csvOf, type CsvColumn } from './render';

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

export async function assignmentsCsv(db: DataSource, assignments: Assignment[]) {
  const users = await usersById(
    db,
    assignments.map((a) => a.userId),
  );
  const packages = await packagesById(
    db,
    assignments.map((a) => a.packageId),
  );
  const rows = assignments.map((a) => ({
    a,
    user: users.get(a.userId),
    pkg: packages.get(a.packageId)?.name ?? null,
  }));
  return csvOf('assignments', COLUMNS, rows);
}
