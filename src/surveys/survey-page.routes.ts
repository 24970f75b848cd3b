import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { AppError } from '../server/errors.js';
import { type Answers, scales } from './survey-rules.js';
import { stringsFor } from './survey-strings.js';
import { publicSurvey, submitResponse } from './survey.service.js';

/**
 * `/s/:token` without JavaScript: the same single-page app is served, with the survey drawn on the
 * server inside <noscript> as a plain HTML form that posts back here. With JavaScript on, the
 * browser ignores the <noscript> and the app takes over; with it off, the basic kinds (scales,
 * choices, text) still work, skip logic becomes "answer if it applies", and errors come back on
 * the page.
 */

type PublicView = Awaited<ReturnType<typeof publicSurvey>>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function questionHtml(q: PublicView['questions'][number], value: unknown, error: string | undefined, lang: string) {
  const t = stringsFor(lang);
  const name = `answers.${q.id}`;
  const err = error ? `<p class="nojs-error" id="err-${q.id}">${escapeHtml(error)}</p>` : '';
  const req = q.required ? ' *' : '';
  const describedBy = error ? ` aria-describedby="err-${q.id}"` : '';
  const scale = scales[q.kind];
  const condition = q.showIf ? `<p class="nojs-hint">${escapeHtml(t.ifApplies)}</p>` : '';
  if (scale) {
    const ends = q.kind === 'csat' ? t.scaleEnds.csat : q.kind === 'ces' ? t.scaleEnds.ces : t.scaleEnds.zeroTen;
    const radios = [];
    for (let v = scale[0]; v <= scale[1]; v++) {
      radios.push(`<label class="nojs-choice"><input type="radio" name="${name}" value="${v}"${value === v ? ' checked' : ''}> ${v}</label>`);
    }
    return `<fieldset${describedBy}><legend>${escapeHtml(q.text)}${req}</legend><p class="nojs-hint">${escapeHtml(`${ends[0]}, ${ends[1]}`)}</p>${condition}${radios.join(' ')}${err}</fieldset>`;
  }
  if (q.kind === 'single' || q.kind === 'multi') {
    const type = q.kind === 'single' ? 'radio' : 'checkbox';
    const chosen = (v: string) => (Array.isArray(value) ? value.includes(v) : value === v);
    const boxes = (q.options ?? []).map((o) => `<label class="nojs-choice"><input type="${type}" name="${name}" value="${escapeHtml(o.value)}"${chosen(o.value) ? ' checked' : ''}> ${escapeHtml(o.text)}</label>`);
    const hint = q.kind === 'multi' ? `<p class="nojs-hint">${escapeHtml(t.chooseAll)}</p>` : '';
    return `<fieldset${describedBy}><legend>${escapeHtml(q.text)}${req}</legend>${hint}${condition}${boxes.join('<br>')}${err}</fieldset>`;
  }
  return `<p><label for="q-${q.id}">${escapeHtml(q.text)}${req}</label>${condition}<br><textarea id="q-${q.id}" name="${name}" rows="4" cols="50" maxlength="5000"${describedBy}>${escapeHtml(typeof value === 'string' ? value : '')}</textarea>${err}</p>`;
}

/** The page body for a browser without JavaScript: the form, the thanks page, or a message. */
export function noScriptBody(view: PublicView | null, token: string, state: { sent?: boolean; answers?: Answers; errors?: Record<string, string>; message?: string }): string {
  if (!view) return `<main><h1>This link does not work any more</h1><p>The survey may have closed, or the link may be incomplete.</p></main>`;
  const t = stringsFor(view.lang);
  if (state.sent) return `<main lang="${view.lang}"><h1>${escapeHtml(t.thanksTitle)}</h1><p>${escapeHtml(t.thanksBody(view.organisation.name))}</p></main>`;
  if (view.answered) return `<main lang="${view.lang}"><h1>${escapeHtml(t.alreadyTitle)}</h1><p>${escapeHtml(t.alreadyBody)}</p></main>`;
  const answers = state.answers ?? view.draft ?? {};
  const questions = view.questions.map((q) => questionHtml(q, answers[q.id], state.errors?.[q.id], view.lang)).join('\n');
  const alert = state.message ? `<div role="alert"><strong>${escapeHtml(t.notSent)}</strong>: ${escapeHtml(state.message)}</div>` : '';
  return `<main lang="${view.lang}"><p>${escapeHtml(view.organisation.name)}</p><h1>${escapeHtml(view.name)}</h1><p>${escapeHtml(t.intro)}</p>${alert}
<form method="post" action="/s/${encodeURIComponent(token)}?lang=${view.lang}">${questions}<p><button type="submit">${escapeHtml(t.send)}</button></p></form></main>`;
}

/** Form fields (`answers.<id>`) to answers, typed by each question's kind. */
export function answersFromForm(view: PublicView, form: URLSearchParams): Answers {
  const answers: Answers = {};
  for (const q of view.questions) {
    const values = form.getAll(`answers.${q.id}`).filter((v) => v.trim() !== '');
    if (values.length === 0) continue;
    if (scales[q.kind]) answers[q.id] = Number(values[0]);
    else if (q.kind === 'multi') answers[q.id] = values;
    else answers[q.id] = q.kind === 'text' ? values[0].trim() : values[0];
  }
  return answers;
}

const STYLE = '<style>.nojs{max-width:40rem;margin:1rem auto;padding:0 1rem;font:16px/1.5 system-ui,sans-serif}.nojs fieldset{margin:1rem 0;border:1px solid #ccc;padding:.75rem}.nojs-choice{display:inline-block;margin:.25rem .5rem .25rem 0}.nojs-error{color:#b00020;font-weight:600}.nojs-hint{color:#555;margin:.25rem 0}.nojs button{font-size:1rem;padding:.5rem 1rem}</style>';

export const surveyPageRoutes = (ctx: AppContext, webDist: string): FastifyPluginAsyncZod => async (app) => {
  const indexFile = path.join(webDist, 'index.html');
  const shell = () => (fs.existsSync(indexFile) ? fs.readFileSync(indexFile, 'utf8') : '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Survey</title></head><body><div id="root"></div></body></html>');
  const page = (body: string, lang = 'en') => shell()
    .replace(/<html lang="[^"]*"/, `<html lang="${lang}"`)
    .replace('<body>', `<body><noscript>${STYLE}<div class="nojs">${body}</div></noscript>`);
  const view = async (token: string, lang: string | undefined, acceptLanguage: string | undefined) => {
    try {
      return await publicSurvey(ctx, token, lang, acceptLanguage);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return null;
      throw err;
    }
  };
  const params = z.object({ token: z.string().min(1).max(100) });
  const query = z.object({ lang: z.string().max(10).optional() });

  app.get('/s/:token', {
    config: { public: true, rateLimit: { max: 120, timeWindow: '1 minute' } },
    schema: { hide: true, params, querystring: query },
  }, async (req, reply) => {
    const v = await view(req.params.token, req.query.lang, req.headers['accept-language']);
    return reply.type('text/html').header('cache-control', 'no-store').status(v ? 200 : 404).send(page(noScriptBody(v, req.params.token, {}), v?.lang));
  });

  app.post('/s/:token', {
    config: { public: true, rateLimit: { max: 30, timeWindow: '10 minutes' } },
    bodyLimit: 64 * 1024,
    schema: { hide: true, params, querystring: query, body: z.string().optional() },
  }, async (req, reply) => {
    const v = await view(req.params.token, req.query.lang, req.headers['accept-language']);
    const send = (status: number, body: string) => reply.type('text/html').header('cache-control', 'no-store').status(status).send(page(body, v?.lang));
    if (!v) return send(404, noScriptBody(null, req.params.token, {}));
    const answers = answersFromForm(v, new URLSearchParams(req.body ?? ''));
    try {
      await submitResponse(ctx, req.params.token, answers);
      return send(201, noScriptBody(v, req.params.token, { sent: true }));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.status === 409) return send(409, noScriptBody({ ...v, answered: true }, req.params.token, {}));
      const errors: Record<string, string> = {};
      for (const d of (err.details ?? []) as { path: string; message: string }[]) {
        if (d.path.startsWith('answers.')) errors[d.path.slice(8)] = d.message === 'an answer is required' ? stringsFor(v.lang).required : d.message;
      }
      return send(422, noScriptBody(v, req.params.token, { answers, errors, message: err.message }));
    }
  });
};
