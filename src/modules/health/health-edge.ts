import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  answerJson,
  plainGet,
  type DoorRecords,
  type JsonAnswer,
} from '../../common/http/door-answer';
import type { FrontDoor } from '../../common/http/front-door';
import { HEALTH_HEADERS, HEALTH_ROUTE } from './health.route';
import { HealthService, type HealthReport } from './health.service';

/** Whether two reports show the same values (field by field; a non-primitive is never equal). */
function sameReport(a: HealthReport, b: HealthReport): boolean {
  for (const field in a) {
    if (a[field as keyof HealthReport] !== b[field as keyof HealthReport]) return false;
  }
  return true;
}

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
  // The last answer, rendered again only when the report shows something new (its uptime ticks
  // once a second).
  let last: { report: HealthReport; answer: JsonAnswer } | undefined;
  door.addGate((request, response) => {
    if (!isPlainHealth(request)) return false;
    const report = health.report();
    if (report.status !== 'healthy') return false;
    if (last === undefined || !sameReport(report, last.report)) {
      const body = JSON.stringify(report);
      last = {
        report,
        answer: {
          route: HEALTH_ROUTE,
          status: 200,
          body,
          length: String(Buffer.byteLength(body)),
          routeHeaders: HEALTH_HEADERS,
        },
      };
    }
    answerJson(records, request, response, last.answer);
    return true;
  });
}
