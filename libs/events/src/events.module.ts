import { Module } from '@nestjs/common';
import { EventFeedService } from './event-feed.service';
import { EventsCommittedListener } from './events-committed.listener';
import { EventsRepository } from './events.repository';

/** The outbox and the tenants' event feed over the process's DataSource (PersistenceModule). */
@Module({
  providers: [EventsRepository, EventFeedService, EventsCommittedListener],
  exports: [EventsRepository, EventFeedService, EventsCommittedListener],
})
export class EventsModule {}
