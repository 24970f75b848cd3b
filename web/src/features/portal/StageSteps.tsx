import { IconCheck, IconPointFilled } from '@tabler/icons-react';
import type { Stage } from './portal.api';
import classes from './portal.module.css';

const STEPS: { stage: Stage; label: string }[] = [
  { stage: 'received', label: 'Received' },
  { stage: 'being_looked_into', label: 'Being looked into' },
  { stage: 'waiting_for_you', label: 'Waiting for you' },
  { stage: 'answered', label: 'Answered' },
  { stage: 'closed', label: 'Closed' },
];

/**
 * Where the complaint is, as an ordered list. The current step says "We are here" in words and
 * carries aria-current="step"; colour and weight only repeat it.
 */
export function StageSteps({ stage }: { stage: Stage }) {
  const current = Math.max(0, STEPS.findIndex((step) => step.stage === stage));
  return (
    <ol className={classes.steps} aria-label="Progress of your complaint">
      {STEPS.map((step, index) => {
        const state = index < current ? 'done' : index === current ? 'current' : 'later';
        return (
          <li
            key={step.stage}
            className={classes.step}
            data-state={state}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            {state === 'done' && <IconCheck size={18} aria-hidden />}
            {state === 'current' && <IconPointFilled size={18} aria-hidden />}
            <span className={classes.stepText}>
              <span>{step.label}</span>
              <span className={classes.stepState}>{state === 'done' ? 'Done' : state === 'current' ? 'We are here' : 'Not yet'}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
