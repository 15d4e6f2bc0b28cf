/**
 * The local SageMaker Model Registry: model package groups and versioned model
 * packages with an approval status. A package's ARN is
 * `arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>`, versions
 * counting from 1 per group; the group must exist before a package is added, as in
 * SageMaker.
 */
import { sageMakerArn, type ResolvedOptions } from './deps';
import { validationError } from './errors';

/** Approval statuses of a model package. */
export const MODEL_APPROVAL_STATUS = {
  approved: 'Approved',
  rejected: 'Rejected',
  pending: 'PendingManualApproval',
} as const;

const APPROVALS: readonly string[] = Object.values(MODEL_APPROVAL_STATUS);

/** CustomerMetadataProperties' keys (1 to 128 characters) and values (1 to 256) match this pattern. */
const METADATA_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

/** Checks CustomerMetadataProperties as SageMaker does. @throws ValidationException naming the key */
function checkMetadata(properties: Readonly<Record<string, string>> | undefined): void {
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (key.length < 1 || key.length > 128 || !METADATA_PATTERN.test(key)) {
      throw validationError(`CustomerMetadataProperties key ${JSON.stringify(key)} must be 1 to 128 characters matching ${METADATA_PATTERN.source}`);
    }
    if (typeof value !== 'string' || value.length < 1 || value.length > 256 || !METADATA_PATTERN.test(value)) {
      throw validationError(`CustomerMetadataProperties value of ${JSON.stringify(key)} must be 1 to 256 characters matching ${METADATA_PATTERN.source}, got ${String(value).length} characters`);
    }
  }
}

interface Group {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly created: Date;
  versions: number;
}

interface ModelPackage {
  readonly arn: string;
  readonly group: string;
  readonly version: number;
  readonly created: Date;
  modified: Date;
  approval: string;
  approvalDescription?: string;
  customerMetadata: Record<string, string>;
  readonly input: Record<string, unknown>;
}

function checkApproval(status: unknown): string {
  if (typeof status !== 'string' || !APPROVALS.includes(status)) {
    throw validationError(`expected ModelApprovalStatus ${APPROVALS.join(' | ')}, got ${JSON.stringify(status)}`);
  }
  return status;
}

/** The model registry of one local SageMaker. */
export class LocalModelRegistry {
  private readonly groups = new Map<string, Group>();
  private readonly packages = new Map<string, ModelPackage>();

  public constructor(private readonly options: ResolvedOptions) {}

  /** Creates a group. */
  public async CreateModelPackageGroup(input: { ModelPackageGroupName: string; ModelPackageGroupDescription?: string }): Promise<{ ModelPackageGroupArn: string }> {
    const name = input.ModelPackageGroupName;
    if (!name) throw validationError('ModelPackageGroupName is required');
    if (this.groups.has(name)) throw validationError(`Model Package Group already exists: ${sageMakerArn(this.options, 'model-package-group', name)}`);
    const arn = sageMakerArn(this.options, 'model-package-group', name);
    this.groups.set(name, {
      name,
      arn,
      ...(input.ModelPackageGroupDescription ? { description: input.ModelPackageGroupDescription } : {}),
      created: new Date(),
      versions: 0,
    });
    return { ModelPackageGroupArn: arn };
  }

  /** The group in DescribeModelPackageGroup's output shape. */
  public async DescribeModelPackageGroup(input: { ModelPackageGroupName: string }): Promise<Record<string, unknown>> {
    const g = this.group(input.ModelPackageGroupName);
    return {
      ModelPackageGroupName: g.name,
      ModelPackageGroupArn: g.arn,
      ...(g.description ? { ModelPackageGroupDescription: g.description } : {}),
      CreationTime: g.created,
      ModelPackageGroupStatus: 'Completed',
    };
  }

  /** Adds a version to a group. */
  public async CreateModelPackage(input: {
    ModelPackageGroupName?: string;
    ModelPackageDescription?: string;
    ModelApprovalStatus?: string;
    InferenceSpecification?: Record<string, unknown>;
    ModelMetrics?: Record<string, unknown>;
    CustomerMetadataProperties?: Record<string, string>;
    [key: string]: unknown;
  }): Promise<{ ModelPackageArn: string }> {
    if (!input.ModelPackageGroupName) throw validationError('unversioned model packages are not supported locally: give ModelPackageGroupName');
    const g = this.group(input.ModelPackageGroupName);
    const approval = checkApproval(input.ModelApprovalStatus ?? MODEL_APPROVAL_STATUS.pending);
    checkMetadata(input.CustomerMetadataProperties);
    g.versions += 1;
    const arn = sageMakerArn(this.options, 'model-package', `${g.name}/${g.versions}`);
    const now = new Date();
    this.packages.set(arn, {
      arn,
      group: g.name,
      version: g.versions,
      created: now,
      modified: now,
      approval,
      customerMetadata: { ...(input.CustomerMetadataProperties ?? {}) },
      input: structuredClone(input),
    });
    return { ModelPackageArn: arn };
  }

  /** Changes a package's approval (and metadata). */
  public async UpdateModelPackage(input: {
    ModelPackageArn: string;
    ModelApprovalStatus?: string;
    ApprovalDescription?: string;
    CustomerMetadataProperties?: Record<string, string>;
    CustomerMetadataPropertiesToRemove?: string[];
  }): Promise<{ ModelPackageArn: string }> {
    const p = this.package(input.ModelPackageArn);
    checkMetadata(input.CustomerMetadataProperties);
    if (input.ModelApprovalStatus !== undefined) p.approval = checkApproval(input.ModelApprovalStatus);
    if (input.ApprovalDescription !== undefined) p.approvalDescription = input.ApprovalDescription;
    Object.assign(p.customerMetadata, input.CustomerMetadataProperties ?? {});
    for (const k of input.CustomerMetadataPropertiesToRemove ?? []) delete p.customerMetadata[k];
    p.modified = new Date();
    return { ModelPackageArn: p.arn };
  }

  /** The package in DescribeModelPackage's output shape (`ModelPackageName` is its ARN). */
  public async DescribeModelPackage(input: { ModelPackageName: string }): Promise<Record<string, unknown>> {
    const p = this.package(input.ModelPackageName);
    const i = p.input;
    return {
      ModelPackageName: p.group,
      ModelPackageGroupName: p.group,
      ModelPackageVersion: p.version,
      ModelPackageArn: p.arn,
      ...(i.ModelPackageDescription ? { ModelPackageDescription: i.ModelPackageDescription } : {}),
      CreationTime: p.created,
      LastModifiedTime: p.modified,
      ...(i.InferenceSpecification ? { InferenceSpecification: i.InferenceSpecification } : {}),
      ...(i.ModelMetrics ? { ModelMetrics: i.ModelMetrics } : {}),
      ModelPackageStatus: 'Completed',
      ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
      ModelApprovalStatus: p.approval,
      ...(p.approvalDescription ? { ApprovalDescription: p.approvalDescription } : {}),
      ...(Object.keys(p.customerMetadata).length ? { CustomerMetadataProperties: { ...p.customerMetadata } } : {}),
      CertifyForMarketplace: false,
    };
  }

  /** Packages of a group (or all), newest first by default, paginated. */
  public async ListModelPackages(
    input: {
      ModelPackageGroupName?: string;
      ModelApprovalStatus?: string;
      SortBy?: 'Name' | 'CreationTime';
      SortOrder?: 'Ascending' | 'Descending';
      MaxResults?: number;
      NextToken?: string;
    } = {},
  ): Promise<Record<string, unknown>> {
    if (input.ModelPackageGroupName) this.group(input.ModelPackageGroupName);
    const ascending = input.SortOrder === 'Ascending';
    const list = [...this.packages.values()]
      .filter((p) => !input.ModelPackageGroupName || p.group === input.ModelPackageGroupName)
      .filter((p) => !input.ModelApprovalStatus || p.approval === input.ModelApprovalStatus)
      .sort((a, b) => {
        const d = input.SortBy === 'Name' ? a.arn.localeCompare(b.arn) : a.created.getTime() - b.created.getTime() || a.version - b.version;
        return ascending ? d : -d;
      });
    const start = input.NextToken ? Number(input.NextToken) : 0;
    if (!Number.isInteger(start) || start < 0) throw validationError(`invalid NextToken ${JSON.stringify(input.NextToken)}`);
    const max = input.MaxResults ?? 100;
    const page = list.slice(start, start + max);
    return {
      ModelPackageSummaryList: page.map((p) => ({
        ModelPackageName: p.group,
        ModelPackageGroupName: p.group,
        ModelPackageVersion: p.version,
        ModelPackageArn: p.arn,
        ...(p.input.ModelPackageDescription ? { ModelPackageDescription: p.input.ModelPackageDescription } : {}),
        CreationTime: p.created,
        ModelPackageStatus: 'Completed',
        ModelApprovalStatus: p.approval,
      })),
      ...(start + max < list.length ? { NextToken: String(start + max) } : {}),
    };
  }

  private group(name: string): Group {
    const g = this.groups.get(name);
    if (!g) throw validationError(`Model Package Group does not exist: ${sageMakerArn(this.options, 'model-package-group', name ?? '')}`);
    return g;
  }

  private package(arn: string): ModelPackage {
    const p = this.packages.get(arn);
    if (!p) throw validationError(`ModelPackage ${arn} does not exist.`);
    return p;
  }
}
