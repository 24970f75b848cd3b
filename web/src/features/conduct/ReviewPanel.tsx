import { Alert, Button, Group, NumberInput, Radio, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { conductKeys, reviewAssessment, type Assessment, type ReviewInput } from './conduct.api';

type Decision = ReviewInput['decision'];

/**
 * Compliance's review of a submitted cell: approve, return with comments, or override with a
 * reviewer score. The self-versus-reviewer gap is shown before the override is saved.
 */
export function ReviewPanel({ cell, onDone }: { cell: Assessment; onDone?: (saved: Assessment) => void }) {
  const queryClient = useQueryClient();
  const min = cell.scale?.min ?? 1;
  const max = cell.scale?.max ?? 5;
  const [decision, setDecision] = useState<Decision>('approve');
  const [comment, setComment] = useState('');
  const [reviewerScore, setReviewerScore] = useState<number | string>('');
  const [error, setError] = useState<string | null>(null);
  const gap = typeof reviewerScore === 'number' && cell.selfScore !== null ? cell.selfScore - reviewerScore : null;

  const review = useMutation({
    mutationFn: (input: ReviewInput) => reviewAssessment(cell.id, input),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: conductKeys.all });
      const word = decision === 'return' ? 'returned to the unit' : decision === 'override' ? `approved with reviewer score ${saved.reviewerScore}` : 'approved';
      notifications.show({
        color: 'teal',
        message: `${cell.practiceTitle} in ${cell.unitName} ${word}${saved.requiredActionId ? '; a required improvement action was created' : ''}`,
      });
      setComment('');
      onDone?.(saved);
    },
    onError: (failure) => setError(failure instanceof Error ? failure.message : 'Could not save the review'),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (decision === 'return') {
      if (!comment.trim()) return setError('Say what the unit should change or add before returning it.');
      return review.mutate({ decision, comment: comment.trim() });
    }
    if (decision === 'override') {
      if (typeof reviewerScore !== 'number') return setError(`Give your own score from ${min} to ${max}.`);
      if (!comment.trim()) return setError('Explain why your score differs.');
      return review.mutate({ decision, reviewerScore, comment: comment.trim() });
    }
    return review.mutate(comment.trim() ? { decision, comment: comment.trim() } : { decision });
  };

  const name = `${cell.practiceTitle} in ${cell.unitName}`;
  return (
    <form onSubmit={submit} noValidate aria-label={`Review ${name}`}>
      <Stack gap="sm">
        <Radio.Group label="Decision" value={decision} onChange={(value) => setDecision(value as Decision)}>
          <Group mt={4}>
            <Radio value="approve" label="Approve" />
            <Radio value="return" label="Return with comments" />
            <Radio value="override" label="Override the score" />
          </Group>
        </Radio.Group>
        {decision === 'override' && (
          <Group align="flex-end">
            <NumberInput label="Reviewer score" min={min} max={max} step={1} allowDecimal={false} value={reviewerScore} onChange={setReviewerScore} w={160} />
            <Text size="sm" pb={8} aria-live="polite">
              Self-assessed {cell.selfScore ?? '—'}
              {gap !== null ? ` · gap ${gap > 0 ? `+${gap}` : gap} (self minus reviewer)` : ''}
            </Text>
          </Group>
        )}
        <Textarea
          label={decision === 'approve' ? 'Comment (optional)' : 'Comment'}
          required={decision !== 'approve'}
          autosize
          minRows={2}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
        />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={review.isPending} color={decision === 'return' ? 'orange.9' : undefined}>
            {decision === 'approve' ? 'Approve' : decision === 'return' ? 'Return to the unit' : 'Approve with my score'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
