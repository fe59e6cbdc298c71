/** Which credentials run the tests, as the job summary and report.json name them. */

export interface TestCredentials {
  /**
   * `dynamic`: Tempest creates a project member per test class ([auth] use_dynamic_credentials);
   * `accounts-file`: the config's pre-provisioned accounts; `openrc-account`: the openrc's (non-admin) user as
   * the one pre-provisioned account.
   */
  kind: 'dynamic' | 'accounts-file' | 'openrc-account'
  /** Whether an account that runs tests has the admin role; null when it could not be checked. */
  admin: boolean | null
  /** One sentence: who runs the tests and how `admin` is known. */
  description: string
}
