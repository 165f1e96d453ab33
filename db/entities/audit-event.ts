import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column('timestamptz') at!: Date;
  @Column('uuid', { nullable: true }) actorId!: string | null;
  /** Who acted when there is no user: 'system', 'scheduler', 'api:<token>'; else the user's email. */
  @Column('text') actorLabel!: string;
  /** adminApi, teams, slack, scheduler or system (server/domain/actor.ts CHANNELS). */
  @Column('text') channel!: string;
  /** The admin API token's name; with an actorId, the token acted on that user's behalf. */
  @Column('text', { nullable: true }) apiToken!: string | null;
  @Column('text') action!: string;
  @Column('text') subjectType!: string;
  @Column('text') subjectId!: string;
  @Column('jsonb') details!: Record<string, unknown>;
}
