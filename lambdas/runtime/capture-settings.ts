/**
 * How a Lambda reads its model's data capture: the `capture` settings (attributes or a
 * preset) for the reader, and the probability threshold for the binary metrics. One
 * place, so drift, validate and quality read the capture the same way.
 */
import type { EvaluateOptions } from '../core/metrics';
import type { CaptureSettings } from '../../vocabulary/capture-presets';
import type { ModelSettings } from './model-settings';

/** Read options of a capture table for these settings (none when the config has no `capture`). */
export function captureReadOptions(settings: Pick<ModelSettings, 'capture'>): { capture?: CaptureSettings } {
  return settings.capture ? { capture: settings.capture } : {};
}

/** Evaluate options of live quality for these settings: the probability threshold, when set. */
export function captureEvaluateOptions(settings: Pick<ModelSettings, 'capture'>): EvaluateOptions {
  const t = settings.capture?.probabilityThreshold;
  return t === undefined ? {} : { probabilityThreshold: t };
}
