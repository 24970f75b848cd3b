import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import multipart from '@fastify/multipart';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { authRoutes } from '../auth/auth.routes.js';
import { caseRoutes } from '../cases/case.routes.js';
import { caseImportRoutes } from '../cases/import/case-import.routes.js';
import { conductRoutes } from '../conduct/conduct.routes.js';
import { clockRoutes } from '../clocks/clock.routes.js';
import { escalationRoutes } from '../escalations/escalation.routes.js';
import { letterRoutes } from '../letters/letter.routes.js';
import { notificationRoutes } from '../notify/notification.routes.js';
import { portalAdminRoutes, portalRoutes } from '../portal/portal.routes.js';
import { surveyPageRoutes } from '../surveys/survey-page.routes.js';
import { publicSurveyRoutes, surveyRoutes } from '../surveys/survey.routes.js';
import { reportRoutes } from '../reports/report.routes.js';
import { webhookRoutes } from '../notify/webhook.routes.js';
import type { AppContext } from '../context.js';
import { dataCareRoutes } from '../datacare/datacare.routes.js';
import { historyRoutes } from '../history/history.routes.js';
import { registerMetrics } from '../ops/metrics.js';
import { createOps } from '../ops/ops.js';
import { unitRoutes } from '../org/unit.routes.js';
import { userRoutes } from '../org/user.routes.js';
import { registerAuthentication } from './authenticate.js';
import { registerErrorHandler } from './error-handler.js';
import { errorBody } from './errors.js';
import { healthRoutes } from './health.routes.js';
import { redactedPaths, serializeRequest } from './log-redaction.js';

export interface BuildAppOptions {
  /** false: no request log. Otherwise the log goes to stdout, or to `logStream` (tests read it). */
  logger?: boolean;
  logStream?: NodeJS.WritableStream;
  /** Folder of the built web UI; defaults to web/dist. */
  webDist?: string;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  ctx.ops ??= createOps();
  const app = Fastify({
    logger: options.logger === false ? false : {
      level: ctx.config.logLevel,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      serializers: { req: serializeRequest },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    // Request ids let a support engineer find one request in the logs.
    genReqId: () => crypto.randomUUID(),
    // Errors raised before routing (a URL that does not decode, e.g. %FF or a lone surrogate) get the documented error shape too.
    frameworkErrors: (error, _req, reply: FastifyReply) => {
      void reply.code(400).send(errorBody('bad_request', 'The URL is not valid: it contains an encoding that does not decode to text', { fastifyCode: error.code }));
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: ctx.config.secureCookies },
  });
  // Limits are per route (login, public portal); staff API traffic is authenticated and not throttled here.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) => ({
      statusCode: 429,
      ...errorBody('rate_limited', `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`),
    }),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'TrustDesk API', version: '1', description: 'Customer-trust operations: cases, clocks, escalations, conduct, surveys, reports.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'td_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // CSV uploads (case imports, survey recipients) arrive as text/csv; each route sets its own size limit.
  // The survey page without JavaScript posts a plain HTML form (surveys/survey-page.routes.ts).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 50 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  // API answers carry personal data: no browser or proxy cache may keep them.
  app.addHook('onSend', async (req, reply) => {
    if (/^\/(api|portal\/api|s\/api)\//.test(req.url) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  registerAuthentication(app, ctx);
  registerMetrics(app, ctx);
  await app.register(healthRoutes(ctx), { prefix: '/api/v1' });
  await app.register(authRoutes(ctx), { prefix: '/api/v1' });
  await app.register(unitRoutes(ctx), { prefix: '/api/v1' });
  await app.register(userRoutes(ctx), { prefix: '/api/v1' });
  await app.register(historyRoutes(ctx), { prefix: '/api/v1' });
  await app.register(caseRoutes(ctx), { prefix: '/api/v1' });
  await app.register(caseImportRoutes(ctx), { prefix: '/api/v1' });
  await app.register(clockRoutes(ctx), { prefix: '/api/v1' });
  await app.register(escalationRoutes(ctx), { prefix: '/api/v1' });
  await app.register(notificationRoutes(ctx), { prefix: '/api/v1' });
  await app.register(webhookRoutes(ctx), { prefix: '/api/v1' });
  await app.register(letterRoutes(ctx), { prefix: '/api/v1' });
  await app.register(surveyRoutes(ctx), { prefix: '/api/v1' });
  await app.register(conductRoutes(ctx), { prefix: '/api/v1' });
  await app.register(dataCareRoutes(ctx), { prefix: '/api/v1' });
  await app.register(reportRoutes(ctx), { prefix: '/api/v1' });
  await app.register(publicSurveyRoutes(ctx), { prefix: '/s/api' });
  await app.register(portalRoutes(ctx), { prefix: '/portal/api' });
  await app.register(portalAdminRoutes(ctx), { prefix: '/api/v1' });

  const webDist = options.webDist ?? path.join(projectRoot, 'web/dist');
  await app.register(surveyPageRoutes(ctx, webDist));
  await registerWebUi(app, webDist);
  return app;
}

/** Serves the single-page app; any non-API GET that is not a file gets index.html. */
async function registerWebUi(app: FastifyInstance, webDist: string) {
  const hasUi = fs.existsSync(path.join(webDist, 'index.html'));
  // wildcard: files are looked up per request, so a rebuilt UI is served without a restart.
  if (hasUi) {
    await app.register(fastifyStatic, { root: webDist, wildcard: true, index: false });
    app.get('/', { schema: { hide: true } }, (_req, reply) => reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html'));
  }
  app.setNotFoundHandler((req, reply) => {
    const isApi = req.url.startsWith('/api/') || req.url.startsWith('/portal/api/') || req.url.startsWith('/s/api/');
    if (!isApi && hasUi && (req.method === 'GET' || req.method === 'HEAD')) {
      return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.status(404).send(errorBody('not_found', `No route ${req.method} ${req.url.split('?')[0]}`));
  });
}
