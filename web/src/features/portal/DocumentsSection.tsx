import { Alert, Button, FileInput, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatLongDateTime } from './portal-dates';
import { portalKeys, type PortalDocument, sendDocument } from './portal.api';
import classes from './portal.module.css';

/** Documents on the complaint, and a way for the customer to add one (a statement, a letter, a photo). */
export function DocumentsSection({ token, documents }: { token: string; documents: PortalDocument[] }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (f: File) => sendDocument(token, f),
    onSuccess: (doc) => {
      setSent(doc.filename);
      setFile(null);
      void queryClient.invalidateQueries({ queryKey: portalKeys.status(token) });
    },
  });
  return (
    <section aria-labelledby="portal-documents-heading">
      <Title order={2} size="h4" id="portal-documents-heading" mb="xs">
        Documents
      </Title>
      <Stack gap="sm">
        {documents.length === 0 ? (
          <Text size="sm">No documents yet.</Text>
        ) : (
          <ul className={classes.plainList} aria-label="Documents">
            {documents.map((d, i) => (
              <li key={`${d.filename}-${i}`}>
                <Text size="sm">
                  {d.filename} ({Math.max(1, Math.round(d.size / 1024))} KB), sent by {d.from === 'you' ? 'you' : 'us'} on{' '}
                  <time dateTime={d.at}>{formatLongDateTime(d.at)}</time>
                </Text>
              </li>
            ))}
          </ul>
        )}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setSent(null);
            if (file) upload.mutate(file);
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <FileInput
              label="Add a document"
              description="PDF, Word, Excel, text or a picture, up to 10 MB"
              placeholder="Choose a file"
              // Mantine's default placeholder grey is below 4.5:1 contrast.
              styles={{ placeholder: { color: 'var(--mantine-color-gray-7)' } }}
              value={file}
              onChange={setFile}
              accept=".pdf,.docx,.xlsx,.txt,.csv,.png,.jpg,.jpeg,.gif,.webp"
              clearable
              error={upload.isError ? (upload.error as Error).message : undefined}
              style={{ flex: '1 1 16rem' }}
            />
            <Button type="submit" disabled={!file} loading={upload.isPending}>
              Send document
            </Button>
          </Group>
        </form>
        {sent && (
          <Alert color="teal" role="status">
            Thank you: we have received {sent}.
          </Alert>
        )}
      </Stack>
    </section>
  );
}
