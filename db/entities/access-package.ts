import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('access_packages')
export class AccessPackage {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') catalogId!: string;
  @Column('text') name!: string;
  @Column('text') description!: string;
  @Column('boolean') hidden!: boolean;
  @Column('uuid', { nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
  @Column('timestamptz', { nullable: true }) deletedAt!: Date | null;
}

@Entity('access_package_resource_roles')
export class AccessPackageResourceRole {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') packageId!: string;
  @Column('uuid') resourceRoleId!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
