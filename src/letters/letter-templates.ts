/**
 * Customer letters for the FCA complaint rules. Texts follow DISP 1.6 (acknowledgement, holding
 * response, final response) and DISP 1 Annex 3R (the Financial Ombudsman Service wording).
 * Fields in {{double braces}} are filled from the case or by the sender; a letter with an
 * unfilled required field cannot be sent.
 */
export const letterKinds = ['acknowledgement', 'summary_resolution', 'holding', 'final_response'] as const;
export type LetterKind = (typeof letterKinds)[number];

export interface LetterTemplate {
  kind: LetterKind;
  policy: 'fca-disp' | 'fca-psd' | 'any';
  subject: string;
  body: string;
  /** Fields that may be left empty (they disappear with their line). */
  optional: string[];
}

const ombudsman = `If you are not happy with our response, you can refer your complaint to the Financial Ombudsman Service, free of charge. You must do so within six months of the date of this letter. If you do not refer your complaint in time, the Ombudsman will not have our permission to consider it and so will only be able to do so in very limited circumstances, for example if it believes that the delay was as a result of exceptional circumstances.

Financial Ombudsman Service, Exchange Tower, London E14 9SR
0800 023 4567 · complaint.info@financial-ombudsman.org.uk · www.financial-ombudsman.org.uk`;

const signature = `Yours sincerely,

{{owner.name}}
{{owner.title}}, {{organisation.name}}`;

export const defaultTemplates: LetterTemplate[] = [
  {
    kind: 'acknowledgement', policy: 'any', optional: [],
    subject: 'We have received your complaint {{case.ref}}',
    body: `Dear {{customer.name}},

Thank you for your complaint, which we received on {{case.receivedDate}}. Your reference is {{case.ref}}.

I am {{owner.name}} and I will look after your complaint personally. We will send you our final response by {{deadline.finalResponse}} at the latest. If we cannot, we will write to you before then to explain why and to tell you when we expect to.

You can see what is happening and write to me at any time here: {{statusUrl}}

${signature}`,
  },
  {
    kind: 'summary_resolution', policy: 'fca-disp', optional: ['redress'],
    subject: 'Your complaint {{case.ref}} is resolved',
    body: `Dear {{customer.name}},

Thank you for talking to us about your complaint {{case.ref}}, received on {{case.receivedDate}}. We agreed that it is now resolved:

{{summary}}
{{redress}}

If you later decide that you are not happy with this, you can refer your complaint to the Financial Ombudsman Service, free of charge, within six months of the date of this letter.

Financial Ombudsman Service, Exchange Tower, London E14 9SR · 0800 023 4567 · www.financial-ombudsman.org.uk

${signature}`,
  },
  {
    kind: 'holding', policy: 'any', optional: [],
    subject: 'An update on your complaint {{case.ref}}',
    body: `Dear {{customer.name}},

I am sorry that we have not yet been able to send you our final response to your complaint {{case.ref}}, received on {{case.receivedDate}}.

This is because {{reasons}}.

We expect to send you our final response by {{expectedDate}}.

${ombudsman}

${signature}`,
  },
  {
    kind: 'final_response', policy: 'any', optional: ['redress'],
    subject: 'Our final response to your complaint {{case.ref}}',
    body: `Dear {{customer.name}},

This is our final response to your complaint {{case.ref}}, which we received on {{case.receivedDate}}.

Our decision: {{outcome}}.

{{summary}}
{{redress}}

${ombudsman}

${signature}`,
  },
];

const FIELD = /\{\{\s*([a-zA-Z.]+)\s*\}\}/g;

/** Fills a template; reports every required field left empty instead of sending "{{…}}" or a blank. */
export function renderTemplate(template: { subject: string; body: string; optional: string[] }, values: Record<string, string | undefined>) {
  const missing = new Set<string>();
  const fill = (text: string) => text
    .split('\n')
    .map((line) => {
      let dropLine = false;
      const filled = line.replace(FIELD, (_, name: string) => {
        const value = values[name]?.trim();
        if (value) return value;
        if (template.optional.includes(name)) {
          if (line.trim() === `{{${name}}}`) dropLine = true;
          return '';
        }
        missing.add(name);
        return `{{${name}}}`;
      });
      return dropLine ? null : filled;
    })
    .filter((l): l is string => l !== null)
    .join('\n');
  const subject = fill(template.subject);
  const body = fill(template.body);
  return { subject, body, missing: [...missing] };
}
