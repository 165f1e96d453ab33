import { assignmentsCsv } from '../api/csv/assignments';
import type { CsvFile } from '../api/csv/render';
import { requestsCsv } from '../api/csv/requests';
import type { Actor } from '../domain/actor';
import type { Download } from '../domain/download-links';
import { exportAssignments, exportRequests } from '../domain/exports';
import type { Services } from '../domain/services';

/**
 * The CSV a chat export names, read as `actor`: the exports check their rights and parse the
 * query again, so a stored link's query is checked like any input. One definition for the
 * download link and for a file handed to the chat platform.
 */
export async function exportCsv(
  services: Services,
  actor: Actor,
  { kind, query }: Download,
): Promise<CsvFile> {
  return kind === 'requests'
    ? requestsCsv(services.ctx, await exportRequests(services.ctx, actor, query))
    : assignmentsCsv(services.ctx, await exportAssignments(services.ctx, actor, query));
}
