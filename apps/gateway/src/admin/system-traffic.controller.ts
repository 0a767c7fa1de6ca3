import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminApi } from '@gw/auth';
import { ApiProblems, ApiZodQuery, ApiZodResponse, ZodValidationPipe } from '@gw/http';
import { RECENT_COUNTS_MAX_MINUTES, RecentCounts, type RecentTraffic } from '@gw/observability';

const trafficQuerySchema = z.object({
  minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(RECENT_COUNTS_MAX_MINUTES)
    .default(15)
    .describe('how far back to look, in whole minutes'),
});

const ratio = z.number().min(0).max(1).nullable();

const recentTrafficResponseSchema = z.object({
  minutes: z.number().int(),
  upstreams: z.array(
    z.object({
      upstream: z.string(),
      calls: z.number().int(),
      errors: z.number().int(),
      errorRate: ratio.describe('errors / calls; null without calls'),
    }),
  ),
  tokenCache: z.array(
    z.object({
      scope: z.string(),
      cache: z.number().int().describe('answered from the shared token cache'),
      fetched: z.number().int().describe('fetched from Maskinporten'),
      waited: z.number().int().describe('waited for another caller’s fetch of the same token'),
      hitRatio: ratio.describe('(cache + waited) / all; null without requests'),
    }),
  ),
});

@ApiTags('admin: system')
@AdminApi()
@ApiProblems(401)
@Controller('admin/v1/system/traffic')
export class AdminSystemTrafficController {
  constructor(private readonly recent: RecentCounts) {}

  @Get()
  @ApiOperation({
    summary: 'Upstream calls and error rates, and the token cache’s hit ratio, of every process together',
    description:
      'Counted by each gateway and worker and added up in Redis per minute; a process adds its counts every ' +
      'few seconds, so the current minute lags a little (docs/observability.md "Recent counts").',
  })
  @ApiZodQuery(trafficQuerySchema)
  @ApiZodResponse(200, recentTrafficResponseSchema)
  @ApiProblems(503)
  async read(
    @Query(new ZodValidationPipe(trafficQuerySchema, 'query')) query: z.output<typeof trafficQuerySchema>,
  ): Promise<RecentTraffic> {
    return this.recent.read(query.minutes);
  }
}
