import { z } from 'zod';
import type { BrowseItem } from '../../domain/browse';
import { named, uuid } from './schemas';

export const requestablePackageJson = named(
  'RequestablePackage',
  z
    .object({
      id: uuid,
      name: z.string(),
      description: z.string(),
      catalogId: uuid,
      catalogName: z.string(),
    })
    .strict(),
);
export type RequestablePackageDto = z.output<typeof requestablePackageJson>;

export const requestablePackagePageJson = named(
  'RequestablePackagePage',
  z
    .object({
      value: z.array(requestablePackageJson),
      nextCursor: z
        .string()
        .nullable()
        .describe('Pass as `cursor` for the next page; null on the last'),
    })
    .strict(),
);

export const requestablePackageDto = (p: BrowseItem): RequestablePackageDto => ({
  id: p.id,
  name: p.name,
  description: p.description,
  catalogId: p.catalogId,
  catalogName: p.catalogName,
});
