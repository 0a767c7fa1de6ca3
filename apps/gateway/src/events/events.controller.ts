import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, TenantApi, type TenantPrincipal } from '@gw/auth';
import { EventFeedService, eventFeedResponseSchema } from '@gw/events';
import { ApiZodQuery, ApiZodResponse, parseRequest } from '@gw/http';
import { eventsQuerySchema } from './events.schemas';

/** The tenant's event feed (`GET /v1/events`): one call into libs/events' `EventFeedService`. */
@ApiTags('events')
@TenantApi()
@Controller('v1')
export class EventsController {
  constructor(private readonly feed: EventFeedService) {}

  @Get('events')
  @ApiOperation({
    summary: "This tenant's ordered event feed; pass `next` as `after` for the following page",
  })
  @ApiZodQuery(eventsQuerySchema)
  @ApiZodResponse(200, eventFeedResponseSchema)
  async events(@CurrentTenant() principal: TenantPrincipal, @Query() rawQuery: unknown) {
    const query = parseRequest(eventsQuerySchema, rawQuery, 'query');
    return this.feed.page(principal, query.after, query.limit);
  }
}
