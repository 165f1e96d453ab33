import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintAsNumber } from './bigint';
import type { PolicySnapshot } from './policy-snapshot';
import type { AssignmentState } from './states';

export type FulfillmentAction = 'grant' | 'revoke';
/** `awaiting`: a person (a catalog owner) is asked to do it by hand, for a manual resource. */
export type FulfillmentState = 'pending' | 'awaiting' | 'delivered' | 'failed';

@Entity('assignments')
export class Assignment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') userId!: string;
  @Column('uuid') packageId!: string;
  @Column('uuid') policyId!: string;
  @Column('jsonb') policySnapshot!: PolicySnapshot;
  @Column('text') state!: AssignmentState;
  @Column('timestamptz') startAt!: Date;
  @Column('timestamptz', { nullable: true }) endAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
  @Column('timestamptz', { nullable: true }) endedAt!: Date | null;
  @Column('text', { nullable: true }) endReason!: string | null;
  /** Extension prompts sent for the current end (14 days, then 1 day before it). */
  @Column('smallint') extensionPrompts!: number;
  /** Bumped by the database on every update: which state a posted card shows. */
  @Column({ type: 'bigint', insert: false, update: false, transformer: bigintAsNumber })
  version!: number;
}

/** One row per resource role of an assignment: what the connector must do, and how it went. */
@Entity('fulfillments')
export class Fulfillment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') assignmentId!: string;
  @Column('uuid') resourceRoleId!: string;
  @Column('text') action!: FulfillmentAction;
  @Column('text') state!: FulfillmentState;
  @Column('integer') attempts!: number;
  @Column('text', { nullable: true }) lastError!: string | null;
  @Column('timestamptz', { nullable: true }) nextAttemptAt!: Date | null;
  /** Which action a result belongs to: bumped whenever the row is given a new action. */
  @Column('integer') generation!: number;
  /** The worker holding the row, and until when; its lease outlives a crash by this much. */
  @Column('uuid', { nullable: true }) claimToken!: string | null;
  @Column('timestamptz', { nullable: true }) claimedUntil!: Date | null;
  /** Who marked a manual task done or failed, and when. */
  @Column('uuid', { nullable: true }) completedBy!: string | null;
  @Column('timestamptz', { nullable: true }) completedAt!: Date | null;
  @Column({ type: 'bigint', insert: false, update: false, transformer: bigintAsNumber })
  version!: number;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
