import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { answerJson, plainGet, type DoorRecords } from '../../common/http/door-answer';
import type { FrontDoor } from '../../common/http/front-door';
import { HEALTH_HEADERS, HEALTH_ROUTE } from './health.route';
import { HealthService } from './health.service';

/**
 * Answers a healthy pod's `GET /api/v1/health` at the front door: the route's report, status,
 * headers, request id and request metrics (no access line, as for the route: a quiet probe),
 * written before Fastify's router, reply object and hooks — load balancers and monitors poll it.
 * An unhealthy or starting report (503, logged), HEAD, the `/api/health` alias and a request with
 * a body go to the route, as does everything once the pod drains (the door shuts).
 */
export function installHealthEdge(
  app: NestFastifyApplication,
  door: FrontDoor,
  records: DoorRecords,
): void {
  const health = app.get(HealthService);
  const isPlainHealth = plainGet(HEALTH_ROUTE);
  door.addGate((request, response) => {
    if (!isPlainHealth(request)) return false;
    const report = health.report();
    if (report.status !== 'healthy') return false;
    const body = JSON.stringify(report);
    answerJson(records, request, response, {
      route: HEALTH_ROUTE,
      status: 200,
      body,
      length: String(Buffer.byteLength(body)),
      routeHeaders: HEALTH_HEADERS,
    });
    return true;
  });
}
