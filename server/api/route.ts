import type { z } from 'zod';
import type { Actor } from '../domain/actor';
import type { Services } from '../domain/services';
import type { CsvFile } from './csv/render';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type ObjectSchema = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;

/** What a handler answers; a JSON reply gets its status from the route's `success`. */
export type Reply<T = unknown> =
  { kind: 'json'; body: T; location?: string } | { kind: 'empty' } | { kind: 'csv'; file: CsvFile };

export const ok = <T>(body: T): Reply<T> => ({ kind: 'json', body });
/** `location` is relative to the API root, e.g. `/catalogs/<id>`. */
export const created = <T>(location: string, body: T): Reply<T> => ({
  kind: 'json',
  body,
  location,
});
export const noContent = (): Reply<never> => ({ kind: 'empty' });
export const csvFile = (file: CsvFile): Reply<never> => ({ kind: 'csv', file });
/** Graph's collection shape, so fields such as a next-page cursor can sit beside the items. */
export const list = <T, E extends object = Record<never, never>>(value: T[], extra?: E) =>
  ok({ value, ...(extra as E) });

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  services: Services;
  actor: Actor;
}

/** One row of the route table: it drives both the express route and the OpenAPI operation. */
export interface RouteSpec<
  P extends ObjectSchema,
  Q extends ObjectSchema,
  B extends z.ZodType,
  R extends z.ZodType,
> {
  method: Method;
  /** OpenAPI style, relative to /api/v1: `/catalogs/{id}`. */
  path: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  success: { status: 200 | 201 | 204; description: string; csv?: boolean };
  /**
   * The JSON body of a 200 or 201, named in `dto/schemas.ts` so the document can refer to it.
   * Handlers are typed by it: without one, a route can answer only 204 or CSV.
   */
  response?: R;
  handler(input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<Reply<z.output<R>>>;
}

export type Route = RouteSpec<ObjectSchema, ObjectSchema, z.ZodType, z.ZodType>;

type Empty = z.ZodObject<Record<never, never>, z.core.$strict>;

/** Types a row's handler from its schemas, then erases them so rows fit in one table. */
export const route = <
  P extends ObjectSchema = Empty,
  Q extends ObjectSchema = Empty,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodNever,
>(
  spec: RouteSpec<P, Q, B, R>,
): Route => spec as unknown as Route;
