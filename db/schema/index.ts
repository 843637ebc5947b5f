export * from "./accounts";
export * from "./audit";
export * from "./platform";
export * from "./catalog";
export * from "./orders";
export * from "./payments";
export * from "./reconciliation";
export * from "./sessions";
