import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type UserKind = 'internal' | 'external';
export type Platform = 'teams' | 'slack';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') displayName!: string;
  @Column('text') email!: string;
  @Column('text') domain!: string;
  @Column('text') kind!: UserKind;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

@Entity('user_identities')
export class UserIdentity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') userId!: string;
  @Column('text') platform!: Platform;
  /** Teams tenant id or Slack team id. */
  @Column('text') tenantId!: string;
  /** AAD object id or Slack user id. */
  @Column('text') platformUserId!: string;
  @Column('jsonb', { nullable: true }) conversationReference!: Record<string, unknown> | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

@Entity('directory_roles')
export class DirectoryRole {
  @PrimaryColumn('uuid') userId!: string;
  @PrimaryColumn('text') role!: 'catalogCreator';
}

@Entity('groups')
export class Group {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') description!: string;
  @Column('text') source!: 'local' | 'slack' | 'entra';
  @Column('text', { nullable: true }) externalId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

@Entity('group_members')
export class GroupMember {
  @PrimaryColumn('uuid') groupId!: string;
  @PrimaryColumn('uuid') userId!: string;
}
