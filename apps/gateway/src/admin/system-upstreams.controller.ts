import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminApi } from '@gw/auth';
import { CircuitBreakers, type UpstreamStatus } from '@gw/circuit-breaker';
import { ApiProblems, ApiZodResponse } from '@gw/http';

const upstreamStatusResponseSchema = z.object({
  upstream: z.enum(['maskinporten', 'altinn']),
  state: z
    .enum(['closed', 'open', 'half_open'])
    .describe('open: its jobs wait; half_open: a few probe jobs run; closed: every job runs'),
  since: z.string().nullable().describe('when it entered this state; null if it never left closed'),
  failures: z.number().int().describe('closed: upstream failures in a row so far'),
  failureThreshold: z.number().int().describe('failures in a row that open it'),
  probeAt: z.string().nullable().describe('open: when the first probe job may run'),
  probesAllowed: z.number().int().describe('half_open: probe jobs that may run at once now'),
  probesInFlight: z.number().int(),
});

@ApiTags('admin: system')
@AdminApi()
@ApiProblems(401)
@Controller('admin/v1/system/upstreams')
export class AdminSystemUpstreamsController {
  constructor(private readonly breakers: CircuitBreakers) {}

  @Get()
  @ApiOperation({
    summary: 'The circuit breaker of each upstream (Maskinporten, Altinn), as every worker shares it',
    description:
      'While a breaker is open the workers hold that upstream’s jobs back (no attempt spent, nothing failed) ' +
      'and probe with one job after a cool-down; see docs/upstream-contract.md#resilience.',
  })
  @ApiZodResponse(200, z.object({ data: z.array(upstreamStatusResponseSchema) }))
  @ApiProblems(503)
  async list(): Promise<{ data: UpstreamStatus[] }> {
    return { data: await this.breakers.status() };
  }
}
