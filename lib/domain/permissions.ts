import type { Role } from "./roles";

// The single map from role to allowed operation. Every check in the code goes through can();
// scoping (own company, own user) is done by the query or service that applies the permission.
const matrix = {
  "portal.access": ["buyer", "customer_admin"],
  "admin.access": ["sales", "finance", "admin"],
  "users.manage": ["admin"],
  "users.manage_own_company": ["customer_admin"],
  "companies.read": ["sales", "finance", "admin"],
  "companies.manage": ["admin"],
  // Address books (issue 14): staff edit any company's (billing and ship-to), a customer admin
  // their own company's ship-to addresses; buyers only pick one per order.
  "company_addresses.manage": ["customer_admin", "sales", "admin"],
  "audit.read": ["finance", "admin"],
  "audit.verify": ["admin"],
  "catalog.browse": ["buyer", "customer_admin"],
  "catalog.preview": ["sales", "finance", "admin"],
  "products.read": ["sales", "finance", "admin"],
  "products.manage": ["sales", "admin"],
  "stock.manage": ["sales", "admin"],
  "pricing.manage": ["sales", "admin"],
  // Exchange rates (issue 15): entered or imported by finance and administrators, read by all staff.
  "exchange_rates.manage": ["finance", "admin"],
  "orders.place": ["buyer", "customer_admin"],
  // Requisition lists (issue 14): shared by every buyer of the company.
  "lists.manage": ["buyer", "customer_admin"],
  "users.set_spending_limits": ["customer_admin", "admin"],
  "payments.submit": ["buyer", "customer_admin"],
  "payments.manage": ["finance", "admin"],
  "receivables.read": ["finance", "admin", "sales"],
  "reports.read": ["sales", "finance", "admin"],
  "orders.customer_approve": ["customer_admin"],
  "orders.read_all": ["sales", "finance", "admin"],
  "orders.approve": ["sales", "finance", "admin"],
  "orders.revise": ["sales", "admin"],
  "orders.fulfil": ["sales", "admin"],
  "orders.cancel_any": ["sales", "admin"],
  "account.change_password": ["buyer", "customer_admin", "sales", "finance", "admin"],
  "account.sessions": ["buyer", "customer_admin", "sales", "finance", "admin"],
  // API keys: a customer admin for their own company (keys act as buyers), an administrator for staff keys (and revokes any).
  "api_keys.manage_own_company": ["customer_admin"],
  "api_keys.manage": ["admin"],
  // Customer admins manage their company's webhook endpoints, admins the staff ones (every company's events).
  "webhooks.manage": ["customer_admin", "admin"],
  // Notifications (issue 13): everyone reads and marks their own; the Sent mail log is the administrator's.
  "notifications.read": ["buyer", "customer_admin", "sales", "finance", "admin"],
  "mail.read": ["admin"],
  "mail.resend": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof matrix;
export const permissions = Object.keys(matrix) as Permission[];

export function can(role: Role, permission: Permission): boolean {
  return (matrix[permission] as readonly Role[]).includes(role);
}

export function rolesWith(permission: Permission): readonly Role[] {
  return matrix[permission];
}
