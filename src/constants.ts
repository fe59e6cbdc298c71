/** Names of the action's inputs, outputs and saved state: one place, used by config, report and post. */

export const Input = {
  Guideline: 'guideline',
  GuidelineSource: 'guideline-source',
  Program: 'program',
  Capabilities: 'capabilities',
  OpenstackRelease: 'openstack-release',
  AllowUncoveredRelease: 'allow-uncovered-release',
  RefstackServer: 'refstack-server',
  SshHost: 'ssh-host',
  SshPort: 'ssh-port',
  SshUser: 'ssh-user',
  SshPrivateKey: 'ssh-private-key',
  SshPassphrase: 'ssh-passphrase',
  SshKnownHosts: 'ssh-known-hosts',
  SshStrictHostKeyChecking: 'ssh-strict-host-key-checking',
  SshJumpHost: 'ssh-jump-host',
  Container: 'container',
  Install: 'install',
  RefstackClientRepo: 'refstack-client-repo',
  RefstackClientRef: 'refstack-client-ref',
  TempestVersion: 'tempest-version',
  TempestPath: 'tempest-path',
  TempestWorkspace: 'tempest-workspace',
  Workdir: 'workdir',
  TempestConf: 'tempest-conf',
  Openrc: 'openrc',
  CleanTestAccounts: 'clean-test-accounts',
  Parallel: 'parallel',
  RerunFailures: 'rerun-failures',
  TimeoutMinutes: 'timeout-minutes',
  Upload: 'upload',
  UploadKey: 'upload-key',
  ResultsFile: 'results-file',
  DryRun: 'dry-run',
  FailOnNoncompliance: 'fail-on-noncompliance',
  JunitFile: 'junit-file',
  ArtifactName: 'artifact-name',
  Reports: 'reports',
  Baseline: 'baseline',
  CloudName: 'cloud-name',
  FailOnSkipped: 'fail-on-skipped',
  Preflight: 'preflight'
} as const

export const Output = {
  Compliant: 'compliant',
  Compliance: 'compliance',
  Required: 'required',
  Passed: 'passed',
  Failed: 'failed',
  Missing: 'missing',
  Flagged: 'flagged',
  Skipped: 'skipped',
  Flaky: 'flaky',
  Partial: 'partial',
  Guideline: 'guideline',
  Program: 'program',
  ResultUrl: 'result-url',
  ResultId: 'result-id',
  TestList: 'test-list',
  ResultsFile: 'results-file',
  ReportFile: 'report-file',
  JunitFile: 'junit-file',
  NewFailures: 'new-failures',
  Fixed: 'fixed'
} as const

/** What the post step needs to stop a run that a cancelled job left behind. */
export const State = {
  /** The run's claim directory on the target (src/run/claim.ts): the post step releases it. */
  ClaimDir: 'claim-dir',
  RunDir: 'run-dir',
  RunPid: 'run-pid'
} as const
