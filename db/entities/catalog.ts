import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type CatalogRoleName = 'catalogOwner' | 'packageManager';
/** Every kind of resource; the CHECK constraint on resources.type lists the same. */
export const RESOURCE_TYPES = [
  'slackChannel',
  'slackUserGroup',
  'm365Group',
  'appRole',
  'webhook',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

@Entity('catalogs')
export class Catalog {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') description!: string;
  @Column('boolean') enabled!: boolean;
  @Column('boolean') isGeneral!: boolean;
  @Column('uuid', { nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('catalog_roles')
export class CatalogRole {
  @PrimaryColumn('uuid') catalogId!: string;
  @PrimaryColumn('uuid') userId!: string;
  @PrimaryColumn('text') role!: CatalogRoleName;
}

@Entity('resources')
export class Resource {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') catalogId!: string;
  @Column('text') type!: ResourceType;
  /** The resource's id in its own system: a Slack channel id, an M365 group id, a URL. */
  @Column('text') originId!: string;
  @Column('text') displayName!: string;
  @Column('text') description!: string;
  @Column('jsonb') attributes!: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

@Entity('resource_roles')
export class ResourceRole {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') resourceId!: string;
  @Column('text') name!: string;
  @Column('text') description!: string;
}
