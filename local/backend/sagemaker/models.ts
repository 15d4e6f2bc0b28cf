/**
 * Local SageMaker models: CreateModel / DescribeModel / DeleteModel / ListModels. A
 * model names an image (which must map to local commands) and its artifacts.
 */
import { sageMakerArn, type ResolvedOptions } from './deps';
import { validationError } from './errors';
import { commandsOf, type ModelRecord } from './model-server';

/** A container definition of CreateModel. */
export interface ContainerDefinition {
  Image?: string;
  ModelDataUrl?: string;
  Environment?: Record<string, string>;
  Mode?: string;
  [key: string]: unknown;
}

/** The models of one local SageMaker. */
export class LocalModels {
  private readonly models = new Map<string, ModelRecord>();

  public constructor(private readonly options: ResolvedOptions) {}

  /** Stores a model; its image must map to local commands. */
  public async CreateModel(input: {
    ModelName: string;
    PrimaryContainer?: ContainerDefinition;
    Containers?: ContainerDefinition[];
    ExecutionRoleArn?: string;
    [key: string]: unknown;
  }): Promise<{ ModelArn: string }> {
    const name = input.ModelName;
    if (!name) throw validationError('ModelName is required');
    if (this.models.has(name)) {
      throw validationError(`Cannot create already existing model "${sageMakerArn(this.options, 'model', name)}".`);
    }
    const container = input.PrimaryContainer ?? input.Containers?.[0];
    if (!container?.Image) throw validationError('PrimaryContainer.Image is required');
    if (input.Containers && input.Containers.length > 1) throw validationError('inference pipelines (several Containers) are not supported locally');
    commandsOf(this.options, container.Image);
    const arn = sageMakerArn(this.options, 'model', name);
    this.models.set(name, {
      ModelName: name,
      ModelArn: arn,
      Image: container.Image,
      ...(container.ModelDataUrl ? { ModelDataUrl: container.ModelDataUrl } : {}),
      Environment: { ...(container.Environment ?? {}) },
      input: { ...input },
      CreationTime: new Date(),
    });
    return { ModelArn: arn };
  }

  /** The model in DescribeModel's output shape. */
  public async DescribeModel(input: { ModelName: string }): Promise<Record<string, unknown>> {
    const m = this.get(input.ModelName);
    const container = {
      Image: m.Image,
      Mode: 'SingleModel',
      ...(m.ModelDataUrl ? { ModelDataUrl: m.ModelDataUrl } : {}),
      Environment: m.Environment,
    };
    return {
      ModelName: m.ModelName,
      ModelArn: m.ModelArn,
      PrimaryContainer: container,
      ...(m.input.ExecutionRoleArn ? { ExecutionRoleArn: m.input.ExecutionRoleArn } : {}),
      CreationTime: m.CreationTime,
    };
  }

  /** Removes a model. */
  public async DeleteModel(input: { ModelName: string }): Promise<Record<string, never>> {
    this.get(input.ModelName);
    this.models.delete(input.ModelName);
    return {};
  }

  /** Summaries of every model, newest first. */
  public async ListModels(input: { NameContains?: string } = {}): Promise<Record<string, unknown>> {
    const list = [...this.models.values()]
      .filter((m) => !input.NameContains || m.ModelName.includes(input.NameContains))
      .sort((a, b) => b.CreationTime.getTime() - a.CreationTime.getTime())
      .map((m) => ({ ModelName: m.ModelName, ModelArn: m.ModelArn, CreationTime: m.CreationTime }));
    return { Models: list };
  }

  /** A model by name. @throws ValidationException when there is none */
  public get(name: string): ModelRecord {
    const m = this.models.get(name);
    if (!m) throw validationError(`Could not find model "${sageMakerArn(this.options, 'model', name ?? '')}".`);
    return m;
  }
}
