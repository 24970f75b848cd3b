import { Alert, Box, Button, Checkbox, FileInput, NativeSelect, Radio, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../lib/api';
import { fieldErrorsFrom } from '../../lib/form-errors';
import { fetchProducts, fileComplaint, portalKeys, sendDocument, type ComplaintInput, type PreferredContact } from './portal.api';
import { PortalLayout, usePortalTitle } from './PortalLayout';
import classes from './portal.module.css';

interface FormValues {
  name: string;
  email: string;
  phone: string;
  customerRef: string;
  product: string;
  whatHappened: string;
  desiredOutcome: string;
  preferredContact: PreferredContact;
  needsSupport: boolean;
  supportNote: string;
}

/** The order of the fields on the page: focus goes to the first one with a problem. */
const FIELD_ORDER = [
  'name',
  'email',
  'phone',
  'customerRef',
  'product',
  'whatHappened',
  'desiredOutcome',
  'preferredContact',
  'supportNote',
] as const;

/** Messages in plain words, used when the server's own message is a technical one. */
const PLAIN_MESSAGES: Record<string, string> = {
  name: 'Please tell us your name',
  email: 'Please give an e-mail address we can write to, like name@example.com',
  phone: 'Please use only digits, spaces and + ( ) -',
  whatHappened: 'Please tell us what happened',
  preferredContact: 'Please choose how we should contact you',
};

const SOMETHING_ELSE = 'Something else';
const RATE_LIMITED =
  'You have sent several complaints in a short time. Please wait a few minutes and try again.';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[+0-9 ()-]*$/;

const tooLong = (value: string, max: number) => (value.trim().length > max ? `Please keep this under ${max.toLocaleString('en-GB')} characters` : null);

/** Zod's default messages ("Invalid input: expected string…") mean nothing to a customer. */
const isTechnical = (message: string) => /^(invalid|expected|required)\b/i.test(message);

export function ComplaintPage() {
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const org = searchParams.get('org');
  const products = useQuery({ queryKey: portalKeys.products(org), queryFn: ({ signal }) => fetchProducts(org, signal) });
  const organisation = products.data?.organisation.name;
  usePortalTitle('Make a complaint', organisation);

  const honeypot = useRef<HTMLInputElement>(null);
  const [formError, setFormError] = useState<string | null>(null);

  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: {
      name: '',
      email: '',
      phone: '',
      customerRef: '',
      product: '',
      whatHappened: '',
      desiredOutcome: '',
      preferredContact: 'email',
      needsSupport: false,
      supportNote: '',
    },
    validate: {
      name: (value) => (value.trim() ? tooLong(value, 200) : PLAIN_MESSAGES.name),
      email: (value) => (EMAIL.test(value.trim()) ? tooLong(value, 254) : PLAIN_MESSAGES.email),
      phone: (value, values) => {
        if (!PHONE.test(value.trim())) return PLAIN_MESSAGES.phone;
        if (values.preferredContact === 'phone' && !value.trim()) return 'Please give a phone number so we can call you';
        return tooLong(value, 40);
      },
      customerRef: (value) => tooLong(value, 100),
      whatHappened: (value) => (value.trim() ? tooLong(value, 20_000) : PLAIN_MESSAGES.whatHappened),
      desiredOutcome: (value) => tooLong(value, 5_000),
      supportNote: (value, values) => (values.needsSupport ? tooLong(value, 2_000) : null),
    },
  });

  const focusField = (field: string) => {
    const node = form.getInputNode(field as keyof FormValues);
    node?.focus();
    return Boolean(node);
  };

  const focusFirst = (errors: Record<string, unknown>) => {
    for (const field of FIELD_ORDER) {
      if (errors[field] && focusField(field)) return;
    }
  };

  const [documents, setDocuments] = useState<File[]>([]);
  const mutation = useMutation({
    mutationFn: async (input: ComplaintInput) => {
      const filed = await fileComplaint(input, org);
      // The complaint is in; documents follow one by one, and one that is refused does not undo it.
      const refused: string[] = [];
      for (const file of documents) {
        try {
          await sendDocument(filed.token, file);
        } catch (err) {
          refused.push(`${file.name}: ${(err as Error).message}`);
        }
      }
      return { filed, refused };
    },
    onSuccess: ({ filed, refused }) => {
      const path = filed.statusUrl.startsWith('/') ? filed.statusUrl : `/portal/status/${encodeURIComponent(filed.token)}`;
      navigate(path, { state: { filedRef: filed.ref, refusedDocuments: refused } });
    },
    onError: (error) => {
      if (isApiError(error) && error.status === 429) {
        setFormError(RATE_LIMITED);
        return;
      }
      if (isApiError(error) && error.code === 'validation_failed') {
        const byField = fieldErrorsFrom(error.details);
        const placed: Record<string, string> = {};
        for (const field of FIELD_ORDER) {
          const message = byField[field];
          if (message) placed[field] = isTechnical(message) ? (PLAIN_MESSAGES[field] ?? 'Please check this answer') : message;
        }
        if (Object.keys(placed).length > 0) {
          form.setErrors(placed);
          focusFirst(placed);
          return;
        }
        setFormError('We could not accept the form. Please check your answers and try again.');
        return;
      }
      if (isApiError(error) && error.status === 0) {
        setFormError(`${error.message} Your answers are still here.`);
        return;
      }
      setFormError(
        'Sorry, something went wrong on our side and your complaint has not been sent yet. Your answers are still here: please try again in a few minutes.',
      );
    },
  });

  const submit = form.onSubmit((values) => {
    setFormError(null);
    const optional = (value: string) => value.trim() || undefined;
    mutation.mutate({
      name: values.name.trim(),
      email: values.email.trim(),
      phone: optional(values.phone),
      customerRef: optional(values.customerRef),
      product: values.product && values.product !== SOMETHING_ELSE ? values.product : undefined,
      whatHappened: values.whatHappened.trim(),
      desiredOutcome: optional(values.desiredOutcome),
      preferredContact: values.preferredContact,
      needsSupport: values.needsSupport,
      supportNote: values.needsSupport ? optional(values.supportNote) : undefined,
      website: honeypot.current?.value ?? '',
    });
  }, focusFirst);

  const productOptions = [
    { value: '', label: products.isPending ? 'Loading the list…' : 'Choose one (optional)' },
    ...(products.data?.products ?? []).map((product) => ({ value: product, label: product })),
    { value: SOMETHING_ELSE, label: SOMETHING_ELSE },
  ];

  return (
    <PortalLayout organisation={organisation}>
      <Stack gap="lg">
        <Box>
          <Title order={1} size="h2" mb="xs">
            Make a complaint
          </Title>
          <Text>
            Tell us what went wrong. A named person will look after your complaint, and we will show you straight
            away who it is and what happens next.
          </Text>
          <Text mt="xs">
            Questions marked with a star (*) must be answered. The others are optional.
          </Text>
        </Box>

        <form onSubmit={submit} noValidate aria-label="Make a complaint">
          <Stack gap="md">
            <Title order={2} size="h4">
              About you
            </Title>
            <TextInput label="Your name" autoComplete="name" required {...form.getInputProps('name')} />
            <TextInput
              label="E-mail"
              type="email"
              autoComplete="email"
              inputMode="email"
              description="We will send your reference and a link to follow your complaint to this address."
              required
              {...form.getInputProps('email')}
            />
            <TextInput label="Phone (optional)" type="tel" autoComplete="tel" inputMode="tel" {...form.getInputProps('phone')} />
            <TextInput
              label="Customer or account reference (optional)"
              description="If you have one, it helps us find your details quickly."
              {...form.getInputProps('customerRef')}
            />

            <Title order={2} size="h4" mt="sm">
              Your complaint
            </Title>
            <NativeSelect
              label="Product (optional)"
              description="Which product or service is it about?"
              data={productOptions}
              {...form.getInputProps('product')}
            />
            <Textarea
              label="What happened"
              description="Tell us in your own words. Dates, amounts and who you spoke to all help."
              autosize
              minRows={5}
              required
              {...form.getInputProps('whatHappened')}
            />
            <Textarea
              label="What would put it right for you? (optional)"
              autosize
              minRows={3}
              {...form.getInputProps('desiredOutcome')}
            />

            <Title order={2} size="h4" mt="sm">
              How we keep in touch
            </Title>
            <Radio.Group label="How should we contact you?" {...form.getInputProps('preferredContact')}>
              <Stack gap="xs" mt="xs">
                <Radio value="email" label="E-mail" />
                <Radio value="phone" label="Phone" />
                <Radio value="letter" label="Letter" />
              </Stack>
            </Radio.Group>
            <Checkbox
              label="I need extra support"
              description="For example because of your health, a disability, a bereavement or money worries. Telling us helps us look after you."
              {...form.getInputProps('needsSupport', { type: 'checkbox' })}
            />
            {form.values.needsSupport && (
              <Textarea label="Tell us what would help" autosize minRows={3} {...form.getInputProps('supportNote')} />
            )}

            <FileInput
              label="Documents (optional)"
              description="Statements, letters or photos that show what happened: PDF, Word, Excel, text or pictures, up to 10 MB each, at most 5."
              placeholder="Choose files"
              // Mantine's default placeholder grey is below 4.5:1 contrast.
              styles={{ placeholder: { color: 'var(--mantine-color-gray-7)' } }}
              multiple
              clearable
              value={documents}
              onChange={(files) => setDocuments(files.slice(0, 5))}
              accept=".pdf,.docx,.xlsx,.txt,.csv,.png,.jpg,.jpeg,.gif,.webp"
            />

            {/* Real people never see this field and leave it empty; bots fill it in. */}
            <div className={classes.honeypot} aria-hidden="true">
              <label htmlFor="portal-website">Website</label>
              <input ref={honeypot} id="portal-website" name="website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
            </div>

            {formError && (
              <Alert color="red" title="Your complaint has not been sent" role="alert">
                {formError}
              </Alert>
            )}
            <Box>
              <Button type="submit" size="md" loading={mutation.isPending} w={{ base: '100%', xs: 'auto' }}>
                Send my complaint
              </Button>
            </Box>
          </Stack>
        </form>
      </Stack>
    </PortalLayout>
  );
}
