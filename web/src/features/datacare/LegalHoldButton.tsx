import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../lib/api';
import { useInvalidateCases } from '../cases/case-mutations';
import { setLegalHold } from './datacare.api';

/** Compliance and admins place or clear a legal hold, with the reason the history records. */
export function LegalHoldButton({ caseId, legalHold }: { caseId: string; legalHold: boolean }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const invalidate = useInvalidateCases();
  const mutation = useMutation({
    mutationFn: () => setLegalHold(caseId, !legalHold, reason.trim()),
    onSuccess: async () => {
      await invalidate();
      setOpen(false);
      setReason('');
    },
  });
  const title = legalHold ? 'Clear the legal hold' : 'Place a legal hold';
  return (
    <>
      <Button size="compact-xs" variant="subtle" ml="xs" onClick={() => setOpen(true)}>
        {legalHold ? 'Clear hold' : 'Legal hold'}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={title}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            mutation.mutate();
          }}
        >
          <Stack>
            <Textarea
              label="Reason"
              description={legalHold ? 'Why the case may now be anonymised when its retention date has passed.' : 'The case and everything about it is kept past its retention date until the hold is cleared.'}
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
              error={mutation.isError ? (isApiError(mutation.error) ? mutation.error.message : 'Could not save') : undefined}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={mutation.isPending} disabled={!reason.trim()}>
                {title}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
