import { Controller, Get, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { type Readiness, ReadinessService } from './readiness.service';

/** Probes shared by every process: liveness never touches dependencies, readiness does. */
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const readiness = await this.readiness.check();
    void reply.status(readiness.ready ? 200 : 503);
    return readiness;
  }
}
