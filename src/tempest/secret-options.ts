/**
 * The tempest.conf options whose values are secrets, and nothing else: Tempest's own options that oslo.config
 * marks `secret=True`, listed by `tempest.config.list_opts()` of Debian's python3-tempest 1:33.0.0-1 (Tempest
 * 33.0.0; __tests__/tempest/secret-options.test.ts lists them again from the installed package and compares),
 * plus `[identity] password`, which Tempest does not have but refstack-client reads for its CPID lookup (the
 * action writes the lookup's user there). A Tempest plugin's own secret options are not known here.
 */
export const TEMPEST_SECRET_OPTIONS: ReadonlyArray<readonly [section: string, option: string]> = [
  ['auth', 'admin_password'],
  ['validation', 'image_ssh_password'],
  ['validation', 'image_alt_ssh_password']
]

/** Options refstack-client reads that hold a secret, outside Tempest's own. */
export const REFSTACK_CLIENT_SECRET_OPTIONS: ReadonlyArray<readonly [section: string, option: string]> = [
  ['identity', 'password']
]
