"""Background jobs: each job's state and outcome, and its files in chunks, in the database

Long work (reading and committing an upload, big exports, the country report) runs on the task
queue's worker (docs/DECISIONS.md); every host reads a job's row and files from here.

Revision ID: 0010_background_jobs
Revises: 0009_sign_in_protection
Create Date: 2026-12-03 13:10:44.926134

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_background_jobs'
down_revision = '0009_sign_in_protection'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('background_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_background_jobs_batch_id_import_batches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_background_jobs_unit_id_units'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_background_jobs_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_background_jobs')),
    sa.UniqueConstraint('token', name=op.f('uq_background_jobs_token'))
    )
    with op.batch_alter_table('background_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_background_jobs_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_background_jobs_user_id'), ['user_id'], unique=False)

    op.create_table('job_chunks',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['background_jobs.id'], name=op.f('fk_job_chunks_job_id_background_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'name', 'seq', name=op.f('pk_job_chunks'))
    )


def downgrade():
    op.drop_table('job_chunks')
    with op.batch_alter_table('background_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_background_jobs_user_id'))
        batch_op.drop_index(batch_op.f('ix_background_jobs_updated_at'))

    op.drop_table('background_jobs')
