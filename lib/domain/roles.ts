export const customerRoles = ["buyer", "customer_admin"] as const;
export const staffRoles = ["sales", "finance", "admin"] as const;
export const roles = [...customerRoles, ...staffRoles] as const;

export type CustomerRole = (typeof customerRoles)[number];
export type StaffRole = (typeof staffRoles)[number];
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  buyer: "Buyer",
  customer_admin: "Customer admin",
  sales: "Sales",
  finance: "Finance",
  admin: "Administrator",
};

export function isCustomerRole(role: Role): role is CustomerRole {
  return (customerRoles as readonly Role[]).includes(role);
}

export function isStaffRole(role: Role): role is StaffRole {
  return (staffRoles as readonly Role[]).includes(role);
}
