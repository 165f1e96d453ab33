import { z } from 'zod';

/** `format=csv` turns a listing into a download; absent, the listing is JSON. */
export const formatParam = z.enum(['json', 'csv']).default('json');

/** Listing pages default to the domain's size; a CSV export without a limit holds everything. */
export const optionalLimit = z.coerce.number().int().min(1).max(1000).optional();
