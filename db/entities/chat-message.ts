import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintAsNumber } from './bigint';
import type { Platform } from './directory';

/** A card we posted, kept so that every copy can be re-rendered when its subject changes. */
@Entity('chat_messages')
export class ChatMessage {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') platform!: Platform;
  @Column('text') conversationId!: string;
  @Column('text') messageId!: string;
  @Column('uuid', { nullable: true }) recipientUserId!: string | null;
  @Column('text') subjectType!: 'request' | 'assignment';
  @Column('uuid') subjectId!: string;
  /** Which card: 'approval', 'outcome', … */
  @Column('text') card!: string;
  /** The identity it went to; its conversation reference says where the platform is reached. */
  @Column('uuid', { nullable: true }) identityId!: string | null;
  /** The version of the subject the card shows. */
  @Column({ type: 'bigint', transformer: bigintAsNumber }) version!: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
