import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column('timestamptz') at!: Date;
  @Column('uuid', { nullable: true }) actorId!: string | null;
  /** Who acted when there is no user: 'system', 'scheduler', 'api'; else the user's email. */
  @Column('text') actorLabel!: string;
  @Column('text') action!: string;
  @Column('text') subjectType!: string;
  @Column('text') subjectId!: string;
  @Column('jsonb') details!: Record<string, unknown>;
}
