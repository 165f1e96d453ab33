import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
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
  @Column('text') card!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
