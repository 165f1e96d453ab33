import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type RequestorScope = 'allMembers' | 'specificUsers' | 'externalDomains' | 'none';
export type ExpirationType = 'onDate' | 'afterDays' | 'afterHours' | 'never';
export type PrincipalRelation = 'requestor' | 'approver';

@Entity('policies')
export class Policy {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') packageId!: string;
  @Column('text') name!: string;
  @Column('text') description!: string;
  @Column('boolean') enabled!: boolean;
  @Column('text') requestorScope!: RequestorScope;
  @Column('text', { array: true }) externalDomains!: string[];
  @Column('boolean') approvalRequired!: boolean;
  @Column('boolean') requestorJustificationRequired!: boolean;
  @Column('boolean') approverJustificationRequired!: boolean;
  @Column('integer') approvalTimeoutDays!: number;
  @Column('text') expirationType!: ExpirationType;
  @Column('timestamptz', { nullable: true }) expirationDate!: Date | null;
  @Column('integer', { nullable: true }) expirationDays!: number | null;
  @Column('integer', { nullable: true }) expirationHours!: number | null;
  @Column('boolean') allowCustomSchedule!: boolean;
  @Column('boolean') extensionAllowed!: boolean;
  @Column('boolean') extensionRequiresApproval!: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
  @Column('timestamptz', { nullable: true }) deletedAt!: Date | null;
}

@Entity('policy_principals')
export class PolicyPrincipal {
  // The table's key is an expression index; TypeORM needs some primary key to map rows.
  @Column('uuid', { primary: true }) policyId!: string;
  @Column('text', { primary: true }) relation!: PrincipalRelation;
  @Column('uuid', { nullable: true }) userId!: string | null;
  @Column('uuid', { nullable: true }) groupId!: string | null;
}
