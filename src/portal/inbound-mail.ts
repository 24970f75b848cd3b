import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { detectComplaint } from '../cases/case.js';
import { caseStream, insertCase } from '../cases/case.service.js';
import { resumeClocks } from '../clocks/clock.service.js';
import type { AppContext } from '../context.js';
import { caseMessages, cases } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { notify } from '../notify/notification.service.js';
import { listOrganisations } from '../org/organisation.service.js';
import { intakeUnit } from './portal.service.js';

const REF = /\bC-\d{4}-\d{6}\b/;
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export interface InboundMail {
  from: string;
  fromName?: string;
  to: string[];
  subject: string;
  text: string;
}

/**
 * An e-mail in: a reply is threaded to its case by the reference in the subject or the
 * recipient (reply+C-2026-000123@…) when it comes from the case's customer; anything else
 * opens a new case for the sender, routed like every other intake.
 */
export async function receiveMail(ctx: AppContext, mail: InboundMail): Promise<{ caseId: string; ref: string; threaded: boolean }> {
  const now = ctx.clock.now();
  const ref = mail.subject.match(REF)?.[0] ?? mail.to.map((t) => t.match(REF)?.[0]).find(Boolean);
  if (ref) {
    const [c] = await ctx.db.select().from(cases)
      .where(and(eq(cases.ref, ref), eq(sql`lower(${cases.customerEmail})`, mail.from.toLowerCase())));
    if (c) {
      await ctx.db.transaction(async (tx) => {
        const id = randomUUID();
        await tx.insert(caseMessages).values({ id, organisationId: c.organisationId, caseId: c.id, authorType: 'customer', authorId: null, body: mail.text, visibleToCustomer: true, createdAt: now });
        await appendEvent(tx, { organisationId: c.organisationId, stream: caseStream(c.id), type: 'customer.message', actorId: null, at: now, data: { messageId: id, channel: 'email', length: mail.text.length } });
        if (c.status === 'waiting_customer') {
          const resumed = await resumeClocks(tx, c.organisationId, { id: c.id, unitId: c.unitId }, now);
          await tx.update(cases).set({ status: 'open', updatedAt: now }).where(inOrg(cases, c.organisationId, eq(cases.id, c.id)));
          await appendEvent(tx, { organisationId: c.organisationId, stream: caseStream(c.id), type: 'case.status_changed', actorId: null, at: now, data: { from: 'waiting_customer', to: 'open', reason: 'customer replied by e-mail', resumedClocks: resumed } });
        }
        await notify(tx, { organisationId: c.organisationId, userIds: [c.ownerId], kind: 'customer_message', caseId: c.id, title: `${c.customerName} replied by e-mail on ${c.ref}`, body: mail.text.slice(0, 300) }, now, ctx.config.publicUrl);
      });
      return { caseId: c.id, ref: c.ref, threaded: true };
    }
  }
  const [org] = await listOrganisations(ctx.db);
  if (!org) throw new Error('no organisation to receive mail');
  const unitId = await intakeUnit(ctx.db, org.id);
  const text = `${mail.subject}\n${mail.text}`;
  const created = await ctx.db.transaction((tx) => insertCase(tx, ctx, { system: { organisationId: org.id, source: 'email' } }, {
    subject: mail.subject.slice(0, 300) || '(no subject)', description: mail.text || '(empty message)', channel: 'email', unitId,
    // The FCA's test is "any expression of dissatisfaction": an e-mail that reads like one is one.
    kind: detectComplaint(text).likely ? 'complaint' : 'request',
    customer: { name: mail.fromName || mail.from, email: mail.from },
  }));
  return { caseId: created.id, ref: created.ref, threaded: false };
}

/** The optional SMTP listener (INBOUND_SMTP_PORT). */
export async function startInboundSmtp(ctx: AppContext, port: number, host = '127.0.0.1', onError: (err: unknown) => void = () => undefined) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          const from = parsed.from?.value[0];
          if (!from?.address) throw Object.assign(new Error('A sender address is required'), { responseCode: 550 });
          await receiveMail(ctx, {
            from: from.address, fromName: from.name, to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '', text: (parsed.text ?? '').trim(),
          });
          callback();
        })
        .catch((err: Error & { responseCode?: number }) => {
          onError(err);
          // 4xx: the sender's server keeps the message and tries again, so nothing is lost.
          callback(Object.assign(new Error(err.responseCode ? err.message : 'Temporary failure, please retry'), { responseCode: err.responseCode ?? 451 }));
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
