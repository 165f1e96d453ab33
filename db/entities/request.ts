import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintAsNumber } from './bigint';
import type { PolicySnapshot } from './policy-snapshot';
import type { RequestState } from './states';

export type RequestType =
  'userAdd' | 'userExtend' | 'userRemove' | 'adminAdd' | 'adminRemove' | 'systemRemove';

@Entity('access_requests')
export class AccessRequest {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Short number people can type: `cancel 42`. */
  @Column({ type: 'bigint', insert: false, update: false, transformer: bigintAsNumber })
  number!: number;
  @Column('text') type!: RequestType;
  @Column('text') state!: RequestState;
  @Column('uuid', { nullable: true }) requestorId!: string | null;
  @Column('uuid') targetUserId!: string;
  @Column('uuid') packageId!: string;
  @Column('uuid', { nullable: true }) policyId!: string | null;
  @Column('jsonb', { nullable: true }) policySnapshot!: PolicySnapshot | null;
  @Column('uuid', { nullable: true }) assignmentId!: string | null;
  @Column('text', { nullable: true }) justification!: string | null;
  @Column('timestamptz', { nullable: true }) requestedStart!: Date | null;
  @Column('timestamptz', { nullable: true }) requestedEnd!: Date | null;
  @Column('timestamptz', { nullable: true }) approvalDueAt!: Date | null;
  /** When the approvers were reminded, halfway through their window. */
  @Column('timestamptz', { nullable: true }) remindedAt!: Date | null;
  /** When the catalog's owners were asked too, a day before the deadline. */
  @Column('timestamptz', { nullable: true }) escalatedAt!: Date | null;
  @Column('uuid', { nullable: true }) decidedBy!: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt!: Date | null;
  @Column('text', { nullable: true }) decisionReason!: string | null;
  @Column('uuid', { nullable: true }) canceledBy!: string | null;
  @Column('timestamptz', { nullable: true }) canceledAt!: Date | null;
  @Column('text', { nullable: true }) cancelReason!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
  /** Bumped by the database on every update: which state a posted card shows. */
  @Column({ type: 'bigint', insert: false, update: false, transformer: bigintAsNumber })
  version!: number;
}

@Entity('request_approvers')
export class RequestApprover {
  @Column('uuid', { primary: true }) requestId!: string;
  @Column('uuid', { nullable: true }) userId!: string | null;
  @Column('uuid', { nullable: true }) groupId!: string | null;
}
