import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import {
  addAssessment, assessmentEvents, getAssessment, listAssessments, markCellNotApplicable, reopenAssessment, reviewAssessment, saveDraft, setAssessmentEvidence, submitAssessment,
} from './assessment.service.js';
import {
  addAssessmentBody, assessmentDetail, assessmentListQuery, assessmentView, commentBody, draftBody, eventsView, evidenceIdsBody, justificationBody, reviewBody, submitBody,
} from './conduct.schemas.js';
import { pageSchema } from '../server/pagination.js';

const tags = ['conduct'];

export const assessmentRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/assessments', {
    schema: { summary: 'Cells (practice × unit) in your scope; filters cycle, unit subtree, practice, state, red', tags, querystring: assessmentListQuery, response: { 200: pageSchema(assessmentView) } },
  }, async (req) => listAssessments(ctx, actorOf(req), req.query));

  app.post('/assessments', {
    schema: { summary: 'Add a cell to an open cycle (admin, compliance)', tags, body: addAssessmentBody, response: { 201: assessmentDetail } },
  }, async (req, reply) => reply.status(201).send(await addAssessment(ctx, actorOf(req), req.body)));

  app.get('/assessments/:id', {
    schema: { summary: 'A cell with its scale, guidance, evidence and last cycle\'s answer (403 outside your units)', tags, params: idParam, response: { 200: assessmentDetail } },
  }, async (req) => getAssessment(ctx, actorOf(req), req.params.id));

  app.patch('/assessments/:id', {
    schema: { summary: 'Save the unit\'s draft self-assessment', tags, params: idParam, body: draftBody, response: { 200: assessmentDetail } },
  }, async (req) => saveDraft(ctx, actorOf(req), req.params.id, req.body));

  app.post('/assessments/:id/submit', {
    schema: { summary: 'Submit the self-assessment for review', tags, params: idParam, body: submitBody, response: { 200: assessmentDetail } },
  }, async (req) => submitAssessment(ctx, actorOf(req), req.params.id, req.body));

  app.post('/assessments/:id/review', {
    schema: { summary: 'Approve, return with comments, or override with a reviewer score (compliance); below the threshold creates a required action', tags, params: idParam, body: reviewBody, response: { 200: assessmentDetail } },
  }, async (req) => reviewAssessment(ctx, actorOf(req), req.params.id, req.body));

  app.post('/assessments/:id/not-applicable', {
    schema: { summary: 'The practice does not apply to this unit (justified)', tags, params: idParam, body: justificationBody, response: { 200: assessmentDetail } },
  }, async (req) => markCellNotApplicable(ctx, actorOf(req), req.params.id, req.body.justification));

  app.post('/assessments/:id/reopen', {
    schema: { summary: 'Compliance reopens a not-applicable cell', tags, params: idParam, body: commentBody, response: { 200: assessmentDetail } },
  }, async (req) => reopenAssessment(ctx, actorOf(req), req.params.id, req.body.comment));

  app.put('/assessments/:id/evidence', {
    schema: { summary: 'The evidence the cell cites (replaces the set)', tags, params: idParam, body: evidenceIdsBody, response: { 200: assessmentDetail } },
  }, async (req) => setAssessmentEvidence(ctx, actorOf(req), req.params.id, req.body.evidenceIds));

  app.get('/assessments/:id/events', {
    schema: { summary: 'The cell\'s history, oldest first', tags, params: idParam, response: { 200: eventsView } },
  }, async (req) => ({ items: await assessmentEvents(ctx, actorOf(req), req.params.id) }));
};
