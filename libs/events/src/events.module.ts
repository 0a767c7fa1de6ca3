import { Module } from '@nestjs/common';
import { EventsRepository } from './events.repository';

/** The outbox and the tenants' event feed over the process's DataSource (PersistenceModule). */
@Module({ providers: [EventsRepository], exports: [EventsRepository] })
export class EventsModule {}
