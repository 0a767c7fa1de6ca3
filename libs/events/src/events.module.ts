import { Module } from '@nestjs/common';
import { EventsCommittedListener } from './events-committed.listener';
import { EventsRepository } from './events.repository';

/** The outbox and the tenants' event feed over the process's DataSource (PersistenceModule). */
@Module({
  providers: [EventsRepository, EventsCommittedListener],
  exports: [EventsRepository, EventsCommittedListener],
})
export class EventsModule {}
