/**
 * The command table of the pitstop CLI: each command's name and one-line summary, and
 * how to load it. A command's module (and what it imports: the data core, the AWS SDK,
 * local mode) is loaded only when that command runs or its help is asked for, so
 * `pitstop --help` and `pitstop --version` load none of them.
 */
import type { Command } from '../command';

/** One row of the command table. */
export interface CommandEntry {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Loads the command's module. */
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  // getting started
  {
    name: 'init',
    summary: 'Write a starting config: for an endpoint that already serves (--endpoint), or the local example (--example).',
    load: async () => (await import('./init')).initCommand,
  },
  // local mode
  {
    name: 'demo',
    summary: 'Run the retraining story locally: drift, alarm, retrain, gate, canary, promotion (no AWS account).',
    // Local mode runs from a clone only: the installed package gets a stand-in that says so.
    load: async () => {
      const { cloneOnlyCommand, runsFromSources } = await import('./clone-only');
      if (runsFromSources()) return (await import('./demo')).demoCommand;
      const string = { type: 'string' } as const;
      return cloneOnlyCommand('demo', 'demo [--scenario NAME] [--config FILE] [--model NAME] [--root DIR]', { scenario: string, config: string, model: string, root: string });
    },
  },
  // the data core, on files or s3:// URIs
  {
    name: 'profile',
    summary: 'Build a baseline profile (per-feature statistics, quantile bins, categories, label distribution) from training data.',
    load: async () => (await import('./profile')).profileCommand,
  },
  {
    name: 'validate',
    summary: 'Check data quality: schema, missing share, duplicates, out-of-range and unseen values, minimum rows, freshness, label shift.',
    load: async () => (await import('./validate')).validateCommand,
  },
  {
    name: 'drift',
    summary: 'Compare current data with reference data or a baseline profile, feature by feature (PSI, KL, JS, KS, Wasserstein, L-infinity, chi-square).',
    load: async () => (await import('./drift')).driftCommand,
  },
  {
    name: 'evaluate',
    summary: 'Compute evaluation metrics (scikit-learn semantics) from labels and model scores.',
    load: async () => (await import('./evaluate')).evaluateCommand,
  },
  {
    name: 'estimate',
    summary: 'Estimate a binary classifier\'s accuracy, precision, recall, F1 and ROC AUC on unlabeled data from its scores (CBPE), with 95 % bands.',
    load: async () => (await import('./estimate')).estimateCommand,
  },
  {
    name: 'gate',
    summary: 'Compare a candidate model with production on the same rows and apply the promotion gate.',
    load: async () => (await import('./gate')).gateCommand,
  },
  {
    name: 'example-data',
    summary: "Write the example churn data (training, holdout) in the example configs' layout, locally or to S3.",
    load: async () => (await import('./example-data')).exampleDataCommand,
  },
  // a deployed pipeline (AWS credentials and region from the SDK's usual chain)
  {
    name: 'trigger',
    summary: 'Start a retrain of a deployed model now (the cooldown applies unless --force; a running retrain is never doubled).',
    load: async () => (await import('./trigger')).triggerCommand,
  },
  {
    name: 'status',
    summary: 'Show what is running for a deployed model, and how its last run of each state machine ended.',
    load: async () => (await import('./status')).statusCommand,
  },
  {
    name: 'history',
    summary: 'List a deployed model\'s recent retrain runs with their outcomes (Promoted, Rejected, RolledBack, Skipped, Failed).',
    load: async () => (await import('./history')).historyCommand,
  },
  {
    name: 'approve',
    summary: 'Approve the candidate a retrain waits on (manual approval): the canary rollout starts.',
    load: async () => (await import('./approval')).approveCommand,
  },
  {
    name: 'reject',
    summary: 'Reject the candidate a retrain waits on (manual approval): the run ends Rejected, production untouched.',
    load: async () => (await import('./approval')).rejectCommand,
  },
  {
    name: 'rollback',
    summary: 'Put the previous (or a given) endpoint config back on a deployed model\'s endpoint.',
    load: async () => (await import('./rollback')).rollbackCommand,
  },
];
