/** Whether pre-provisioned accounts make a test run as an admin, from Keystone's roles of each account. */
import { describe, expect, it } from 'vitest'
import { accountsCredentials } from '../../src/tempest/account-roles.js'

const accounts = [
  { username: 'm1', project_name: 'p1', password: 'x', roles: ['member'] },
  { username: 'm2', project_name: 'p2', password: 'x' },
  { username: 'boss', project_name: 'admin', password: 'x', roles: ['Admin'] },
  { username: 'gone', project_name: 'p4', password: 'x' }
]

describe('accountsCredentials', () => {
  it('no admin when Keystone gives the admin role only to an account listed with it', () => {
    const found = [
      { username: 'm1', project: 'p1', roles: ['member', 'reader'] },
      { username: 'm2', project: 'p2', roles: ['member'] },
      { username: 'boss', project: 'admin', roles: ['admin', 'member'] },
      {
        username: 'gone',
        project: 'p4',
        status: 401,
        error: 'The request you have made requires authentication.'
      }
    ]
    expect(accountsCredentials('/etc/tempest/accounts.yaml', accounts, found, 'admin')).toEqual({
      kind: 'accounts-file',
      admin: false,
      description:
        "4 pre-provisioned accounts of /etc/tempest/accounts.yaml: Keystone gives none of the 2 checked the admin role 'admin' (1 refused a token, see the pre-flight); 1 listed with the admin role, which Tempest gives only to tests asking for an admin"
    })
  })

  it('names an account that has the admin role in Keystone without being listed with it', () => {
    const found = [
      { username: 'm1', project: 'p1', roles: ['member'] },
      { username: 'm2', project: 'p2', roles: ['member', 'admin'] },
      { username: 'boss', project: 'admin', roles: ['admin'] },
      { username: 'gone', project: 'p4', roles: ['member'] }
    ]
    const credentials = accountsCredentials('a.yaml', accounts, found, 'admin')
    expect(credentials.admin).toBe(true)
    expect(credentials.description).toContain(
      "m2 (project p2) has the admin role 'admin' in Keystone without being listed with it, so tests run as an admin"
    )
  })
})
