import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminApi } from '@gw/auth';
import { ApiProblems, ApiZodResponse } from '@gw/http';
import { QueueInspector } from '@gw/observability';
import { BACKLOG_STATES, queueBacklog, type QueueBacklog } from '@gw/queue';

const queueBacklogResponseSchema = z.object({
  queue: z.string(),
  counts: z.object(Object.fromEntries(BACKLOG_STATES.map((state) => [state, z.number().int()]))),
  oldestWaitingSeconds: z
    .number()
    .int()
    .nullable()
    .describe('age of the oldest waiting job; null when none waits'),
  paused: z.boolean(),
});

@ApiTags('admin: system')
@AdminApi()
@ApiProblems(401)
@Controller('admin/v1/system/queues')
export class AdminSystemQueuesController {
  constructor(private readonly inspector: QueueInspector) {}

  @Get()
  @ApiOperation({ summary: 'Every queue’s jobs per state and the age of its oldest waiting job' })
  @ApiZodResponse(200, z.object({ data: z.array(queueBacklogResponseSchema) }))
  @ApiProblems(503)
  async list(): Promise<{ data: QueueBacklog[] }> {
    const now = new Date();
    return { data: await Promise.all(this.inspector.queues.map((queue) => queueBacklog(queue, now))) };
  }
}
