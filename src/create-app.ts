import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type AppModuleOptions } from './app.module';
import { rewriteUnversionedApi } from './common/http/api-aliases';
import { installJsonBodyParser } from './common/http/json-body-parser';
import { answerClientErrors } from './common/http/client-error';
import { FrontDoor } from './common/http/front-door';
import { requestIdFrom } from './common/http/request-id';
import { MAX_PATH_PARAM_LENGTH } from './common/http/url-path';
import { answerFrameworkError, RequestObserver } from './common/http/request-observer';
import { AccessLog } from './common/logging/access-log';
import { NestPinoLogger } from './common/logging/nest-logger';
import { registerMeRoute } from './modules/auth/me.route';
import { installMeEdge } from './modules/auth/me-edge';
import { installRefusalEdge } from './modules/auth/refusal-edge';
import { installHealthEdge } from './modules/health/health-edge';
import { registerHealthRoute } from './modules/health/health.route';
import { ReadinessState } from './modules/health/readiness.state';
import { HttpMetrics } from './modules/observability/http-metrics';

function trustedProxies(config: AppModuleOptions['config']): string[] | false {
  const list = config.rateLimit.trustedProxies.map((entry) =>
    entry === 'private' ? 'uniquelocal' : entry,
  );
  return list.length > 0 ? list : false;
}

/** Builds the Nest application on Fastify (routes, filters, request observer); the caller listens. */
export async function createApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const { config, log } = options;
  const door = new FrontDoor();
  const recorder = config.telemetry ? new HttpMetrics() : undefined;
  const access = new AccessLog(log);
  const adapter = new FastifyAdapter({
    serverFactory: door.serverFactory,
    logController: new RequestObserver(access, recorder),
    requestIdHeader: false,
    genReqId: requestIdFrom,
    bodyLimit: config.http.jsonBodyLimit,
    rewriteUrl: rewriteUnversionedApi,
    return503OnClosing: true,
    // X-Forwarded-For names the client only when the peer is a trusted proxy.
    trustProxy: trustedProxies(config),
    skipMiddie: true,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // URLs the router cannot take (bad percent-encoding, an over-long parameter) get problem
    // documents too, instead of Fastify's own JSON.
    frameworkErrors: answerFrameworkError(access, recorder),
    // and bytes that never became a request (a bad request line, headers over the limit)
    clientErrorHandler: answerClientErrors(recorder),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    adapter,
    { logger: new NestPinoLogger(log), abortOnError: false, bodyParser: false },
  );
  installJsonBodyParser(app, config.http.jsonBodyLimit);
  // A remembered refusal first: a flood is refused before its key is even looked up.
  const records = { access, recorder };
  installRefusalEdge(app, door, records);
  installMeEdge(app, door, records);
  installHealthEdge(app, door, records);
  // The gates are shortcuts for a serving pod: once it drains (final), every request takes the
  // application's full path; closing, Fastify answers every request with its 503.
  app.get(ReadinessState).onDraining(() => door.shut());
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preClose', (done) => {
      door.shut();
      done();
    });
  registerHealthRoute(app);
  registerMeRoute(app, log);
  return app;
}

/** Creates, listens and marks the instance ready; returns the bound port. */
export async function startApp(
  options: AppModuleOptions,
): Promise<{ app: NestFastifyApplication; port: number }> {
  const app = await createApp(options);
  await app.listen({ port: options.config.http.port, host: options.config.http.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : options.config.http.port;
  app.get(ReadinessState).markReady();
  return { app, port };
}
